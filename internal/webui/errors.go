package webui

import (
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/quirehq/quire/internal/fault"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// errCSRF refuses a form that did not come from one of our own pages (or
// came from a page older than the session it is posted with).
var errCSRF = problem.New(problem.ErrForbidden, "csrf_token_invalid",
	"this form is out of date or did not come from Quire; go back, reload the page and send it again")

// statuses maps the domain's failure kinds to HTTP statuses, as the API does.
var statuses = []struct {
	kind   error
	status int
	title  string
}{
	{problem.ErrInvalid, http.StatusBadRequest, "Please check the form"},
	{problem.ErrUnauthorized, http.StatusUnauthorized, "Please sign in"},
	{problem.ErrForbidden, http.StatusForbidden, "Not allowed"},
	{problem.ErrNotFound, http.StatusNotFound, "Not found"},
	{problem.ErrConflict, http.StatusConflict, "That cannot be done now"},
	{problem.ErrDeadlinePassed, http.StatusForbidden, "Deadline"},
	{venue.ErrDeadlinePassed, http.StatusForbidden, "The deadline has passed"},
	{venue.ErrNotOpen, http.StatusForbidden, "Not open yet"},
	{problem.ErrTooLarge, http.StatusRequestEntityTooLarge, "Too large"},
	{problem.ErrRateLimited, http.StatusTooManyRequests, "Too many attempts"},
	{problem.ErrUnprocessable, http.StatusUnprocessableEntity, "Refused"},
	{problem.ErrUnavailable, http.StatusServiceUnavailable, "Please try again later"},
}

// describe says what went wrong in words for a person. Unknown errors stay
// unexplained: their text may name internals.
func describe(err error) (status int, title, detail string) {
	err = fault.Classify(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return http.StatusRequestEntityTooLarge, "Too large", "the upload is larger than the " + strconv.FormatInt(mbe.Limit>>20, 10) + " MiB this server accepts"
	}
	for _, s := range statuses {
		if errors.Is(err, s.kind) {
			detail = err.Error()
			var pe *problem.Error
			if errors.As(err, &pe) {
				detail = pe.Detail
			}
			return s.status, s.title, sentence(detail)
		}
	}
	return http.StatusInternalServerError, "Something went wrong",
		"Something went wrong on our side. It has been logged; please try again in a moment."
}

// sentence capitalises a domain message ("the email or the password is
// wrong") for display on its own.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	return s
}

// formErrors are the messages to show next to each field, by field name,
// and the one for the form as a whole.
type formErrors struct {
	Summary string
	Fields  map[string]string
	// Order lists the fields in the order the domain reported them, for
	// the summary at the top of the form.
	Order []string
}

// Has reports whether field has an error (for templates).
func (f *formErrors) Has(field string) bool {
	return f != nil && f.Fields[field] != ""
}

// Get is field's message, or "".
func (f *formErrors) Get(field string) string {
	if f == nil {
		return ""
	}
	return f.Fields[field]
}

// Attrs marks an input invalid and points it at its message.
func (f *formErrors) Attrs(field string) template.HTMLAttr {
	if !f.Has(field) {
		return ""
	}
	return template.HTMLAttr(`aria-invalid="true" aria-describedby="` + template.HTMLEscapeString(fieldID(field)) + `-error"`)
}

// fieldID turns a domain field name ("authors[2].email") into an HTML id.
func fieldID(field string) string {
	r := strings.NewReplacer("[", "-", "]", "", ".", "-")
	return "f-" + r.Replace(field)
}

// formErrorsOf turns a failed call into messages by field. rename maps a
// domain field name to the form's (for author rows that moved); nil keeps
// names as they are. A failure that is not about the input is the summary.
func formErrorsOf(err error, rename func(string) string) *formErrors {
	fe := &formErrors{Fields: map[string]string{}}
	var pe *problem.Error
	if errors.As(err, &pe) && len(pe.Fields) > 0 {
		for _, f := range pe.Fields {
			name := f.Field
			if rename != nil {
				name = rename(name)
			}
			if _, dup := fe.Fields[name]; dup {
				fe.Fields[name] += "; " + f.Message
				continue
			}
			fe.Fields[name] = sentence(f.Message)
			fe.Order = append(fe.Order, name)
		}
		fe.Summary = "Please correct the " + plural(len(fe.Order), "problem") + " below."
		return fe
	}
	_, _, fe.Summary = describe(err)
	return fe
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// inputError reports whether err is about what the person typed (to be
// shown on the form) rather than a failure of the page.
func inputError(err error) bool {
	status, _, _ := describe(err)
	return status < 500 && status != http.StatusNotFound
}
