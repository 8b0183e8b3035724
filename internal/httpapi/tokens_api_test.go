package httpapi_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

type apiToken struct {
	ID              int64      `json:"id"`
	Name            string     `json:"name"`
	Scopes          []string   `json:"scopes"`
	Expires         time.Time  `json:"expires_at"`
	LastUsed        *time.Time `json:"last_used_at"`
	LastUsedAddress string     `json:"last_used_address"`
	Secret          string     `json:"secret"`
}

func makeToken(t *testing.T, s *apptest.Server, access, name string, expires time.Duration, scopes ...string) apiToken {
	t.Helper()
	r := s.As(t, access, "POST", "/api/v1/me/tokens", map[string]any{"name": name, "scopes": scopes,
		"expires_at": s.Clock.Now().Add(expires).Format(time.RFC3339)})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("creating a token: %s %s", r.Status, r.Body)
	}
	var tok apiToken
	r.JSON(t, &tok)
	if !strings.HasPrefix(tok.Secret, "qpat_") || len(tok.Secret) < 40 {
		t.Fatalf("secret %q", tok.Secret)
	}
	return tok
}

func tokensOf(t *testing.T, s *apptest.Server, access string) []apiToken {
	t.Helper()
	r := s.As(t, access, "GET", "/api/v1/me/tokens", nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("listing tokens: %s %s", r.Status, r.Body)
	}
	if strings.Contains(string(r.Body), "qpat_") || strings.Contains(string(r.Body), "secret") {
		t.Fatalf("the list tells a secret: %s", r.Body)
	}
	var out []apiToken
	r.JSON(t, &out)
	return out
}

// TestTokensScopes: each scope allows what the middleware maps it to and
// nothing more, and a token never manages tokens or sessions.
func TestTokensScopes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	read := makeToken(t, w.s, w.author, "reader", 24*time.Hour, "read")
	submit := makeToken(t, w.s, w.author, "submitter", 24*time.Hour, "submit")
	chair := makeToken(t, w.s, w.chair, "import script", 24*time.Hour, "chair:dlde-2023")

	if r := w.s.As(t, read.Secret, "GET", "/api/v1/me", nil); r.StatusCode != 200 || r.Map(t)["email"] != "ada@uni.example" {
		t.Fatalf("read token on GET /me: %s %s", r.Status, r.Body)
	}
	expectProblem(t, w.s.As(t, read.Secret, "POST", "/api/v1/venues/dlde-2023/submissions", paper()), 403, "token_scope")
	r := w.s.As(t, submit.Secret, "POST", "/api/v1/venues/dlde-2023/submissions", paper())
	if r.StatusCode != 201 {
		t.Fatalf("submit token submitting: %s %s", r.Status, r.Body)
	}
	id := strconv.FormatInt(int64(r.Map(t)["id"].(float64)), 10)
	if r := w.s.As(t, submit.Secret, "POST", "/api/v1/submissions/"+id+"/withdraw", map[string]any{}); r.StatusCode >= 300 {
		t.Fatalf("submit token withdrawing its paper: %s %s", r.Status, r.Body)
	}
	// A submit token is no chair's, even when its holder chairs.
	chairSubmit := makeToken(t, w.s, w.chair, "submit only", 24*time.Hour, "submit")
	invite := map[string]any{"email": "new@example.org", "role": "reviewer"}
	expectProblem(t, w.s.As(t, chairSubmit.Secret, "POST", "/api/v1/venues/dlde-2023/invitations", invite), 403, "token_scope")
	// A chair's actions on a paper take the chair scope of its venue, not
	// submit: the author's token cannot undo the withdrawal, the chair's
	// submit token cannot either, the chair token can; a paper unknown to
	// the token's holder gets the same answer as one outside the scope.
	expectProblem(t, w.s.As(t, submit.Secret, "POST", "/api/v1/submissions/"+id+"/reinstate", nil), 403, "token_scope")
	expectProblem(t, w.s.As(t, chairSubmit.Secret, "POST", "/api/v1/submissions/"+id+"/reinstate", nil), 403, "token_scope")
	expectProblem(t, w.s.As(t, chair.Secret, "POST", "/api/v1/submissions/999999/reinstate", nil), 403, "token_scope")
	if r := w.s.As(t, chair.Secret, "POST", "/api/v1/submissions/"+id+"/reinstate", nil); r.StatusCode != 200 {
		t.Fatalf("chair token reinstating a paper: %s %s", r.Status, r.Body)
	}
	if r := w.s.As(t, chair.Secret, "POST", "/api/v1/submissions/"+id+"/waiver", map[string]any{"reason": "The limit does not apply to this track."}); r.StatusCode >= 300 && r.StatusCode != 409 {
		t.Fatalf("chair token waiving the page check: %s %s", r.Status, r.Body)
	}
	if r := w.s.As(t, chair.Secret, "POST", "/api/v1/venues/dlde-2023/invitations", invite); r.StatusCode >= 300 {
		t.Fatalf("chair token inviting: %s %s", r.Status, r.Body)
	}
	expectProblem(t, w.s.As(t, chair.Secret, "POST", "/api/v1/venues/other-2023/invitations", invite), 403, "token_scope")
	// Chairing other-2023 is not enough for a chair:other-2023 token of dlde's chair.
	expectProblem(t, w.s.As(t, w.chair, "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scopes": []string{"chair:other-2023"},
		"expires_at": w.s.Clock.Now().Add(time.Hour).Format(time.RFC3339)}), 400, "invalid_request")

	// Tokens need a real sign-in for tokens, sessions and the account.
	for _, c := range []struct{ method, path string }{
		{"POST", "/api/v1/me/tokens"}, {"GET", "/api/v1/me/tokens"}, {"DELETE", "/api/v1/me/tokens/" + strconv.FormatInt(read.ID, 10)},
		{"GET", "/api/v1/me/sessions"}, {"DELETE", "/api/v1/me/sessions"}, {"PATCH", "/api/v1/me"}, {"POST", "/api/v1/auth/logout"},
		{"GET", "/api/v1/me/two-factor"}, {"POST", "/api/v1/me/two-factor"},
	} {
		var body any
		if c.method == "POST" && strings.HasSuffix(c.path, "tokens") {
			body = map[string]any{"name": "x", "scopes": []string{"read"}, "expires_at": w.s.Clock.Now().Add(time.Hour).Format(time.RFC3339)}
		}
		if c.method == "PATCH" {
			body = map[string]any{"name": "Mallory"}
		}
		expectProblem(t, w.s.As(t, chair.Secret, c.method, c.path, body), 403, "token_not_allowed")
	}
	if n := len(tokensOf(t, w.s, w.chair)); n != 2 {
		t.Fatalf("the chair has %d tokens, want 2", n)
	}
}

// TestTokensExpireRevokeAndRecordUse: an expired or revoked token is a 401
// with its own code, the last use is kept to the minute, the secret is
// never told again, and no sign-in limit is spent.
func TestTokensExpireRevokeAndRecordUse(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	access := s.Login(t, "ada@uni.example")
	// A year and a day is too long; no expiry is refused too.
	expectProblem(t, s.As(t, access, "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scopes": []string{"read"},
		"expires_at": s.Clock.Now().Add(367 * 24 * time.Hour).Format(time.RFC3339)}), 400, "invalid_request")
	expectProblem(t, s.As(t, access, "POST", "/api/v1/me/tokens", map[string]any{"name": "x", "scopes": []string{"read"}}), 400, "invalid_request")

	short := makeToken(t, s, access, "short", 2*time.Hour, "read")
	long := makeToken(t, s, access, "long", 300*24*time.Hour, "read", "submit")
	if list := tokensOf(t, s, access); len(list) != 2 || list[0].LastUsed != nil {
		t.Fatalf("list before use: %+v", list)
	}
	loginBefore := loginBuckets(t, s)
	for range 40 { // more than the sign-in limit would allow
		if r := s.As(t, long.Secret, "GET", "/api/v1/me", nil); r.StatusCode != 200 {
			t.Fatalf("GET /me with a token: %s %s", r.Status, r.Body)
		}
	}
	first := s.Clock.Now()
	s.Clock.Advance(30 * time.Second)
	s.As(t, long.Secret, "GET", "/api/v1/me", nil)
	used := tokensOf(t, s, access)[0]
	if used.ID != long.ID || used.LastUsed == nil || !used.LastUsed.Equal(first) || used.LastUsedAddress != "127.0.0.1" {
		t.Fatalf("last use within the minute: %+v, want %v from 127.0.0.1", used, first)
	}
	s.Clock.Advance(31 * time.Second)
	s.As(t, long.Secret, "GET", "/api/v1/me", nil)
	if used := tokensOf(t, s, access)[0]; !used.LastUsed.Equal(s.Clock.Now()) {
		t.Fatalf("last use after a minute: %v, want %v", used.LastUsed, s.Clock.Now())
	}
	if after := loginBuckets(t, s); after != loginBefore || loginBefore == "" {
		t.Fatalf("the sign-in limit moved: %q, then %q", loginBefore, after)
	}
	var tokenBuckets int
	if err := s.App.Pool.QueryRow(context.Background(), `SELECT count(*) FROM rate_limits WHERE key LIKE 'api-token|%'`).Scan(&tokenBuckets); err != nil || tokenBuckets != 1 {
		t.Fatalf("token rate limit rows: %d %v", tokenBuckets, err)
	}

	s.Clock.Advance(2 * time.Hour)
	expectProblem(t, s.As(t, short.Secret, "GET", "/api/v1/me", nil), 401, "token_expired")
	access = s.Login(t, "ada@uni.example") // the access token has expired too
	if r := s.As(t, access, "DELETE", "/api/v1/me/tokens/"+strconv.FormatInt(long.ID, 10), nil); r.StatusCode != 204 {
		t.Fatalf("revoking: %s %s", r.Status, r.Body)
	}
	expectProblem(t, s.As(t, long.Secret, "GET", "/api/v1/me", nil), 401, "token_revoked")
	expectProblem(t, s.As(t, access, "DELETE", "/api/v1/me/tokens/"+strconv.FormatInt(long.ID, 10), nil), 404, "token_not_found")
	expectProblem(t, s.As(t, "qpat_"+strings.Repeat("A", 43), "GET", "/api/v1/venues", nil), 401, "token_invalid")
	// Another person cannot revoke Ada's token.
	s.CreateUser(t, "eve@elsewhere.example", "Eve", false)
	expectProblem(t, s.As(t, s.Login(t, "eve@elsewhere.example"), "DELETE", "/api/v1/me/tokens/"+strconv.FormatInt(short.ID, 10), nil), 404, "token_not_found")
}

// loginBuckets tells the sign-in limits' state: their keys and instants.
func loginBuckets(t *testing.T, s *apptest.Server) string {
	t.Helper()
	var out string
	err := s.App.Pool.QueryRow(context.Background(),
		`SELECT coalesce(string_agg(key || '=' || tat::text, ',' ORDER BY key), '') FROM rate_limits WHERE key LIKE 'login-%'`).Scan(&out)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
