package webui

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// authorRowsNoJS is how many author rows the form offers; the page script
// can add more.
const authorRowsNoJS = 6

type authorRow struct {
	Index                    int
	Name, Email, Affiliation string
}

// submitPage is the details form, for a new submission or, with
// SubmissionID set, for changing one that exists.
type submitPage struct {
	SubmissionID         int64
	Number               int
	VenueSlug, VenueName string
	Tracks               []venue.Track
	AbstractMax          int
	KeywordHints         []string
	PageLimit            int
	Deadline             *deadlineRow
	Title, Abstract      string
	Keywords, Track      string
	Declaration          bool
	Authors              []authorRow
	Errors               *formErrors
	// Closed says why an existing submission's details cannot change now.
	Closed string
	// Fields are the venue's own questions (submission_fields.go).
	Fields []fieldInput
	set    *venue.Settings
}

func (u *ui) submitModel(c echo.Context) (submitPage, error) {
	rec, err := u.Venues.BySlug(c.Request().Context(), u.DB, c.Param("slug"))
	if err != nil {
		return submitPage{}, err
	}
	return u.submitModelOf(rec), nil
}

// submitModelOf is the empty form with what the venue asks for.
func (u *ui) submitModelOf(rec venue.Record) submitPage {
	set, now := rec.Settings, u.Clock.Now()
	return submitPage{VenueSlug: rec.Slug, VenueName: rec.Name, Tracks: set.Tracks, AbstractMax: set.AbstractMaxChars,
		KeywordHints: set.Keywords, PageLimit: set.Pages.Limit, Deadline: submissionDeadline(set, now), set: set,
	}
}

func (u *ui) submitForm(c echo.Context, s *session) error {
	p, err := u.submitModel(c)
	if err != nil {
		return err
	}
	p.Authors = padAuthors([]authorRow{{Name: s.User.Name, Email: s.User.Email, Affiliation: s.User.Affiliation}})
	p.Fields = fieldInputs(p.set, nil, p.Authors)
	if len(p.Tracks) == 1 {
		p.Track = p.Tracks[0].Key
	}
	return u.render(c, http.StatusOK, "submit", view{Title: p.heading(), S: s, Page: p})
}

// padAuthors fills the list up to the no-script number of rows and numbers
// every row.
func padAuthors(rows []authorRow) []authorRow {
	for len(rows) < authorRowsNoJS {
		rows = append(rows, authorRow{})
	}
	for i := range rows {
		rows[i].Index = i
	}
	return rows
}

// authorsFromForm reads the repeated author fields. Blank rows are skipped;
// rowOf[i] is the form row of the i-th author the domain sees, so its
// complaints land next to the right row.
func authorsFromForm(names, emails, affs []string) (rows []authorRow, authors []submission.Author, rowOf []int) {
	n := max(len(names), len(emails), len(affs))
	at := func(s []string, i int) string {
		if i < len(s) {
			return strings.TrimSpace(s[i])
		}
		return ""
	}
	for i := range n {
		r := authorRow{Name: at(names, i), Email: at(emails, i), Affiliation: at(affs, i)}
		rows = append(rows, r)
		if r.Name == "" && r.Email == "" && r.Affiliation == "" {
			continue
		}
		authors = append(authors, submission.Author{Name: r.Name, Email: r.Email, Affiliation: r.Affiliation})
		rowOf = append(rowOf, i)
	}
	return padAuthors(rows), authors, rowOf
}

var authorField = regexp.MustCompile(`^authors\[(\d+)\]\.(\w+)$`)

// renameAuthorFields moves "authors[i].email" to the form row it came from.
func renameAuthorFields(rowOf []int) func(string) string {
	return func(field string) string {
		m := authorField.FindStringSubmatch(field)
		if m == nil {
			return field
		}
		i, _ := strconv.Atoi(m[1])
		if i < len(rowOf) {
			i = rowOf[i]
		}
		return "authors[" + strconv.Itoa(i) + "]." + m[2]
	}
}

// splitKeywords accepts commas, semicolons or new lines between keywords.
func splitKeywords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' })
}

func (u *ui) submit(c echo.Context, s *session) error {
	p, err := u.submitModel(c)
	if err != nil {
		return err
	}
	in, rowOf, err := p.fill(c)
	if err != nil {
		return err
	}
	sub, err := u.Submissions.Create(c.Request().Context(), p.VenueSlug, s.P, in)
	if err != nil {
		return u.refuseDetails(c, s, p, rowOf, err)
	}
	return c.Redirect(http.StatusSeeOther, "/submissions/"+strconv.FormatInt(sub.ID, 10)+"?created=1")
}

// fill puts the posted form into p, as typed, and returns it as the
// service's input; rowOf maps the service's authors to the form's rows.
func (p *submitPage) fill(c echo.Context) (submission.Input, []int, error) {
	form, err := c.FormParams()
	if err != nil {
		return submission.Input{}, nil, err
	}
	rows, authors, rowOf := authorsFromForm(form["author_name"], form["author_email"], form["author_affiliation"])
	p.Title, p.Abstract, p.Keywords, p.Track = form.Get("title"), form.Get("abstract"), form.Get("keywords"), form.Get("track")
	p.Declaration, p.Authors = form.Get("declaration") == "yes", rows
	answers := answersFromForm(form, p.set, rows)
	p.Fields = fieldInputs(p.set, answers, rows)
	return submission.Input{Title: p.Title, Abstract: p.Abstract, Authors: authors, Keywords: splitKeywords(p.Keywords),
		Track: p.Track, Declaration: p.Declaration, Fields: askedOf(answers, p.set, p.Track)}, rowOf, nil
}

// refuseDetails shows the form again as typed, with the service's
// complaints next to their fields.
func (u *ui) refuseDetails(c echo.Context, s *session, p submitPage, rowOf []int, err error) error {
	if !inputError(err) {
		return err
	}
	status, _, _ := describe(err)
	p.Errors = formErrorsOf(err, renameAuthorFields(rowOf))
	return u.render(c, status, "submit", view{Title: p.heading(), S: s, Page: p})
}

// heading is the form's title: a new submission, or the details of one.
func (p submitPage) heading() string {
	if p.SubmissionID != 0 {
		return "Edit the details of submission #" + strconv.Itoa(p.Number)
	}
	return "Submit to " + p.VenueName
}
