package account_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/dbtest"
	"github.com/quirehq/quire/internal/problem"
)

const password = "correct horse battery staple"

// setupTwoFactor returns an account service on a fresh database, its
// clock, and the id of a person with two-factor sign-in on, its secret and
// recovery codes.
func setupTwoFactor(t *testing.T) (*account.Service, *clock.Fake, int64, []byte, []string) {
	t.Helper()
	ctx := context.Background()
	key, err := auth.GenerateKey("k1")
	if err != nil {
		t.Fatal(err)
	}
	ring, err := auth.NewKeyRing("quire", "quire", []auth.SigningKey{key})
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(time.Date(2026, 3, 2, 9, 0, 5, 0, time.UTC))
	base, _ := url.Parse("http://quire.test")
	s := &account.Service{DB: dbtest.Pool(t), Clock: clk, Keys: ring, Limits: &account.Limits{}, BaseURL: base,
		Passwords: auth.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		Log:       slog.New(slog.NewTextHandler(io.Discard, nil))}
	var u account.User
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		u, err = s.Create(ctx, tx, account.NewAccount{Email: "ada@uni.example", Name: "Ada", Password: password})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	en, err := s.StartTwoFactor(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	secret, err := auth.DecodeTOTPSecret(en.Secret)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(en.URI, "secret="+en.Secret) || !strings.HasPrefix(en.URI, "otpauth://totp/Quire:ada@uni.example?") {
		t.Fatalf("uri %s", en.URI)
	}
	// Not on until a code confirms it: the password alone still signs in.
	if _, err := s.Login(ctx, "ada@uni.example", password, "", "ip"); err != nil {
		t.Fatalf("login while enrolling: %v", err)
	}
	if _, err := s.ConfirmTwoFactor(ctx, u.ID, auth.HOTP(secret, auth.TOTPStepAt(clk.Now())+5, 6), "ip"); !errors.Is(err, problem.ErrInvalid) {
		t.Fatalf("confirming with a wrong code: %v", err)
	}
	codes, err := s.ConfirmTwoFactor(ctx, u.ID, auth.HOTP(secret, auth.TOTPStepAt(clk.Now()), 6), "ip")
	if err != nil {
		t.Fatal(err)
	}
	return s, clk, u.ID, secret, codes
}

func code(secret []byte, now time.Time) string { return auth.HOTP(secret, auth.TOTPStepAt(now), 6) }

func TestTwoFactorEnrollment(t *testing.T) {
	t.Parallel()
	s, clk, uid, _, codes := setupTwoFactor(t)
	ctx := context.Background()
	st, err := s.TwoFactorStatus(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	// Once on, the secret is never shown again.
	if !st.On || st.Pending != nil || st.RecoveryLeft != 10 || len(codes) != 10 {
		t.Fatalf("status %+v, %d codes", st, len(codes))
	}
	if _, err := s.StartTwoFactor(ctx, uid); !errors.Is(err, problem.ErrConflict) {
		t.Fatalf("starting again while on: %v", err)
	}
	if _, err := s.Login(ctx, "ada@uni.example", password, "", "ip"); !errors.Is(err, problem.ErrUnauthorized) {
		t.Fatalf("password alone: %v", err)
	}
	clk.Advance(time.Minute)
	if _, err := s.Login(ctx, "ada@uni.example", password, codes[0], "ip"); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.TwoFactorStatus(ctx, uid); st.RecoveryLeft != 9 {
		t.Fatalf("recovery codes left: %d, want 9", st.RecoveryLeft)
	}
}

func TestTwoFactorBrowserChallenge(t *testing.T) {
	t.Parallel()
	s, clk, _, secret, _ := setupTwoFactor(t)
	ctx := context.Background()
	tok, challenge, err := s.BeginLogin(ctx, "ada@uni.example", password, "ip")
	if err != nil || challenge == "" || tok.Access != "" {
		t.Fatalf("begin: %q %+v %v", challenge, tok, err)
	}
	// A forged or altered challenge is refused, even with a right code.
	clk.Advance(auth.TOTPStep)
	// One character of the signed part changed (not the last ones, whose
	// low bits base64 ignores): the signature no longer matches.
	altered := []byte(challenge)
	altered[len(altered)/2] ^= 1
	if _, err := s.FinishLogin(ctx, string(altered), code(secret, clk.Now()), "ip"); !errors.Is(err, account.ErrTwoFactorExpired) {
		t.Fatalf("altered challenge: %v", err)
	}
	if _, err := s.FinishLogin(ctx, challenge, "123", "ip"); !errors.Is(err, problem.ErrUnauthorized) {
		t.Fatalf("wrong code: %v", err)
	}
	tok, err = s.FinishLogin(ctx, challenge, code(secret, clk.Now()), "ip")
	if err != nil || tok.Access == "" {
		t.Fatalf("finish: %+v %v", tok, err)
	}
	// A challenge lasts five minutes.
	_, challenge, _ = s.BeginLogin(ctx, "ada@uni.example", password, "ip")
	clk.Advance(account.TwoFactorTTL)
	if _, err := s.FinishLogin(ctx, challenge, code(secret, clk.Now()), "ip"); !errors.Is(err, account.ErrTwoFactorExpired) {
		t.Fatalf("expired challenge: %v", err)
	}
}

func TestTwoFactorRenewAndDisable(t *testing.T) {
	t.Parallel()
	s, clk, uid, secret, codes := setupTwoFactor(t)
	ctx := context.Background()
	clk.Advance(auth.TOTPStep)
	fresh, err := s.RenewRecoveryCodes(ctx, uid, code(secret, clk.Now()), "ip")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Login(ctx, "ada@uni.example", password, codes[0], "ip"); !errors.Is(err, problem.ErrUnauthorized) {
		t.Fatalf("an old recovery code after renewal: %v", err)
	}
	// Turning it off takes the password and a code.
	if err := s.DisableTwoFactor(ctx, uid, "wrong horse battery", fresh[0], "ip"); !errors.Is(err, problem.ErrInvalid) {
		t.Fatalf("wrong password: %v", err)
	}
	if err := s.DisableTwoFactor(ctx, uid, password, "nope-nope", "ip"); !errors.Is(err, problem.ErrUnauthorized) {
		t.Fatalf("wrong code: %v", err)
	}
	if err := s.DisableTwoFactor(ctx, uid, password, fresh[0], "ip"); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.TwoFactorStatus(ctx, uid); st.On || st.Pending != nil {
		t.Fatalf("still on: %+v", st)
	}
	if _, err := s.Login(ctx, "ada@uni.example", password, "", "ip"); err != nil {
		t.Fatalf("password alone after turning it off: %v", err)
	}
	var actions []string
	if err := s.DB.QueryRow(ctx, `SELECT array_agg(action ORDER BY id) FROM audit_log WHERE actor_id = $1`, uid).Scan(&actions); err != nil {
		t.Fatal(err)
	}
	if want := "account.two_factor.enable account.two_factor.recovery_codes account.two_factor.disable"; strings.Join(actions, " ") != want {
		t.Fatalf("audited %v, want %s", actions, want)
	}
}

// TestTwoFactorCodesCountAgainstTheSignInLimit: codes typed while signed
// in cannot be guessed without end.
func TestTwoFactorCodesCountAgainstTheSignInLimit(t *testing.T) {
	t.Parallel()
	s, clk, uid, secret, _ := setupTwoFactor(t)
	ctx := context.Background()
	lim, err := auth.NewMemoryLimiter(auth.Rate{Burst: 3, Per: time.Hour}, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Limits = &account.Limits{LoginAccount: lim}
	for i := range 3 {
		if _, err := s.RenewRecoveryCodes(ctx, uid, "000000", "ip"); !errors.Is(err, problem.ErrUnauthorized) {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	clk.Advance(auth.TOTPStep)
	if _, err := s.RenewRecoveryCodes(ctx, uid, code(secret, clk.Now()), "ip"); !errors.Is(err, problem.ErrRateLimited) {
		t.Fatalf("a fourth code within the limit: %v", err)
	}
	if err := s.DisableTwoFactor(ctx, uid, password, code(secret, clk.Now()), "ip"); !errors.Is(err, problem.ErrRateLimited) {
		t.Fatalf("turning it off past the limit: %v", err)
	}
}
