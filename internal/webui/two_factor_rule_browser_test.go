package webui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/venue"
)

// TestTwoFactorRequiredInChromium: on an instance that requires a second
// factor of chairs, a chair who signs in with the password alone is kept
// on the set-up page (the chair's pages send them back to it) until it is
// on; an administrator then resets it from the console, which signs the
// chair out.
func TestTwoFactorRequiredInChromium(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t, apptest.Options{Env: map[string]string{"QUIRE_REQUIRE_TWO_FACTOR": "chairs"}})
	registerUI(t, s)
	adminID := s.CreateUser(t, "admin@example.org", "Admin", true)
	s.CreateUser(t, "chair@example.org", "Chair", false)
	ctx := context.Background()
	en, err := s.App.Services.Accounts.StartTwoFactor(ctx, adminID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.Services.Accounts.ConfirmTwoFactor(ctx, adminID, totpNow(t, s, en.Secret), "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	s.Clock.Advance(auth.TOTPStep)
	admin := loginWithCode(t, s, "admin@example.org", totpNow(t, s, en.Secret))
	if r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": string(venue.DemoYAML()), "chairs": []string{"chair@example.org"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("creating the venue: %s %s", r.Status, r.Body)
	}

	chair := newTab(t, s)
	chair.signIn("chair@example.org", "/venues/dlde-2023/chair")
	chair.see("[data-two-factor-required]", "requires two-factor sign-in")
	chair.checkAccessibility("two-factor sign-in, required")
	chair.open("/venues/dlde-2023/chair")
	chair.see("[data-two-factor-required]", "only this page and signing out work")
	chair.do("setting it up", chromedp.Click(chromedp.CSS(`main button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("[data-totp-secret]")))
	chair.do("confirming with the app's code",
		chromedp.SendKeys(chromedp.CSS("#f-code"), totpNow(t, s, chair.text("[data-totp-secret]"))),
		chromedp.Click(chromedp.CSS(`form[data-confirm] button[type=submit]`)))
	chair.see("[data-recovery-codes]", "shown only now")
	chair.see("[data-two-factor-continue]", "Go on")
	chair.open("/venues/dlde-2023/chair")
	if loc := chair.location(); loc != "/venues/dlde-2023/chair" {
		t.Fatalf("the chair's dashboard led to %s", loc)
	}

	// The administrator signs in with a code and resets the chair's.
	s.Clock.Advance(auth.TOTPStep)
	adm := newTab(t, s)
	adm.signIn("admin@example.org", "/admin")
	adm.see("main h1", "Enter your code")
	adm.do("entering the app's code",
		chromedp.SendKeys(chromedp.CSS("#f-code"), totpNow(t, s, en.Secret)),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	adm.see("main h1", "Administration")
	adm.do("resetting without having checked who asks",
		chromedp.SendKeys(chromedp.CSS("#f-email"), "chair@example.org"),
		chromedp.Click(chromedp.CSS(`form[data-reset-two-factor] button[type=submit]`)))
	adm.see("#f-checked-error", "made sure who is asking")
	adm.checkAccessibility("the admin console, a refused reset")
	adm.do("resetting",
		chromedp.Click(chromedp.CSS("#f-checked")),
		chromedp.Click(chromedp.CSS(`form[data-reset-two-factor] button[type=submit]`)))
	adm.see("[role=status]", "Two-factor sign-in of Chair (chair@example.org) is off")
	s.WaitMail(t, "chair@example.org", "two-factor sign-in was turned off")

	chair.open("/venues/dlde-2023/chair")
	if loc := chair.location(); !strings.HasPrefix(loc, "/login") {
		t.Fatalf("after the reset the chair is at %s, want the sign-in page", loc)
	}
}

// loginWithCode signs in through the API with a second factor.
func loginWithCode(t *testing.T, s *apptest.Server, email, code string) string {
	t.Helper()
	r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": apptest.Password, "otp": code})
	if r.StatusCode != http.StatusOK {
		t.Fatalf("login of %s: %s %s", email, r.Status, r.Body)
	}
	return r.Map(t)["access_token"].(string)
}
