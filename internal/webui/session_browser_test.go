package webui_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// dropCookies makes Chromium forget the named cookies of the server, as it
// forgets them when they expire; the session cookies are HttpOnly, out of
// the page's reach.
func (tb *tab) dropCookies(names ...string) {
	tb.t.Helper()
	tb.do(fmt.Sprintf("forgetting the cookies %v", names), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, n := range names {
			if _, err := cdp.Call(ctx, tg, network.DeleteCookies, network.DeleteCookiesParams{Name: n, URL: tb.s.URL + "/"}); err != nil {
				return err
			}
		}
		return nil
	}))
}

// fillReview answers every question of the open review form.
func (tb *tab) fillReview(summary string) {
	tb.t.Helper()
	tb.do("writing a review",
		chromedp.Click(chromedp.CSS("#f-fields-overall-4")),
		chromedp.Click(chromedp.CSS("#f-fields-confidence-3")),
		chromedp.SendKeys(chromedp.CSS("#f-fields-summary"), summary),
		chromedp.SendKeys(chromedp.CSS("#f-fields-strengths"), "Clear writing."),
		chromedp.SendKeys(chromedp.CSS("#f-fields-weaknesses"), "Small experiments."))
}

func (tb *tab) value(sel string) string {
	tb.t.Helper()
	v, err := chromedp.Run(tb.step(), chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("reading %s: %v", sel, err)
	}
	return v
}

// TestATypedReviewOutlivesTheSessionInChromium: a review sent after the
// access cookie expired is saved (the page renews the session within the
// request), so is one whose draft was autosaved meanwhile; and when the
// login itself is gone, the reviewer signs in again and finds the text
// back in the form, with a message, and sends it.
func TestATypedReviewOutlivesTheSessionInChromium(t *testing.T) {
	t.Parallel()
	w := newRvWorld(t)
	w.assign(t)
	w.s.Clock.Set(rvReviewingAt)
	tb := newTab(t, w.s)
	first, second := fmt.Sprintf("/venues/dlde-2023/review/%d", w.ids[0]), fmt.Sprintf("/venues/dlde-2023/review/%d", w.ids[1])

	tb.rvSignIn(rexEmail, first)
	tb.see("[data-review-status]", "Not started")
	tb.fillReview("Learned step sizes for neural ODEs.")
	tb.dropCookies("quire_access")
	tb.do("submitting", chromedp.Click(chromedp.CSS(`button[value=submit]`)))
	tb.see(".notice", "Your review is submitted.")
	tb.see("[data-review-status]", "Submitted")
	if got := tb.value("#f-fields-summary"); got != "Learned step sizes for neural ODEs." {
		t.Errorf("the submitted summary is %q", got)
	}

	// The autosave renews the session too; the form then carries the new
	// session's CSRF token and is sent.
	tb.open(second)
	tb.fillReview("Fourier operators, fast.")
	tb.dropCookies("quire_access")
	tb.do("waiting for the autosave",
		chromedp.SetAttributeValue(chromedp.CSS("form[data-autosave]"), "data-autosave", "1"))
	tb.see("[data-autosave-status]", "Draft saved at ")
	tb.do("submitting", chromedp.Click(chromedp.CSS(`button[value=submit]`)))
	tb.see(".notice", "Your review is submitted.")

	// With the login gone as well, the text waits in the tab.
	tb.open(first)
	tb.do("revising", chromedp.SetValue(chromedp.CSS("#f-fields-weaknesses"), "Small experiments. And no ablation."))
	tb.dropCookies("quire_access", "quire_refresh")
	tb.do("updating", chromedp.Click(chromedp.CSS(`button[value=submit]`)))
	tb.see("[data-session-ended]", "Your session had ended, so what you sent was not saved.")
	tb.checkAccessibility("the sign-in page after the session ended")
	tb.submitSignIn(rexEmail)
	tb.see("[data-kept-notice]", "Your text was kept.")
	if loc := tb.location(); loc != first {
		t.Errorf("after signing in the tab is at %s", loc)
	}
	if got := tb.value("#f-fields-weaknesses"); got != "Small experiments. And no ablation." {
		t.Errorf("the form came back with %q", got)
	}
	if got := tb.eval(`document.activeElement.hasAttribute("data-kept-notice") ? "focused" : document.activeElement.tagName`); got != "focused" {
		t.Errorf("the focus is on %s, not on the message", got)
	}
	tb.checkAccessibility("the review form with the kept text")
	tb.do("updating again", chromedp.Click(chromedp.CSS(`button[value=submit]`)))
	tb.see(".notice", "Your review is submitted.")
	if got := tb.value("#f-fields-weaknesses"); got != "Small experiments. And no ablation." {
		t.Errorf("the saved weaknesses are %q", got)
	}
	// Saved, the text is no longer kept: the form shows no message again.
	tb.open(first)
	if got := tb.eval(`document.querySelector("[data-kept-notice]").hidden ? "hidden" : "shown"`); got != "hidden" {
		t.Errorf("after saving, the kept-text message is %s", got)
	}
}
