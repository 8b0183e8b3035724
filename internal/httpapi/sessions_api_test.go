package httpapi_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

const (
	uaFirefoxLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	uaSafariPhone  = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
	uaChromeWin    = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
)

type apiSession struct {
	ID       string    `json:"id"`
	Device   string    `json:"device"`
	Address  string    `json:"address"`
	Created  time.Time `json:"created_at"`
	LastUsed time.Time `json:"last_used_at"`
	Current  bool      `json:"current"`
}

func loginWith(t *testing.T, s *apptest.Server, email, userAgent string) apiLogin {
	t.Helper()
	r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": apptest.Password}, "User-Agent", userAgent)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("login: %s %s", r.Status, r.Body)
	}
	m := r.Map(t)
	return apiLogin{access: m["access_token"].(string), refresh: m["refresh_token"].(string)}
}

func sessionsOf(t *testing.T, s *apptest.Server, access string) []apiSession {
	t.Helper()
	r := s.As(t, access, "GET", "/api/v1/me/sessions", nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("listing sessions: %s %s", r.Status, r.Body)
	}
	var out []apiSession
	r.JSON(t, &out)
	return out
}

func byDevice(t *testing.T, list []apiSession, device string) apiSession {
	t.Helper()
	for _, s := range list {
		if s.Device == device {
			return s
		}
	}
	t.Fatalf("no session on %q in %+v", device, list)
	return apiSession{}
}

func expectWorks(t *testing.T, s *apptest.Server, l apiLogin, what string) {
	t.Helper()
	if r := s.As(t, l.access, "GET", "/api/v1/me", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s %s", what, r.Status, r.Body)
	}
}

// expectEnded: neither the access token nor the refresh token of an ended
// session works any more, though the access token has most of its life left.
func expectEnded(t *testing.T, s *apptest.Server, l apiLogin) {
	t.Helper()
	expectProblem(t, s.As(t, l.access, "GET", "/api/v1/me", nil), 401, "invalid_token")
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": l.refresh}), 401, "invalid_refresh_token")
}

// TestSessionsListEndOneAndEndOthers walks the list of sessions: three
// logins of one person on three devices, one of another person's; ending
// one, then all but the current one, and trying to end someone else's.
func TestSessionsListEndOneAndEndOthers(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	s.CreateUser(t, "bob@uni.example", "Bob", false)
	laptop := loginWith(t, s, "ada@uni.example", uaFirefoxLinux)
	phone := loginWith(t, s, "ada@uni.example", uaSafariPhone)
	office := loginWith(t, s, "ada@uni.example", uaChromeWin)
	bob := loginWith(t, s, "bob@uni.example", uaFirefoxLinux)

	s.Clock.Advance(2 * time.Minute)
	expectWorks(t, s, laptop, "the laptop") // a use the list shows
	list := sessionsOf(t, s, laptop.access)
	if len(list) != 3 {
		t.Fatalf("Ada's sessions: %+v, want 3", list)
	}
	l, p := byDevice(t, list, "Firefox on Linux"), byDevice(t, list, "Safari on iOS")
	byDevice(t, list, "Chrome on Windows")
	if !l.Current || p.Current || list[0].ID != l.ID {
		t.Errorf("the laptop's session should be current and listed first: %+v", list)
	}
	if l.Address == "" || !l.LastUsed.After(p.LastUsed) || !p.LastUsed.Equal(p.Created) {
		t.Errorf("address and last use: laptop %+v, phone %+v", l, p)
	}
	if got := sessionsOf(t, s, bob.access); len(got) != 1 || !got[0].Current {
		t.Errorf("Bob's sessions: %+v", got)
	}

	// Another person's session is not found, and goes on working.
	expectProblem(t, s.As(t, bob.access, "DELETE", "/api/v1/me/sessions/"+p.ID, nil), 404, "session_not_found")
	expectProblem(t, s.As(t, bob.access, "DELETE", "/api/v1/me/sessions/not-a-uuid", nil), 400, "invalid_request")
	expectWorks(t, s, phone, "the phone after Bob tried to end it")

	if r := s.As(t, laptop.access, "DELETE", "/api/v1/me/sessions/"+p.ID, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("ending the phone's session: %s %s", r.Status, r.Body)
	}
	expectEnded(t, s, phone)
	expectWorks(t, s, laptop, "the laptop after ending the phone")
	expectWorks(t, s, office, "the office after ending the phone")
	expectProblem(t, s.As(t, laptop.access, "DELETE", "/api/v1/me/sessions/"+p.ID, nil), 404, "session_not_found")
	if got := sessionsOf(t, s, laptop.access); len(got) != 2 {
		t.Errorf("after ending the phone: %+v", got)
	}

	r := s.As(t, laptop.access, "DELETE", "/api/v1/me/sessions", nil)
	if r.StatusCode != http.StatusOK || r.Map(t)["ended"] != 1.0 {
		t.Fatalf("signing out everywhere else: %s %s", r.Status, r.Body)
	}
	expectEnded(t, s, office)
	expectWorks(t, s, laptop, "the current session after signing out everywhere else")
	expectWorks(t, s, bob, "another person's session")
	if got := sessionsOf(t, s, laptop.access); len(got) != 1 || got[0].ID != l.ID {
		t.Errorf("after signing out everywhere else: %+v", got)
	}
	// The current one still refreshes.
	if r := s.Do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": laptop.refresh}); r.StatusCode != http.StatusOK {
		t.Fatalf("refreshing the current session: %s %s", r.Status, r.Body)
	}

	var audited int
	if err := s.App.Pool.QueryRow(context.Background(),
		`SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.actor_id
		 WHERE u.email = 'ada@uni.example' AND a.action IN ('session.end', 'session.end_others')`).Scan(&audited); err != nil {
		t.Fatal(err)
	}
	if audited != 2 {
		t.Errorf("%d audit entries for ended sessions, want 2", audited)
	}
}

// TestSessionLastUse: a refresh records its time, address and device; a
// request records its time only when the last one on record is over a
// minute old, so steady use is not a write per request.
func TestSessionLastUse(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	l := loginWith(t, s, "ada@uni.example", uaFirefoxLinux)
	signedIn := sessionsOf(t, s, l.access)[0].LastUsed

	s.Clock.Advance(30 * time.Second)
	expectWorks(t, s, l, "half a minute in")
	if got := sessionsOf(t, s, l.access)[0].LastUsed; !got.Equal(signedIn) {
		t.Errorf("last use %v half a minute in, want the sign-in's %v", got, signedIn)
	}
	s.Clock.Advance(2 * time.Minute)
	expectWorks(t, s, l, "two and a half minutes in")
	if got := sessionsOf(t, s, l.access)[0].LastUsed; !got.Equal(s.Clock.Now()) {
		t.Errorf("last use %v after a pause of two minutes, want %v", got, s.Clock.Now())
	}

	s.Clock.Advance(10 * time.Second)
	r := s.Do(t, "POST", "/api/v1/auth/refresh", map[string]any{"refresh_token": l.refresh}, "User-Agent", uaChromeWin)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("refresh: %s %s", r.Status, r.Body)
	}
	got := sessionsOf(t, s, r.Map(t)["access_token"].(string))
	if len(got) != 1 || got[0].Device != "Chrome on Windows" || !got[0].LastUsed.Equal(s.Clock.Now()) || !got[0].Created.Equal(signedIn) {
		t.Errorf("after a refresh from another browser: %+v", got)
	}
}
