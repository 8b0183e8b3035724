package webui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

// postWith sends form to path with extra request headers, as a page of
// another site (or an old browser) would.
func (b *browser) postWith(path string, form url.Values, headers ...string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

func noSessionCookie(t *testing.T, what string, p page) {
	t.Helper()
	for _, c := range p.header.Values("Set-Cookie") {
		for _, name := range []string{"quire_access=", "quire_refresh=", "quire_csrf="} {
			if strings.HasPrefix(c, name) {
				t.Errorf("%s sets %s", what, c)
			}
		}
	}
}

// TestCrossSiteSignInIsRefused: the sign-in form carries a token of its
// page and must come from this site. A page of another site posting its
// own account's password (to sign the visitor into it) is refused with a
// page saying so, and no session cookie is set; so is a form without the
// token, or with another browser's; the same holds for creating an
// account and resetting the password. The real form signs in.
func TestCrossSiteSignInIsRefused(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "mallory@evil.example", "Mallory", false)
	victim, attacker := newBrowser(t, s), newBrowser(t, s)
	token := victim.formToken("/login")
	if len(token) < 32 {
		t.Fatalf("the sign-in page carries no token: %q", token)
	}
	creds := url.Values{"email": {"mallory@evil.example"}, "password": {apptest.Password}, "next": {"/"}}
	with := func(tok string) url.Values {
		f := url.Values{"csrf": {tok}}
		for k, v := range creds {
			f[k] = v
		}
		return f
	}
	evil := "https://evil.example"
	for _, tt := range []struct {
		name    string
		form    url.Values
		headers []string
		says    string
	}{
		{"a page of another site, by Fetch metadata", with(token), []string{"Sec-Fetch-Site", "cross-site", "Origin", evil}, "sent from another site"},
		{"a page of another site, by Origin", with(token), []string{"Origin", evil}, "sent from another site"},
		{"a sibling host", with(token), []string{"Sec-Fetch-Site", "same-site"}, "sent from another site"},
		{"a sandboxed frame", with(token), []string{"Origin", "null"}, "sent from another site"},
		{"no token", creds, nil, "out of date or did not come from Quire"},
		{"another browser's token", with(attacker.formToken("/login")), nil, "out of date or did not come from Quire"},
		{"an empty token", with(""), nil, "out of date or did not come from Quire"},
	} {
		p := victim.postWith("/login", tt.form, tt.headers...)
		if p.status != http.StatusForbidden || !strings.Contains(p.body, tt.says) {
			t.Errorf("%s: %d, want 403 saying %q\n%.600s", tt.name, p.status, tt.says, p.body)
		}
		noSessionCookie(t, tt.name, p)
	}
	if c := victim.cookie("quire_access"); c != nil {
		t.Fatalf("the victim is signed in: %v", c)
	}
	for _, path := range []string{"/register", "/reset-password"} {
		form := url.Values{"name": {"Nia"}, "email": {"nia@uni.example"}, "password": {"a good long passphrase"}}
		if p := victim.postRaw(path, form); p.status != http.StatusForbidden {
			t.Errorf("%s without its token: %d", path, p.status)
		}
		form.Set("csrf", victim.formToken(path))
		if p := victim.postWith(path, form, "Sec-Fetch-Site", "cross-site"); p.status != http.StatusForbidden {
			t.Errorf("%s from another site: %d", path, p.status)
		}
	}

	// The form itself, as the browser sends it from this site.
	p := victim.postWith("/login", with(victim.formToken("/login")), "Sec-Fetch-Site", "same-origin", "Origin", s.URL)
	if p.status != http.StatusSeeOther || p.location != "/" || victim.cookie("quire_access") == nil {
		t.Fatalf("signing in from the form: %d %q\n%.600s", p.status, p.location, p.body)
	}
}

// TestSignInNextStaysOnThisSite: whatever next a link gives the sign-in
// page, every Location the sign-in flow answers with (signed in already,
// or after the form) is a path of this host that no browser reads as
// another: /login?next=/%09/evil.example/x used to answer /\t/evil.example/x,
// which Chromium read as https://evil.example/x.
func TestSignInNextStaysOnThisSite(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	base, _ := url.Parse(s.URL)
	in := newBrowser(t, s)
	in.signIn("ada@uni.example", apptest.Password)
	attempts := []string{
		"/%09/evil.example/x", "/%0a/evil.example", "/%0d/evil.example", "/%5cevil.example", "/%5C%5Cevil.example",
		"/%2f%2fevil.example", "/%252f%252fevil.example", "///evil.example", "//evil.example", "/./%5Cevil.example",
		"/.//evil.example", "/%E3%80%80/evil.example", "/%C2%A0/evil.example", "/%E2%80%A8/evil.example", "/%EF%BB%BF/evil.example",
		"/%00/evil.example", "https://evil.example/", "%2F%2Fevil.example", "/%0d%0aSet-Cookie:%20a=b", "/%2509/evil.example",
		"/submissions", "/venues/dlde-2023?tab=about",
	}
	check := func(how, raw, loc string) {
		t.Helper()
		u, err := url.Parse(loc)
		ok := err == nil && strings.HasPrefix(loc, "/") && !strings.HasPrefix(loc, "//") && !strings.ContainsRune(loc, '\\')
		for i := 0; ok && i < len(loc); i++ {
			ok = loc[i] > ' ' && loc[i] < 0x7f
		}
		if !ok || base.ResolveReference(u).Host != base.Host {
			t.Errorf("%s, next=%s: Location %q leaves the site", how, raw, loc)
		}
	}
	// The reported case, sent as it was.
	if p := in.get("/login?next=/%09/evil.example/x"); p.status != http.StatusSeeOther || p.location != "/" {
		t.Errorf("the reported case: %d %q", p.status, p.location)
	}
	for _, raw := range attempts {
		p := in.get("/login?next=" + raw)
		if p.status != http.StatusSeeOther {
			t.Fatalf("signed in, next=%s: %d", raw, p.status)
		}
		check("signed in already", raw, p.location)
		next, err := url.QueryUnescape(raw)
		if err != nil {
			t.Fatal(err)
		}
		s.Clock.Advance(2 * time.Minute) // within the sign-in limit of the account
		out := newBrowser(t, s)
		f := url.Values{"email": {"ada@uni.example"}, "password": {apptest.Password}, "next": {next}}
		p = out.post("/login", f)
		if p.status != http.StatusSeeOther {
			t.Fatalf("signing in, next=%s: %d %.300s", raw, p.status, p.body)
		}
		check("after the form", raw, p.location)
		// And the form the sign-in page shows carries only what is safe.
		form := out.get("/login?next=" + raw)
		if strings.Contains(form.body, "evil.example") {
			t.Errorf("the sign-in page for next=%s keeps it", raw)
		}
	}
	if p := in.get("/login?next=/venues/dlde-2023?tab=about"); p.location != "/venues/dlde-2023?tab=about" {
		t.Errorf("a plain path: %q", p.location)
	}
}

// TestSignOutEndsTheAccessCookie: after signing out in one browser, its
// access cookie, replayed, opens no page and no API call, though it has
// most of its 15 minutes left; the same person's other browser goes on.
func TestSignOutEndsTheAccessCookie(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	laptop, phone := newBrowser(t, s), newBrowser(t, s)
	laptop.signIn("ada@uni.example", apptest.Password)
	phone.signIn("ada@uni.example", apptest.Password)
	stolen := laptop.cookie("quire_access").Value
	if p := laptop.post("/logout", url.Values{"csrf": {laptop.csrf()}}); p.status != http.StatusSeeOther || laptop.cookie("quire_access") != nil {
		t.Fatalf("signing out: %d %v", p.status, laptop.cookie("quire_access"))
	}
	replay := newBrowser(t, s)
	replay.client.Jar.SetCookies(replay.base, []*http.Cookie{{Name: "quire_access", Value: stolen, Path: "/"}})
	if p := replay.get("/submissions"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login?") {
		t.Errorf("a page with the signed-out access cookie: %d %q", p.status, p.location)
	}
	if r := s.Do(t, "GET", "/api/v1/me", nil, "Cookie", "quire_access="+stolen); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("the API with the signed-out access cookie: %s", r.Status)
	}
	if r := s.As(t, stolen, "GET", "/api/v1/me", nil); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("the API with the signed-out access token: %s", r.Status)
	}
	if p := phone.get("/submissions"); p.status != http.StatusOK {
		t.Errorf("the other browser after the sign-out: %d %q", p.status, p.location)
	}
}
