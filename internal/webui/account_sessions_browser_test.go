package webui_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestEndAnotherSessionInChromium: Ada is signed in on two browsers; from
// one she sees both sessions, this one marked, and ends the other, which is
// signed out on its next page load.
func TestEndAnotherSessionInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	laptop, phone := newTab(t, s), newTab(t, s)
	laptop.signIn("ada@uni.example", "/profile")
	phone.signIn("ada@uni.example", "/submissions")
	phone.see("main h1", "submissions")

	laptop.see("main", "Your sessions")
	laptop.open("/account/sessions")
	laptop.see("[data-session][data-current]", "This browser", "Chromium")
	laptop.see("[data-session]:not([data-current])", "Chromium on", "Last used")
	laptop.checkAccessibility("/account/sessions")
	laptop.fitsPhone("/account/sessions")
	laptop.do("ending the other session", chromedp.Click(chromedp.CSS("[data-session]:not([data-current]) button[type=submit]")))
	laptop.see("main", "The session was ended", "This browser is your only session.")

	phone.do("loading a page", chromedp.Navigate(s.URL+"/submissions"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if loc := phone.location(); !strings.HasPrefix(loc, "/login") {
		t.Errorf("the other browser, after its session was ended, is at %s, not asked to sign in", loc)
	}
	phone.see("main h1", "Sign in")
	laptop.open("/profile")
	laptop.see("main h1", "Your profile")
}
