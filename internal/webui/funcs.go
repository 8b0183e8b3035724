package webui

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// funcs are the few helpers templates need; everything else is decided in
// the page models.
var funcs = template.FuncMap{
	// ferr is the message for a field, "" when there is none.
	"ferr": func(f *formErrors, field string) string { return f.Get(field) },
	// fattrs marks an input invalid and ties it to its message.
	"fattrs":   func(f *formErrors, field string) template.HTMLAttr { return f.Attrs(field) },
	"fid":      fieldID,
	"rowctx":   func(p schedulePage, r scheduleRow) rowCtx { return rowCtx{Page: p, Row: r} },
	"blankrow": func(i int) scheduleRow { return scheduleRow{Index: i} },
	// author names the domain field of author row i.
	"author": func(i int, part string) string { return "authors[" + strconv.Itoa(i) + "]." + part },
	"join":   strings.Join,
	"size":   humanSize,
	"plural": plural,
	"add":    func(a, b int) int { return a + b },
}

// humanSize writes a byte count as people read it.
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return plural(int(n), "byte")
}
