package webui_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRemindersInChromium: a reviewer asks for one digest a day under
// Profile; the chair goes from the progress page to the venue's reminder
// schedule.
func TestRemindersInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "rex@rev.example", "Rex Reviewer", false)
	rex := newTab(t, s)
	rex.signIn("rex@rev.example", "/profile")
	rex.do("opening the reminders", chromedp.Click(chromedp.CSS(`main a[href="/account/reminders"]`)), chromedp.WaitVisible(chromedp.CSS("form[data-reminder-preference]")))
	rex.checkAccessibility("reminder settings")
	rex.do("choosing a daily digest", chromedp.Click(chromedp.CSS("#f-digest-daily")), chromedp.Click(chromedp.CSS("form[data-reminder-preference] button[type=submit]")))
	rex.see("[role=status]", "Saved")
	if got := rex.eval(`String(document.querySelector("#f-digest-daily").checked)`); got != "true" {
		t.Fatalf("the daily digest is not chosen after saving: %s", got)
	}

	chair := newTab(t, s)
	chair.signIn("chair@example.org", "/venues/dlde-2023/chair/progress")
	chair.do("opening the reminders", chromedp.Click(chromedp.CSS("a[data-reminders-link]")), chromedp.WaitVisible(chromedp.CSS("[data-reminder-steps]")))
	chair.see("[data-reminder-steps]", "Bids", "2d before", "Reviews", "7d before", "1d after", "Camera-ready versions")
	chair.checkAccessibility("the venue's reminders")
	chair.fitsPhone("/venues/dlde-2023/chair/reminders")
}
