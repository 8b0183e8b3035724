package webui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAPITokenInChromium: Ada makes a token from her profile, copies the
// secret off the page, her script (here, Go) calls the API with it, and
// after she revokes it the same call is refused.
func TestAPITokenInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	tb := newTab(t, s)
	tb.signIn("ada@uni.example", "/profile")
	tb.see("main h1", "Your profile")
	tb.do("following the link to the tokens", chromedp.Click(chromedp.CSS(`main a[href="/account/tokens"]`)))
	tb.see("main h1", "Your API tokens")
	tb.see("main", "You have no API tokens.")
	tb.checkAccessibility("/account/tokens")
	tb.fitsPhone("/account/tokens")
	tb.do("making a token",
		chromedp.SendKeys(chromedp.CSS("#t-name"), "Import script"),
		chromedp.Click(chromedp.CSS(`input[name=scope][value=submit]`)),
		chromedp.Click(chromedp.CSS(`[data-create-token] button[type=submit]`)))
	tb.see("[data-new-token]", "Your new token", "Import script", "shown this once")
	secret := tb.eval(`document.querySelector("[data-secret]").value`)
	if !strings.HasPrefix(secret, "qpat_") {
		t.Fatalf("the secret on the page: %q", secret)
	}
	tb.see("[data-token]", "Import script", "read, submit", "Never")
	tb.checkAccessibility("/account/tokens (with the new secret)")

	if r := s.As(t, secret, "GET", "/api/v1/me", nil); r.StatusCode != http.StatusOK || r.Map(t)["email"] != "ada@uni.example" {
		t.Fatalf("the script with the token: %s %s", r.Status, r.Body)
	}
	tb.open("/account/tokens")
	if strings.Contains(tb.text("main"), secret) {
		t.Fatal("the secret is shown again")
	}
	tb.see("[data-token]", "from 127.0.0.1")
	tb.do("revoking the token", chromedp.Click(chromedp.CSS(`[data-token] button[type=submit]`)))
	tb.see("main", "The token was revoked", "You have no API tokens.")
	if r := s.As(t, secret, "GET", "/api/v1/me", nil); r.StatusCode != http.StatusUnauthorized || !strings.Contains(string(r.Body), "token_revoked") {
		t.Fatalf("the script after revoking: %s %s", r.Status, r.Body)
	}
}
