package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/api"
	"github.com/quirehq/quire/internal/app/apptest"
)

// leakWorld is a venue in the middle of reviewing, built through the API:
//
//	#1 by Ada Author, Bob Coauthor and Alice Müller (its PDF carries "Alice
//	   Müller" in its metadata); reviewed by Rex and Fay.
//	   Eve (an author of #2 and #3) reviews it too.
//	#2 by Eve Stranger; reviewed by Rex, Carol and Dan.
//	#3 by Eve Stranger; not assigned.
//
// Carol shares Ada's email domain and Cora (a second chair) shares Bob's:
// both are conflicted with #1.
type leakWorld struct {
	w      *world
	ids    []int64
	tokens map[string]string // by role name
	run    float64
	// hidden adds, by role, strings that role must not find anywhere
	// (a draft's text, a paper conflicted since its assignment).
	hidden map[string][]string
}

var (
	authorsOf = map[int][]string{
		1: {"Ada Author", "ada@uni.example", "University of Examples", "Bob Coauthor", "bob@lab.example", "Example Lab", "Alice Müller", "alice@uni.example", "Müller"},
		2: {"Eve Stranger", "eve@elsewhere.example"},
		3: {"Eve Stranger", "eve@elsewhere.example"},
	}
	reviewersOf = map[int][]string{
		1: {"Rex Reviewer", "rev@example.org", "Fay Faraway", "fay@away.example", "Eve Stranger", "eve@elsewhere.example"},
		2: {"Rex Reviewer", "rev@example.org", "Carol Colleague", "carol@uni.example", "Dan Distant", "dan@far.example"},
	}
	selfOf = map[string][]string{
		"ada": {"Ada Author", "ada@uni.example"}, "bob": {"Bob Coauthor", "bob@lab.example"}, "eve": {"Eve Stranger", "eve@elsewhere.example"},
		"rex": {"Rex Reviewer", "rev@example.org"}, "fay": {"Fay Faraway", "fay@away.example"}, "carol": {"Carol Colleague", "carol@uni.example"},
		"dan": {"Dan Distant", "dan@far.example"},
	}
)

// addAlice puts Alice Müller on the author list of Ada's paper id, the name
// the corpus's leaks.pdf and authorblock.pdf carry.
func (w *world) addAlice(t *testing.T, id int64) {
	t.Helper()
	p := paper()
	p["authors"] = append(p["authors"].([]map[string]string), map[string]string{"name": "Alice Müller", "email": "alice@uni.example", "affiliation": "University of Examples"})
	if r := w.s.As(t, w.author, "PATCH", fmt.Sprintf("/api/v1/submissions/%d", id), p); r.StatusCode != 200 {
		t.Fatalf("edit: %s", r.Body)
	}
}

func newLeakWorld(t *testing.T) *leakWorld {
	t.Helper()
	w, ids, tok := matchingWorld(t)
	w.addAlice(t, ids[0])
	if r := w.upload(t, ids[0], corpus(t, "leaks.pdf")); r.StatusCode != 200 {
		t.Fatalf("upload: %s", r.Body)
	}
	// Its PDF comment is signed by Alice, which holds the paper; the
	// reviewers' copy drops comments, so the chair releases it.
	if r := w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/anonymity-hold/release", ids[0]), map[string]string{"reason": "the comment is not in the reviewers' copy"}); r.StatusCode != 200 {
		t.Fatalf("release: %s", r.Body)
	}
	w.s.CreateUser(t, "cora@lab.example", "Cora Conflicted", false)
	w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": "cora@lab.example", "role": "chair"})
	link := apptest.LinkIn(t, w.s.WaitMail(t, "cora@lab.example", "nvit"), "/invitations/")
	if r := w.s.As(t, w.s.Login(t, "cora@lab.example"), "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != 200 {
		t.Fatalf("cora: %s", r.Body)
	}
	w.joinPool(t, [2]string{"eve@elsewhere.example", "Eve Stranger"})
	changes := []map[string]any{
		{"number": 1, "email": "rev@example.org", "assign": true}, {"number": 1, "email": "fay@away.example", "assign": true},
		{"number": 2, "email": "rev@example.org", "assign": true}, {"number": 2, "email": "carol@uni.example", "assign": true},
		{"number": 2, "email": "dan@far.example", "assign": true}, {"number": 1, "email": "eve@elsewhere.example", "assign": true},
	}
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": changes}); r.StatusCode != 204 {
		t.Fatalf("assign: %s", r.Body)
	}
	tok["ada@uni.example"] = ""
	tok["eve@elsewhere.example"] = ""
	tok["cora@lab.example"] = ""
	tok["chair@example.org"] = ""
	tok["other.chair@example.org"] = ""
	w.jump(t, reviewingTime, tok)
	lw := &leakWorld{w: w, ids: ids, tokens: map[string]string{
		"anonymous": "", "ada": tok["ada@uni.example"], "bob": tok["bob@lab.example"], "eve": tok["eve@elsewhere.example"],
		"rex": tok["rev@example.org"], "fay": tok["fay@away.example"], "carol": tok["carol@uni.example"], "dan": tok["dan@far.example"],
		"chair": tok["chair@example.org"], "cora": tok["cora@lab.example"], "other": tok["other.chair@example.org"],
	}}
	for _, rv := range []struct {
		who string
		id  int64
	}{{"rex", ids[0]}, {"fay", ids[0]}, {"eve", ids[0]}, {"rex", ids[1]}, {"carol", ids[1]}} {
		if r := w.s.As(t, lw.tokens[rv.who], "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", rv.id), map[string]any{"fields": goodReview(3), "submit": true}); r.StatusCode != 200 {
			t.Fatalf("%s reviews %d: %s", rv.who, rv.id, r.Body)
		}
	}
	w.s.As(t, lw.tokens["fay"], "POST", fmt.Sprintf("/api/v1/submissions/%d/comments", ids[0]), map[string]string{"kind": "discussion", "body": "Agree with Reviewer 1."})
	w.s.As(t, lw.tokens["chair"], "POST", fmt.Sprintf("/api/v1/submissions/%d/comments", ids[0]), map[string]string{"kind": "chair_note", "body": "Watch this one."})
	// A randomized run (q = 1: every pair of the optimum has probability 1),
	// whose probabilities name who may review what.
	lw.run = w.s.As(t, lw.tokens["chair"], "POST", "/api/v1/venues/dlde-2023/assignment-runs", map[string]any{"mode": "randomized", "max_probability": 1}).Map(t)["id"].(float64)
	waitRun(t, w, lw.run)
	return lw
}

// forbidden is what a role must not find in a response: authors' identities
// of papers it does not author (unless it is a chair free of conflict),
// reviewers' identities (other than its own) unless it is such a chair.
func forbidden(role string) []string {
	var out []string
	add := func(ss []string) { out = append(out, ss...) }
	switch role {
	case "chair":
		return nil
	case "cora": // conflicted with #1: nothing of it, not even who reviews it
		add(authorsOf[1])
		add([]string{"Fay Faraway", "fay@away.example"}) // reviews #1 only
	case "ada", "bob":
		add(authorsOf[2])
		add(reviewersOf[1])
		add(reviewersOf[2])
	case "eve": // author of #2 and #3, reviewer of #1
		add(authorsOf[1])
		add(reviewersOf[1])
		add(reviewersOf[2])
	default:
		add(authorsOf[1])
		add(authorsOf[2])
		add(reviewersOf[1])
		add(reviewersOf[2])
	}
	self := map[string]bool{}
	for _, s := range selfOf[role] {
		self[s] = true
	}
	if role == "ada" || role == "bob" { // co-authors of #1 know each other (Ada also reviews #2)
		for _, s := range authorsOf[1] {
			self[s] = true
		}
	}
	var kept []string
	for _, s := range out {
		if !self[s] {
			kept = append(kept, s)
		}
	}
	return kept
}

// poolMember reports whether s names someone in the reviewer pool: the pool,
// the invitations and the assignment summaries list them by design,
// without saying who reviews what.
func poolMember(s string) bool {
	for _, who := range []string{"rex", "fay", "carol", "dan", "eve", "bob"} {
		for _, x := range selfOf[who] {
			if x == s {
				return true
			}
		}
	}
	return false
}

var poolLists = regexp.MustCompile(`(?s)<select[^>]*\bdata-pool\b[^>]*>.*?</select>`)

var poolLike = []string{"/venues/dlde-2023/reviewers", "/venues/dlde-2023/invitations", "/venues/dlde-2023/assignment-runs/", "/venues/dlde-2023/audit",
	"/chair/assignment/runs/", "/chair/reviewers", "/chair/audit"}

// getURLs lists every GET operation of the contract with its parameters
// filled in from the world, plus the variants a query string makes.
func (lw *leakWorld) getURLs(t *testing.T) []string {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for path, item := range doc.Paths.Map() {
		if item.Get == nil {
			continue
		}
		for _, id := range lw.ids {
			u := strings.NewReplacer("{venue}", "dlde-2023", "{id}", fmt.Sprint(id), "{token}", strings.Repeat("x", 43), "{run}", fmt.Sprint(lw.run), "{number}", "1").Replace(path)
			urls = append(urls, "/api/v1"+u)
			if strings.HasSuffix(u, "/pdf") {
				urls = append(urls, "/api/v1"+u+"?copy=anonymised")
			}
			if !strings.Contains(path, "{id}") {
				break
			}
		}
	}
	urls = append(urls, "/api/v1/venues/dlde-2023/submissions?format=csv")
	sort.Strings(urls)
	return urls
}

// body returns what a person could read in a response: the text, and for a
// PDF also what pdftotext and pdfinfo show (names in PDFs are often
// compressed or UTF-16, invisible to a byte search).
func readable(t *testing.T, r *apptest.Response) string {
	t.Helper()
	if !bytes.HasPrefix(r.Body, []byte("%PDF")) {
		return string(r.Body)
	}
	f := filepath.Join(t.TempDir(), "got.pdf")
	if err := os.WriteFile(f, r.Body, 0o600); err != nil {
		t.Fatal(err)
	}
	text, _ := exec.Command("pdftotext", f, "-").Output()
	info, _ := exec.Command("pdfinfo", "-enc", "UTF-8", f).Output()
	meta, _ := exec.Command("pdfinfo", "-meta", f).Output()
	return string(r.Body) + "\n" + string(text) + "\n" + string(info) + "\n" + string(meta)
}

// sweep calls every URL as every role and returns each forbidden string
// found, with where.
func (lw *leakWorld) sweep(t *testing.T, urls []string) []string {
	t.Helper()
	var found []string
	calls := 0
	for role, tok := range lw.tokens {
		bad := append(forbidden(role), lw.hidden[role]...)
		for _, u := range urls {
			var r *apptest.Response
			switch {
			case tok == "":
				r = lw.w.s.Do(t, "GET", u, nil)
			case !strings.HasPrefix(u, "/api/"):
				// A page: signed in as a browser is, with the access cookie.
				r = lw.w.s.Do(t, "GET", u, nil, "Cookie", "quire_access="+tok)
			default:
				r = lw.w.s.As(t, tok, "GET", u, nil)
			}
			calls++
			if r.StatusCode >= 500 {
				t.Errorf("%s GET %s: %s %s", role, u, r.Status, r.Body)
			}
			// A list of the whole pool, marked data-pool, names reviewers as
			// the pool page does, without saying who reviews what.
			text := poolLists.ReplaceAllString(readable(t, r), "")
			pool := false
			for _, p := range poolLike {
				pool = pool || strings.Contains(u, p)
			}
			for _, s := range bad {
				if pool && poolMember(s) {
					continue
				}
				if strings.Contains(text, s) {
					found = append(found, fmt.Sprintf("%s sees %q in GET %s (%d)", role, s, u, r.StatusCode))
				}
			}
		}
	}
	t.Logf("%d calls: %d URLs x %d roles", calls, len(urls), len(lw.tokens))
	return found
}

// TestNothingLeaksToAnyRole is the double-blind promise at the HTTP level:
// every GET endpoint of the contract, as every role, mid-review.
func TestNothingLeaksToAnyRole(t *testing.T) {
	t.Parallel()
	lw := newLeakWorld(t)
	urls := lw.getURLs(t)
	if len(urls) < 30 {
		t.Fatalf("only %d URLs: the sweep is not covering the contract", len(urls))
	}
	// Sanity: the things that must stay hidden are really there to find.
	orig := lw.w.s.As(t, lw.tokens["chair"], "GET", fmt.Sprintf("/api/v1/submissions/%d/pdf", lw.ids[0]), nil)
	if !strings.Contains(readable(t, orig), "Müller") {
		t.Fatal("the original PDF has no author metadata: the anonymisation check below would prove nothing")
	}
	anon := lw.w.s.As(t, lw.tokens["rex"], "GET", fmt.Sprintf("/api/v1/submissions/%d/pdf?copy=anonymised", lw.ids[0]), nil)
	if anon.StatusCode != http.StatusOK {
		t.Fatalf("an assigned reviewer cannot download the anonymised PDF: %s", anon.Status)
	}
	for _, f := range lw.sweep(t, urls) {
		t.Error(f)
	}
}

// TestLeakSweepCatchesAnExposure is the test of the test: an endpoint that
// shows the authors to anyone is caught by the same sweep.
func TestLeakSweepCatchesAnExposure(t *testing.T) {
	t.Parallel()
	lw := newLeakWorld(t)
	s := lw.w.s
	s.App.Echo.GET("/api/v1/leaky/:id", func(c echo.Context) error {
		return c.JSON(200, map[string]any{"authors": authorsOf[1]})
	})
	found := lw.sweep(t, []string{"/api/v1/leaky/1", fmt.Sprintf("/api/v1/submissions/%d", lw.ids[0])})
	byRole := map[string]bool{}
	for _, f := range found {
		byRole[strings.Fields(f)[0]] = true
	}
	for _, role := range []string{"rex", "fay", "carol", "dan", "eve", "anonymous", "cora", "other"} {
		if !byRole[role] {
			t.Errorf("the sweep missed the exposure to %s: %v", role, found)
		}
	}
	if byRole["chair"] || byRole["ada"] || byRole["bob"] {
		t.Errorf("the sweep flags roles that may see the authors: %v", found)
	}
}

// lateConflictTitle is #1's title once Fay is conflicted with it.
const lateConflictTitle = "Stiff Solvers for Late Conflicts"

// draftMarker is the text of Dan's draft of #2: his alone.
const draftMarker = "Dan's unsubmitted thoughts 7c1e"

// addDraftAndLateConflict puts into the leak world a draft Dan saved and
// did not submit (on #2), and a conflict a chair declared between Fay and
// #1 after Fay was assigned to it and submitted her review; the sweep then
// looks for the draft everywhere but Dan's and for #1 everywhere Fay looks.
func (lw *leakWorld) addDraftAndLateConflict(t *testing.T) {
	t.Helper()
	s := lw.w.s
	// #1 gets a title of its own (every paper of the world shares one), so
	// that the sweep can tell it apart; set in the database, after the
	// submission deadline.
	if _, err := s.App.Pool.Exec(context.Background(), "UPDATE submissions SET title = $2 WHERE id = $1", lw.ids[0], lateConflictTitle); err != nil {
		t.Fatal(err)
	}
	draft := goodReview(2)
	draft["summary"] = draftMarker
	if r := s.As(t, lw.tokens["dan"], "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", lw.ids[1]), map[string]any{"fields": draft, "submit": false}); r.StatusCode != 200 {
		t.Fatalf("dan's draft: %s", r.Body)
	}
	// Dan sees his own draft (a sanity check: the sweep must have something to miss).
	if r := s.As(t, lw.tokens["dan"], "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", lw.ids[1]), nil); !strings.Contains(string(r.Body), draftMarker) {
		t.Fatalf("dan does not see his own draft: %s", r.Body)
	}
	if r := s.As(t, lw.tokens["chair"], "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 1, "reviewer": "fay@away.example", "note": "thesis advisor"}); r.StatusCode != 204 {
		t.Fatalf("late conflict: %s", r.Body)
	}
	lw.hidden = map[string][]string{}
	for role := range lw.tokens {
		if role != "dan" {
			lw.hidden[role] = append(lw.hidden[role], draftMarker)
		}
	}
	lw.hidden["fay"] = append(lw.hidden["fay"], lateConflictTitle, "Agree with Reviewer 1.")
}

// TestDraftsAndLateConflictsLeakToNoOne is the sweep over every GET of the
// contract and every page, after a reviewer saved a draft and a chair
// declared a conflict with a paper already assigned and reviewed.
func TestDraftsAndLateConflictsLeakToNoOne(t *testing.T) {
	t.Parallel()
	lw := newLeakWorld(t)
	lw.addDraftAndLateConflict(t)
	urls := append(lw.getURLs(t), lw.pageURLs()...)
	urls = append(urls, "/venues/dlde-2023/review?tab=all")
	for _, f := range lw.sweep(t, urls) {
		t.Error(f)
	}
}

// TestReviewHistoryHoldsNoDraft: the chairs' review history has every
// submitted version and no draft, not even a mention that one exists.
func TestReviewHistoryHoldsNoDraft(t *testing.T) {
	t.Parallel()
	lw := newLeakWorld(t)
	lw.addDraftAndLateConflict(t)
	s := lw.w.s
	var hist []map[string]any
	r := s.As(t, lw.tokens["chair"], "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews/history", lw.ids[1]), nil)
	if r.StatusCode != 200 {
		t.Fatalf("history: %s", r.Body)
	}
	r.JSON(t, &hist)
	if len(hist) != 2 {
		t.Errorf("history has %d versions, want the 2 submitted reviews of #2: %s", len(hist), r.Body)
	}
	for _, h := range hist {
		if h["status"] != "submitted" {
			t.Errorf("the chairs' history holds a %v version: %v", h["status"], h)
		}
	}
	if strings.Contains(string(r.Body), draftMarker) {
		t.Errorf("the chairs read Dan's draft: %s", r.Body)
	}
}

// TestLateConflictRemovesThePaperAndFlagsTheAssignment: once a chair
// declares a conflict with a paper already assigned, the reviewer's lists
// no longer have it, the assignment counts for nothing, and the chairs see
// it flagged in the CSV and the progress view, to replace it.
func TestLateConflictRemovesThePaperAndFlagsTheAssignment(t *testing.T) {
	t.Parallel()
	lw := newLeakWorld(t)
	s := lw.w.s
	var before []map[string]any
	s.As(t, lw.tokens["fay"], "GET", "/api/v1/venues/dlde-2023/my-assignments", nil).JSON(t, &before)
	if len(before) != 1 {
		t.Fatalf("fay has %d assignments before the conflict, want 1", len(before))
	}
	lw.addDraftAndLateConflict(t)

	var mine []map[string]any
	r := s.As(t, lw.tokens["fay"], "GET", "/api/v1/venues/dlde-2023/my-assignments", nil)
	r.JSON(t, &mine)
	if len(mine) != 0 || strings.Contains(string(r.Body), lateConflictTitle) {
		t.Errorf("fay's assignments still list the conflicted paper: %s", r.Body)
	}
	for _, u := range []string{"/venues/dlde-2023/review", "/"} {
		page := s.Do(t, "GET", u, nil, "Cookie", "quire_access="+lw.tokens["fay"])
		if strings.Contains(string(page.Body), lateConflictTitle) || strings.Contains(string(page.Body), fmt.Sprintf("/review/%d", lw.ids[0])) {
			t.Errorf("fay's page %s still shows the conflicted paper", u)
		}
	}
	expectProblem(t, s.As(t, lw.tokens["fay"], "GET", fmt.Sprintf("/api/v1/submissions/%d/pdf?copy=anonymised", lw.ids[0]), nil), 404, "submission_not_found")

	csv := string(s.As(t, lw.tokens["chair"], "GET", "/api/v1/venues/dlde-2023/assignments", nil).Body)
	if !strings.Contains(csv, "conflicted") {
		t.Fatalf("the assignment CSV has no conflicted column:\n%s", csv)
	}
	for _, line := range strings.Split(csv, "\n") {
		switch {
		case strings.HasPrefix(line, "1,") && strings.Contains(line, "fay@away.example"):
			if !strings.HasSuffix(strings.TrimSpace(line), ",true") {
				t.Errorf("fay's assignment to #1 is not flagged: %q", line)
			}
		case strings.HasPrefix(line, "1,") || strings.HasPrefix(line, "2,"):
			if !strings.HasSuffix(strings.TrimSpace(line), ",false") {
				t.Errorf("an assignment without conflict is flagged: %q", line)
			}
		}
	}
	if !strings.Contains(csv, "fay@away.example") {
		t.Errorf("the conflicted assignment left the CSV: a chair must see it happened")
	}

	page := string(s.Do(t, "GET", "/venues/dlde-2023/chair/progress", nil, "Cookie", "quire_access="+lw.tokens["chair"]).Body)
	if !strings.Contains(page, "data-conflicted-summary") || !strings.Contains(page, "Replace Fay Faraway") {
		t.Errorf("the chairs' progress view does not flag the assignment to replace")
	}
}
