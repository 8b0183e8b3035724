package pdfcheck

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Active content: what a PDF viewer runs or fetches on its own when a
// reviewer opens, reads or closes the file. In a double-blind review any of
// it can tell the authors who opened their paper, from where and when, so
// the check names it and the reviewers' copy is written without it.

// activeKind is one kind of active content, named as the report names it.
type activeKind string

const (
	activeJavaScript activeKind = "JavaScript"
	activeLaunch     activeKind = "Launch"
	activeSubmitForm activeKind = "SubmitForm"
	activeImportData activeKind = "ImportData"
	activeHookURI    activeKind = "URI"
	activeGoToR      activeKind = "GoToR"
	activeGoToE      activeKind = "GoToE"
	activeRichMedia  activeKind = "RichMedia"
	active3D         activeKind = "3D"
	activeXFA        activeKind = "XFA"
	activeMedia      activeKind = "media"
	activeRevision   activeKind = "revision"
)

// what each kind does, for the author.
var activeWhat = map[activeKind]string{
	activeJavaScript: "runs JavaScript",
	activeLaunch:     "launches a program or opens another file (Launch action)",
	activeSubmitForm: "sends form data to a server (SubmitForm action)",
	activeImportData: "imports data from another file (ImportData action)",
	activeHookURI:    "opens a web address by itself (URI action on a hook)",
	activeGoToR:      "opens another PDF file (GoToR action)",
	activeGoToE:      "opens an embedded file (GoToE action)",
	activeRichMedia:  "carries rich media (Flash or video with scripts)",
	active3D:         "carries a 3D model that can run scripts",
	activeXFA:        "carries an XFA form, which can run scripts and reach the network",
	activeMedia:      "plays sound or video (Screen, Movie or Sound annotations, Rendition actions)",
}

// activeItem is one place of active content.
type activeItem struct {
	kind activeKind
	// hook is the trigger that fires it without a click ("when opened",
	// "when a page is opened or closed", ...); empty when only a click
	// or nothing at all fires it.
	hook  string
	where string
}

// dangerousActions are the action types the reviewers' copy never keeps.
// GoTo (inside the file) and a clicked URI are all it keeps.
var dangerousActions = map[string]activeKind{
	"JavaScript":       activeJavaScript,
	"Launch":           activeLaunch,
	"SubmitForm":       activeSubmitForm,
	"ImportData":       activeImportData,
	"GoToR":            activeGoToR,
	"GoToE":            activeGoToE,
	"RichMediaExecute": activeRichMedia,
	"GoTo3DView":       active3D,
	"Rendition":        activeMedia,
	"Movie":            activeMedia,
	"Sound":            activeMedia,
}

// activeAnnots are annotation subtypes that play or run something.
var activeAnnots = map[string]activeKind{
	"RichMedia": activeRichMedia,
	"3D":        active3D,
	"Screen":    activeMedia,
	"Movie":     activeMedia,
	"Sound":     activeMedia,
}

// hookNames say when an additional-actions (/AA) entry fires, by the
// dictionary it is in.
var hookNames = map[string]string{
	"O": "opened", "C": "closed", "WC": "closed", "WS": "saved", "DS": "saved",
	"WP": "printed", "DP": "printed", "PO": "opened", "PC": "closed", "PV": "shown", "PI": "hidden",
	"E": "pointed at", "X": "left by the pointer", "D": "pressed", "U": "released",
	"Fo": "focused", "Bl": "blurred", "K": "edited", "F": "formatted", "V": "validated",
}

// findActive looks at every object of the file, reachable or not (pdfcpu
// has read the objects of object streams into the table), for active
// content, and then at how the document and its pages fire it. raw is the
// file as uploaded: objects that a later incremental revision replaced
// are not in the table, so their bytes are searched too.
func findActive(ctx *model.Context, raw []byte) []activeItem {
	var items []activeItem
	found := map[activeKind]bool{}
	add := func(it activeItem) {
		found[it.kind] = true
		items = append(items, it)
	}
	nrs := sortedObjects(ctx)
	for _, nr := range nrs {
		d, ok := tableDict(ctx, nr)
		if !ok {
			continue
		}
		walkDicts(d, 0, func(d types.Dict) {
			where := fmt.Sprintf("object %d", nr)
			if k, ok := actionKind(d); ok {
				add(activeItem{kind: k, where: where})
			}
			if s := nameOf(d["Subtype"]); s != "" {
				if k, ok := activeAnnots[s]; ok && d["Rect"] != nil {
					add(activeItem{kind: k, where: where})
				}
			}
			if _, ok := d["XFA"]; ok {
				add(activeItem{kind: activeXFA, where: where})
			}
		})
	}
	// Hooks: what fires without a click.
	hooked := func(o types.Object, hook, where string) {
		seen := map[types.Object]bool{}
		for depth := 0; o != nil && depth < 32; depth++ {
			if ir, ok := o.(types.IndirectRef); ok {
				if seen[ir] {
					return
				}
				seen[ir] = true
			}
			d, err := ctx.DereferenceDict(o)
			if err != nil || d == nil {
				return
			}
			if k, ok := actionKind(d); ok {
				add(activeItem{kind: k, hook: hook, where: where})
			} else if nameOf(d["S"]) == "URI" {
				add(activeItem{kind: activeHookURI, hook: hook, where: where})
			}
			o = d["Next"]
			if arr, ok := o.(types.Array); ok && len(arr) > 0 {
				o = arr[0]
			}
		}
	}
	hookDict := func(o types.Object, prefix, where string) {
		aa, err := ctx.DereferenceDict(o)
		if err != nil || aa == nil {
			return
		}
		for _, k := range sortedKeys(aa) {
			when := hookNames[k]
			if when == "" {
				when = "triggered (" + k + ")"
			}
			hooked(aa[k], prefix+" "+when, where)
		}
	}
	if root, err := ctx.Catalog(); err == nil && root != nil {
		if oa, ok := root["OpenAction"]; ok {
			hooked(oa, "when the file is opened", "the document's open action (/OpenAction)")
		}
		hookDict(root["AA"], "when the file is", "the document's additional actions (/AA)")
		if names, err := ctx.DereferenceDict(root["Names"]); err == nil && names != nil {
			if _, ok := names["JavaScript"]; ok {
				add(activeItem{kind: activeJavaScript, hook: "when the file is opened", where: "the document-level scripts (/Names /JavaScript)"})
			}
		}
	}
	for p := 1; p <= ctx.PageCount; p++ {
		pd, _, _, err := ctx.PageDict(p, false)
		if err != nil || pd == nil {
			continue
		}
		hookDict(pd["AA"], "when a page is", fmt.Sprintf("page %d's additional actions (/AA)", p))
		annots, _ := ctx.DereferenceArray(pd["Annots"])
		for _, a := range annots {
			ad, err := ctx.DereferenceDict(a)
			if err != nil || ad == nil {
				continue
			}
			hookDict(ad["AA"], "when an annotation is", fmt.Sprintf("an annotation's additional actions on page %d", p))
		}
	}
	// Earlier revisions and objects pdfcpu did not keep.
	for _, k := range rawActive(raw) {
		if !found[k] {
			add(activeItem{kind: k, where: "an earlier revision of the file, or an object no page uses"})
		}
	}
	if n := revisions(raw); n > 1 {
		items = append(items, activeItem{kind: activeRevision, where: fmt.Sprintf("%d revisions", n)})
	}
	return items
}

// actionKind says whether d is an action the reviewers' copy removes.
func actionKind(d types.Dict) (activeKind, bool) {
	if _, ok := d["JS"]; ok {
		return activeJavaScript, true
	}
	k, ok := dangerousActions[nameOf(d["S"])]
	return k, ok
}

// walkDicts calls fn on d and on every dictionary directly inside it (not
// through references: those are objects of their own).
func walkDicts(o types.Object, depth int, fn func(types.Dict)) {
	if depth > 64 {
		return
	}
	switch v := o.(type) {
	case types.Dict:
		fn(v)
		for _, e := range v {
			walkDicts(e, depth+1, fn)
		}
	case types.Array:
		for _, e := range v {
			walkDicts(e, depth+1, fn)
		}
	}
}

// tableDict is object nr's dictionary (a stream's too). An object of an
// object stream that nothing reached while pdfcpu validated the file is
// still undecoded (an orphan, or a leftover of an earlier revision): it is
// decoded here, so that nothing hides in an object stream.
func tableDict(ctx *model.Context, nr int) (types.Dict, bool) {
	e := ctx.Table[nr]
	if e == nil || e.Free {
		return nil, false
	}
	o := e.Object
	if _, lazy := o.(types.LazyObjectStreamObject); lazy {
		gen := 0
		if e.Generation != nil {
			gen = *e.Generation
		}
		var err error
		if o, err = ctx.Dereference(*types.NewIndirectRef(nr, gen)); err != nil {
			return nil, false
		}
	}
	switch v := o.(type) {
	case types.Dict:
		return v, true
	case types.StreamDict:
		return v.Dict, true
	}
	return nil, false
}

func nameOf(o types.Object) string {
	if n, ok := o.(types.Name); ok {
		return string(n)
	}
	return ""
}

func sortedObjects(ctx *model.Context) []int {
	nrs := make([]int, 0, len(ctx.Table))
	for nr, e := range ctx.Table {
		if e != nil && !e.Free && e.Object != nil {
			nrs = append(nrs, nr)
		}
	}
	sort.Ints(nrs)
	return nrs
}

func sortedKeys(d types.Dict) []string {
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// rawTokens find active content in uncompressed object bytes, names
// spelled with #xx escapes included.
var rawTokens = regexp.MustCompile(`/S\s*/((?:[A-Za-z0-9]|#[0-9A-Fa-f]{2})+)|/(JS|XFA|RichMedia|3D|OpenAction)\b`)

// rawActive lists the kinds of active content named anywhere in the raw
// bytes of the file outside its streams' data.
func rawActive(raw []byte) []activeKind {
	seen := map[activeKind]bool{}
	var out []activeKind
	var ms [][][]byte
	outsideStreams(raw, func(b []byte) { ms = append(ms, rawTokens.FindAllSubmatch(b, -1)...) })
	for _, m := range ms {
		var k activeKind
		var ok bool
		if len(m[1]) > 0 {
			k, ok = dangerousActions[unescapeName(string(m[1]))]
		} else {
			switch string(m[2]) {
			case "JS":
				k, ok = activeJavaScript, true
			case "XFA":
				k, ok = activeXFA, true
			case "RichMedia":
				k, ok = activeRichMedia, true
			case "3D":
				k, ok = active3D, true
			}
		}
		if ok && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func unescapeName(s string) string {
	if !strings.Contains(s, "#") {
		return s
	}
	if d, err := types.DecodeName(s); err == nil {
		return d
	}
	return s
}

// outsideStreams calls fn on the parts of raw between streams' data:
// compressed bytes could spell any token by chance.
func outsideStreams(raw []byte, fn func([]byte)) {
	for len(raw) > 0 {
		i := bytes.Index(raw, []byte("stream"))
		for i > 0 && raw[i-1] == 'd' { // "endstream" outside a stream
			j := bytes.Index(raw[i+6:], []byte("stream"))
			if j < 0 {
				i = -1
				break
			}
			i += 6 + j
		}
		if i < 0 {
			fn(raw)
			return
		}
		fn(raw[:i])
		raw = raw[i+6:]
		j := bytes.Index(raw, []byte("endstream"))
		if j < 0 {
			return
		}
		raw = raw[j+9:]
	}
}

// revisions counts the file's revisions: an incremental update appends a
// new cross-reference section and another startxref.
func revisions(raw []byte) int {
	return bytes.Count(raw, []byte("startxref"))
}

// activeFindings turn the items into what the report says, one finding
// per kind, naming where each was found.
func activeFindings(items []activeItem) []Finding {
	byKind := map[activeKind][]activeItem{}
	var order []activeKind
	for _, it := range items {
		if _, ok := byKind[it.kind]; !ok {
			order = append(order, it.kind)
		}
		byKind[it.kind] = append(byKind[it.kind], it)
	}
	var out []Finding
	for _, k := range order {
		its := byKind[k]
		if k == activeRevision {
			if len(order) > 1 { // a plain incremental update is no danger by itself
				out = append(out, Finding{Code: "incremental_revisions", Where: "the file's earlier revisions",
					Message: fmt.Sprintf("the file keeps earlier revisions (%s); reviewers get a copy rewritten without them", its[0].where)})
			}
			continue
		}
		hook := ""
		var wheres []string
		seen := map[string]bool{}
		for _, it := range its {
			if hook == "" && it.hook != "" {
				hook = it.hook
			}
			if !seen[it.where] && len(wheres) < 4 {
				seen[it.where] = true
				wheres = append(wheres, it.where)
			}
		}
		what := activeWhat[k]
		if hook != "" {
			what += " " + hook
		}
		out = append(out, Finding{Code: "active_content", Where: strings.Join(wheres, "; "),
			Message: fmt.Sprintf("this file %s; reviewers get a copy without it", what)})
	}
	return out
}
