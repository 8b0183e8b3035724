package webui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPublicationsInChromium: a person pastes their BibTeX under Profile,
// sees what was read, removes an entry that is not theirs, and a broken
// file is refused with what broke.
func TestPublicationsInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "rex@rev.example", "Rex Reviewer", false)
	tb := newTab(t, s)
	tb.signIn("rex@rev.example", "/profile")
	tb.do("opening the publications", chromedp.Click(chromedp.CSS(`main a[href="/account/publications"]`)), chromedp.WaitVisible(chromedp.CSS("[data-no-publications]")))
	tb.checkAccessibility("publications, none yet")
	tb.do("pasting a broken file",
		chromedp.SendKeys(chromedp.CSS("#f-content"), "@article{x, title = {unclosed"),
		chromedp.Click(chromedp.CSS("form[data-add-publications] button[type=submit]")))
	tb.see("#f-content-error", "not closed")
	tb.do("pasting BibTeX",
		chromedp.SetValue(chromedp.CSS("#f-content"), "@inproceedings{a, title = {Fourier Neural Operators for Turbulence}, year = 2022}\n@misc{b, title = {Somebody Else's Paper}, year = 2010}"),
		chromedp.Click(chromedp.CSS("form[data-add-publications] button[type=submit]")))
	tb.see("[role=status]", "2 added")
	tb.see("[data-publications]", "Fourier Neural Operators for Turbulence (2022)", "Somebody Else's Paper (2010)")
	tb.checkAccessibility("publications, two listed")
	tb.fitsPhone("/account/publications")
	tb.do("removing the one that is not his", chromedp.Click(chromedp.CSS(`button[aria-label="Remove Somebody Else's Paper"]`)))
	tb.see("[role=status]", "Removed")
	if got := tb.text("[data-publications]"); got == "" || strings.Contains(got, "Somebody Else") {
		t.Fatalf("after removing: %q", got)
	}
}
