package webui_test

import (
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestFormatWarningInChromium: an author uploads a paper squeezed by wider
// margins in the browser and sees the warning with the measured text block
// drawn over each page's picture; a chair sees it in the submissions list.
func TestFormatWarningInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	ada := newBrowser(t, s)
	ada.signIn("ada@uni.example", apptest.Password)
	m := submissionURL.FindStringSubmatch(ada.post("/venues/dlde-2023/submit", paperForm(ada.csrf())).location)
	if m == nil {
		t.Fatal("the submission was not created")
	}
	path := "/submissions/" + m[1]

	tb := newTab(t, s)
	tb.signIn("ada@uni.example", path)
	tb.do("uploading the squeezed paper",
		chromedp.WaitVisible(chromedp.CSS("#f-pdf")),
		chromedp.SetUploadFiles(chromedp.CSS("#f-pdf"), []string{corpusFile(t, "fmt-geometry.pdf")}),
		chromedp.Click(chromedp.CSS("form[data-upload] button[type=submit]")))
	tb.see(".notice", "Your new PDF was accepted")
	tb.see("[data-current-report] [data-format-violations]", "Warning: Text block 6.9 x 9.4 in on pages 1–4, template 5.5 x 9 in.")
	tb.see("[data-current-report] [data-format-measured]", "body text 10 pt, lines 10.9 pt apart")
	// The drawn block covers 81% of the picture's width (6.9 of 8.5 in),
	// starting 9.4% from its left edge (0.8 in).
	tb.do("scrolling to the pictures", chromedp.ScrollIntoView(chromedp.CSS(`[data-current-report] [data-text-block="2"]`)))
	ratio := tb.eval(`(() => { const b = document.querySelector('[data-current-report] [data-text-block="2"]').getBoundingClientRect();
		const page = document.querySelector('[data-current-report] [data-text-block="2"]').parentElement.getBoundingClientRect();
		return (b.width / page.width).toFixed(2) + " " + ((b.left - page.left) / page.width).toFixed(3); })()`)
	if ratio != "0.81 0.094" {
		t.Errorf("the drawn block is %s of the page (width, left), want 0.81 0.094", ratio)
	}
	if over := tb.eval(`String(document.querySelectorAll('[data-current-report] .text-block.over').length)`); over != strconv.Itoa(4) {
		t.Errorf("%s blocks marked over the template's, want 4", over)
	}
	tb.checkAccessibility("the report with a format warning")

	chair := newTab(t, s)
	chair.signIn("chair@example.org", "/venues/dlde-2023/chair/submissions")
	chair.see("table[data-submissions] [data-format]", "Format: text block 6.9 x 9.4 in on pages 1–4, template 5.5 x 9 in")
	chair.checkAccessibility("the submissions list with a format warning")
}
