package decision_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/schedule"
	"github.com/quirehq/quire/internal/venue"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// releaseWorld is the DLDE III venue with n submissions by one author, the
// odd ones about ODEs and the even ones about PDEs; it returns the server,
// the chair and the submission ids by number (ids[1] is #1).
func releaseWorld(t *testing.T, n int) (*apptest.Server, account.Principal, map[int]int64) {
	t.Helper()
	s := apptest.Start(t)
	s.CreateUser(t, "admin@example.org", "Admin", true)
	chair := s.CreateUser(t, "chair@example.org", "Chair", false)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	admin := s.Login(t, "admin@example.org")
	if r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": string(venue.DemoYAML()), "chairs": []string{"chair@example.org"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("creating the venue: %s", r.Body)
	}
	ada := s.Login(t, "ada@uni.example")
	ids := map[int]int64{}
	for i := 1; i <= n; i++ {
		kw := "neural ODEs"
		if i%2 == 0 {
			kw = "neural PDEs"
		}
		r := s.As(t, ada, "POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{
			"title": fmt.Sprintf("Paper number %d", i), "abstract": "About differential equations.", "keywords": []string{kw},
			"authors": []map[string]string{{"name": "Ada Author", "email": "ada@uni.example"}}, "track": "new-work", "declaration": true})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("creating #%d: %s", i, r.Body)
		}
		m := r.Map(t)
		id := int64(m["id"].(float64))
		// Only a complete submission (a PDF) can be accepted.
		if r := s.As(t, ada, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), testPDF(t), "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
			t.Fatalf("uploading #%d: %s", i, r.Body)
		}
		ids[int(m["number"].(float64))] = id
	}
	return s, account.Principal{UserID: chair}, ids
}

// testPDF is a PDF the venue's checks accept.
func testPDF(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decide(t *testing.T, s *apptest.Server, chair account.Principal, ids map[int]int64, category string, numbers ...int) {
	t.Helper()
	for _, n := range numbers {
		if err := s.App.Services.Decisions.Decide(context.Background(), ids[n], chair, category, "", "127.0.0.1"); err != nil {
			t.Fatalf("deciding #%d: %v", n, err)
		}
	}
}

// publicDay is the schedule as anyone reads it through the API.
func publicDay(t *testing.T, s *apptest.Server) schedule.Day {
	t.Helper()
	var d schedule.Day
	r := s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule", nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("schedule: %s", r.Body)
	}
	r.JSON(t, &d)
	return d
}

type place struct{ talk, session, board int }

// places is where the programme puts each paper, as a chair sees it.
func places(t *testing.T, s *apptest.Server) map[int]place {
	t.Helper()
	ctx := context.Background()
	rec, err := s.App.Services.Venues.BySlug(ctx, s.App.Pool, "dlde-2023")
	if err != nil {
		t.Fatal(err)
	}
	papers, err := s.App.Services.Decisions.Placed(ctx, rec)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]place{}
	for _, x := range papers {
		out[x.Number] = place{x.Spotlight, x.PosterSession, x.Board}
	}
	return out
}

func stored(t *testing.T, s *apptest.Server) int {
	t.Helper()
	var n int
	if err := s.App.Pool.QueryRow(context.Background(), "SELECT count(*) FROM programme").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReleaseFillsTheProgramme: decisions released at a scheduled instant
// fill the public day by themselves: the spotlight papers take the
// spotlight slots in order, every accepted paper a board in one of the two
// poster sessions. The places are kept once released; a chair's placement
// survives a later acceptance, which only adds a board and a talk.
func TestReleaseFillsTheProgramme(t *testing.T) {
	t.Parallel()
	s, chair, ids := releaseWorld(t, 9)
	ctx := context.Background()
	decide(t, s, chair, ids, "accept-spotlight", 5, 1, 3)
	decide(t, s, chair, ids, "accept-poster", 2, 4, 6, 7)
	decide(t, s, chair, ids, "reject", 8)

	// Scheduled, not yet come: nothing public.
	at := time.Date(2023, 10, 27, 12, 0, 0, 0, time.UTC)
	s.Clock.Set(at.Add(-time.Hour))
	if _, err := s.App.Services.Decisions.Release(ctx, "dlde-2023", chair, &at, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	for _, it := range publicDay(t, s).Items {
		if it.Paper != nil || len(it.Posters) > 0 {
			t.Fatalf("before the release %s shows %+v %+v", it.ID, it.Paper, it.Posters)
		}
	}

	// The instant comes: the day is filled, with no job having run for it.
	s.Clock.Set(at)
	day := publicDay(t, s)
	talks := map[string]int{}
	boards := map[int][]int{}
	for _, it := range day.Items {
		if it.Paper != nil {
			talks[it.ID] = it.Paper.Number
			if it.Paper.Title != fmt.Sprintf("Paper number %d", it.Paper.Number) {
				t.Errorf("%s is titled %q", it.ID, it.Paper.Title)
			}
		}
		for _, p := range it.Posters {
			boards[it.Session] = append(boards[it.Session], p.Board)
		}
	}
	if fmt.Sprint(talks) != "map[spotlight-1:1 spotlight-2:3 spotlight-3:5]" {
		t.Errorf("spotlight slots hold %v; want #1, #3, #5 in order", talks)
	}
	if fmt.Sprint(boards[1]) != "[1 2 3 4]" || fmt.Sprint(boards[2]) != "[1 2 3]" {
		t.Errorf("boards %v; want 4 posters in session 1 and 3 in session 2, numbered from 1", boards)
	}
	// The calendar too: a spotlight slot's event is the talk's.
	ics := string(s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule?format=ics", nil).Body)
	if !strings.Contains(strings.ReplaceAll(ics, "\r\n ", ""), "SUMMARY:Paper number 3") {
		t.Errorf("the calendar lacks the second talk:\n%s", ics)
	}
	// The release run keeps those places.
	if _, err := s.App.Services.Decisions.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	if n := stored(t, s); n != 7 {
		t.Fatalf("%d places stored after the release; want the 7 accepted papers", n)
	}
	released := places(t, s)

	// The chair's order: #5 first, #2 given a talk; #6 moved to the other
	// session on board 9.
	pl := decision.Placement{Spotlights: []int{5, 1, 2, 3}, Posters: map[int]int{}, Boards: map[int]int{6: 9}}
	for n, p := range released {
		pl.Posters[n] = p.session
	}
	pl.Posters[6] = 3 - released[6].session
	if err := s.App.Services.Decisions.SetProgramme(ctx, "dlde-2023", chair, pl, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	mine := places(t, s)

	// A paper accepted after all that: the chair's places stay, the new
	// paper takes the next talk and a board at the end of a session.
	decide(t, s, chair, ids, "accept-spotlight", 9)
	for _, check := range []string{"at once", "after the release run"} {
		got := places(t, s)
		for n, p := range mine {
			if got[n] != p {
				t.Errorf("%s: #%d moved from %+v to %+v", check, n, p, got[n])
			}
		}
		nine := got[9]
		last := 0
		for n, p := range got {
			if n != 9 && p.session == nine.session {
				last = max(last, p.board)
			}
		}
		if nine.talk != 5 || nine.board != last+1 {
			t.Errorf("%s: #9 is at %+v; want talk 5 and board %d", check, nine, last+1)
		}
		if _, err := s.App.Services.Decisions.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if n := stored(t, s); n != 8 {
		t.Errorf("%d places stored; want 8", n)
	}
	talks = map[string]int{}
	for _, it := range publicDay(t, s).Items {
		if it.Paper != nil {
			talks[it.ID] = it.Paper.Number
		}
		if it.ID == "posters-2" || it.ID == "posters-1" {
			for _, p := range it.Posters {
				if p.Number == 6 && (it.Session != mine[6].session || p.Board != 9) {
					t.Errorf("#6 is on board %d of %s; the chair put it on board 9 of session %d", p.Board, it.ID, mine[6].session)
				}
			}
		}
	}
	if fmt.Sprint(talks) != "map[spotlight-1:5 spotlight-2:1 spotlight-3:2 spotlight-4:3 spotlight-5:9]" {
		t.Errorf("spotlight slots hold %v", talks)
	}
}
