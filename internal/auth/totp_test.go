package auth

import (
	"net/url"
	"strings"
	"testing"
	"time"
)

// The SHA1 rows of RFC 6238 Appendix B; the seed is the ASCII string
// "12345678901234567890".
func TestTOTPRFC6238Vectors(t *testing.T) {
	t.Parallel()
	secret := []byte("12345678901234567890")
	for _, tc := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"},
		{1111111109, "07081804"},
		{1111111111, "14050471"},
		{1234567890, "89005924"},
		{2000000000, "69279037"},
		{20000000000, "65353130"},
	} {
		got := HOTP(secret, TOTPStepAt(time.Unix(tc.unix, 0)), 8)
		if got != tc.want {
			t.Errorf("T=%d: got %s, want %s", tc.unix, got, tc.want)
		}
		// The product's six digits are the last six of the eight.
		if six := HOTP(secret, TOTPStepAt(time.Unix(tc.unix, 0)), 6); six != tc.want[2:] {
			t.Errorf("T=%d six digits: got %s, want %s", tc.unix, six, tc.want[2:])
		}
	}
}

func TestMatchTOTPWindowAndReplay(t *testing.T) {
	t.Parallel()
	secret := NewTOTPSecret()
	now := time.Date(2026, 5, 1, 12, 0, 10, 0, time.UTC)
	cur := TOTPStepAt(now)
	for _, tc := range []struct {
		name     string
		step     int64
		lastUsed int64
		ok       bool
	}{
		{"current step", cur, 0, true},
		{"one step behind", cur - 1, 0, true},
		{"one step ahead", cur + 1, 0, true},
		{"two steps behind", cur - 2, 0, false},
		{"two steps ahead", cur + 2, 0, false},
		{"replayed", cur, cur, false},
		{"older than the last used", cur - 1, cur, false},
		{"newer than the last used", cur + 1, cur, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			step, ok := MatchTOTP(secret, HOTP(secret, tc.step, TOTPDigits), now, tc.lastUsed)
			if ok != tc.ok || (ok && step != tc.step) {
				t.Errorf("got step %d ok %v, want step %d ok %v", step, ok, tc.step, tc.ok)
			}
		})
	}
	if _, ok := MatchTOTP(secret, "12345", now, 0); ok {
		t.Error("a five-digit code matched")
	}
	if _, ok := MatchTOTP(NewTOTPSecret(), HOTP(secret, cur, TOTPDigits), now, 0); ok {
		t.Error("another secret's code matched (or a one-in-a-million collision)")
	}
}

func TestTOTPSecretAndURI(t *testing.T) {
	t.Parallel()
	secret := NewTOTPSecret()
	enc := EncodeTOTPSecret(secret)
	if len(enc) != 32 || strings.Contains(enc, "=") {
		t.Fatalf("encoded secret %q: want 32 base32 characters without padding", enc)
	}
	back, err := DecodeTOTPSecret(strings.ToLower(enc[:8]) + " " + enc[8:])
	if err != nil || string(back) != string(secret) {
		t.Fatalf("decoding %q: %v", enc, err)
	}
	u, err := url.Parse(TOTPURI("Quire", "ada@uni.example", secret))
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/Quire:ada@uni.example" {
		t.Errorf("uri %s: wrong scheme, type or label", u)
	}
	if q := u.Query(); q.Get("secret") != enc || q.Get("issuer") != "Quire" || q.Get("digits") != "6" || q.Get("period") != "30" {
		t.Errorf("uri %s: wrong parameters", u)
	}
}

func TestRecoveryCodes(t *testing.T) {
	t.Parallel()
	a, b := NewRecoveryCode(), NewRecoveryCode()
	if a == b || len(a) != 19 || strings.Count(a, "-") != 3 {
		t.Fatalf("codes %q, %q: want distinct xxxx-xxxx-xxxx-xxxx", a, b)
	}
	if LooksLikeTOTP(a) || !LooksLikeTOTP(" 123 456") || LooksLikeTOTP("12345a") {
		t.Error("LooksLikeTOTP tells codes apart wrongly")
	}
	if !EqualHash(HashRecoveryCode(a), HashRecoveryCode(strings.ToUpper(strings.ReplaceAll(a, "-", " ")))) {
		t.Error("the hash depends on case or separators")
	}
	if EqualHash(HashRecoveryCode(a), HashRecoveryCode(b)) {
		t.Error("two codes hash alike")
	}
}
