package webui_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestEmergencyReviewersInChromium: Dan declines paper #1 and #2 never had
// reviewers; the chair goes from the progress page to the reviews that
// fell through, sees why each paper is short, and gives the proposed
// emergency reviews, which mails the emergency reviewer.
func TestEmergencyReviewersInChromium(t *testing.T) {
	t.Parallel()
	s, ids := paperWorld(t)
	join(t, s, "emma@help.example", "Emma Emergency", "reviewer")
	emma := s.Login(t, "emma@help.example")
	if r := s.As(t, emma, "PUT", "/api/v1/venues/dlde-2023/my-capacity", map[string]any{"max_load": 2, "emergency_only": true}); r.StatusCode != http.StatusOK {
		t.Fatalf("emma: %s", r.Body)
	}
	if r := s.As(t, s.Login(t, "dan@far.example"), "POST", fmt.Sprintf("/api/v1/venues/dlde-2023/my-assignments/%d/decline", ids[0]), map[string]string{"reason": "a family emergency"}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("dan declines: %s", r.Body)
	}

	tb := newTab(t, s)
	tb.signIn("chair@example.org", "/venues/dlde-2023/chair/progress")
	tb.do("opening the reviews that fell through", chromedp.Click(chromedp.CSS("a[data-emergency-link]")), chromedp.WaitVisible(chromedp.CSS("[data-short-papers]")))
	tb.see(`[data-short="1"]`, "2 of 3 coming", "Dan Distant: declined: a family emergency")
	tb.see(`[data-short="2"]`, "0 of 3 coming", "never had enough reviewers")
	tb.see("[data-emergency-form]", "#1 to Emma Emergency", "#2 to Emma Emergency")
	tb.see("main", "2 missing reviews cannot be filled from the pool")
	tb.checkAccessibility("the reviews that fell through")
	tb.fitsPhone("/venues/dlde-2023/chair/emergency")
	tb.do("giving the emergency reviews", chromedp.Click(chromedp.CSS("form[data-emergency-form] button[type=submit]")))
	tb.see("[role=status]", "2 emergency review(s) given")
	if n := tb.eval(`String(document.querySelectorAll('[data-short="1"]').length)`); n != "0" {
		t.Fatalf("#1 is still short after its emergency review (%s rows)", n)
	}
	s.WaitMail(t, "emma@help.example", "emergency review of #1")
}
