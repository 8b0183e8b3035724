package webui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

var (
	rvBiddingAt   = time.Date(2023, 10, 10, 12, 0, 0, 0, time.UTC)
	rvReviewingAt = time.Date(2023, 10, 14, 12, 0, 0, 0, time.UTC)
)

const (
	rexEmail = "rex@reviewers.example"
	fayEmail = "fay@reviewers.example"
)

// rvWorld is startUI with two papers in review by Ada (#1 and #2) and
// two reviewers, Rex and Fay, in the pool; the clock stands before the
// submission deadline.
type rvWorld struct {
	s   *apptest.Server
	ids []int64
}

func newRvWorld(t *testing.T) *rvWorld {
	t.Helper()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	ada := s.Login(t, "ada@uni.example")
	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	w := &rvWorld{s: s}
	for i, title := range []string{"Neural ODEs with Learned Step Sizes", "Fourier Operators for Shallow Water"} {
		r := s.As(t, ada, "POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{"title": title,
			"abstract": fmt.Sprintf("Abstract number %d about differential equations.", i+1),
			"authors":  []map[string]string{{"name": "Ada Author", "email": "ada@uni.example", "affiliation": "University of Examples"}},
			"keywords": []string{"neural operators"}, "track": "new-work", "declaration": true})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("create: %s", r.Body)
		}
		id := int64(r.Map(t)["id"].(float64))
		if r := s.As(t, ada, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
			t.Fatalf("upload: %s", r.Body)
		}
		w.ids = append(w.ids, id)
	}
	ctx := context.Background()
	rec, err := s.App.Services.Venues.BySlug(ctx, s.App.Pool, "dlde-2023")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range [][2]string{{rexEmail, "Rex Reviewer"}, {fayEmail, "Fay Faraway"}} {
		id := s.CreateUser(t, p[0], p[1], false)
		if err := s.App.Services.Venues.Grant(ctx, s.App.Pool, rec.ID, id, "reviewer", nil); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// assign gives both reviewers paper #1 and Rex paper #2 too.
func (w *rvWorld) assign(t *testing.T) {
	t.Helper()
	changes := []map[string]any{{"number": 1, "email": rexEmail, "assign": true}, {"number": 1, "email": fayEmail, "assign": true},
		{"number": 2, "email": rexEmail, "assign": true}}
	if r := w.s.As(t, w.s.Login(t, "chair@example.org"), "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": changes}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("assign: %s", r.Body)
	}
}

func rvFullReview(overall int) url.Values {
	return url.Values{"overall": {strconv.Itoa(overall)}, "confidence": {"4"}, "summary": {"A neat idea."}, "strengths": {"Clear."},
		"weaknesses": {"Small experiments."}, "confidential": {"Possibly a resubmission."}}
}

func (b *browser) rvPostJSON(path string, form url.Values) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return b.do(req)
}

func rvWith(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func TestReviewerPagesNeedAReviewer(t *testing.T) {
	t.Parallel()
	w := newRvWorld(t)
	b := newBrowser(t, w.s)
	for _, path := range []string{"/venues/dlde-2023/review", "/venues/dlde-2023/bids", "/venues/dlde-2023/conflicts",
		fmt.Sprintf("/venues/dlde-2023/review/%d", w.ids[0])} {
		if p := b.get(path); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login?next=") {
			t.Errorf("signed out, GET %s: %d %q", path, p.status, p.location)
		}
	}
	// An author is no reviewer: the pages say so, and show nothing.
	b.signIn("ada@uni.example", apptest.Password)
	for _, path := range []string{"/venues/dlde-2023/review", "/venues/dlde-2023/bids", "/venues/dlde-2023/conflicts"} {
		p := b.get(path)
		if p.status != http.StatusForbidden || strings.Contains(p.body, "Fourier Operators") {
			t.Errorf("author, GET %s: %d", path, p.status)
		}
	}
	if p := b.get(fmt.Sprintf("/venues/dlde-2023/review/%d", w.ids[0])); p.status != http.StatusForbidden && p.status != http.StatusNotFound {
		t.Errorf("author, the review page: %d", p.status)
	}
	// A form without its CSRF field is refused.
	rex := newBrowser(t, w.s)
	rex.signIn(rexEmail, apptest.Password)
	if p := rex.post(fmt.Sprintf("/venues/dlde-2023/bids/%d", w.ids[0]), url.Values{"bid": {"eager"}}); p.status != http.StatusForbidden {
		t.Errorf("a bid without CSRF: %d", p.status)
	}
}

func TestBiddingAndConflictsWithoutScript(t *testing.T) {
	t.Parallel()
	w := newRvWorld(t)
	b := newBrowser(t, w.s)
	b.signIn(rexEmail, apptest.Password)
	bid := func(id int64, value string) page {
		return b.post(fmt.Sprintf("/venues/dlde-2023/bids/%d", id), url.Values{"csrf": {b.csrf()}, "bid": {value}, "sort": {"number"}})
	}

	// Before bidding opens: the list is there, the bid is refused with its reason.
	p := b.get("/venues/dlde-2023/bids")
	mustContain(t, p, "Neural ODEs with Learned Step Sizes", "Fourier Operators for Shallow Water", "Bidding is closed", "Bidding is not open yet")
	if strings.Contains(p.body, "Ada Author") || strings.Contains(p.body, "ada@uni.example") {
		t.Error("the bidding list names an author")
	}
	if p := bid(w.ids[1], "eager"); p.status != http.StatusForbidden {
		t.Errorf("an early bid: %d", p.status)
	} else {
		mustContain(t, p, "Your bid was not saved.", "not open yet")
	}

	w.s.Clock.Set(rvBiddingAt)
	b.signIn(rexEmail, apptest.Password)
	p = bid(w.ids[1], "eager")
	want := fmt.Sprintf("/venues/dlde-2023/bids?saved=%d&sort=number#s-%d", w.ids[1], w.ids[1])
	if p.status != http.StatusSeeOther || p.location != want {
		t.Fatalf("a bid: %d %q, want %q", p.status, p.location, want)
	}
	p = b.get(strings.TrimSuffix(want, fmt.Sprintf("#s-%d", w.ids[1])))
	mustContain(t, p, "Your bid on #2 is saved: Eager.", `<option value="eager" selected>Eager</option>`, "Bidding ends 2023-10-11 23:59:59 AoE")
	// By number, #1 comes first; the page script's request gets JSON.
	if i, j := strings.Index(p.body, "#1: Neural"), strings.Index(p.body, "#2: Fourier"); i < 0 || j < i {
		t.Errorf("sorted by number, #1 is at %d and #2 at %d", i, j)
	}
	if p := b.rvPostJSON(fmt.Sprintf("/venues/dlde-2023/bids/%d", w.ids[0]), url.Values{"csrf": {b.csrf()}, "bid": {"pinch"}}); p.status != http.StatusOK ||
		!strings.Contains(p.body, `"message":"Saved: In a pinch"`) {
		t.Errorf("a scripted bid: %d %s", p.status, p.body)
	}
	if p := b.rvPostJSON(fmt.Sprintf("/venues/dlde-2023/bids/%d", w.ids[0]), url.Values{"csrf": {b.csrf()}, "bid": {"keen"}}); p.status != http.StatusBadRequest {
		t.Errorf("an unknown bid: %d %s", p.status, p.body)
	}

	// Declaring a conflict hides the paper from bidding; the conflicts page
	// still lists it, ticked, so saving again keeps it.
	c := b.post("/venues/dlde-2023/conflicts", url.Values{"csrf": {b.csrf()}, "submission": {strconv.FormatInt(w.ids[1], 10)}})
	if c.status != http.StatusSeeOther || c.location != "/venues/dlde-2023/conflicts?saved=1" {
		t.Fatalf("declaring: %d %q", c.status, c.location)
	}
	if p := b.get("/venues/dlde-2023/bids"); strings.Contains(p.body, "Fourier Operators") {
		t.Error("a conflicted paper is still open for bidding")
	}
	p = b.get("/venues/dlde-2023/conflicts?saved=1")
	mustContain(t, p, "Your conflicts are saved.", fmt.Sprintf(`value="%d" checked`, w.ids[1]), "#1: Neural ODEs")
	if strings.Contains(p.body, fmt.Sprintf(`value="%d" checked`, w.ids[0])) {
		t.Error("an undeclared paper is ticked")
	}
	if c := b.post("/venues/dlde-2023/conflicts", url.Values{"csrf": {b.csrf()}, "submission": {"999999"}}); c.status != http.StatusBadRequest {
		t.Errorf("a conflict with an unknown paper: %d", c.status)
	} else {
		mustContain(t, c, "Pick submissions from the list.")
	}

	// After bidding, the refusal names the deadline.
	w.s.Clock.Set(time.Date(2023, 10, 13, 0, 0, 0, 0, time.UTC))
	b.signIn(rexEmail, apptest.Password)
	p = bid(w.ids[0], "eager")
	if p.status != http.StatusForbidden {
		t.Errorf("a late bid: %d", p.status)
	}
	mustContain(t, p, "Your bid was not saved.", "The bidding deadline has passed: it was 2023-10-11 23:59:59 AoE", "Your bid: <strong>In a pinch</strong>")
}

func TestReviewingWithoutScript(t *testing.T) {
	t.Parallel()
	w := newRvWorld(t)
	w.assign(t)
	w.s.Clock.Set(rvReviewingAt)
	b := newBrowser(t, w.s)
	b.signIn(rexEmail, apptest.Password)
	page1 := fmt.Sprintf("/venues/dlde-2023/review/%d", w.ids[0])

	home := b.get("/venues/dlde-2023/review")
	mustContain(t, home, "#1: Neural ODEs", "#2: Fourier", "Not started", "2023-10-18 23:59:59 AoE", "2023-10-19 11:59:59 UTC", "(bidding is closed)")
	p := b.get(page1)
	mustContain(t, p, "Overall recommendation", "5: Strong accept", `maxlength="5000"`, "Only the chairs see this.",
		fmt.Sprintf(`href="/api/v1/submissions/%d/pdf?copy=anonymised"`, w.ids[0]), "data-autosave")
	if strings.Contains(p.body, "Ada Author") {
		t.Error("the review page names an author")
	}

	// Submitting with a field missing: the message stands next to it, and
	// what was typed is kept.
	bad := rvWith(rvFullReview(4), "csrf", b.csrf(), "action", "submit", "weaknesses", "")
	p = b.post(page1, bad)
	if p.status != http.StatusBadRequest {
		t.Fatalf("an incomplete review: %d", p.status)
	}
	mustContain(t, p, `<p class="field-error" id="f-fields-weaknesses-error">Weaknesses is required.</p>`, "A neat idea.",
		`id="f-fields-overall-4" name="overall" value="4" checked`, `href="#f-fields-weaknesses"`)

	// A draft may be incomplete; the script's autosave gets JSON.
	if p := b.rvPostJSON(page1, rvWith(url.Values{"summary": {"Half written."}}, "csrf", b.csrf(), "action", "draft")); p.status != http.StatusOK ||
		!strings.Contains(p.body, `"status":"draft"`) || !strings.Contains(p.body, `"saved_at":"2023-10-14T12:00:00Z"`) {
		t.Errorf("autosave: %d %s", p.status, p.body)
	}
	if p := b.rvPostJSON(page1, rvWith(url.Values{"overall": {"9"}}, "csrf", b.csrf())); p.status != http.StatusBadRequest || !strings.Contains(p.body, "fields.overall") {
		t.Errorf("a bad autosave: %d %s", p.status, p.body)
	}
	mustContain(t, b.get("/venues/dlde-2023/review"), `data-review-status>Draft<`)

	p = b.post(page1, rvWith(rvFullReview(4), "csrf", b.csrf(), "action", "submit"))
	if p.status != http.StatusSeeOther || p.location != page1+"?saved=submitted" {
		t.Fatalf("submitting: %d %q %s", p.status, p.location, p.body)
	}
	p = b.get(page1 + "?saved=submitted")
	mustContain(t, p, "Your review is submitted.", "No other reviewer has submitted yet.", "Update your review", "Discussion")

	// Fay submits; Rex sees her review under a pseudonym, never her
	// comment to the chairs, and they discuss.
	fay := newBrowser(t, w.s)
	fay.signIn(fayEmail, apptest.Password)
	if p := fay.post(page1, rvWith(rvFullReview(2), "csrf", fay.csrf(), "action", "submit", "confidential", "For the chairs only.")); p.status != http.StatusSeeOther {
		t.Fatalf("fay submits: %d %s", p.status, p.body)
	}
	p = b.get(page1)
	mustContain(t, p, "Reviewer 2", "2 (Reject)")
	if strings.Contains(p.body, "For the chairs only.") || strings.Contains(p.body, "Fay") {
		t.Error("Rex sees Fay's name or her confidential comment")
	}
	if c := b.post(page1+"/comments", url.Values{"csrf": {b.csrf()}, "body": {"  "}}); c.status != http.StatusBadRequest {
		t.Errorf("an empty comment: %d", c.status)
	} else {
		mustContain(t, c, `id="f-body-error"`)
	}
	if c := b.post(page1+"/comments", url.Values{"csrf": {b.csrf()}, "body": {"I think the experiments are enough."}}); c.status != http.StatusSeeOther {
		t.Fatalf("a comment: %d %s", c.status, c.body)
	}
	mustContain(t, fay.get(page1), "Reviewer 1</strong>, 2023-10-14", "I think the experiments are enough.")

	// Declining #2 needs a reason; the message is next to that row's field.
	decline := fmt.Sprintf("/venues/dlde-2023/review/%d/decline", w.ids[1])
	p = b.post(decline, url.Values{"csrf": {b.csrf()}, "number": {"2"}, "reason": {""}})
	if p.status != http.StatusBadRequest {
		t.Fatalf("declining without a reason: %d", p.status)
	}
	mustContain(t, p, fmt.Sprintf(`<p class="field-error" id="f-decline-%d-error">Required.</p>`, w.ids[1]))
	p = b.post(decline, url.Values{"csrf": {b.csrf()}, "number": {"2"}, "reason": {"I am travelling."}})
	if p.status != http.StatusSeeOther || p.location != "/venues/dlde-2023/review?declined=2" {
		t.Fatalf("declining: %d %q", p.status, p.location)
	}
	mustContain(t, b.get("/venues/dlde-2023/review?declined=2"), "You declined submission #2", "Declined", `data-review-status>Submitted<`)
	if p := b.get(fmt.Sprintf("/venues/dlde-2023/review/%d", w.ids[1])); p.status != http.StatusNotFound {
		t.Errorf("a declined paper's review page: %d", p.status)
	}
}
