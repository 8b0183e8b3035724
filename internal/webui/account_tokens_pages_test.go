package webui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

var (
	tokenSecret = regexp.MustCompile(`data-secret[^>]*value="(qpat_[A-Za-z0-9_-]+)"|value="(qpat_[A-Za-z0-9_-]+)"[^>]*data-secret`)
	tokenItem   = regexp.MustCompile(`data-token="([0-9]+)"`)
)

func secretOn(t *testing.T, p page) string {
	t.Helper()
	m := tokenSecret.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no secret on the page: %s", p.body)
	}
	return m[1] + m[2]
}

// TestTokensWithoutScript: Ada makes a token in a plain form, reads its
// secret once, uses it on the API (never on pages), and revokes it. The
// forms need their CSRF token; a bad expiry is told next to the field.
func TestTokensWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	b := newBrowser(t, s)
	b.signIn("ada@uni.example", apptest.Password)
	mustContain(t, b.get("/profile"), `href="/account/tokens"`)
	p := b.get("/account/tokens")
	mustContain(t, p, "Your API tokens", "You have no API tokens.", `value="read"`, `value="submit"`)
	if strings.Contains(p.body, `value="chair:`) {
		t.Errorf("a chair scope offered to someone who chairs nothing")
	}

	form := url.Values{"name": {"Import script"}, "scope": {"read"}, "expires": {s.Clock.Now().AddDate(0, 1, 0).Format(time.DateOnly)}}
	if r := b.post("/account/tokens", form); r.status != http.StatusForbidden {
		t.Fatalf("creating without the CSRF token: %d", r.status)
	}
	bad := url.Values{"csrf": {b.csrf()}, "name": {"Import script"}, "scope": {"read"}, "expires": {s.Clock.Now().AddDate(2, 0, 0).Format(time.DateOnly)}}
	if r := b.post("/account/tokens", bad); r.status != http.StatusBadRequest || !strings.Contains(r.body, `aria-describedby="f-expires_at-error"`) || !strings.Contains(r.body, `id="f-expires_at-error"`) {
		t.Fatalf("an expiry two years away: %d %s", r.status, r.body)
	}
	form.Set("csrf", b.csrf())
	created := b.post("/account/tokens", form)
	if created.status != http.StatusCreated {
		t.Fatalf("creating: %d %s", created.status, created.body)
	}
	mustContain(t, created, "Your new token", "shown this once", "Import script")
	secret := secretOn(t, created)

	if r := s.As(t, secret, "GET", "/api/v1/me", nil); r.StatusCode != http.StatusOK || r.Map(t)["email"] != "ada@uni.example" {
		t.Fatalf("the token on the API: %s %s", r.Status, r.Body)
	}
	// Never on pages: a bearer token does not sign a page request in.
	anon := newBrowser(t, s)
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/profile", nil)
	req.Header.Set("Authorization", "Bearer "+secret)
	res, err := anon.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a page with the token: %s", res.Status)
	}

	list := b.get("/account/tokens")
	if strings.Contains(list.body, secret) {
		t.Fatal("the secret is shown again")
	}
	mustContain(t, list, "Import script", "Last used", "from 127.0.0.1")
	ids := tokenItem.FindAllStringSubmatch(list.body, -1)
	if len(ids) != 1 {
		t.Fatalf("tokens listed: %v", ids)
	}
	revoke := "/account/tokens/" + ids[0][1] + "/revoke"
	if r := b.post(revoke, url.Values{}); r.status != http.StatusForbidden {
		t.Fatalf("revoking without the CSRF token: %d", r.status)
	}
	r := b.post(revoke, url.Values{"csrf": {b.csrf()}})
	if r.status != http.StatusSeeOther || r.location != "/account/tokens?revoked=1" {
		t.Fatalf("revoking: %d %q", r.status, r.location)
	}
	mustContain(t, b.get(r.location), "The token was revoked", "You have no API tokens.")
	if r := s.As(t, secret, "GET", "/api/v1/me", nil); r.StatusCode != http.StatusUnauthorized || !strings.Contains(string(r.Body), "token_revoked") {
		t.Fatalf("a revoked token: %s %s", r.Status, r.Body)
	}
}
