package webui_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAuthorConsentsAtCameraReadyInChromium: after the release, Ada picks a
// licence and consents on her accepted paper's page, next to the
// camera-ready forms; the paper's public page then shows the licence and
// the non-archival status, and the venue page links it.
func TestAuthorConsentsAtCameraReadyInChromium(t *testing.T) {
	t.Parallel()
	s, ids := publishedWorld(t)
	tb := newTab(t, s)
	page := fmt.Sprintf("/submissions/%d", ids[1])
	tb.signIn("ada@uni.example", page)
	tb.see(`[data-publication]`, "Non-archival", "only with your consent")
	tb.checkAccessibility("the consent form")
	tb.do("choosing CC BY-NC 4.0 and consenting",
		chromedp.Click(chromedp.CSS(`#f-licence-cc-by-nc-4\.0`)),
		chromedp.Click(chromedp.CSS(`#f-consent`)),
		chromedp.Click(chromedp.CSS(`[data-publication] button[type=submit]`)))
	tb.see(`.notice`, "the paper is public")
	tb.see(`[data-consented]`, "CC BY-NC 4.0")
	tb.do("following the link to the public page", chromedp.Click(chromedp.CSS(`[data-public-page]`)))
	tb.see(`main h1`, "Neural ODEs with Learned Step Sizes")
	tb.see(`[data-licence]`, "CC BY-NC 4.0")
	tb.see(`[data-status]`, "Non-archival report, The Symbiosis of Deep Learning and Differential Equations (DLDE III)")
	tb.see(`[data-slot]`, "Spotlight talk")
	tb.checkAccessibility("a published paper's page")
	tb.open("/venues/dlde-2023")
	tb.see(`[data-citations]`, "BibTeX", "CSL-JSON")
	tb.see(`[data-paper-link]`, "Neural ODEs with Learned Step Sizes")
}
