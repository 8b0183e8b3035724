package webui

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/invitation"
	"github.com/quirehq/quire/internal/matching/matchingdb"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// maxCSVBytes bounds an uploaded invitation list; 5000 rows fit easily.
const maxCSVBytes = 2 << 20

type invitationRow struct {
	ID                               int64
	Name, Email, Affiliation, Role   string
	State, Sent, LastSent, Responded string
	SendCount                        int
	DeclineReason                    string
	Pending                          bool
}

type poolPage struct {
	Head chairHead
	Pool []matchingdb.VenueReviewersRow
	// Elsewhere is each reviewer's load in the site's other venues.
	Elsewhere   map[int64]int64
	Invitations []invitationRow
	Counts      []countRow
	// Invite keeps what a refused invitation form held.
	Invite       map[string]string
	InviteErrors *formErrors
	CSVRole      string
	CSVErrors    *formErrors
	// CSVLines are the file's problems, one per bad line.
	CSVLines []string
}

var invitationStates = []struct{ key, label string }{
	{"pending", "Pending"}, {"accepted", "Accepted"}, {"declined", "Declined"}, {"revoked", "Revoked"},
}

func (u *ui) poolModel(c echo.Context, s *session) (poolPage, error) {
	rec, head, err := u.chairVenue(c, s, "reviewers")
	if err != nil {
		return poolPage{}, err
	}
	ctx := c.Request().Context()
	pool, err := u.Matching.Pool(ctx, rec.Slug, s.P)
	if err != nil {
		return poolPage{}, err
	}
	invs, err := u.Invitations.List(ctx, rec.Slug, s.P)
	if err != nil {
		return poolPage{}, err
	}
	elsewhere, err := u.Matching.LoadsElsewhere(ctx, rec.Slug, s.P)
	if err != nil {
		return poolPage{}, err
	}
	p := poolPage{Head: head, Pool: pool, Elsewhere: elsewhere, Invite: map[string]string{"role": venue.RoleReviewer}, CSVRole: venue.RoleReviewer}
	n := map[string]int{}
	for _, in := range invs {
		row := invitationRow{ID: in.ID, Name: in.Name, Email: in.Email, Affiliation: in.Affiliation, Role: in.Role, State: in.State,
			Sent: venue.FormatUTC(in.CreatedAt), LastSent: venue.FormatUTC(in.LastSentAt), SendCount: int(in.SendCount),
			DeclineReason: in.DeclineReason, Pending: in.State == "pending"}
		if in.RespondedAt != nil {
			row.Responded = venue.FormatUTC(*in.RespondedAt)
		}
		n[in.State]++
		p.Invitations = append(p.Invitations, row)
	}
	for _, st := range invitationStates {
		p.Counts = append(p.Counts, countRow{Key: st.key, Label: st.label, N: n[st.key]})
	}
	return p, nil
}

func (u *ui) renderPool(c echo.Context, s *session, status int, p poolPage, notice string) error {
	return u.render(c, status, "chair_pool", view{Title: "Reviewers · " + p.Head.VenueName, S: s, Page: p, Notice: notice})
}

func (u *ui) chairPool(c echo.Context, s *session) error {
	p, err := u.poolModel(c, s)
	if err != nil {
		return err
	}
	var notice string
	switch c.QueryParam("done") {
	case "invited":
		notice = plural(queryInt(c.QueryParam("n")), "invitation") + " sent (people already invited are not invited twice)."
	case "resent":
		notice = "The invitation was sent again."
	case "revoked":
		notice = "The invitation was revoked: its link no longer works."
	}
	return u.renderPool(c, s, http.StatusOK, p, notice)
}

func poolDone(slug, done string, n int) string {
	q := url.Values{"done": {done}}
	if n > 0 {
		q.Set("n", strconv.Itoa(n))
	}
	return chairPath(slug, "reviewers", q)
}

func (u *ui) chairInvite(c echo.Context, s *session) error {
	f := map[string]string{"email": c.FormValue("email"), "name": c.FormValue("name"), "affiliation": c.FormValue("affiliation"),
		"keywords": c.FormValue("keywords"), "role": c.FormValue("role")}
	in := invitation.Input{Email: f["email"], Name: f["name"], Affiliation: f["affiliation"], Role: f["role"], Keywords: splitKeywords(f["keywords"])}
	list, err := u.Invitations.Create(c.Request().Context(), c.Param("slug"), s.P, []invitation.Input{in}, c.RealIP())
	if err == nil {
		return c.Redirect(http.StatusSeeOther, poolDone(c.Param("slug"), "invited", len(list)))
	}
	if !inputError(err) {
		return err
	}
	p, merr := u.poolModel(c, s)
	if merr != nil {
		return merr
	}
	// One person is the service's "body": its fields are the form's.
	p.Invite, p.InviteErrors = f, formErrorsOf(err, func(name string) string { return strings.TrimPrefix(name, "body.") })
	return u.renderPool(c, s, http.StatusBadRequest, p, "")
}

func (u *ui) chairInviteCSV(c echo.Context, s *session) error {
	role := c.FormValue("role")
	list, err := u.inviteCSV(c, s, role)
	if err == nil {
		return c.Redirect(http.StatusSeeOther, poolDone(c.Param("slug"), "invited", len(list)))
	}
	if !inputError(err) {
		return err
	}
	p, merr := u.poolModel(c, s)
	if merr != nil {
		return merr
	}
	// Every row's problem is listed by its line, under the file field.
	p.CSVRole = role
	p.CSVErrors, p.CSVLines = csvErrors(err)
	return u.renderPool(c, s, http.StatusBadRequest, p, "")
}

func (u *ui) inviteCSV(c echo.Context, s *session, role string) ([]invitation.Invitation, error) {
	fh, err := c.FormFile("file")
	if err != nil || fh.Filename == "" {
		return nil, problem.Invalid("choose a CSV file to upload", problem.FieldError{Field: "file", Message: "choose a CSV file"})
	}
	if fh.Size > maxCSVBytes {
		return nil, problem.Invalid("the file is larger than 2 MiB; split it", problem.FieldError{Field: "file", Message: "must be at most 2 MiB"})
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	in, err := invitation.ParseCSV(f, role)
	if err != nil {
		return nil, err
	}
	return u.Invitations.Create(c.Request().Context(), c.Param("slug"), s.P, in, c.RealIP())
}

// csvErrors puts every problem of the file under its one field, and lists
// them line by line.
func csvErrors(err error) (*formErrors, []string) {
	fe := formErrorsOf(err, nil)
	if len(fe.Order) == 0 {
		return &formErrors{Summary: fe.Summary, Fields: map[string]string{"file": fe.Summary}, Order: []string{"file"}}, nil
	}
	lines := make([]string, 0, len(fe.Order))
	for _, name := range fe.Order {
		if name == "file" || name == "query.role" {
			lines = append(lines, fe.Fields[name])
			continue
		}
		// "line 3.email: …" reads "Line 3 (email): …".
		where, field, ok := strings.Cut(name, ".")
		if ok {
			where += " (" + field + ")"
		}
		lines = append(lines, sentence(where+": "+fe.Fields[name]))
	}
	summary := "Nobody was invited: the file has " + plural(len(lines), "problem") + "."
	return &formErrors{Summary: summary, Fields: map[string]string{"file": summary}, Order: []string{"file"}}, lines
}

func (u *ui) chairResend(c echo.Context, s *session) error {
	return u.invitationAction(c, s, "resent", u.Invitations.Resend)
}

func (u *ui) chairRevoke(c echo.Context, s *session) error {
	return u.invitationAction(c, s, "revoked", u.Invitations.Revoke)
}

type invitationCall func(ctx context.Context, slug string, id int64, by account.Principal, ip string) (invitation.Invitation, error)

func (u *ui) invitationAction(c echo.Context, s *session, done string, call invitationCall) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return problem.New(problem.ErrNotFound, "invitation_not_found", "no such invitation")
	}
	if _, err := call(c.Request().Context(), c.Param("slug"), id, s.P, c.RealIP()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, poolDone(c.Param("slug"), done, 0))
}
