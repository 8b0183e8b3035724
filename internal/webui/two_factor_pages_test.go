package webui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/auth"
)

var (
	secretOnPage       = regexp.MustCompile(`data-totp-secret>([A-Z2-7]+)<`)
	recoveryCodeOnPage = regexp.MustCompile(`data-recovery-code>([a-z2-7-]+)<`)
)

// totpNow is the code an authenticator app with secret shows at the
// server's time.
func totpNow(t *testing.T, s *apptest.Server, secret string) string {
	t.Helper()
	key, err := auth.DecodeTOTPSecret(secret)
	if err != nil {
		t.Fatal(err)
	}
	return auth.HOTP(key, auth.TOTPStepAt(s.Clock.Now()), auth.TOTPDigits)
}

// TestTwoFactorWithoutScript walks two-factor sign-in through the forms
// alone: set up from the profile (a wrong code refused, the secret gone
// once it is on), then a sign-in that sets no session until the second
// step gets a right code, and a second step that waited too long.
func TestTwoFactorWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	b := newBrowser(t, s)
	b.signIn("ada@uni.example", apptest.Password)
	mustContain(t, b.get("/profile"), `href="/account/two-factor"`)
	mustContain(t, b.get("/account/two-factor"), `data-two-factor="off"`)

	if p := b.post("/account/two-factor/start", url.Values{"csrf": {b.csrf()}}); p.status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", p.status, p.body)
	}
	p := b.get("/account/two-factor")
	mustContain(t, p, `data-two-factor="pending"`, "otpauth://totp/Quire:ada@uni.example?")
	m := secretOnPage.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no secret on the page:\n%s", p.body)
	}
	secret := m[1]
	if p := b.post("/account/two-factor/confirm", url.Values{"csrf": {b.csrf()}, "code": {"000000"}}); p.status != http.StatusBadRequest {
		t.Fatalf("a wrong code: %d", p.status)
	} else {
		mustContain(t, p, `id="f-code-error"`, `data-two-factor="pending"`, secret)
	}
	p = b.post("/account/two-factor/confirm", url.Values{"csrf": {b.csrf()}, "code": {totpNow(t, s, secret)}})
	codes := recoveryCodeOnPage.FindAllStringSubmatch(p.body, -1)
	if p.status != http.StatusOK || len(codes) != account.RecoveryCodes {
		t.Fatalf("confirm: %d, %d recovery codes\n%s", p.status, len(codes), p.body)
	}
	mustContain(t, p, `data-two-factor="on"`)
	if p := b.get("/account/two-factor"); strings.Contains(p.body, secret) || strings.Contains(p.body, codes[0][1]) {
		t.Fatal("the secret or a recovery code is shown again")
	}

	// The password leads to the second step, with no session yet.
	c := newBrowser(t, s)
	p = c.post("/login", url.Values{"email": {"ada@uni.example"}, "password": {apptest.Password}, "next": {"/submissions"}})
	if p.status != http.StatusSeeOther || p.location != "/login/two-factor?next=%2Fsubmissions" {
		t.Fatalf("sign in: %d %s", p.status, p.location)
	}
	noSessionCookie(t, "the password step", p)
	if p := c.get("/submissions"); p.status != http.StatusSeeOther {
		t.Fatalf("signed in with the password alone: %d", p.status)
	}
	token := c.formToken(p.location)
	p = c.postRaw("/login/two-factor", url.Values{"csrf": {token}, "next": {"/submissions"}, "code": {totpNow(t, s, secret)}})
	if p.status != http.StatusUnauthorized {
		t.Fatalf("the code already used to set up: %d", p.status)
	}
	mustContain(t, p, `id="f-code-error"`)
	noSessionCookie(t, "a used code", p)
	s.Clock.Advance(auth.TOTPStep)
	p = c.postRaw("/login/two-factor", url.Values{"csrf": {token}, "next": {"/submissions"}, "code": {totpNow(t, s, secret)}})
	if p.status != http.StatusSeeOther || p.location != "/submissions" || c.cookie("quire_access") == nil {
		t.Fatalf("second step: %d %s", p.status, p.location)
	}
	if p := c.get("/submissions"); p.status != http.StatusOK {
		t.Fatalf("after the second step: %d", p.status)
	}
	// The second step without the password's cookie, or from another site, does nothing.
	d := newBrowser(t, s)
	if p := d.postRaw("/login/two-factor", url.Values{"csrf": {d.formToken("/login")}, "code": {codes[0][1]}}); p.status != http.StatusUnauthorized {
		t.Fatalf("second step without the first: %d", p.status)
	}

	// A second step after five minutes starts again from the password.
	p = d.post("/login", url.Values{"email": {"ada@uni.example"}, "password": {apptest.Password}, "next": {"/"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", p.status)
	}
	s.Clock.Advance(account.TwoFactorTTL)
	p = d.postRaw("/login/two-factor", url.Values{"csrf": {d.formToken(p.location)}, "next": {"/"}, "code": {codes[1][1]}})
	if p.status != http.StatusUnauthorized {
		t.Fatalf("late second step: %d", p.status)
	}
	mustContain(t, p, `action="/login"`, "waited too long")
	noSessionCookie(t, "a late second step", p)
}
