package webui_test

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/auth"
)

// TestTwoFactorInChromium: a person sets up two-factor sign-in from the
// profile, reading the key off the page as they would type it into their
// app, signs out, signs in with the app's code, signs out again and signs
// in with a recovery code. The pages are checked for accessibility and a
// phone's width.
func TestTwoFactorInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	const email = "ada@uni.example"
	s.CreateUser(t, email, "Ada", false)
	tb := newTab(t, s)

	tb.signIn(email, "/profile")
	tb.see("main h1", "Your profile")
	tb.do("opening two-factor sign-in", chromedp.Click(chromedp.CSS(`main a[href="/account/two-factor"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-two-factor="off"]`)))
	tb.checkAccessibility("two-factor sign-in, off")
	tb.do("setting it up", chromedp.Click(chromedp.CSS(`main button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("[data-totp-secret]")))
	tb.see("[data-totp-uri]", "otpauth://totp/Quire:ada@uni.example?", "issuer=Quire")
	tb.checkAccessibility("two-factor sign-in, setting up")
	tb.fitsPhone("/account/two-factor")
	secret := tb.text("[data-totp-secret]")

	tb.do("confirming with a wrong code",
		chromedp.SendKeys(chromedp.CSS("#f-code"), "000000"),
		chromedp.Click(chromedp.CSS(`form[data-confirm] button[type=submit]`)))
	tb.see("#f-code-error", "Does not match")
	tb.checkAccessibility("two-factor sign-in, a wrong code")
	tb.do("confirming with the app's code",
		chromedp.SendKeys(chromedp.CSS("#f-code"), totpNow(t, s, secret)),
		chromedp.Click(chromedp.CSS(`form[data-confirm] button[type=submit]`)))
	tb.see("[data-recovery-codes]", "shown only now")
	tb.see(`[data-two-factor="on"]`, "10 unused recovery codes")
	tb.checkAccessibility("two-factor sign-in, on with its recovery codes")
	var codes []string
	if err := json.Unmarshal([]byte(tb.eval(`JSON.stringify(Array.from(document.querySelectorAll("[data-recovery-code]"), e => e.textContent))`)), &codes); err != nil || len(codes) != 10 {
		t.Fatalf("recovery codes %v: %v", codes, err)
	}
	tb.fitsPhone("/account/two-factor")

	tb.do("signing out", chromedp.Click(chromedp.CSS("form[data-logout] button")), chromedp.WaitVisible(chromedp.CSS("#f-email")))
	tb.signIn(email, "/profile")
	tb.see("main h1", "Enter your code")
	tb.checkAccessibility("the second step of signing in")
	s.Clock.Advance(auth.TOTPStep) // the code used to set up is spent
	tb.do("entering the app's code",
		chromedp.SendKeys(chromedp.CSS("#f-code"), totpNow(t, s, secret)),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	tb.see("main h1", "Your profile")
	if loc := tb.location(); loc != "/profile" {
		t.Fatalf("signed in at %s, want /profile", loc)
	}

	tb.do("signing out", chromedp.Click(chromedp.CSS("form[data-logout] button")), chromedp.WaitVisible(chromedp.CSS("#f-email")))
	tb.signIn(email, "/account/two-factor")
	tb.see("main h1", "Enter your code")
	tb.fitsPhone(tb.location())
	tb.do("entering a recovery code",
		chromedp.SendKeys(chromedp.CSS("#f-code"), codes[0]),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	tb.see(`[data-two-factor="on"]`, "9 unused recovery codes")
}
