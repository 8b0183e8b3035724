package httpapi_test

import (
	"context"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/auth"
)

// enrollTwoFactor turns two-factor sign-in on for uid as the profile page
// does, and returns the secret and the recovery codes.
func enrollTwoFactor(t *testing.T, s *apptest.Server, uid int64) ([]byte, []string) {
	t.Helper()
	ctx := context.Background()
	acc := s.App.Services.Accounts
	en, err := acc.StartTwoFactor(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := auth.DecodeTOTPSecret(en.Secret)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := acc.ConfirmTwoFactor(ctx, uid, auth.HOTP(secret, auth.TOTPStepAt(s.Clock.Now()), 6), "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes, want 10", len(codes))
	}
	return secret, codes
}

func TestTwoFactorLogin(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	uid := s.CreateUser(t, "ada@uni.example", "Ada", false)
	secret, codes := enrollTwoFactor(t, s, uid)
	login := func(otp string) *apptest.Response {
		body := map[string]string{"email": "ada@uni.example", "password": apptest.Password}
		if otp != "" {
			body["otp"] = otp
		}
		return s.Do(t, "POST", "/api/v1/auth/login", body)
	}
	now := func() string { return auth.HOTP(secret, auth.TOTPStepAt(s.Clock.Now()), 6) }

	// The password alone is not enough, and a wrong password still says so first.
	expectProblem(t, login(""), 401, "two_factor_required")
	expectProblem(t, s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "ada@uni.example", "password": "wrong horse", "otp": now()}), 401, "invalid_credentials")

	// The code of the step used to enroll is spent; the next one works once.
	expectProblem(t, login(now()), 401, "invalid_two_factor_code")
	s.Clock.Advance(auth.TOTPStep)
	r := login(now())
	if r.StatusCode != 200 {
		t.Fatalf("login with a code: %s %s", r.Status, r.Body)
	}
	if me := s.As(t, r.Map(t)["access_token"].(string), "GET", "/api/v1/me", nil).Map(t); me["email"] != "ada@uni.example" {
		t.Fatalf("me: %v", me)
	}
	expectProblem(t, login(now()), 401, "invalid_two_factor_code")

	// A wrong code, and one from too far in the future, are refused.
	expectProblem(t, login(auth.HOTP(secret, auth.TOTPStepAt(s.Clock.Now())+3, 6)), 401, "invalid_two_factor_code")
	expectProblem(t, login("000000x"), 401, "invalid_two_factor_code")

	// A recovery code works once, typed in any case.
	if r := login(codes[3]); r.StatusCode != 200 {
		t.Fatalf("login with a recovery code: %s %s", r.Status, r.Body)
	}
	expectProblem(t, login(codes[3]), 401, "invalid_two_factor_code")
	if r := login(codes[4][:10] + " " + codes[4][10:]); r.StatusCode != 200 {
		t.Fatalf("login with a recovery code typed with a space: %s %s", r.Status, r.Body)
	}
}

func TestTwoFactorOffByDefault(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "bob@uni.example", "Bob", false)
	// Without two-factor sign-in an otp is ignored, and the password is enough.
	r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "bob@uni.example", "password": apptest.Password, "otp": "123456"})
	if r.StatusCode != 200 {
		t.Fatalf("login: %s %s", r.Status, r.Body)
	}
}
