package webui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

type chairOption struct {
	Value, Label string
	Selected     bool
}

// options lists choices with the one equal to cur selected; the first is
// "any" (the empty value).
func chairOptions(cur, anyLabel string, pairs ...[2]string) []chairOption {
	out := []chairOption{{Value: "", Label: anyLabel, Selected: cur == ""}}
	for _, p := range pairs {
		out = append(out, chairOption{Value: p[0], Label: p[1], Selected: cur == p[0]})
	}
	return out
}

type chairSubRow struct {
	ID               int64
	Number           int
	Title, Track     string
	Status           string
	StatusLabel      string
	Verdict          string
	BodyPages, Limit int
	Leaks            int
	Held             bool // held from its reviewers by the anonymity check
	Late             bool
	Waived           bool
	Authors          string
	// Format names the template rules the PDF breaks (report_format.go).
	Format string
}

type chairSubmissionsPage struct {
	Head                       chairHead
	Tracks, Statuses, Verdicts []chairOption
	LeakChoices                []chairOption
	Rows                       []chairSubRow
	CSV                        string
	Filtered                   bool
	Total                      int
}

// subFilter reads the filters of the submissions table from the query.
// Values the service does not know simply match nothing, as in the API.
func subFilter(q url.Values) submission.Filter {
	f := submission.Filter{Track: q.Get("track"), Status: q.Get("status"), Verdict: q.Get("verdict")}
	switch q.Get("leaks") {
	case "yes":
		f.Leaks = boolPtr(true)
	case "no":
		f.Leaks = boolPtr(false)
	}
	return f
}

func boolPtr(v bool) *bool { return &v }

func (u *ui) chairSubmissions(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "submissions")
	if err != nil {
		return err
	}
	q := c.QueryParams()
	f := subFilter(q)
	subs, err := u.Submissions.ListVenue(c.Request().Context(), rec.Slug, s.P, f)
	if err != nil {
		return err
	}
	set := rec.Settings
	var tracks [][2]string
	for _, t := range set.Tracks {
		tracks = append(tracks, [2]string{t.Key, t.Name})
	}
	p := chairSubmissionsPage{Head: head, Total: len(subs),
		Tracks:      chairOptions(f.Track, "Any track", tracks...),
		Statuses:    chairOptions(f.Status, "Any status", [2]string{"submitted", "Submitted"}, [2]string{"incomplete", "Incomplete"}, [2]string{"withdrawn", "Withdrawn"}),
		Verdicts:    chairOptions(f.Verdict, "Any page check", [2]string{"ok", verdictLabels["ok"]}, [2]string{"over_limit", verdictLabels["over_limit"]}, [2]string{"undecided_accepted", "Accepted, to be checked"}),
		LeakChoices: chairOptions(q.Get("leaks"), "With or without", [2]string{"yes", "With possible leaks"}, [2]string{"no", "Without leaks"}),
		Filtered:    f.Track != "" || f.Status != "" || f.Verdict != "" || f.Leaks != nil,
	}
	csvQ := url.Values{"format": {"csv"}}
	for _, k := range []string{"track", "status", "verdict"} {
		if v := q.Get(k); v != "" {
			csvQ.Set(k, v)
		}
	}
	if f.Leaks != nil {
		csvQ.Set("leaks", map[bool]string{true: "true", false: "false"}[*f.Leaks])
	}
	p.CSV = "/api/v1/venues/" + url.PathEscape(rec.Slug) + "/submissions?" + csvQ.Encode()
	for _, x := range subs {
		row := chairSubRow{Number: x.Number, Title: x.Title, Track: x.Track, Status: x.Status(), StatusLabel: statusLabels[x.Status()],
			BodyPages: x.BodyPages, Limit: set.Pages.Limit, Leaks: x.LeakCount, Late: x.Late, Held: x.Hold.Active(), ID: x.ID, Waived: x.Waiver != nil}
		if t, ok := set.Track(x.Track); ok {
			row.Track = t.Name
		}
		if x.PDF != nil {
			row.Verdict = verdictLabels[x.Verdict]
			row.Format = formatSummary(x.Report)
		}
		names := make([]string, 0, len(x.Authors))
		for _, a := range x.Authors {
			names = append(names, a.Name)
		}
		row.Authors = strings.Join(names, ", ")
		p.Rows = append(p.Rows, row)
	}
	return u.render(c, http.StatusOK, "chair_submissions", view{Title: "Submissions · " + rec.Name, S: s, Page: p})
}

type auditRow struct {
	At, Actor, Action, Subject, Detail, IP string
}

type auditPage struct {
	Head    chairHead
	Rows    []auditRow
	CSV     string
	Caption string
}

func (u *ui) chairAudit(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "audit")
	if err != nil {
		return err
	}
	entries, err := u.Decisions.Audit(c.Request().Context(), rec.Slug, s.P)
	if err != nil {
		return err
	}
	p := auditPage{Head: head, CSV: "/api/v1/venues/" + url.PathEscape(rec.Slug) + "/audit?format=csv"}
	for _, e := range entries {
		row := auditRow{At: venue.FormatUTC(e.At), Actor: e.Actor, Action: e.Action, Subject: e.Subject, IP: e.IP}
		if len(e.Detail) > 0 {
			if b, err := json.Marshal(e.Detail); err == nil {
				row.Detail = string(b)
			}
		}
		p.Rows = append(p.Rows, row)
	}
	p.Caption = strconv.Itoa(len(p.Rows)) + " entries"
	if len(p.Rows) == 1 {
		p.Caption = "1 entry"
	}
	return u.render(c, http.StatusOK, "chair_audit", view{Title: "Audit log · " + rec.Name, S: s, Page: p})
}
