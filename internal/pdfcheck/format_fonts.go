package pdfcheck

import (
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// builtinMetrics are poppler's ascent and descent of the standard fonts,
// which files may use without a descriptor.
var builtinMetrics = map[string]fontMetric{
	"Times":        {0.683, -0.217},
	"Helvetica":    {0.718, -0.207},
	"Courier":      {0.629, -0.157},
	"Symbol":       {1.010, -0.293},
	"ZapfDingbats": {0.820, -0.143},
}

// fontMetrics reads each font's ascent and descent the way poppler does
// (the descriptor's, unless they are missing or absurd), by the name
// pdftohtml gives the font. A font it cannot read is left out, and its
// sizes stay poppler's whole points.
func fontMetrics(ctx *model.Context) (out map[string]fontMetric) {
	out = map[string]fontMetric{}
	if ctx == nil {
		return out
	}
	defer func() {
		if recover() != nil {
			out = map[string]fontMetric{} // hostile structure: whole points only
		}
	}()
	for _, e := range ctx.Table {
		if e == nil || e.Free {
			continue
		}
		d, ok := e.Object.(types.Dict)
		if !ok || d.Type() == nil || *d.Type() != "Font" {
			continue
		}
		name := d.NameEntry("BaseFont")
		if name == nil || *name == "" {
			continue
		}
		if _, seen := out[*name]; seen {
			continue
		}
		desc := d
		if s := d.Subtype(); s != nil && *s == "Type0" {
			arr, err := ctx.DereferenceArray(d["DescendantFonts"])
			if err != nil || len(arr) == 0 {
				continue
			}
			if desc, err = ctx.DereferenceDict(arr[0]); err != nil || desc == nil {
				continue
			}
		}
		if m, ok := descriptorMetric(ctx, desc); ok {
			out[*name] = m
		} else if m, ok := builtinMetric(*name); ok {
			out[*name] = m
		}
	}
	return out
}

func descriptorMetric(ctx *model.Context, font types.Dict) (fontMetric, bool) {
	fd, err := ctx.DereferenceDict(font["FontDescriptor"])
	if err != nil || fd == nil {
		return fontMetric{}, false
	}
	m := fontMetric{ascent: popplerAscent, descent: popplerDescent}
	if a, ok := number(ctx, fd["Ascent"]); ok {
		// poppler takes the magnitude, and ignores 0 and absurd values.
		if a = abs(a) / 1000; a != 0 && a < 3 {
			m.ascent = a
		}
	}
	if d, ok := number(ctx, fd["Descent"]); ok {
		if d = -abs(d) / 1000; d != 0 && d > -3 {
			m.descent = d
		}
	}
	return m, true
}

func builtinMetric(name string) (fontMetric, bool) {
	for family, m := range builtinMetrics {
		if name == family || strings.HasPrefix(name, family+"-") || family == "Times" && strings.HasPrefix(name, "Times-") {
			return m, true
		}
	}
	return fontMetric{}, false
}

func number(ctx *model.Context, o types.Object) (float64, bool) {
	o, err := ctx.Dereference(o)
	if err != nil {
		return 0, false
	}
	switch v := o.(type) {
	case types.Integer:
		return float64(v), true
	case types.Float:
		return float64(v), true
	}
	return 0, false
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
