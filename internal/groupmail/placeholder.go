package groupmail

import (
	"regexp"
	"sort"
	"strings"

	"github.com/quirehq/quire/internal/problem"
)

// Placeholder is a word a chair may write in braces, {{name}}, and what it
// becomes in each recipient's copy. There is deliberately none for the
// other side of the review: a reviewer's copy can name only the reviewer
// and the papers' numbers and titles, an author's only the author and
// their own papers.
type Placeholder struct {
	Name, Means string
}

// Placeholders are every placeholder, in the order the page lists them.
var Placeholders = []Placeholder{
	{"name", "the recipient's name"},
	{"venue", "the venue's name"},
	{"papers", "the recipient's papers in the group, one a line, by number and title (for reviewers with missing reviews: the reviews still to submit)"},
	{"deadline", "the group's deadline in AoE (reviewers: the review deadline; authors: their next deadline)"},
}

var placeholderRE = regexp.MustCompile(`\{\{\s*([A-Za-z_]+)\s*\}\}`)

func known(name string) bool {
	for _, p := range Placeholders {
		if p.Name == name {
			return true
		}
	}
	return false
}

// unknownIn lists the placeholders in text that do not exist, so a typo or
// a wish ({{authors}} in a mail to reviewers) is refused before anything is
// sent rather than mailed as typed.
func unknownIn(text string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range placeholderRE.FindAllStringSubmatch(text, -1) {
		if n := strings.ToLower(m[1]); !known(n) && !seen[n] {
			seen[n] = true
			out = append(out, "{{"+m[1]+"}}")
		}
	}
	sort.Strings(out)
	return out
}

// uses reports whether text has the placeholder name.
func uses(text, name string) bool {
	for _, m := range placeholderRE.FindAllStringSubmatch(text, -1) {
		if strings.EqualFold(m[1], name) {
			return true
		}
	}
	return false
}

// fill replaces each placeholder by its value for one recipient.
func fill(text string, values map[string]string) string {
	return placeholderRE.ReplaceAllStringFunc(text, func(m string) string {
		name := strings.ToLower(placeholderRE.FindStringSubmatch(m)[1])
		if v, ok := values[name]; ok {
			return v
		}
		return m
	})
}

// Limits on what a chair writes; the outbox stores each copy.
const (
	maxSubject = 200
	maxBody    = 20000
)

// check refuses a draft that cannot be sent as written: empty, too long,
// with an unknown placeholder, or with {{deadline}} for a group that has
// none ahead.
func (d Draft) check(g Group) error {
	var fields []problem.FieldError
	subject, body := strings.TrimSpace(d.Subject), strings.TrimSpace(d.Body)
	switch {
	case subject == "":
		fields = append(fields, problem.FieldError{Field: "subject", Message: "write a subject"})
	case len([]rune(subject)) > maxSubject:
		fields = append(fields, problem.FieldError{Field: "subject", Message: "keep the subject under 200 characters"})
	case strings.ContainsAny(subject, "\r\n"):
		fields = append(fields, problem.FieldError{Field: "subject", Message: "the subject must be one line"})
	}
	switch {
	case body == "":
		fields = append(fields, problem.FieldError{Field: "body", Message: "write the message"})
	case len([]rune(body)) > maxBody:
		fields = append(fields, problem.FieldError{Field: "body", Message: "keep the message under 20000 characters"})
	}
	for _, f := range []struct{ field, text string }{{"subject", d.Subject}, {"body", d.Body}} {
		if bad := unknownIn(f.text); len(bad) > 0 {
			fields = append(fields, problem.FieldError{Field: f.field, Message: "there is no placeholder " + strings.Join(bad, ", ") +
				"; the placeholders are {{name}}, {{venue}}, {{papers}} and {{deadline}}"})
		}
		if uses(f.text, "deadline") && g.Deadline.IsZero() {
			fields = append(fields, problem.FieldError{Field: f.field, Message: "this group has no deadline ahead for {{deadline}}"})
		}
	}
	if len(fields) > 0 {
		return problem.Invalid("the message cannot be sent as written", fields...)
	}
	return nil
}
