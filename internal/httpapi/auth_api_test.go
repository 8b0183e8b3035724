package httpapi_test

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/mail/smtptest"
)

func TestMain(m *testing.M) { apptest.Main(m) }

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("token")
}

func expectProblem(t *testing.T, r *apptest.Response, status int, code string) map[string]any {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", r.StatusCode, status, r.Body)
	}
	m := r.Map(t)
	if m["code"] != code {
		t.Fatalf("code %v, want %s: %s", m["code"], code, r.Body)
	}
	return m
}

func TestRegisterVerifyLoginAndProfile(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	reg := map[string]any{"email": "Ada@Example.org", "name": "Ada Lovelace", "password": "analytical engine 1843",
		"affiliation": "Analytical Society", "keywords": []string{"neural ODEs", "neural odes", "PINNs"}}
	r := s.Do(t, "POST", "/api/v1/auth/register", reg)
	if r.StatusCode != http.StatusAccepted {
		t.Fatalf("register: %s %s", r.Status, r.Body)
	}
	first := r.Map(t)["message"]

	// An unverified account can sign in.
	login := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "ada@example.org", "password": "analytical engine 1843"})
	if login.StatusCode != 200 {
		t.Fatalf("login: %s %s", login.Status, login.Body)
	}
	access := login.Map(t)["access_token"].(string)
	me := s.As(t, access, "GET", "/api/v1/me", nil).Map(t)
	if me["email_verified"] != false || me["email"] != "Ada@Example.org" {
		t.Fatalf("me before verifying: %v", me)
	}
	if kw := me["keywords"].([]any); len(kw) != 2 {
		t.Fatalf("keywords not de-duplicated: %v", kw)
	}

	// The verification link arrives by real SMTP.
	mail := s.WaitMail(t, "Ada@Example.org", "onfirm")
	link := apptest.LinkIn(t, mail, "/verify")
	if r := s.Do(t, "POST", "/api/v1/auth/verify", map[string]string{"token": tokenOf(t, link)}); r.StatusCode != 200 {
		t.Fatalf("verify: %s %s", r.Status, r.Body)
	}
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/verify", map[string]string{"token": tokenOf(t, link)}), 400, "invalid_token")
	if me := s.As(t, access, "GET", "/api/v1/me", nil).Map(t); me["email_verified"] != true {
		t.Fatalf("not verified: %v", me)
	}

	// Registering the same email again answers the same, and tells the owner.
	r = s.Do(t, "POST", "/api/v1/auth/register", map[string]any{"email": "ada@EXAMPLE.org", "name": "Mallory", "password": "another long password"})
	if r.StatusCode != http.StatusAccepted || r.Map(t)["message"] != first {
		t.Fatalf("second registration must look the same: %s %s", r.Status, r.Body)
	}
	s.WaitMail(t, "Ada@Example.org", "tried to register")

	// Profile updates.
	r = s.As(t, access, "PATCH", "/api/v1/me", map[string]any{"affiliation": "University of London", "orcid": "0000-0002-1825-0097"})
	if r.StatusCode != 200 || r.Map(t)["orcid"] != "0000-0002-1825-0097" {
		t.Fatalf("patch me: %s %s", r.Status, r.Body)
	}
	expectProblem(t, s.As(t, access, "PATCH", "/api/v1/me", map[string]any{"orcid": "0000-0002-1825-0098"}), 400, "invalid_request")
	expectProblem(t, s.Do(t, "GET", "/api/v1/me", nil), 401, "unauthorized")
}

func TestContractRejectsBadRequestsNamingTheField(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	r := s.Do(t, "POST", "/api/v1/auth/register", map[string]any{"email": "not-an-email", "name": "X", "password": "short"})
	m := expectProblem(t, r, 400, "invalid_request")
	fields := map[string]bool{}
	for _, e := range m["errors"].([]any) {
		fields[e.(map[string]any)["field"].(string)] = true
	}
	if !fields["body.email"] || !fields["body.password"] {
		t.Fatalf("fields named: %v (%s)", fields, r.Body)
	}
	r = s.Do(t, "POST", "/api/v1/auth/login", map[string]any{"email": "a@b.c", "password": "x", "extra": 1})
	expectProblem(t, r, 400, "invalid_request")
	r = s.Do(t, "POST", "/api/v1/auth/login", "{not json", "Content-Type", "application/json")
	expectProblem(t, r, 400, "invalid_request")
}

func TestLoginFailuresLookAlike(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "grace@example.org", "Grace Hopper", false)
	wrong := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "grace@example.org", "password": "not her password"})
	unknown := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "nobody@example.org", "password": "not her password"})
	a, b := expectProblem(t, wrong, 401, "invalid_credentials"), expectProblem(t, unknown, 401, "invalid_credentials")
	if a["detail"] != b["detail"] {
		t.Fatalf("a wrong password and an unknown account must read the same: %v vs %v", a, b)
	}
}

func TestLoginIsRateLimited(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "target@example.org", "Target", false)
	var last *apptest.Response
	for i := 0; i < 11; i++ {
		last = s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "target@example.org", "password": "guess number " + string(rune('a'+i))})
	}
	expectProblem(t, last, 429, "rate_limited")
	if last.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	// The limit is per account: the right password is refused too until the window passes.
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "target@example.org", "password": apptest.Password}), 429, "rate_limited")
	s.Clock.Advance(20 * time.Minute)
	if r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "target@example.org", "password": apptest.Password}); r.StatusCode != 200 {
		t.Fatalf("after the window: %s", r.Status)
	}
}

// TestForwardedAddressesAreBelievedOnlyFromTrustedProxies: without
// QUIRE_TRUSTED_PROXIES a client cannot dodge the per-address limit by
// sending a new X-Forwarded-For each time; behind a configured proxy the
// forwarded address is the client's, so distinct clients are not lumped
// together while one client still is.
func TestForwardedAddressesAreBelievedOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	register := func(s *apptest.Server, i int, from string) *apptest.Response {
		return s.Do(t, "POST", "/api/v1/auth/register", map[string]any{"email": fmt.Sprintf("p%d@example.org", i), "name": "Person",
			"password": "a long enough password"}, "X-Forwarded-For", from)
	}
	direct := apptest.Start(t)
	for i := range 10 {
		if r := register(direct, i, fmt.Sprintf("203.0.113.%d", i)); r.StatusCode != 202 {
			t.Fatalf("registration %d: %s %s", i, r.Status, r.Body)
		}
	}
	expectProblem(t, register(direct, 10, "203.0.113.99"), 429, "rate_limited")

	proxied := apptest.Start(t, apptest.Options{Env: map[string]string{"QUIRE_TRUSTED_PROXIES": "127.0.0.1"}})
	for i := range 11 {
		if r := register(proxied, i, fmt.Sprintf("203.0.113.%d", i)); r.StatusCode != 202 {
			t.Fatalf("registration %d from its own address behind the proxy: %s %s", i, r.Status, r.Body)
		}
	}
	for i := 11; i < 21; i++ {
		if r := register(proxied, i, "198.51.100.7"); r.StatusCode != 202 {
			t.Fatalf("registration %d: %s %s", i, r.Status, r.Body)
		}
	}
	expectProblem(t, register(proxied, 21, "198.51.100.7"), 429, "rate_limited")
}

// TestLoginLimitIsSharedByReplicas: two servers on one database, as behind a
// load balancer; guesses spread over both get no more than from one.
func TestLoginLimitIsSharedByReplicas(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t)
	b := apptest.Start(t, apptest.Options{Env: map[string]string{"DATABASE_URL": a.App.Config.DatabaseURL}})
	a.CreateUser(t, "target@example.org", "Target", false)
	for i := 0; i < 10; i++ {
		s := a
		if i%2 == 1 {
			s = b
		}
		if r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "target@example.org", "password": "guess " + strconv.Itoa(i)}); r.StatusCode != 401 {
			t.Fatalf("guess %d: %s", i, r.Status)
		}
	}
	for _, s := range []*apptest.Server{a, b} {
		expectProblem(t, s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "target@example.org", "password": apptest.Password}), 429, "rate_limited")
	}
}

func TestRefreshRotationReuseAndLogout(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "rot@example.org", "Rotating", false)
	login := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "rot@example.org", "password": apptest.Password}).Map(t)
	r1 := login["refresh_token"].(string)

	r := s.Do(t, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": r1})
	if r.StatusCode != 200 {
		t.Fatalf("refresh: %s %s", r.Status, r.Body)
	}
	r2 := r.Map(t)["refresh_token"].(string)
	if r2 == r1 {
		t.Fatal("refresh token not rotated")
	}
	// Replaying the old token is theft: the whole family dies, r2 included.
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": r1}), 401, "refresh_token_reused")
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": r2}), 401, "invalid_refresh_token")

	// Logout revokes.
	r3 := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "rot@example.org", "password": apptest.Password}).Map(t)["refresh_token"].(string)
	if r := s.Do(t, "POST", "/api/v1/auth/logout", map[string]string{"refresh_token": r3}); r.StatusCode != 204 {
		t.Fatalf("logout: %s", r.Status)
	}
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": r3}), 401, "invalid_refresh_token")

	// Expired refresh tokens are refused.
	r4 := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "rot@example.org", "password": apptest.Password}).Map(t)["refresh_token"].(string)
	s.Clock.Advance(31 * 24 * time.Hour)
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": r4}), 401, "invalid_refresh_token")
}

func TestPasswordReset(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "forgetful@example.org", "Forgetful", false)
	old := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "forgetful@example.org", "password": apptest.Password}).Map(t)["refresh_token"].(string)

	known := s.Do(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "forgetful@example.org"})
	unknown := s.Do(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "stranger@example.org"})
	if known.StatusCode != 202 || unknown.StatusCode != 202 || string(known.Body) != string(unknown.Body) {
		t.Fatalf("reset answers differ: %s %s / %s %s", known.Status, known.Body, unknown.Status, unknown.Body)
	}
	token := tokenOf(t, apptest.LinkIn(t, s.WaitMail(t, "forgetful@example.org", "eset"), "reset"))
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "password": "forgetful@example.org"}), 400, "invalid_request")

	// That failure rolled back: the token still works once.
	token2 := tokenOf(t, apptest.LinkIn(t, s.WaitMail(t, "forgetful@example.org", "eset"), "reset"))
	if token2 != token {
		t.Fatal("one reset request, one token")
	}
	if r := s.Do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "password": "a brand new passphrase"}); r.StatusCode != 200 {
		t.Fatalf("confirm: %s %s", r.Status, r.Body)
	}
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "password": "yet another passphrase"}), 400, "invalid_token")
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/refresh", map[string]string{"refresh_token": old}), 401, "invalid_refresh_token")
	if r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "forgetful@example.org", "password": "a brand new passphrase"}); r.StatusCode != 200 {
		t.Fatalf("login with the new password: %s", r.Status)
	}
	// Reset links expire after an hour.
	s.Do(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "forgetful@example.org"})
	var late string
	s.WaitMailWhere(t, "second reset mail", func(m smtptest.Message) bool {
		for _, l := range smtptest.ExtractLinks(m.Text) {
			if strings.Contains(l, "reset") && tokenOf(t, l) != token {
				late = tokenOf(t, l)
				return true
			}
		}
		return false
	})
	s.Clock.Advance(61 * time.Minute)
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": late, "password": "too late passphrase"}), 400, "invalid_token")
}

// serverKey reads the signing key the test server generated in its data folder.
func serverKey(t *testing.T, s *apptest.Server) auth.SigningKey {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.App.Config.DataDir, "jwt.keys"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := auth.ParseKeys(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return keys[0]
}

func TestRejectedAccessTokens(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	uid := s.CreateUser(t, "holder@example.org", "Holder", false)
	good := s.Login(t, "holder@example.org")
	if r := s.As(t, good, "GET", "/api/v1/me", nil); r.StatusCode != 200 {
		t.Fatalf("a good token: %s", r.Status)
	}
	key := serverKey(t, s)
	iss := s.App.Config.BaseURL.String()
	now := s.Clock.Now()
	// A token is good only with the session id of a login that is on.
	var real auth.Claims
	if _, _, err := jwt.NewParser().ParseUnverified(good, &real); err != nil || real.SessionID == "" {
		t.Fatalf("the login's token has no session id: %v", err)
	}
	type accessClaims struct {
		jwt.RegisteredClaims
		SessionID string `json:"sid,omitempty"`
	}
	claims := func(mut func(*jwt.RegisteredClaims)) accessClaims {
		c := jwt.RegisteredClaims{Issuer: iss, Audience: jwt.ClaimStrings{iss + "/api"}, Subject: itoa(uid),
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(10 * time.Minute)), ID: "x"}
		if mut != nil {
			mut(&c)
		}
		return accessClaims{RegisteredClaims: c, SessionID: real.SessionID}
	}
	sign := func(c accessClaims, kid string, k ed25519.PrivateKey) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
		tok.Header["typ"] = "at+jwt" // RFC 9068 access token
		if kid != "" {
			tok.Header["kid"] = kid
		}
		out, err := tok.SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	valid := sign(claims(nil), key.ID, key.Private)
	if r := s.As(t, valid, "GET", "/api/v1/me", nil); r.StatusCode != 200 {
		t.Fatalf("a hand-made valid token must pass, or the cases below prove nothing: %s", r.Body)
	}
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, claims(nil)).SignedString(jwt.UnsafeAllowNoneSignatureType)
	hsTok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(nil))
	hsTok.Header["kid"] = key.ID
	hsTok.Header["typ"] = "at+jwt"
	hs, _ := hsTok.SignedString([]byte(key.Private.Public().(ed25519.PublicKey)))
	other, _ := auth.GenerateKey(key.ID)
	parts := strings.Split(valid, ".")
	tampered := parts[0] + "." + parts[1] + "." + strings.Repeat("A", len(parts[2]))

	cases := map[string]string{
		"alg none":                  none,
		"HS256 with the public key": hs,
		"bad signature":             tampered,
		"signed by another key":     sign(claims(nil), key.ID, other.Private),
		"expired":                   sign(claims(func(c *jwt.RegisteredClaims) { c.ExpiresAt = jwt.NewNumericDate(now.Add(-time.Minute)) }), key.ID, key.Private),
		"not yet valid":             sign(claims(func(c *jwt.RegisteredClaims) { c.NotBefore = jwt.NewNumericDate(now.Add(5 * time.Minute)) }), key.ID, key.Private),
		"wrong issuer":              sign(claims(func(c *jwt.RegisteredClaims) { c.Issuer = "https://evil.example" }), key.ID, key.Private),
		"wrong audience":            sign(claims(func(c *jwt.RegisteredClaims) { c.Audience = jwt.ClaimStrings{"someone-else"} }), key.ID, key.Private),
		"unknown kid":               sign(claims(nil), "no-such-key", key.Private),
		"missing kid":               sign(claims(nil), "", key.Private),
		"garbage":                   "not.a.jwt",
		"no session id":             sign(accessClaims{RegisteredClaims: claims(nil).RegisteredClaims}, key.ID, key.Private),
		"an unknown session":        sign(accessClaims{RegisteredClaims: claims(nil).RegisteredClaims, SessionID: "5f0e7c1a-3b7e-4d0c-9a51-6c2f1f1f1f1f"}, key.ID, key.Private),
		"another person's session":  sign(accessClaims{RegisteredClaims: claims(func(c *jwt.RegisteredClaims) { c.Subject = itoa(uid + 1000) }).RegisteredClaims, SessionID: real.SessionID}, key.ID, key.Private),
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			expectProblem(t, s.As(t, tok, "GET", "/api/v1/me", nil), 401, "invalid_token")
		})
	}
	// The real token expires after 15 minutes by the server's clock.
	s.Clock.Advance(16 * time.Minute)
	expectProblem(t, s.As(t, good, "GET", "/api/v1/me", nil), 401, "invalid_token")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestBrowserCookiesNeedCSRF(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "browser@example.org", "Browser User", false)
	r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "browser@example.org", "password": apptest.Password})
	cookies := map[string]*http.Cookie{}
	for _, c := range r.Cookies() {
		cookies[c.Name] = c
	}
	acc, csrf := cookies["quire_access"], cookies["quire_csrf"]
	if acc == nil || csrf == nil || cookies["quire_refresh"] == nil || !acc.HttpOnly || csrf.HttpOnly || !cookies["quire_refresh"].HttpOnly {
		t.Fatalf("cookies: %v", r.Header.Values("Set-Cookie"))
	}
	if acc.SameSite != http.SameSiteLaxMode {
		t.Fatalf("access cookie SameSite = %v", acc.SameSite)
	}
	cookie := "quire_access=" + acc.Value
	// Reading needs no CSRF token.
	if r := s.Do(t, "GET", "/api/v1/me", nil, "Cookie", cookie); r.StatusCode != 200 {
		t.Fatalf("GET with cookie: %s", r.Status)
	}
	// Changing state with only the cookie is what a forged cross-site form does.
	expectProblem(t, s.Do(t, "PATCH", "/api/v1/me", map[string]string{"affiliation": "Evil"}, "Cookie", cookie), 403, "csrf_token_invalid")
	expectProblem(t, s.Do(t, "PATCH", "/api/v1/me", map[string]string{"affiliation": "Evil"}, "Cookie", cookie, "X-CSRF-Token", "guess"), 403, "csrf_token_invalid")
	if r := s.Do(t, "PATCH", "/api/v1/me", map[string]string{"affiliation": "Good"}, "Cookie", cookie, "X-CSRF-Token", csrf.Value); r.StatusCode != 200 {
		t.Fatalf("PATCH with CSRF: %s %s", r.Status, r.Body)
	}
	// The refresh cookie alone rotates the session (the browser's path).
	r = s.Do(t, "POST", "/api/v1/auth/refresh", nil, "Cookie", "quire_refresh="+cookies["quire_refresh"].Value)
	if r.StatusCode != 200 {
		t.Fatalf("refresh by cookie: %s %s", r.Status, r.Body)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
