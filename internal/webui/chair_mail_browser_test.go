package webui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestChairMailInChromium reminds the reviewers with missing reviews before
// the review deadline, from the progress page: the reminder is ready to
// send, the preview shows the exact copy, Send sends it and the log below
// shows it. The page passes the accessibility checks and fits a phone.
func TestChairMailInChromium(t *testing.T) {
	t.Parallel()
	s, ids := chairWorld(t)
	chair := s.Login(t, "chair@example.org")
	if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": []map[string]any{
		{"number": 1, "email": "rex@rev.example", "assign": true}, {"number": 1, "email": "fay@away.example", "assign": true}}}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("assigning: %s", r.Body)
	}
	chairReview(t, s, "fay@away.example", ids[0], 4)
	tb := newTab(t, s)
	base := "/venues/dlde-2023/chair"

	tb.signIn("chair@example.org", base+"/progress")
	// Before the deadline nobody is late, yet Rex can be reminded.
	tb.see("form[data-remind]", "Nobody is late.")
	tb.see("[data-remind-missing]", "1 reviewer has reviews still to submit, due 2023-10-18 23:59:59 AoE")
	tb.do("following the reminder link", chromedp.Click(chromedp.CSS("[data-remind-missing] a")))
	tb.see("main h1", "Mail to a group")
	if v := tb.eval(`document.querySelector("#f-group").value`); v != "missing-reviews" {
		t.Errorf("the reminder is for %q", v)
	}
	tb.see("table[data-mail-groups]", "Reviewers with missing reviews", "2023-10-18 23:59:59 AoE, the review deadline")
	tb.checkAccessibility("the mail page")

	tb.do("adding a first line and previewing",
		chromedp.SendKeys(chromedp.CSS("#f-body"), "Thank you for reviewing, {{name}}.\n\n"),
		chromedp.Click(chromedp.CSS("form[data-mail-form] button[type=submit]")))
	tb.see("[data-mail-count]", "This message goes to 1 recipient")
	tb.see("[data-mail-copy]", "rex@rev.example", "Hello Rex Reviewer,", "#1 Neural ODEs with Learned Step Sizes", "Thank you for reviewing, Rex Reviewer.")
	if strings.Contains(tb.text("[data-mail-preview]"), "Ada") {
		t.Error("the preview to a reviewer names the author")
	}
	tb.checkAccessibility("the mail preview")
	tb.do("a phone-sized window", chromedp.EmulateViewport(360, 740))
	if w := tb.eval(`String(document.documentElement.scrollWidth)`); w != "360" {
		t.Errorf("the preview is %s px wide on a 360 px phone", w)
	}
	tb.do("a desktop-sized window", chromedp.EmulateViewport(1280, 900))

	tb.do("sending", chromedp.Click(chromedp.CSS("form[data-mail-send] button")))
	tb.see(".notice", "The message is queued for 1 recipient")
	tb.see("table[data-mail-log]", "Chair", "Reviewers with missing reviews", "{{venue}}: reviews due {{deadline}}", "1")
	m := s.WaitMail(t, "rex@rev.example", "reviews due 2023-10-18 23:59:59 AoE")
	for _, w := range []string{"#1 Neural ODEs with Learned Step Sizes", "Thank you for reviewing, Rex Reviewer."} {
		if !strings.Contains(m.Text, w) {
			t.Errorf("Rex's reminder lacks %q:\n%s", w, m.Text)
		}
	}
	tb.checkAccessibility("the mail log")
	tb.fitsPhone(base + "/mail")
}
