package httpapi_test

import (
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/auth"
)

// TestTwoFactorRequiredOfChairs walks QUIRE_REQUIRE_TWO_FACTOR=chairs: an
// administrator and a chair without a second factor can sign in, see who
// they are and set it up through the API, and nothing else; a reviewer
// or author is not asked; an administrator's reset sends the chair back
// to setting it up.
func TestTwoFactorRequiredOfChairs(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t, apptest.Options{Env: map[string]string{"QUIRE_REQUIRE_TWO_FACTOR": "chairs"}})
	s.CreateUser(t, "admin@example.org", "Site Admin", true)
	chairID := s.CreateUser(t, "chair.a@example.org", "Chair A", false)
	s.CreateUser(t, "author@example.org", "Ann Author", false)
	admin := s.Login(t, "admin@example.org")
	create := func(tok string) *apptest.Response {
		return s.As(t, tok, "POST", "/api/v1/venues", map[string]any{"settings_yaml": venueYAML(t, "venue-a"), "chairs": []string{"chair.a@example.org"}})
	}

	// The administrator signs in with the password, sees who they are, and
	// is refused the rest until a second factor is on.
	if r := s.As(t, admin, "GET", "/api/v1/me", nil); r.StatusCode != 200 {
		t.Fatalf("me: %s %s", r.Status, r.Body)
	}
	expectProblem(t, create(admin), 403, "two_factor_setup_required")
	expectProblem(t, s.As(t, admin, "GET", "/api/v1/me/sessions", nil), 403, "two_factor_setup_required")
	st := s.As(t, admin, "GET", "/api/v1/me/two-factor", nil).Map(t)
	if st["required"] != true || st["on"] != false {
		t.Fatalf("status before: %v", st)
	}
	setUpTwoFactorByAPI(t, s, admin)
	if r := create(admin); r.StatusCode != 201 {
		t.Fatalf("create after setting up: %s %s", r.Status, r.Body)
	}
	if st := s.As(t, admin, "GET", "/api/v1/me/two-factor", nil).Map(t); st["on"] != true || st["required"] != true || st["recovery_codes_left"] != float64(10) {
		t.Fatalf("status after: %v", st)
	}

	// An author is not covered; a new chair is, at once.
	author := s.Login(t, "author@example.org")
	if r := s.As(t, author, "GET", "/api/v1/me/submissions", nil); r.StatusCode != 200 {
		t.Fatalf("author: %s %s", r.Status, r.Body)
	}
	if st := s.As(t, author, "GET", "/api/v1/me/two-factor", nil).Map(t); st["required"] != false {
		t.Fatalf("author's status: %v", st)
	}
	chair := s.Login(t, "chair.a@example.org")
	expectProblem(t, s.As(t, chair, "GET", "/api/v1/venues/venue-a/submissions", nil), 403, "two_factor_setup_required")
	// A personal API token cannot stand in for the sign-in that sets it up.
	expectProblem(t, s.As(t, chair, "POST", "/api/v1/me/tokens", map[string]any{"name": "script", "scopes": []string{"read"}}), 403, "two_factor_setup_required")
	setUpTwoFactorByAPI(t, s, chair)
	if r := s.As(t, chair, "GET", "/api/v1/venues/venue-a/submissions", nil); r.StatusCode != 200 {
		t.Fatalf("chair after setting up: %s %s", r.Status, r.Body)
	}

	// Only an administrator resets, and only what is on.
	expectProblem(t, s.As(t, chair, "POST", "/api/v1/admin/two-factor-resets", map[string]string{"email": "admin@example.org"}), 403, "not_admin")
	expectProblem(t, s.As(t, admin, "POST", "/api/v1/admin/two-factor-resets", map[string]string{"email": "nobody@example.org"}), 404, "unknown_person")
	expectProblem(t, s.As(t, admin, "POST", "/api/v1/admin/two-factor-resets", map[string]string{"email": "author@example.org"}), 409, "two_factor_off")
	if r := s.As(t, admin, "POST", "/api/v1/admin/two-factor-resets", map[string]string{"email": "Chair.A@example.org"}); r.StatusCode != 204 {
		t.Fatalf("reset: %s %s", r.Status, r.Body)
	}
	// The chair's sessions ended, they were told, and the password alone
	// signs in again, into setting it up anew.
	expectProblem(t, s.As(t, chair, "GET", "/api/v1/me", nil), 401, "invalid_token")
	s.WaitMail(t, "chair.a@example.org", "two-factor sign-in was turned off")
	chair = s.Login(t, "chair.a@example.org")
	expectProblem(t, s.As(t, chair, "GET", "/api/v1/venues/venue-a/submissions", nil), 403, "two_factor_setup_required")
	var actor int64
	if err := s.App.Pool.QueryRow(t.Context(), `SELECT actor_id FROM audit_log WHERE action = 'account.two_factor.reset' AND subject = 'user:' || $1::bigint`, chairID).Scan(&actor); err != nil {
		t.Fatalf("audit entry of the reset: %v", err)
	}
}

// setUpTwoFactorByAPI turns a second factor on through the API.
func setUpTwoFactorByAPI(t *testing.T, s *apptest.Server, tok string) {
	t.Helper()
	r := s.As(t, tok, "POST", "/api/v1/me/two-factor", nil)
	if r.StatusCode != 200 {
		t.Fatalf("start: %s %s", r.Status, r.Body)
	}
	pending, _ := r.Map(t)["pending"].(map[string]any)
	key, _ := pending["secret"].(string)
	if uri, _ := pending["uri"].(string); !strings.HasPrefix(uri, "otpauth://totp/") || key == "" {
		t.Fatalf("pending: %v", pending)
	}
	secret, err := auth.DecodeTOTPSecret(key)
	if err != nil {
		t.Fatal(err)
	}
	expectProblem(t, s.As(t, tok, "POST", "/api/v1/me/two-factor/confirm", map[string]string{"code": "12345x"}), 400, "invalid_request")
	r = s.As(t, tok, "POST", "/api/v1/me/two-factor/confirm", map[string]string{"code": auth.HOTP(secret, auth.TOTPStepAt(s.Clock.Now()), 6)})
	if r.StatusCode != 200 {
		t.Fatalf("confirm: %s %s", r.Status, r.Body)
	}
	if codes, _ := r.Map(t)["recovery_codes"].([]any); len(codes) != 10 {
		t.Fatalf("recovery codes: %v", r.Map(t))
	}
}
