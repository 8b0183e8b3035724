package webui_test

import (
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestReviewerCapacityInChromium: an invited reviewer accepts with a
// smaller load than the venue asks, later turns to reviewing only in an
// emergency, and the chair sees both in the pool's capacity before a run.
func TestReviewerCapacityInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	chair := s.Login(t, "chair@example.org")
	if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": "nia@uni.example", "name": "Nia Newton", "role": "reviewer"}); r.StatusCode >= 300 {
		t.Fatalf("invite: %s", r.Body)
	}
	inv, err := url.Parse(apptest.LinkIn(t, s.WaitMail(t, "nia@uni.example", "Invitation"), "/invitations/"))
	if err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, s)
	tb.open(inv.RequestURI())
	tb.see("[data-decline-alternative]", "Too busy for 6 papers")
	tb.see("[data-load] legend", "How much you can review")
	tb.checkAccessibility("the invitation with its load")
	tb.do("accepting with a load of 2",
		chromedp.SetValue(chromedp.CSS("#f-max_load"), "2"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "nia's own long passphrase"),
		chromedp.Click(chromedp.CSS(`form[action$="/accept"] button[type=submit]`)))
	tb.see("[data-invitation-state]", "You are a reviewer")

	tb.open("/venues/dlde-2023/review")
	tb.do("opening how much she reviews", chromedp.Click(chromedp.CSS(`a[href="/venues/dlde-2023/review/capacity"]`)), chromedp.WaitVisible(chromedp.CSS("[data-capacity-now]")))
	tb.see("[data-capacity-now]", "at most 2 papers", "at least 1")
	tb.checkAccessibility("a reviewer's capacity")
	tb.fitsPhone("/venues/dlde-2023/review/capacity")
	tb.do("becoming an emergency reviewer",
		chromedp.Click(chromedp.CSS(`input[name=emergency_only]`)),
		chromedp.Click(chromedp.CSS(`form[data-capacity-form] button[type=submit]`)))
	tb.see("[role=status]", "Saved")
	tb.see("[data-capacity-now]", "only in an emergency", "up to 2 papers")

	ct := newTab(t, s)
	ct.signIn("chair@example.org", "/venues/dlde-2023/chair/assignment")
	ct.see("[data-pool-capacity]", "1 emergency reviewer is kept out of runs")
	ct.checkAccessibility("the assignment page with the pool's capacity")
}
