package webui_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// rvSignIn forgets the tab's session (its tokens were issued at another
// instant of the fake clock) and signs in through the form.
func (tb *tab) rvSignIn(email, next string) {
	tb.t.Helper()
	tb.do("forgetting the session", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
	tb.signIn(email, next)
}

// TestReviewerFlowInChromium: a reviewer bids during bidding, then during
// reviewing drafts a review (autosaved and saved), submits it with a field
// missing, fixes it and sees it listed as submitted.
func TestReviewerFlowInChromium(t *testing.T) {
	t.Parallel()
	w := newRvWorld(t)
	tb := newTab(t, w.s)
	first, second := w.ids[0], w.ids[1]

	w.s.Clock.Set(rvBiddingAt)
	tb.rvSignIn(rexEmail, "/venues/dlde-2023/bids")
	tb.see("main h1", "Bid on submissions")
	tb.see("[data-bid-deadline]", "Bidding ends 2023-10-11 23:59:59 AoE")
	tb.checkAccessibility("the bidding page")
	// With the script on, choosing a bid saves it at once.
	tb.do("bidding", chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#bid-%d", second)), "eager"))
	tb.eval(fmt.Sprintf(`document.querySelector("#bid-%d").dispatchEvent(new Event("change")) && ""`, second))
	tb.see(fmt.Sprintf(`[data-bid-row="%d"] [data-bid-status]`, second), "Saved: Eager")
	tb.open("/venues/dlde-2023/bids?sort=number")
	if v, _ := chromedp.Run(tb.step(), chromedp.Value(chromedp.CSS(fmt.Sprintf("#bid-%d", second)))); v != "eager" {
		t.Errorf("after a reload the bid is %q", v)
	}
	tb.fitsPhone("/venues/dlde-2023/bids")

	w.assign(t)
	w.s.Clock.Set(rvReviewingAt)
	tb.rvSignIn(rexEmail, "/venues/dlde-2023/review")
	tb.see("main h1", "Your reviews")
	tb.see(fmt.Sprintf(`[data-assignment="%d"] [data-review-status]`, first), "Not started")
	tb.see("[data-review-deadline]", "Reviews due", "2023-10-18 23:59:59 AoE")
	tb.checkAccessibility("the reviewer's home")

	tb.do("opening the review form", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/venues/dlde-2023/review/%d"]`, first))),
		chromedp.WaitVisible(chromedp.CSS("#f-fields-summary")))
	tb.checkAccessibility("the review form")
	tb.do("writing a draft",
		chromedp.Click(chromedp.CSS("#f-fields-overall-4")),
		chromedp.Click(chromedp.CSS("#f-fields-confidence-3")),
		chromedp.SendKeys(chromedp.CSS("#f-fields-summary"), "Learned step sizes for neural ODEs."),
		// The autosave runs every 20 s; a second is enough for a test.
		chromedp.SetAttributeValue(chromedp.CSS("form[data-autosave]"), "data-autosave", "1"))
	tb.see("[data-autosave-status]", "Draft saved at ")
	if got := tb.text("[data-autosave-status]"); !regexp.MustCompile(`^Draft saved at \d\d:\d\d$`).MatchString(got) {
		t.Errorf("the autosave says %q", got)
	}
	tb.do("saving the draft", chromedp.Click(chromedp.CSS(`button[value=draft]`)))
	tb.see(".notice", "Your draft is saved.")
	tb.see("[data-review-status]", "Draft")

	// Submitted without weaknesses: the message stands next to the field.
	tb.do("submitting too early",
		chromedp.SendKeys(chromedp.CSS("#f-fields-strengths"), "Clear writing."),
		chromedp.Click(chromedp.CSS(`button[value=submit]`)))
	tb.see("#f-fields-weaknesses-error", "Weaknesses is required.")
	tb.see(".error-summary", "Please correct the 1 problem below.")
	if v, _ := chromedp.Run(tb.step(), chromedp.Value(chromedp.CSS("#f-fields-strengths"))); v != "Clear writing." {
		t.Errorf("the form lost what was typed: %q", v)
	}
	tb.checkAccessibility("the review form with an error")
	tb.do("fixing and submitting",
		chromedp.SendKeys(chromedp.CSS("#f-fields-weaknesses"), "Small experiments."),
		chromedp.Click(chromedp.CSS(`button[value=submit]`)))
	tb.see(".notice", "Your review is submitted.")
	tb.see("#discussion", "Discussion")
	tb.fitsPhone(fmt.Sprintf("/venues/dlde-2023/review/%d", first))

	tb.open("/venues/dlde-2023/review")
	tb.see(fmt.Sprintf(`[data-assignment="%d"] [data-review-status]`, first), "Submitted")
	tb.see(fmt.Sprintf(`[data-assignment="%d"] [data-review-status]`, second), "Not started")
	tb.fitsPhone("/venues/dlde-2023/review")
}
