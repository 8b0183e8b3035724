package account_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/quirehq/quire/internal/auth"
)

// TestTwoFactorSecretSealedAtRest: the database holds the TOTP key sealed,
// never as the app shows it; a key stored before sealing still works and is
// sealed at its first use.
func TestTwoFactorSecretSealedAtRest(t *testing.T) {
	t.Parallel()
	s, clk, uid, secret, _ := setupTwoFactor(t)
	ctx := context.Background()
	var stored []byte
	if err := s.DB.QueryRow(ctx, `SELECT secret FROM two_factor WHERE user_id = $1`, uid).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(stored, secret) || bytes.Contains(stored, []byte(auth.EncodeTOTPSecret(secret))) {
		t.Fatal("the database holds the TOTP secret in the clear")
	}
	// As a row written before sealing would be.
	if _, err := s.DB.Exec(ctx, `UPDATE two_factor SET secret = $2 WHERE user_id = $1`, uid, secret); err != nil {
		t.Fatal(err)
	}
	clk.Advance(auth.TOTPStep)
	if _, err := s.Login(ctx, "ada@uni.example", password, code(secret, clk.Now()), "ip"); err != nil {
		t.Fatalf("login with a secret stored before sealing: %v", err)
	}
	if err := s.DB.QueryRow(ctx, `SELECT secret FROM two_factor WHERE user_id = $1`, uid).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(stored, secret) {
		t.Fatal("the secret stored before sealing was not sealed at its use")
	}
	clk.Advance(auth.TOTPStep)
	if _, err := s.Login(ctx, "ada@uni.example", password, code(secret, clk.Now()), "ip"); err != nil {
		t.Fatalf("login after the secret was sealed anew: %v", err)
	}
}
