package webui_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
)

// TestReviewerOfTwoVenuesSeesTheirTasksInOrder: a reviewer who serves two
// venues signs in and finds one list of what is due, across both, the
// nearest deadline first, each stated as its venue states it.
func TestReviewerOfTwoVenuesSeesTheirTasksInOrder(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	admin := s.Login(t, "admin@example.org")
	// A second workshop whose bidding ends a day earlier than DLDE III's.
	ws := strings.Replace(string(venue.DemoYAML()), "slug: dlde-2023", "slug: ws-2023", 1)
	ws = strings.Replace(ws, "name: The Symbiosis of Deep Learning and Differential Equations (DLDE III)", "name: A Second Workshop", 1)
	ws = strings.Replace(ws, "bidding: 2023-10-11 AoE", "bidding: 2023-10-10 AoE", 1)
	if r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": ws, "chairs": []string{"chair@example.org"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("second venue: %s", r.Body)
	}
	s.CreateUser(t, "rex@rev.example", "Rex Reviewer", false)
	chair := s.Login(t, "chair@example.org")
	rex := s.Login(t, "rex@rev.example")
	for slug, name := range map[string]string{"dlde-2023": "DLDE III", "ws-2023": "A Second Workshop"} {
		if r := s.As(t, chair, "POST", "/api/v1/venues/"+slug+"/invitations", map[string]any{"email": "rex@rev.example", "role": "reviewer"}); r.StatusCode >= 300 {
			t.Fatalf("inviting to %s: %s", slug, r.Body)
		}
		link := apptest.LinkIn(t, s.WaitMail(t, "rex@rev.example", name), "/invitations/")
		if r := s.As(t, rex, "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != http.StatusOK {
			t.Fatalf("accepting %s: %s", slug, r.Body)
		}
	}
	s.Clock.Set(time.Date(2023, 10, 10, 12, 0, 0, 0, time.UTC)) // both venues bidding

	tb := newTab(t, s)
	tb.rvSignIn("rex@rev.example", "/")
	tb.see(`[data-tasks] li:nth-child(1)`, "Bid on the papers", "A Second Workshop", "10 October 2023, Anywhere on Earth", "2023-10-11 11:59:59 UTC")
	tb.see(`[data-tasks] li:nth-child(2)`, "Bid on the papers", "DLDE III", "11 October 2023, Anywhere on Earth")
	// The reader's own time beside it (the tab is in Tokyo: UTC+9).
	tb.see(`[data-tasks] li:nth-child(1) time[data-local]`, "Oct 11, 2023, 8:59:59 PM GMT+9")
	tb.checkAccessibility("a reviewer's home across venues")
}

// TestChairsSeeReviewersLoadElsewhereAsANumber: a reviewer assigned a paper
// in another venue shows, on this venue's pool page, as one paper
// elsewhere, without a word of which venue.
func TestChairsSeeReviewersLoadElsewhereAsANumber(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	admin := s.Login(t, "admin@example.org")
	ws := strings.Replace(string(venue.DemoYAML()), "slug: dlde-2023", "slug: ws-2023", 1)
	ws = strings.Replace(ws, "name: The Symbiosis of Deep Learning and Differential Equations (DLDE III)", "name: A Second Workshop", 1)
	s.CreateUser(t, "other.chair@example.org", "Other Chair", false)
	if r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": ws, "chairs": []string{"other.chair@example.org"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("second venue: %s", r.Body)
	}
	s.CreateUser(t, "rex@rev.example", "Rex Reviewer", false)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	rex, ada := s.Login(t, "rex@rev.example"), s.Login(t, "ada@uni.example")
	for slug, chair := range map[string]string{"dlde-2023": "chair@example.org", "ws-2023": "other.chair@example.org"} {
		if r := s.As(t, s.Login(t, chair), "POST", "/api/v1/venues/"+slug+"/invitations", map[string]any{"email": "rex@rev.example", "role": "reviewer"}); r.StatusCode >= 300 {
			t.Fatalf("inviting to %s: %s", slug, r.Body)
		}
	}
	for _, name := range []string{"DLDE III", "A Second Workshop"} {
		link := apptest.LinkIn(t, s.WaitMail(t, "rex@rev.example", name), "/invitations/")
		if r := s.As(t, rex, "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != http.StatusOK {
			t.Fatalf("accepting: %s", r.Body)
		}
	}
	r := s.As(t, ada, "POST", "/api/v1/venues/ws-2023/submissions", map[string]any{"title": "Elsewhere", "abstract": "A paper in the other venue.",
		"track": "new-work", "declaration": true, "authors": []map[string]string{{"name": "Ada Author", "email": "ada@uni.example"}}})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("submission: %s", r.Body)
	}
	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	id := int64(r.Map(t)["id"].(float64))
	if r := s.As(t, ada, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
		t.Fatalf("upload: %s", r.Body)
	}
	if r := s.As(t, s.Login(t, "other.chair@example.org"), "POST", "/api/v1/venues/ws-2023/assignments",
		map[string]any{"changes": []map[string]any{{"number": 1, "email": "rex@rev.example", "assign": true}}}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("assigning: %s", r.Body)
	}
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	p := b.get("/venues/dlde-2023/chair/reviewers")
	row := p.body[strings.Index(p.body, "Rex Reviewer"):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, "<td data-elsewhere>1</td>") {
		t.Fatalf("Rex's row: %s", row)
	}
	if strings.Contains(p.body, "Second Workshop") || strings.Contains(p.body, "ws-2023") {
		t.Fatal("the pool page names the other venue")
	}
}
