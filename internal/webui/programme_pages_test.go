package webui_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app/apptest"
)

// programmeWorld is chairWorld with three more papers by Ada, decided:
// #1 and #3 accepted with a spotlight talk, #2 and #4 as posters, #5
// rejected. Nothing is released yet. It returns the ids by number.
func programmeWorld(t *testing.T) (*apptest.Server, map[int]int64) {
	t.Helper()
	s, two := chairWorld(t)
	ids := map[int]int64{1: two[0], 2: two[1]}
	s.Clock.Set(apptest.Epoch) // before the submission deadline
	ada := s.Login(t, "ada@uni.example")
	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	for n := 3; n <= 5; n++ {
		r := s.As(t, ada, "POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{
			"title": fmt.Sprintf("Programme paper %d", n), "abstract": "More about neural differential equations.",
			"authors":  []map[string]string{{"name": "Ada Author", "email": "ada@uni.example"}},
			"keywords": []string{"neural differential equations"}, "track": "new-work", "declaration": true,
		})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("creating #%d: %s", n, r.Body)
		}
		id := int64(r.Map(t)["id"].(float64))
		ids[int(r.Map(t)["number"].(float64))] = id
		// Only a complete paper can be accepted.
		if r := s.As(t, ada, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
			t.Fatalf("uploading #%d: %s", n, r.Body)
		}
	}
	s.Clock.Set(chairReviewingTime)
	chair := chairPrincipal(t, s)
	for n, cat := range map[int]string{1: "accept-spotlight", 3: "accept-spotlight", 2: "accept-poster", 4: "accept-poster", 5: "reject"} {
		if err := s.App.Services.Decisions.Decide(context.Background(), ids[n], chair, cat, "", "127.0.0.1"); err != nil {
			t.Fatalf("deciding #%d: %v", n, err)
		}
	}
	return s, ids
}

func chairPrincipal(t *testing.T, s *apptest.Server) account.Principal {
	t.Helper()
	u, ok, err := s.App.Services.Accounts.ByEmail(context.Background(), s.App.Pool, "chair@example.org")
	if err != nil || !ok {
		t.Fatalf("the chair: %v %v", ok, err)
	}
	return account.Principal{UserID: u.ID}
}

// publicBoards reads the public posters page: each session's papers by
// number, in board order, and their boards.
func publicBoards(t *testing.T, s *apptest.Server) map[string][]string {
	t.Helper()
	p := newBrowser(t, s).get("/venues/dlde-2023/posters")
	if p.status != http.StatusOK {
		t.Fatalf("posters: %d", p.status)
	}
	out := map[string][]string{}
	for _, sec := range strings.Split(p.body, "<section")[1:] {
		ses := regexp.MustCompile(`data-session="(\d)"`).FindStringSubmatch(sec)
		if ses == nil {
			continue
		}
		for _, m := range regexp.MustCompile(`<tr data-board="(\d+)"><td>\d+</td><td>#(\d+) `).FindAllStringSubmatch(sec, -1) {
			out[ses[1]] = append(out[ses[1]], m[2]+"@"+m[1])
		}
	}
	return out
}

// spotlights is the public schedule's spotlight slots that hold a paper.
func spotlights(t *testing.T, s *apptest.Server) string {
	t.Helper()
	var day struct {
		Items []struct {
			ID    string
			Paper *struct{ Number int }
		}
	}
	s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule", nil).JSON(t, &day)
	var got []string
	for _, it := range day.Items {
		if it.Paper != nil {
			got = append(got, fmt.Sprintf("%s:#%d", it.ID, it.Paper.Number))
		}
	}
	return strings.Join(got, " ")
}

// TestChairProgrammeWithoutScript: the chair's programme page lists the
// talks in order and each session's boards, every title opening the
// paper; its first button only saves; a talk moves earlier, a poster to
// the other session, a session's boards are numbered afresh, and a board
// given twice is refused by its field. The public pages follow once
// released.
func TestChairProgrammeWithoutScript(t *testing.T) {
	t.Parallel()
	s, ids := programmeWorld(t)
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	const path = "/venues/dlde-2023/chair/programme"
	p := b.get(path)
	if p.status != http.StatusOK {
		t.Fatalf("programme: %d %s", p.status, p.body)
	}
	mustContain(t, p, "not released yet", `aria-current="page">Programme`,
		fmt.Sprintf(`href="/venues/dlde-2023/chair/papers/%d">Neural ODEs with Learned Step Sizes`, ids[1]),
		fmt.Sprintf(`href="/venues/dlde-2023/chair/papers/%d">Programme paper 3`, ids[3]),
		`data-session="1"`, `data-session="2"`)
	if strings.Contains(p.body, "Programme paper 5") {
		t.Error("the rejected paper is in the programme")
	}
	// Enter in a field submits the form's first button: it only saves.
	_, form, _ := strings.Cut(p.body, "data-programme-form")
	first := regexp.MustCompile(`<button type="submit"[^>]*>`).FindString(form)
	if !strings.Contains(first, `name="save"`) {
		t.Errorf("the form's first button is %s; Enter would press it", first)
	}
	if i, j := strings.Index(form, `data-talk="1"`), strings.Index(form, `data-talk="3"`); i < 0 || j < i {
		t.Errorf("talks not in paper order (#1 at %d, #3 at %d)", i, j)
	}
	// Not public before the release.
	if got := publicBoards(t, s); len(got) != 0 {
		t.Fatalf("posters before the release: %v", got)
	}

	if _, err := s.App.Services.Decisions.Release(context.Background(), "dlde-2023", chairPrincipal(t, s), nil, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	boards := publicBoards(t, s)
	if len(boards["1"]) != 2 || len(boards["2"]) != 2 {
		t.Fatalf("public boards after the release: %v; want two posters in each session", boards)
	}
	if got := spotlights(t, s); got != "spotlight-1:#1 spotlight-2:#3" {
		t.Fatalf("public spotlight slots: %q", got)
	}

	// #3's talk one earlier.
	v := formValues(t, b.get(path).body, "data-programme-form")
	if r := b.post(path, with(v, "up", "3")); r.status != http.StatusSeeOther || !strings.Contains(r.location, "talk=3") {
		t.Fatalf("up: %d %s %s", r.status, r.location, r.body)
	}
	if got := spotlights(t, s); got != "spotlight-1:#3 spotlight-2:#1" {
		t.Fatalf("after moving #3 earlier: %q", got)
	}
	mustContain(t, b.get(path+"?talk=3"), "The talk of #3 moved")

	// The first poster of session 1 to session 2, at its end.
	page := b.get(path)
	_, s1, _ := strings.Cut(page.body, `data-session="1"`)
	mover := regexp.MustCompile(`data-poster="(\d+)"`).FindStringSubmatch(s1)[1]
	v = formValues(t, page.body, "data-programme-form")
	if r := b.post(path, with(v, "move", mover)); r.status != http.StatusSeeOther {
		t.Fatalf("move: %d %s", r.status, r.body)
	}
	boards = publicBoards(t, s)
	if len(boards["1"]) != 1 || len(boards["2"]) != 3 || boards["2"][2] != mover+"@3" {
		t.Fatalf("after moving #%s: %v; want it on board 3 of session 2", mover, boards)
	}

	// Boards typed 7 and 5, then the session numbered afresh in that order.
	page = b.get(path)
	v = formValues(t, page.body, "data-programme-form")
	var s2 []string
	for _, x := range boards["2"] {
		s2 = append(s2, strings.Split(x, "@")[0])
	}
	v.Set("board."+s2[0], "7")
	v.Set("board."+s2[1], "5")
	if r := b.post(path, with(v, "save", "1")); r.status != http.StatusSeeOther {
		t.Fatalf("typed boards: %d %s", r.status, r.body)
	}
	if got := publicBoards(t, s)["2"]; fmt.Sprint(got) != fmt.Sprintf("[%s@3 %s@5 %s@7]", s2[2], s2[1], s2[0]) {
		t.Fatalf("typed boards: %v", got)
	}
	v = formValues(t, b.get(path).body, "data-programme-form")
	if r := b.post(path, with(v, "renumber", "2")); r.status != http.StatusSeeOther {
		t.Fatalf("renumber: %d %s", r.status, r.body)
	}
	if got := publicBoards(t, s)["2"]; fmt.Sprint(got) != fmt.Sprintf("[%s@1 %s@2 %s@3]", s2[2], s2[1], s2[0]) {
		t.Fatalf("renumbered: %v", got)
	}

	// A board given twice: refused by its field, nothing changed.
	before := publicBoards(t, s)
	v = formValues(t, b.get(path).body, "data-programme-form")
	v.Set("board."+s2[0], "1")
	r := b.post(path, with(v, "save", "1"))
	if r.status != http.StatusBadRequest {
		t.Fatalf("a board twice: %d", r.status)
	}
	mustContain(t, r, "data-error-summary", fmt.Sprintf(`id="f-boards-%s"`, s2[0]), `aria-invalid="true"`, "Board 1 of poster session 2 is also #"+s2[2])
	if after := publicBoards(t, s); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("a refused form changed the boards: %v, was %v", after, before)
	}

	// Others cannot see or post it.
	if r := newBrowser(t, s).get(path); r.status != http.StatusSeeOther {
		t.Errorf("an anonymous reader got the programme page: %d", r.status)
	}
	rex := newBrowser(t, s)
	rex.signIn("rex@rev.example", apptest.Password)
	if r := rex.get(path); r.status != http.StatusForbidden {
		t.Errorf("a reviewer got the programme page: %d", r.status)
	}
}
