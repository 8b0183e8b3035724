package webui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/groupmail"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// registerChairMail adds the chairs' mail to groups: write, preview the
// exact copies, then send from the preview (a second step, so nothing goes
// out on the first click), with the log of what was sent below.
func (u *ui) registerChairMail(e *echo.Echo) error {
	if u.GroupMail == nil {
		return errors.New("the chairs' group mail is not wired")
	}
	if err := u.addPages([]string{"chair_mail"}, "chair_partials"); err != nil {
		return err
	}
	g := "/venues/:slug/chair/mail"
	e.GET(g, u.signedIn(u.chairMail))
	e.POST(g+"/preview", u.form(u.chairMailPreview))
	e.POST(g+"/send", u.form(u.chairMailSend))
	return nil
}

type mailGroupOption struct {
	Key, Label   string
	Count        int
	Closed       string
	DeadlineName string
	Deadline     string
	Selected     bool
}

type mailPreview struct {
	GroupLabel       string
	Count            int
	Messages         []groupmail.Message
	More             int
	Key, Fingerprint string
}

type mailLogRow struct {
	groupmail.Sent
	When string
}

type chairMailPage struct {
	Head   chairHead
	Groups []mailGroupOption
	// ClosedWhy says why some groups cannot be written to now.
	ClosedWhy    string
	Draft        groupmail.Draft
	Placeholders []groupmail.Placeholder
	Errors       *formErrors
	Preview      *mailPreview
	Log          []mailLogRow
}

// mailModel builds the page for a draft, with the preview when there is one.
func (u *ui) mailModel(c echo.Context, s *session, d groupmail.Draft, pv *groupmail.Preview, fe *formErrors) (chairMailPage, error) {
	_, head, err := u.chairVenue(c, s, "mail")
	if err != nil {
		return chairMailPage{}, err
	}
	ctx := c.Request().Context()
	groups, err := u.GroupMail.Groups(ctx, head.Slug, s.P)
	if err != nil {
		return chairMailPage{}, err
	}
	log, err := u.GroupMail.Log(ctx, head.Slug, s.P)
	if err != nil {
		return chairMailPage{}, err
	}
	p := chairMailPage{Head: head, Draft: d, Placeholders: groupmail.Placeholders, Errors: fe}
	for _, g := range groups {
		o := mailGroupOption{Key: g.Key, Label: g.Label, Count: len(g.Recipients), Closed: g.Closed, DeadlineName: g.DeadlineName, Selected: g.Key == d.Group}
		if !g.Deadline.IsZero() {
			o.Deadline = venue.FormatAoE(g.Deadline)
		}
		p.Groups = append(p.Groups, o)
		if o.Closed != "" {
			p.ClosedWhy = sentence(o.Closed)
		}
	}
	for _, x := range log {
		p.Log = append(p.Log, mailLogRow{Sent: x, When: venue.FormatUTC(x.At)})
	}
	if pv != nil {
		p.Preview = &mailPreview{GroupLabel: pv.Group.Label, Count: pv.Count, Messages: pv.Messages, More: pv.Count - len(pv.Messages),
			Key: pv.Key, Fingerprint: pv.Fingerprint}
	}
	return p, nil
}

func (u *ui) renderMail(c echo.Context, s *session, status int, d groupmail.Draft, pv *groupmail.Preview, fe *formErrors, notice string) error {
	p, err := u.mailModel(c, s, d, pv, fe)
	if err != nil {
		return err
	}
	return u.render(c, status, "chair_mail", view{Title: "Mail to a group · " + p.Head.VenueName, S: s, Page: p, Notice: notice})
}

func (u *ui) chairMail(c echo.Context, s *session) error {
	d := groupmail.Draft{Group: c.QueryParam("group")}
	if c.QueryParam("template") == "reminder" {
		d = groupmail.Reminder
	}
	notice := ""
	if n := c.QueryParam("sent"); n != "" {
		notice = "The message is queued for " + plural(queryInt(n), "recipient") + "; the log below has it."
		if c.QueryParam("again") != "" {
			notice = "This message was already sent; nothing was sent again."
		}
	}
	return u.renderMail(c, s, http.StatusOK, d, nil, nil, notice)
}

func draftOf(c echo.Context) groupmail.Draft {
	return groupmail.Draft{Group: c.FormValue("group"), Subject: c.FormValue("subject"), Body: c.FormValue("body")}
}

func (u *ui) chairMailPreview(c echo.Context, s *session) error {
	d := draftOf(c)
	pv, err := u.GroupMail.Preview(c.Request().Context(), c.Param("slug"), s.P, d)
	if err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.renderMail(c, s, status, d, nil, formErrorsOf(err, nil), "")
	}
	return u.renderMail(c, s, http.StatusOK, d, &pv, nil, "")
}

func (u *ui) chairMailSend(c echo.Context, s *session) error {
	d := draftOf(c)
	ctx, slug := c.Request().Context(), c.Param("slug")
	sent, err := u.GroupMail.Send(ctx, slug, s.P, d, c.FormValue("key"), c.FormValue("fingerprint"), c.RealIP())
	var pe *problem.Error
	switch {
	case err == nil:
		q := url.Values{"sent": {strconv.Itoa(sent.Recipients)}}
		if sent.Again {
			q.Set("again", "1")
		}
		return c.Redirect(http.StatusSeeOther, chairPath(slug, "mail", q)+"#log")
	case errors.As(err, &pe) && pe.Code == "changed_since_preview":
		// Show what would go now, to be sent from the new preview.
		pv, perr := u.GroupMail.Preview(ctx, slug, s.P, d)
		if perr != nil {
			err = perr
			break
		}
		return u.renderMail(c, s, http.StatusConflict, d, &pv, formErrorsOf(err, nil), "")
	}
	if !inputError(err) {
		return err
	}
	status, _, _ := describe(err)
	return u.renderMail(c, s, status, d, nil, formErrorsOf(err, nil), "")
}
