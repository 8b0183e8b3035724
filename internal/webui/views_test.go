package webui

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

func demoSettings(t *testing.T) *venue.Settings {
	t.Helper()
	set, err := venue.DemoVenue()
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func TestDeadlineRows(t *testing.T) {
	t.Parallel()
	set := demoSettings(t)
	// DLDE III: submission 2023-10-08 AoE = 2023-10-09 11:59:59 UTC, with
	// a hidden grace of 30 minutes that a page must never show.
	tests := []struct {
		name     string
		now      time.Time
		next     string
		nextLeft string
	}{
		{"a week before", time.Date(2023, 10, 1, 12, 0, 0, 0, time.UTC), "submission", "8 days left"},
		{"the last second", time.Date(2023, 10, 9, 11, 59, 59, 0, time.UTC), "submission", "1 second left"},
		{"right after, in the grace", time.Date(2023, 10, 9, 12, 0, 0, 0, time.UTC), "bidding", "3 days left"},
		{"before opening", time.Date(2023, 8, 1, 0, 0, 0, 0, time.UTC), "submission_opens", "31 days 12 hours left"},
		{"all over", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rows := deadlineRows(set, tt.now)
			keys := []string{}
			for _, r := range rows {
				keys = append(keys, r.Key)
			}
			if want := []string{"submission_opens", "submission", "bidding", "review", "decision", "camera_ready"}; !reflect.DeepEqual(keys, want) {
				t.Fatalf("keys %v, want %v", keys, want)
			}
			sub := rows[1]
			if sub.UTC != "2023-10-09 11:59:59 UTC" || sub.AoE != "2023-10-08 23:59:59 AoE" || sub.ISO != "2023-10-09T12:00:00Z" ||
				sub.AtISO != "2023-10-09T11:59:59Z" || sub.VenueZone != "America/Chicago" || !strings.HasPrefix(sub.Venue, "2023-10-09 06:59:59") {
				t.Errorf("submission row %+v", sub)
			}
			n := nextDeadline(rows)
			switch {
			case tt.next == "" && n != nil:
				t.Errorf("next = %s, want none", n.Key)
			case tt.next != "" && (n == nil || n.Key != tt.next || !strings.HasPrefix(n.Left, tt.nextLeft)):
				t.Errorf("next = %+v, want %s with %q", n, tt.next, tt.nextLeft)
			}
		})
	}
}

func TestReportView(t *testing.T) {
	t.Parallel()
	pages := func(kinds ...string) []pdfcheck.PageInfo {
		var out []pdfcheck.PageInfo
		for i, k := range kinds {
			out = append(out, pdfcheck.PageInfo{Number: i + 1, Kind: k, Size: "letter"})
		}
		return out
	}
	tests := []struct {
		name    string
		rep     pdfcheck.Report
		ok      bool
		overBy  int
		counted []bool
		over    []bool
		summary string
	}{
		{"over the limit", pdfcheck.Report{Verdict: "over_limit", BodyPages: 6, PageLimit: 4, TotalPages: 7,
			Pages:    pages("body", "body", "body", "body", "body", "body", "references"),
			Sections: []pdfcheck.SectionStart{{Kind: "references", Heading: "References", Page: 6, Y: 623.6, Excluded: true, Source: "layout"}}},
			false, 2, []bool{true, true, true, true, true, true, false}, []bool{false, false, false, false, true, true, false}, "2 pages too many"},
		{"within", pdfcheck.Report{Verdict: "ok", BodyPages: 4, PageLimit: 4, TotalPages: 5, Pages: pages("body", "body", "body", "body", "appendix")},
			true, 0, []bool{true, true, true, true, false}, []bool{false, false, false, false, false}, "within the limit of 4"},
		{"no limit", pdfcheck.Report{Verdict: "ok", BodyPages: 2, Pages: pages("body", "body")},
			true, 0, []bool{true, true}, []bool{false, false}, "no page limit"},
		{"undecided", pdfcheck.Report{Verdict: "undecided_accepted", BodyPages: 0, PageLimit: 4, TotalPages: 3, Pages: pages("unknown", "unknown", "unknown")},
			false, 0, []bool{false, false, false}, []bool{false, false, false}, "chairs will check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := newReportView(&tt.rep)
			if v.OK != tt.ok || v.OverBy != tt.overBy || !strings.Contains(v.Summary, tt.summary) {
				t.Errorf("ok %v overBy %d summary %q", v.OK, v.OverBy, v.Summary)
			}
			for i, p := range v.Pages {
				if p.Counted != tt.counted[i] || p.Over != tt.over[i] {
					t.Errorf("page %d: counted %v over %v", p.Number, p.Counted, p.Over)
				}
			}
			if len(tt.rep.Sections) > 0 {
				if got := v.Pages[5].Starts; len(got) != 1 || got[0] != "References starts 624 pt from the top" {
					t.Errorf("page 6 starts %q", got)
				}
			}
		})
	}
	if newReportView(nil) != nil {
		t.Error("no report must give no view")
	}
}

func TestRefusalOf(t *testing.T) {
	t.Parallel()
	rep := &pdfcheck.Report{Verdict: "over_limit", BodyPages: 6, PageLimit: 4}
	pe := problem.New(problem.ErrUnprocessable, "over_page_limit", unchangedPrefix+"over the page limit: 6 body pages, the limit is 4")
	pe.Extra = map[string]any{"report": rep}
	rv, ok := refusalOf(pe)
	if !ok || rv.Code != "over_page_limit" || rv.Detail != "Over the page limit: 6 body pages, the limit is 4." || rv.Report == nil || rv.Report.OverBy != 2 {
		t.Errorf("refusal %+v ok %v", rv, ok)
	}
	if _, ok := refusalOf(errors.New("disk full")); ok {
		t.Error("a server failure is not a refusal")
	}
	// The checker could not run: the server's fault, said in words, with
	// no refusal of the file.
	down := problem.New(problem.ErrUnavailable, "check_failed", "the PDF check could not run on this server, so your upload was not stored")
	down.Cause = errors.New("pdftohtml: not found")
	if _, ok := refusalOf(down); ok {
		t.Error("a checker that could not run is not a refusal of the file")
	}
	if st, _, detail := describe(down); st != http.StatusServiceUnavailable || !strings.Contains(detail, "not stored") || strings.Contains(detail, "pdftohtml") {
		t.Errorf("describe: %d %q", st, detail)
	}
	dl := &venue.DeadlineError{Action: venue.ActionSubmit, Deadline: time.Date(2023, 10, 9, 11, 59, 59, 0, time.UTC)}
	if rv, ok := refusalOf(dl); !ok || !strings.Contains(rv.Detail, "2023-10-08 23:59:59 AoE") {
		t.Errorf("deadline refusal %+v ok %v", rv, ok)
	}
}

func TestAuthorsFromForm(t *testing.T) {
	t.Parallel()
	names := []string{"Ada", "", " Bob ", "", "", ""}
	emails := []string{"ada@x.example", "", "bob", "", "", ""}
	affs := []string{"Uni", "", "", "", "", "Lab"}
	rows, authors, rowOf := authorsFromForm(names, emails, affs)
	if len(rows) != authorRowsNoJS || rows[5].Index != 5 || rows[2].Name != "Bob" {
		t.Errorf("rows %+v", rows)
	}
	if len(authors) != 3 || authors[1].Name != "Bob" || authors[2].Affiliation != "Lab" {
		t.Errorf("authors %+v", authors)
	}
	if !reflect.DeepEqual(rowOf, []int{0, 2, 5}) {
		t.Errorf("rowOf %v", rowOf)
	}
	rename := renameAuthorFields(rowOf)
	for in, want := range map[string]string{"authors[1].email": "authors[2].email", "authors[2].name": "authors[5].name", "authors": "authors", "title": "title"} {
		if got := rename(in); got != want {
			t.Errorf("rename(%q) = %q, want %q", in, got, want)
		}
	}
	// More rows than the form offers without script stay.
	many := make([]string, 9)
	if rows, _, _ := authorsFromForm(many, nil, nil); len(rows) != 9 {
		t.Errorf("%d rows, want 9", len(rows))
	}
}

func TestFormErrors(t *testing.T) {
	t.Parallel()
	err := problem.Invalid("bad", problem.FieldError{Field: "authors[1].email", Message: "must be an email address"},
		problem.FieldError{Field: "title", Message: "must not be empty"}, problem.FieldError{Field: "title", Message: "again"})
	fe := formErrorsOf(err, renameAuthorFields([]int{0, 3}))
	if fe.Get("authors[3].email") != "Must be an email address." || fe.Get("title") != "Must not be empty.; again" {
		t.Errorf("fields %v", fe.Fields)
	}
	if !reflect.DeepEqual(fe.Order, []string{"authors[3].email", "title"}) || !strings.Contains(fe.Summary, "2 problems") {
		t.Errorf("order %v summary %q", fe.Order, fe.Summary)
	}
	if got := string(fe.Attrs("authors[3].email")); got != `aria-invalid="true" aria-describedby="f-authors-3-email-error"` {
		t.Errorf("attrs %s", got)
	}
	var none *formErrors
	if none.Has("title") || none.Get("title") != "" || none.Attrs("title") != "" {
		t.Error("nil errors must be empty")
	}
	rl := problem.New(problem.ErrRateLimited, "rate_limited", "too many attempts; try again in 3 seconds")
	if fe := formErrorsOf(rl, nil); fe.Summary != "Too many attempts; try again in 3 seconds." || len(fe.Fields) != 0 {
		t.Errorf("rate limit %+v", fe)
	}
}

func TestSafeNext(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/submissions/3": "/submissions/3", "/venues/x?y=1": "/venues/x?y=1", "": "/", "https://evil.example/": "/",
		"//evil.example": "/", "/\\evil.example": "/", "/login?next=/x": "/", "/x\r\nSet-Cookie: a=b": "/", "javascript:alert(1)": "/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSplitKeywords(t *testing.T) {
	t.Parallel()
	got := splitKeywords("neural ODEs, diffusion models;flows\nsolvers,,")
	if want := []string{"neural ODEs", " diffusion models", "flows", "solvers"}; !reflect.DeepEqual(got, want) {
		t.Errorf("%q", got)
	}
}

func TestParagraphs(t *testing.T) {
	t.Parallel()
	got := paragraphs("The third DLDE\nworkshop, held  at NeurIPS.\n\n\nAccepted papers\r\nare posters.\n")
	if want := []string{"The third DLDE workshop, held at NeurIPS.", "Accepted papers are posters."}; !reflect.DeepEqual(got, want) {
		t.Errorf("%q", got)
	}
	if paragraphs("  \n ") != nil {
		t.Error("blank text has no paragraphs")
	}
}
