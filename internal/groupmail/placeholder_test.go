package groupmail

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/problem"
)

func TestPlaceholders(t *testing.T) {
	t.Parallel()
	values := map[string]string{"name": "Rex", "venue": "DLDE", "papers": "#1 A\n#2 B", "deadline": "2023-10-18 23:59:59 AoE"}
	for _, c := range []struct{ in, want string }{
		{"Dear {{name}},", "Dear Rex,"},
		{"{{ Venue }}: due {{deadline}}", "DLDE: due 2023-10-18 23:59:59 AoE"},
		{"Yours:\n{{papers}}", "Yours:\n#1 A\n#2 B"},
		{"{name} and {{ name}} and {{{name}}}", "{name} and Rex and {Rex}"},
	} {
		if got := fill(c.in, values); got != c.want {
			t.Errorf("fill(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := strings.Join(unknownIn("{{name}} {{authors}} {{reviewer}} {{authors}}"), " "); got != "{{authors}} {{reviewer}}" {
		t.Errorf("unknown placeholders: %q", got)
	}
}

func TestDraftCheck(t *testing.T) {
	t.Parallel()
	open := Group{Key: GroupAuthors, Deadline: time.Date(2023, 10, 8, 0, 0, 0, 0, time.UTC)}
	none := Group{Key: GroupAuthors}
	for _, c := range []struct {
		d     Draft
		g     Group
		wrong string // "" when the draft is fine
	}{
		{Draft{Subject: "Hi {{name}}", Body: "Due {{deadline}}"}, open, ""},
		{Draft{Subject: "", Body: "x"}, open, "write a subject"},
		{Draft{Subject: "x", Body: "  "}, open, "write the message"},
		{Draft{Subject: "a\nb", Body: "x"}, open, "one line"},
		{Draft{Subject: strings.Repeat("x", 201), Body: "x"}, open, "under 200"},
		{Draft{Subject: "x", Body: "by {{authors}}"}, open, "no placeholder {{authors}}"},
		{Draft{Subject: "x", Body: "Due {{deadline}}"}, none, "no deadline ahead"},
	} {
		err := c.d.check(c.g)
		switch {
		case c.wrong == "" && err != nil:
			t.Errorf("%+v refused: %v", c.d, err)
		case c.wrong != "" && (err == nil || !strings.Contains(fieldsOf(err), c.wrong)):
			t.Errorf("%+v: %v, want %q", c.d, err, c.wrong)
		}
	}
}

// fieldsOf joins an invalid-input error's field messages.
func fieldsOf(err error) string {
	var pe *problem.Error
	if !errors.As(err, &pe) {
		return err.Error()
	}
	var out []string
	for _, f := range pe.Fields {
		out = append(out, f.Field+": "+f.Message)
	}
	return strings.Join(out, "; ")
}
