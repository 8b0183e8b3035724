package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestADatabaseOutageIsA503AndSignsNobodyOut takes PostgreSQL away from a
// running Quire (every connection cut, new ones refused) and checks every
// kind of answer: the API, sign-in, the session refresh, signed-in and
// public pages, and /readyz. Each is 503 with Retry-After, nothing clears a
// session cookie or sends anyone to sign in, and all works again once the
// database is back, with the same session.
func TestADatabaseOutageIsA503AndSignsNobodyOut(t *testing.T) {
	t.Parallel()
	s, db := apptest.StartBehindProxy(t)
	s.CreateUser(t, "admin@example.org", "Admin", true)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	if r := s.As(t, s.Login(t, "admin@example.org"), "POST", "/api/v1/venues", map[string]any{"settings_yaml": venueYAML(t, "dlde-2023"), "chairs": []string{"admin@example.org"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("venue: %s", r.Body)
	}
	tok := s.Session(t, "ada@uni.example")
	cookies := "quire_access=" + tok.Access + "; quire_refresh=" + tok.Refresh + "; quire_csrf=" + tok.CSRF
	type call struct {
		name, method, path string
		body               any
		headers            []string
	}
	calls := []call{
		{"an API read", "GET", "/api/v1/me", nil, apptest.Bearer(tok.Access)},
		{"an API list", "GET", "/api/v1/me/submissions", nil, apptest.Bearer(tok.Access)},
		{"sign-in", "POST", "/api/v1/auth/login", map[string]string{"email": "ada@uni.example", "password": apptest.Password}, nil},
		{"the cookie refresh", "POST", "/api/v1/auth/refresh", map[string]any{}, []string{"Cookie", cookies, "X-CSRF-Token", tok.CSRF}},
		{"a signed-in page", "GET", "/submissions", nil, []string{"Cookie", cookies}},
		{"a signed-in form", "POST", "/venues/dlde-2023/submit", "title=x&csrf=" + tok.CSRF, []string{"Cookie", cookies, "Content-Type", "application/x-www-form-urlencoded", "Origin", s.URL}},
		{"a public page", "GET", "/venues/dlde-2023", nil, nil},
	}
	for _, c := range calls {
		if r := s.Do(t, c.method, c.path, c.body, c.headers...); r.StatusCode >= 400 && r.StatusCode != http.StatusBadRequest {
			t.Fatalf("before the outage, %s: %s %s", c.name, r.Status, r.Body)
		}
	}
	tok = s.Session(t, "ada@uni.example") // the refresh above rotated the token
	cookies = "quire_access=" + tok.Access + "; quire_refresh=" + tok.Refresh + "; quire_csrf=" + tok.CSRF
	calls[3].headers = []string{"Cookie", cookies, "X-CSRF-Token", tok.CSRF}
	calls[4].headers = []string{"Cookie", cookies}
	calls[5].headers[1], calls[5].body = cookies, "title=x&csrf="+tok.CSRF

	db.Cut()
	for _, c := range calls {
		r := s.Do(t, c.method, c.path, c.body, c.headers...)
		if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
			t.Errorf("during the outage, %s: %s (Retry-After %q) %.300s", c.name, r.Status, r.Header.Get("Retry-After"), r.Body)
		}
		for _, ck := range r.Header.Values("Set-Cookie") {
			if strings.Contains(ck, "Max-Age=0") || strings.Contains(ck, "Max-Age=-1") || strings.Contains(ck, "=;") {
				t.Errorf("during the outage, %s clears a cookie: %s", c.name, ck)
			}
		}
		if loc := r.Header.Get("Location"); strings.HasPrefix(loc, "/login") {
			t.Errorf("during the outage, %s sends the person to sign in", c.name)
		}
		if strings.HasPrefix(c.path, "/api/") && !strings.Contains(string(r.Body), `"code":"database_unavailable"`) {
			t.Errorf("during the outage, %s: %s", c.name, r.Body)
		}
	}
	// The signed-out start page needs no database: it may answer, never 500.
	if r := s.Do(t, "GET", "/", nil); r.StatusCode != http.StatusOK && r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("the start page during the outage: %s", r.Status)
	}
	if r := s.Do(t, "GET", "/readyz", nil); r.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the outage: %s", r.Status)
	}

	db.Restore()
	for _, c := range calls {
		if r := s.Do(t, c.method, c.path, c.body, c.headers...); r.StatusCode >= 400 && r.StatusCode != http.StatusBadRequest {
			t.Errorf("after the outage, %s: %s %.300s", c.name, r.Status, r.Body)
		}
	}
}
