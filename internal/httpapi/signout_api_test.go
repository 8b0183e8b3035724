package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

type apiLogin struct{ access, refresh string }

func loginTwice(t *testing.T, s *apptest.Server, email string) (apiLogin, apiLogin) {
	t.Helper()
	var out [2]apiLogin
	for i := range out {
		r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": apptest.Password})
		if r.StatusCode != http.StatusOK {
			t.Fatalf("login: %s %s", r.Status, r.Body)
		}
		m := r.Map(t)
		out[i] = apiLogin{access: m["access_token"].(string), refresh: m["refresh_token"].(string)}
	}
	return out[0], out[1]
}

// TestSignOutEndsTheAccessToken: after signing out, the access token of
// that login is refused at once, though it has most of its 15 minutes
// left, whether the sign-out named the refresh token or only came with the
// access token; another login of the same person goes on working.
func TestSignOutEndsTheAccessToken(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	laptop, phone := loginTwice(t, s, "ada@uni.example")
	for _, l := range []apiLogin{laptop, phone} {
		if r := s.As(t, l.access, "GET", "/api/v1/me", nil); r.StatusCode != http.StatusOK {
			t.Fatalf("before the sign-out: %s", r.Status)
		}
	}
	if r := s.As(t, laptop.access, "POST", "/api/v1/auth/logout", map[string]any{"refresh_token": laptop.refresh}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("sign-out: %s %s", r.Status, r.Body)
	}
	s.Clock.Advance(time.Minute)
	expectProblem(t, s.As(t, laptop.access, "GET", "/api/v1/me", nil), 401, "invalid_token")
	expectProblem(t, s.Do(t, "GET", "/api/v1/me", nil, "Cookie", "quire_access="+laptop.access), 401, "invalid_token")
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": laptop.refresh}), 401, "invalid_refresh_token")
	if r := s.As(t, phone.access, "GET", "/api/v1/me", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("the other login after the sign-out: %s %s", r.Status, r.Body)
	}

	// A sign-out with the access token alone ends its login as well, the
	// refresh token with it.
	if r := s.As(t, phone.access, "POST", "/api/v1/auth/logout", map[string]any{}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("sign-out by access token: %s %s", r.Status, r.Body)
	}
	expectProblem(t, s.As(t, phone.access, "GET", "/api/v1/me", nil), 401, "invalid_token")
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": phone.refresh}), 401, "invalid_refresh_token")
}

// TestPasswordResetEndsAccessTokens: choosing a new password signs out
// every login, their access tokens included.
func TestPasswordResetEndsAccessTokens(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	laptop, _ := loginTwice(t, s, "ada@uni.example")
	if r := s.As(t, laptop.access, "GET", "/api/v1/me", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("before the reset: %s", r.Status)
	}
	if r := s.Do(t, "POST", "/api/v1/auth/password-reset", map[string]string{"email": "ada@uni.example"}); r.StatusCode != http.StatusAccepted {
		t.Fatalf("asking for a reset: %s %s", r.Status, r.Body)
	}
	link := apptest.LinkIn(t, s.WaitMail(t, "ada@uni.example", "Reset"), "/reset-password")
	token := link[strings.Index(link, "token=")+len("token="):]
	if r := s.Do(t, "POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": token, "password": "a brand new passphrase"}); r.StatusCode != http.StatusOK {
		t.Fatalf("reset: %s %s", r.Status, r.Body)
	}
	expectProblem(t, s.As(t, laptop.access, "GET", "/api/v1/me", nil), 401, "invalid_token")
}

// TestCrossSiteAPISignInIsRefused: a page of another site cannot sign a
// browser in through the API (a form posting to it, or JSON smuggled in
// text/plain), and no cookie is set; scripts, which send no browser
// headers, and Quire's own pages still sign in.
func TestCrossSiteAPISignInIsRefused(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	body := `{"email":"ada@uni.example","password":"` + apptest.Password + `"}`
	for _, tt := range []struct {
		name    string
		headers []string
	}{
		{"a form of another site", []string{"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"}},
		{"text/plain from another site", []string{"Content-Type", "text/plain", "Origin", "https://evil.example"}},
		{"JSON from a sibling host", []string{"Content-Type", "application/json", "Sec-Fetch-Site", "same-site", "Origin", "https://evil." + strings.TrimPrefix(s.URL, "http://")}},
		{"a sandboxed frame", []string{"Content-Type", "application/json", "Origin", "null"}},
	} {
		r := s.Do(t, "POST", "/api/v1/auth/login", body, tt.headers...)
		expectProblem(t, r, http.StatusForbidden, "cross_site_request")
		if c := r.Header.Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("%s: cookies set: %v", tt.name, c)
		}
	}
	for _, tt := range []struct {
		name    string
		headers []string
	}{
		{"a script", []string{"Content-Type", "application/json"}},
		{"Quire's own page", []string{"Content-Type", "application/json", "Sec-Fetch-Site", "same-origin", "Origin", s.URL}},
	} {
		if r := s.Do(t, "POST", "/api/v1/auth/login", body, tt.headers...); r.StatusCode != http.StatusOK {
			t.Errorf("%s: %s %s", tt.name, r.Status, r.Body)
		}
	}
}
