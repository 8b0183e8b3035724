package webui_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestResetDecisionAndInvitationInChromium walks, in a real browser with its
// script on: an author who forgot her password resets it from the mailed
// link, signs in with the new one and reads the released decision and
// review of her paper; then a newcomer accepts a reviewer invitation by
// choosing a password and lands signed in. The pages are checked for
// accessibility and a phone's width.
func TestResetDecisionAndInvitationInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	id := releasedWorld(t, s, "accept-spotlight")
	sub := fmt.Sprintf("/submissions/%d", id)
	tb := newTab(t, s)
	const email, password = "ada@uni.example", "a fresh and unguessable passphrase"

	tb.open("/login")
	tb.do("following the reset link", chromedp.Click(chromedp.CSS(`main a[href="/reset-password"]`)), chromedp.WaitVisible(chromedp.CSS("#f-email")))
	tb.checkAccessibility("the reset request")
	tb.do("asking for a reset link",
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	tb.see("main h1", "Check your inbox")

	link, err := url.Parse(apptest.LinkIn(t, s.WaitMail(t, email, "Reset your Quire password"), "/reset-password"))
	if err != nil {
		t.Fatal(err)
	}
	tb.open(link.RequestURI())
	tb.see("main h1", "Choose a new password")
	tb.checkAccessibility("the new password form")
	tb.do("choosing a new password",
		chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	tb.see("main h1", "Your password is changed")
	tb.do("signing in",
		chromedp.Click(chromedp.CSS(`main a[href="/login"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	tb.see("main h1", "Your venues")
	tb.see("header nav", "Signed in as Ada Author", "Profile")

	tb.open(sub)
	tb.see("[data-decision]", "Decision", "Please keep the talk to 12 minutes.")
	tb.see("[data-reviews]", "Reviewer 1", "A neat idea, clearly told.", "Small experiments.")
	tb.see("[data-camera-ready]", "Camera-ready version", "Final author list")
	tb.checkAccessibility("the released submission")
	tb.do("asking to withdraw", chromedp.Click(chromedp.CSS(`a[href="`+sub+`/withdraw"]`)), chromedp.WaitVisible(chromedp.CSS("button.danger")))
	tb.checkAccessibility("the withdrawal confirmation")
	tb.open("/profile")
	tb.see("main", "ada@uni.example", "Expertise keywords")
	tb.checkAccessibility("the profile")
	for _, p := range []string{sub, "/profile", "/reset-password"} {
		tb.fitsPhone(p)
	}
	tb.open("/")
	tb.do("signing out", chromedp.Click(chromedp.CSS("form[data-logout] button")), chromedp.WaitVisible(chromedp.CSS("#f-email")))

	// A newcomer, invited by the chair, accepts from the mailed link.
	chair := s.Login(t, "chair@example.org")
	if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": "nia@uni.example", "name": "Nia Newton", "role": "reviewer"}); r.StatusCode >= 300 {
		t.Fatalf("invite: %s", r.Body)
	}
	inv, err := url.Parse(apptest.LinkIn(t, s.WaitMail(t, "nia@uni.example", "Invitation"), "/invitations/"))
	if err != nil {
		t.Fatal(err)
	}
	tb.open(inv.RequestURI())
	tb.see("main", "reviewer", "nia@uni.example", "Accept and create the account")
	tb.checkAccessibility("the invitation")
	tb.fitsPhone(inv.RequestURI())
	tb.do("accepting with a new password",
		chromedp.SendKeys(chromedp.CSS("#f-password"), "nia's own long passphrase"),
		chromedp.Click(chromedp.CSS(`form[action$="/accept"] button[type=submit]`)))
	tb.see("[data-invitation-state]", "This invitation is accepted", "You are a reviewer")
	tb.see("header nav", "Signed in as Nia Newton")
	tb.checkAccessibility("the accepted invitation")
}
