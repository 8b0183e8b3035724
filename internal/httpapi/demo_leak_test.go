package httpapi_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/demo"
)

// demoPaper is one demo submission as its chair sees it.
type demoPaper struct {
	ID       int64
	Number   int
	Identity []string // names, e-mails and affiliations of its authors
	Emails   []string
}

func demoPapers(t *testing.T, s *apptest.Server, chair string) []demoPaper {
	t.Helper()
	var subs []struct {
		ID      int64 `json:"id"`
		Number  int   `json:"number"`
		Authors []struct{ Name, Email, Affiliation string }
	}
	s.As(t, chair, "GET", "/api/v1/venues/dlde-2023/submissions", nil).JSON(t, &subs)
	if len(subs) != len(demo.Submissions) {
		t.Fatalf("%d demo submissions, want %d", len(subs), len(demo.Submissions))
	}
	out := make([]demoPaper, 0, len(subs))
	for _, x := range subs {
		p := demoPaper{ID: x.ID, Number: x.Number}
		for _, a := range x.Authors {
			p.Emails = append(p.Emails, a.Email)
			// The false positive a chair released cites its first author
			// by name, on purpose: what must not show is the rest.
			if demo.Submissions[len(out)].HoldRelease == "" {
				p.Identity = append(p.Identity, a.Name)
			}
			p.Identity = append(p.Identity, a.Email, a.Affiliation)
		}
		out = append(out, p)
	}
	return out
}

// sweepDemo fetches, as every demo reviewer, every file variant of every
// submission (the anonymised PDF, the original, the supplementary
// material, the submission itself) and returns each author string of that
// submission found in what the reviewer could read. It also returns how
// many PDFs were served, so a sweep that reaches nothing shows.
func sweepDemo(t *testing.T, s *apptest.Server, papers []demoPaper, tokens map[string]string) (found []string, served int) {
	t.Helper()
	for who, tok := range tokens {
		for _, p := range papers {
			if slices.Contains(p.Emails, who) {
				continue // a reviewer who co-wrote the paper is its author
			}
			for _, u := range []string{"/pdf?copy=anonymised", "/pdf?copy=original", "/pdf", "/supplementary", ""} {
				r := s.As(t, tok, "GET", fmt.Sprintf("/api/v1/submissions/%d%s", p.ID, u), nil)
				if r.StatusCode >= 500 {
					t.Errorf("%s GET #%d%s: %s", who, p.Number, u, r.Status)
				}
				if r.StatusCode == 200 && strings.HasPrefix(string(r.Body), "%PDF") {
					served++
				}
				text := readable(t, r)
				for _, id := range p.Identity {
					if id != "" && strings.Contains(text, id) {
						found = append(found, fmt.Sprintf("%s reads %q in #%d%s (%d)", who, id, p.Number, u, r.StatusCode))
					}
				}
			}
		}
	}
	return found, served
}

// TestDemoReviewersSeeNoAuthor is the anonymity promise on the demo: every
// reviewer, every file they can reach, no author's name, e-mail or
// affiliation. The demo shows the three ways a hold ends or stays: the
// author-block paper held, the preprint build fixed by a later upload, the
// self-citation released by a chair. Then, as the test of the sweep, a chair
// releases the author-block paper as it is, and the same sweep must find
// its authors in what its reviewers get.
func TestDemoReviewersSeeNoAuthor(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loading the demo runs 43 PDF checks")
	}
	s := apptest.Start(t, apptest.Options{Env: map[string]string{"QUIRE_DEMO": "true"}})
	checkDemoSchedule(t, s)
	chair := s.Session(t, demo.Chair.Email).Access
	papers := demoPapers(t, s, chair)
	tokens := map[string]string{}
	for _, r := range demo.Reviewers {
		tokens[r.Email] = s.Session(t, r.Email).Access
	}

	// The demo's holds.
	var held []struct {
		ID        int64 `json:"id"`
		Number    int   `json:"number"`
		Anonymity struct {
			Held     bool
			Findings []struct{ Code, Where, Text string }
		}
	}
	s.As(t, chair, "GET", "/api/v1/venues/dlde-2023/anonymity-holds", nil).JSON(t, &held)
	if len(held) != 1 || !held[0].Anonymity.Held || len(held[0].Anonymity.Findings) == 0 {
		t.Fatalf("the demo should hold exactly the author-block paper: %+v", held)
	}
	block := held[0]
	for i, ds := range demo.Submissions {
		var sub struct {
			Anonymity struct {
				Held    bool
				Waivers []struct{ By, Reason string }
			}
		}
		s.As(t, chair, "GET", fmt.Sprintf("/api/v1/submissions/%d", papers[i].ID), nil).JSON(t, &sub)
		switch {
		case ds.PDF.AuthorBlock:
			if papers[i].ID != block.ID {
				t.Errorf("#%d has the author block but is not the held one", papers[i].Number)
			}
		case ds.HoldRelease != "":
			if sub.Anonymity.Held || len(sub.Anonymity.Waivers) != 1 || sub.Anonymity.Waivers[0].Reason != ds.HoldRelease || sub.Anonymity.Waivers[0].By != demo.Chair.Name {
				t.Errorf("#%d: the false positive is not released by the chair with a reason: %+v", papers[i].Number, sub.Anonymity)
			}
		case ds.Fixed:
			var revs []struct{ Kind string }
			s.As(t, chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/revisions", papers[i].ID), nil).JSON(t, &revs)
			pdfs := 0
			for _, r := range revs {
				if r.Kind == "pdf" {
					pdfs++
				}
			}
			if sub.Anonymity.Held || pdfs != 2 {
				t.Errorf("#%d: the fixed paper is held=%v with %d uploads, want a second, clean one", papers[i].Number, sub.Anonymity.Held, pdfs)
			}
		}
	}

	found, served := sweepDemo(t, s, papers, tokens)
	for _, f := range found {
		t.Error(f)
	}
	if served < 40 {
		t.Fatalf("the reviewers were served only %d PDFs: the sweep is not reaching the papers", served)
	}

	// The test of the sweep: the author block served as it is.
	if r := s.As(t, chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/release", block.ID), map[string]string{"reason": "testing the sweep"}); r.StatusCode != 200 {
		t.Fatalf("release: %s", r.Body)
	}
	found, _ = sweepDemo(t, s, papers, tokens)
	if len(found) == 0 {
		t.Fatal("the sweep found nothing in a paper served with its author block")
	}
	for _, f := range found {
		if !strings.Contains(f, fmt.Sprintf("#%d/pdf?copy=anonymised", block.Number)) {
			t.Errorf("unexpected: %s", f)
		}
	}
}

// checkDemoSchedule: the demo's day, read as a calendar without signing in,
// is DLDE III's as it ran: 17 items at their CST start times, the keynotes
// with their speakers and titles.
func checkDemoSchedule(t *testing.T, s *apptest.Server) {
	t.Helper()
	events := parseICS(t, s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule?format=ics", nil))
	cst := time.FixedZone("CST", -6*3600)
	starts := []string{"08:15", "08:45", "09:30", "09:45", "10:00", "10:15", "11:00", "11:45", "12:00", "13:00", "13:45", "14:00", "14:15", "15:00", "15:15", "15:30", "16:30"}
	var got []string
	for _, ev := range events {
		got = append(got, ev[0].In(cst).Format("15:04"))
		if ev[0].In(cst).Format("2006-01-02") != "2023-12-16" {
			t.Errorf("an event on %v", ev[0])
		}
	}
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(starts, " ") {
		t.Errorf("demo schedule starts (CST): %v\nwant %v", got, starts)
	}
	cal := string(s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule?format=ics", nil).Body)
	unfolded := strings.ReplaceAll(cal, "\r\n ", "")
	for _, k := range []string{
		"SUMMARY:Philip M. Kim: Machine learning methods for protein\\, peptide and antibody design",
		"SUMMARY:Yulia Rubanova: Learning efficient and scalable simulation using graph networks",
		"SUMMARY:Michael Bronstein: Physics-inspired learning on graphs",
		"SUMMARY:Albert Gu: Structured State Space Models for Deep Sequence Modeling",
	} {
		if !strings.Contains(unfolded, k) {
			t.Errorf("the demo calendar lacks %q", k)
		}
	}
}
