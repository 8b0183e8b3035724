package webui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
)

// heldWorld is chairWorld with #1 uploaded again, before the deadline, as
// the final build with its author block, and assigned to Rex.
func heldWorld(t *testing.T) (*apptest.Server, []int64) {
	t.Helper()
	s, ids := chairWorld(t)
	s.Clock.Set(apptest.Epoch)
	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "authorblock.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	ada := s.Login(t, "ada@uni.example")
	if r := s.As(t, ada, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", ids[0]), pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
		t.Fatalf("upload: %s", r.Body)
	}
	s.Clock.Set(chairReviewingTime)
	chairTok := s.Login(t, "chair@example.org")
	if r := s.As(t, chairTok, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": []map[string]any{{"number": 1, "email": chairReviewers[0], "assign": true}}}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("assign: %s", r.Body)
	}
	return s, ids
}

// TestAnonymityHoldInChromium: the chair's list of held papers, read and
// used in a real browser, accessible and at a phone's width.
func TestAnonymityHoldInChromium(t *testing.T) {
	t.Parallel()
	s, ids := heldWorld(t)
	// What the authors read of the hold, on a phone too.
	ada := newTab(t, s)
	page := fmt.Sprintf("/submissions/%d", ids[0])
	ada.open("/login?next=" + page)
	ada.do("signing in",
		chromedp.SendKeys(chromedp.CSS("#f-email"), "ada@uni.example"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), apptest.Password),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	ada.see("section[data-hold]", "Held from the reviewers", "page 1, line")
	ada.checkAccessibility("a held submission")
	ada.fitsPhone(page)

	tb := newTab(t, s)
	tb.open("/login?next=/venues/dlde-2023/chair/anonymity")
	tb.do("signing in",
		chromedp.SendKeys(chromedp.CSS("#f-email"), "chair@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), apptest.Password),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	tb.see("main h1", "Anonymity holds")
	tb.see(fmt.Sprintf("#hold-%d table[data-findings]", ids[0]), "page 1, line", "alice.mueller")
	tb.checkAccessibility("the anonymity holds")
	tb.fitsPhone("/venues/dlde-2023/chair/anonymity")
	tb.do("releasing a false positive", chromedp.Click(chromedp.CSS(fmt.Sprintf("#hold-%d form[data-release-fp] button", ids[0]))))
	tb.see("[data-hold-done]", "released")
	tb.see("[data-no-holds]", "No submission is held.")

}

// TestAnonymityHoldPagesWithoutScript: the authors read what holds their
// paper, its reviewer reads only that it is held, and the chair releases a
// false positive in one click, after which the reviewer can download it.
func TestAnonymityHoldPagesWithoutScript(t *testing.T) {
	t.Parallel()
	s, ids := heldWorld(t)

	author := newBrowser(t, s)
	author.signIn("ada@uni.example", apptest.Password)
	mustContain(t, author.get(fmt.Sprintf("/submissions/%d", ids[0])), "Held from the reviewers: anonymity", "page 1, line", "The line reads:")

	rex := newBrowser(t, s)
	rex.signIn(chairReviewers[0], apptest.Password)
	review := fmt.Sprintf("/venues/dlde-2023/review/%d", ids[0])
	page := rex.get(review)
	mustContain(t, page, "Held: anonymity check.")
	if strings.Contains(page.body, "Download the anonymised PDF") || strings.Contains(page.body, "page 1, line") {
		t.Errorf("the reviewer of a held paper gets a link or a detail:\n%s", page.body)
	}
	mustContain(t, rex.get("/venues/dlde-2023/review"), "held: anonymity check")

	chair := newBrowser(t, s)
	chair.signIn("chair@example.org", apptest.Password)
	holds := chair.get("/venues/dlde-2023/chair/anonymity")
	mustContain(t, holds, "Anonymity holds", "The paper is held", "Release: false positive", "page 1, line")
	mustContain(t, chair.get("/venues/dlde-2023/chair/submissions"), fmt.Sprintf("/chair/anonymity#hold-%d", ids[0]))
	// A release without a reason is refused next to the form.
	if got := chair.post(fmt.Sprintf("/venues/dlde-2023/chair/anonymity/%d/release", ids[0]), url.Values{"csrf": {chair.csrf()}, "reason": {" "}}); got.status != http.StatusBadRequest {
		t.Errorf("a release without a reason: %d", got.status)
	}
	// The one click: the form carries its reason.
	got := chair.post(fmt.Sprintf("/venues/dlde-2023/chair/anonymity/%d/release", ids[0]), url.Values{"csrf": {chair.csrf()}, "reason": {"false positive: a cited dataset's curators"}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("release: %d %s", got.status, got.body)
	}
	mustContain(t, chair.get(got.location), "Done: released", "No submission is held.")
	mustContain(t, rex.get(review), "Download the anonymised PDF")
	mustContain(t, chair.get("/venues/dlde-2023/chair/audit"), "a cited dataset")
}
