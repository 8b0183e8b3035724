package webui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

var sessionItem = regexp.MustCompile(`data-session="([0-9a-f-]{36})"( data-current)?`)

// sessionIDs reads the sessions page: this browser's session and the others.
func sessionIDs(t *testing.T, p page) (current string, others []string) {
	t.Helper()
	for _, m := range sessionItem.FindAllStringSubmatch(p.body, -1) {
		if m[2] != "" {
			current = m[1]
		} else {
			others = append(others, m[1])
		}
	}
	return current, others
}

// TestEndingSessionsWithoutScript: signed in on two browsers, Ada sees both
// on one, ends the other's session (which is then signed out), signs in
// there again, and signs out everywhere else. The forms need their CSRF
// token, and another person cannot end her sessions.
func TestEndingSessionsWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	s.CreateUser(t, "bob@uni.example", "Bob", false)
	laptop, phone, bob := newBrowser(t, s), newBrowser(t, s), newBrowser(t, s)
	for _, b := range []*browser{laptop, phone} {
		b.signIn("ada@uni.example", apptest.Password)
	}
	bob.signIn("bob@uni.example", apptest.Password)
	mustContain(t, laptop.get("/profile"), `href="/account/sessions"`)

	p := laptop.get("/account/sessions")
	mustContain(t, p, "Your sessions", "This browser", "Address", "Last used", "Sign out everywhere else")
	current, others := sessionIDs(t, p)
	if current == "" || len(others) != 1 {
		t.Fatalf("sessions: current %q, others %v", current, others)
	}
	if _, phoneOthers := sessionIDs(t, phone.get("/account/sessions")); len(phoneOthers) != 1 || phoneOthers[0] != current {
		t.Fatalf("the phone's list should show the laptop as the other session: %v", phoneOthers)
	}

	end := "/account/sessions/" + others[0] + "/end"
	if r := laptop.post(end, url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("ending a session without the CSRF token: %d", r.status)
	}
	if r := bob.post(end, url.Values{"csrf": {bob.csrf()}}); r.status != http.StatusNotFound {
		t.Errorf("Bob ending Ada's session: %d", r.status)
	}
	if r := phone.get("/submissions"); r.status != http.StatusOK {
		t.Fatalf("the phone after the failed attempts: %d", r.status)
	}
	r := laptop.post(end, url.Values{"csrf": {laptop.csrf()}})
	if r.status != http.StatusSeeOther || r.location != "/account/sessions?ended=1" {
		t.Fatalf("ending the phone's session: %d %q %s", r.status, r.location, r.body)
	}
	mustContain(t, laptop.get(r.location), "The session was ended", "This browser is your only session.")
	if r := phone.get("/submissions"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/login") {
		t.Errorf("the phone after its session was ended: %d %q", r.status, r.location)
	}

	phone.signIn("ada@uni.example", apptest.Password)
	if r := laptop.post("/account/sessions/others/end", url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("signing out everywhere else without the CSRF token: %d", r.status)
	}
	r = laptop.post("/account/sessions/others/end", url.Values{"csrf": {laptop.csrf()}})
	if r.status != http.StatusSeeOther || r.location != "/account/sessions?others=1" {
		t.Fatalf("signing out everywhere else: %d %q %s", r.status, r.location, r.body)
	}
	mustContain(t, laptop.get(r.location), "Signed out everywhere else: 1 session ended.")
	if r := phone.get("/submissions"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/login") {
		t.Errorf("the phone after signing out everywhere else: %d %q", r.status, r.location)
	}
	if r := bob.get("/submissions"); r.status != http.StatusOK {
		t.Errorf("Bob after Ada signed out everywhere else: %d", r.status)
	}
}
