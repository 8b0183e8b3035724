package webui

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
	"github.com/quirehq/quire/internal/venue/venuedb"
)

// registerChairAdmin adds the chairs' pages about the venue itself: its
// settings (with phase overrides and extensions) and its reviewer pool.
func (u *ui) registerChairAdmin(e *echo.Echo) error {
	if err := u.addPages([]string{"chair_settings", "chair_pool"}, "chair_partials"); err != nil {
		return err
	}
	g := "/venues/:slug/chair"
	e.GET(g+"/settings", u.signedIn(u.chairSettings))
	e.POST(g+"/settings", u.form(u.chairSaveSettings))
	e.POST(g+"/settings/overrides", u.form(u.chairOverride))
	e.POST(g+"/settings/extensions", u.form(u.chairExtend))
	e.GET(g+"/reviewers", u.signedIn(u.chairPool))
	e.POST(g+"/reviewers/invite", u.form(u.chairInvite))
	// The CSV form is multipart; echo's FormValue reads its fields too.
	e.POST(g+"/reviewers/upload", u.form(u.chairInviteCSV))
	e.POST(g+"/reviewers/:id/resend", u.form(u.chairResend))
	e.POST(g+"/reviewers/:id/revoke", u.form(u.chairRevoke))
	return nil
}

func (u *ui) admin() *venue.Admin { return &venue.Admin{DB: u.DB, Store: u.Venues} }

// settingsDeadline is one deadline as chairs see it: grace included.
type settingsDeadline struct {
	Label, UTC, AoE, Venue, Grace string
}

type settingsProblem struct {
	Path, Message string
	Line          int
}

type extensionRow struct {
	Action, For, UntilAoE, UntilUTC, Reason, By, At string
}

type overrideRow struct {
	Phase, Kind, At, By, Reason string
}

type settingsPage struct {
	Head      chairHead
	Set       *venue.Settings
	Zone      string
	Deadlines []settingsDeadline
	Excluded  string
	Sizes     string
	// YAML is the editor's text: the stored file, or what was posted.
	YAML     string
	Problems []settingsProblem
	Summary  string

	Phases, Actions []string
	Overrides       []overrideRow
	Extensions      []extensionRow
	OverrideErrors  *formErrors
	ExtendErrors    *formErrors
	// Ov and Ext keep what a refused form held.
	Ov  map[string]string
	Ext map[string]string
}

var overridePhases = []string{string(venue.PhaseSubmission), string(venue.PhaseBidding), string(venue.PhaseReviewing), string(venue.PhaseAuthorResponse), string(venue.PhaseDecision), string(venue.PhaseCameraReady)}

var extensionActions = []string{string(venue.ActionSubmit), string(venue.ActionBid), string(venue.ActionReview), string(venue.ActionRespond), string(venue.ActionDecide), string(venue.ActionCameraReady)}

// settingsModel is the page for the venue as stored; the handlers of its
// forms fill in what a refused form needs shown.
func (u *ui) settingsModel(c echo.Context, s *session) (settingsPage, venue.Record, error) {
	rec, head, err := u.chairVenue(c, s, "settings")
	if err != nil {
		return settingsPage{}, rec, err
	}
	ctx := c.Request().Context()
	set := rec.Settings
	zone := set.Zone()
	p := settingsPage{Head: head, Set: set, Zone: zone.String(), YAML: string(rec.YAML), Phases: overridePhases, Actions: extensionActions,
		Ov: map[string]string{}, Ext: map[string]string{}}
	d := set.Deadlines
	for _, l := range deadlineLabels {
		dl := map[string]venue.Deadline{"submission_opens": d.SubmissionOpens, "submission": d.Submission, "bidding": d.Bidding,
			"review": d.Review, "decision": d.Decision, "camera_ready": d.CameraReady}[l.key]
		if !dl.IsSet() {
			continue
		}
		row := settingsDeadline{Label: l.label, UTC: venue.FormatUTC(dl.At), AoE: venue.FormatAoE(dl.At), Venue: venue.FormatIn(dl.At, zone), Grace: "none"}
		if dl.Grace > 0 {
			row.Grace = venue.FormatDuration(dl.Grace)
		}
		p.Deadlines = append(p.Deadlines, row)
	}
	ex := make([]string, len(set.Pages.Excluded))
	for i, x := range set.Pages.Excluded {
		ex[i] = string(x)
	}
	p.Excluded = strings.Join(ex, ", ")
	sz := make([]string, len(set.Pages.Sizes))
	for i, x := range set.Pages.Sizes {
		sz[i] = string(x)
	}
	p.Sizes = strings.Join(sz, ", ")
	ovs, err := u.admin().Overrides(ctx, rec.Slug, s.P.UserID)
	if err != nil {
		return p, rec, err
	}
	for _, o := range ovs {
		p.Overrides = append(p.Overrides, overrideRow{Phase: string(o.Phase), Kind: string(o.Kind), At: venue.FormatUTC(o.At), By: o.By, Reason: o.Reason})
	}
	exts, err := u.admin().Extensions(ctx, rec.Slug, s.P.UserID)
	if err != nil {
		return p, rec, err
	}
	for _, x := range exts {
		who := x.ReviewerEmail
		if x.Submission != "" {
			who = "submission #" + x.Submission
		}
		p.Extensions = append(p.Extensions, extensionRow{Action: string(x.Action), For: who, UntilAoE: venue.FormatAoE(x.Until), UntilUTC: venue.FormatUTC(x.Until),
			Reason: x.Reason, By: x.GrantedByName, At: venue.FormatUTC(x.GrantedAt)})
	}
	return p, rec, nil
}

func (u *ui) renderSettings(c echo.Context, s *session, status int, p settingsPage, notice string) error {
	return u.render(c, status, "chair_settings", view{Title: "Settings · " + p.Head.VenueName, S: s, Page: p, Notice: notice})
}

func (u *ui) chairSettings(c echo.Context, s *session) error {
	p, _, err := u.settingsModel(c, s)
	if err != nil {
		return err
	}
	notice := map[string]string{"saved": "Saved: the venue's settings are replaced.", "override": "The phase override is recorded.",
		"extension": "The extension is granted."}[c.QueryParam("done")]
	return u.renderSettings(c, s, http.StatusOK, p, notice)
}

func (u *ui) chairSaveSettings(c echo.Context, s *session) error {
	text := c.FormValue("settings_yaml")
	_, err := u.admin().Update(c.Request().Context(), c.Param("slug"), s.P.UserID, []byte(text), c.RealIP())
	if err == nil {
		return c.Redirect(http.StatusSeeOther, chairPath(c.Param("slug"), "settings", map[string][]string{"done": {"saved"}}))
	}
	if !inputError(err) {
		return err
	}
	p, _, merr := u.settingsModel(c, s)
	if merr != nil {
		return merr
	}
	p.YAML = text
	p.Problems, p.Summary = settingsProblems(err, []byte(text))
	return u.renderSettings(c, s, http.StatusBadRequest, p, "")
}

// settingsProblems lists a refused file's problems by path, with their
// lines: the file is parsed again here (it is pure and quick) because the
// service's field errors carry paths only.
func settingsProblems(err error, text []byte) ([]settingsProblem, string) {
	var out []settingsProblem
	if _, probs, _ := venue.Parse(text); len(probs) > 0 {
		for _, p := range probs {
			out = append(out, settingsProblem{Path: p.Path, Line: p.Line, Message: p.Message})
		}
	} else {
		var pe *problem.Error
		if errors.As(err, &pe) {
			for _, f := range pe.Fields {
				out = append(out, settingsProblem{Path: f.Field, Message: f.Message})
			}
		}
	}
	if len(out) == 0 {
		_, _, detail := describe(err)
		return nil, "Nothing was saved: " + detail
	}
	return out, "Nothing was saved: the settings have " + plural(len(out), "problem") + "."
}

func (u *ui) chairOverride(c echo.Context, s *session) error {
	f := map[string]string{"phase": c.FormValue("phase"), "kind": c.FormValue("kind"), "reason": c.FormValue("reason")}
	_, err := u.admin().Override(c.Request().Context(), c.Param("slug"), s.P.UserID, venue.Phase(f["phase"]), venue.OverrideKind(f["kind"]), f["reason"], c.RealIP())
	if err == nil {
		return c.Redirect(http.StatusSeeOther, chairPath(c.Param("slug"), "settings", map[string][]string{"done": {"override"}}))
	}
	if !inputError(err) {
		return err
	}
	p, _, merr := u.settingsModel(c, s)
	if merr != nil {
		return merr
	}
	p.Ov, p.OverrideErrors = f, formErrorsOf(err, nil)
	return u.renderSettings(c, s, http.StatusBadRequest, p, "")
}

func (u *ui) chairExtend(c echo.Context, s *session) error {
	f := map[string]string{"action": c.FormValue("action"), "reviewer": strings.TrimSpace(c.FormValue("reviewer")),
		"submission": strings.TrimPrefix(strings.TrimSpace(c.FormValue("submission")), "#"), "until": c.FormValue("until"), "reason": c.FormValue("reason")}
	in := venue.ExtensionInput{Action: venue.Action(f["action"]), Submission: f["submission"], ReviewerEmail: f["reviewer"], Until: f["until"], Reason: f["reason"]}
	var err error
	if in.Submission != "" {
		if _, aerr := strconv.Atoi(in.Submission); aerr != nil {
			err = problem.Invalid("the submission is its number", problem.FieldError{Field: "submission", Message: "must be a submission number, like 12"})
		}
	}
	if err == nil {
		_, err = u.admin().Extend(c.Request().Context(), c.Param("slug"), s.P.UserID, in, u.resolveReviewer, c.RealIP())
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, chairPath(c.Param("slug"), "settings", map[string][]string{"done": {"extension"}}))
	}
	if !inputError(err) {
		return err
	}
	p, _, merr := u.settingsModel(c, s)
	if merr != nil {
		return merr
	}
	p.Ext, p.ExtendErrors = f, formErrorsOf(err, nil)
	return u.renderSettings(c, s, http.StatusBadRequest, p, "")
}

// resolveReviewer finds the venue's reviewer with an email, as the API's
// extension handler does.
func (u *ui) resolveReviewer(ctx context.Context, db venuedb.DBTX, venueID int64, email string) (int64, error) {
	usr, ok, err := u.Accounts.ByEmail(ctx, db, email)
	if err != nil {
		return 0, err
	}
	notReviewer := problem.Invalid("no reviewer of this venue has the email "+email, problem.FieldError{Field: "reviewer", Message: "must be a reviewer of this venue"})
	if !ok {
		return 0, notReviewer
	}
	if err := u.Venues.Require(ctx, db, venueID, usr.ID, venue.RoleReviewer); err != nil {
		return 0, notReviewer
	}
	return usr.ID, nil
}
