package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1" //nolint:gosec // RFC 6238 as every authenticator app implements it is HMAC-SHA1.
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Time-based one-time passwords (RFC 6238) as authenticator apps make them
// by default: HMAC-SHA1, 30-second steps, six digits.
const (
	TOTPStep        = 30 * time.Second
	TOTPDigits      = 6
	totpSecretBytes = 20 // RFC 4226 recommends 160 bits
	// totpSkew is how many steps either side of now a code may come from:
	// a phone's clock a little off, or a code typed as it turned over.
	totpSkew = 1
)

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// NewTOTPSecret returns a fresh random shared secret.
func NewTOTPSecret() []byte {
	b := make([]byte, totpSecretBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24.
	return b
}

// EncodeTOTPSecret is the form a person types into an authenticator app:
// base32 without padding.
func EncodeTOTPSecret(secret []byte) string { return b32.EncodeToString(secret) }

// DecodeTOTPSecret reads EncodeTOTPSecret's form, ignoring case and spaces.
func DecodeTOTPSecret(s string) ([]byte, error) {
	return b32.DecodeString(strings.ToUpper(strings.ReplaceAll(s, " ", "")))
}

// TOTPURI is the otpauth:// URI authenticator apps import (the Key Uri
// Format of Google Authenticator, which the others follow).
func TOTPURI(issuer, account string, secret []byte) string {
	v := url.Values{}
	v.Set("secret", EncodeTOTPSecret(secret))
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", strconv.Itoa(TOTPDigits))
	v.Set("period", strconv.Itoa(int(TOTPStep/time.Second)))
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	return "otpauth://totp/" + label + "?" + v.Encode()
}

// TOTPStepAt is the number of the time step t falls in.
func TOTPStepAt(t time.Time) int64 {
	return t.Unix() / int64(TOTPStep/time.Second)
}

// HOTP is RFC 4226's code for counter (for TOTP, the step) with digits
// digits, zero-padded.
func HOTP(secret []byte, counter int64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(counter))
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	s := strconv.FormatUint(uint64(bin%mod), 10)
	return strings.Repeat("0", digits-len(s)) + s
}

// MatchTOTP looks for code among the steps around now and returns the
// step it belongs to. A step at or before lastUsed is refused, so a code
// seen once (over a shoulder, in a log) cannot be used again, nor can an
// older one. Every candidate is computed and compared in constant time.
func MatchTOTP(secret []byte, code string, now time.Time, lastUsed int64) (step int64, ok bool) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != TOTPDigits {
		return 0, false
	}
	cur := TOTPStepAt(now)
	for s := cur - totpSkew; s <= cur+totpSkew; s++ {
		match := subtle.ConstantTimeCompare([]byte(HOTP(secret, s, TOTPDigits)), []byte(code)) == 1
		if match && s > lastUsed && !ok {
			step, ok = s, true
		}
	}
	return step, ok
}

// LooksLikeTOTP tells a code from the app (digits only) from a recovery
// code (letters and digits, NewRecoveryCode).
func LooksLikeTOTP(code string) bool {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != TOTPDigits {
		return false
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// recoveryGroups × 4 base32 characters: 80 random bits, so that, like the
// opaque tokens, an unsalted SHA-256 is enough to store it.
const recoveryGroups = 4

// NewRecoveryCode returns a single-use code to write down, like
// "k7qd-m2xa-9fzt-ph3c", for when the authenticator is lost.
func NewRecoveryCode() string {
	b := make([]byte, recoveryGroups*5/2)
	_, _ = rand.Read(b)
	s := strings.ToLower(b32.EncodeToString(b))
	parts := make([]string, 0, recoveryGroups)
	for i := 0; i < len(s); i += 4 {
		parts = append(parts, s[i:i+4])
	}
	return strings.Join(parts, "-")
}

// HashRecoveryCode is the stored form of a recovery code; case, spaces and
// dashes as typed do not matter.
func HashRecoveryCode(code string) []byte {
	var b strings.Builder
	for _, c := range strings.ToLower(code) {
		if c != '-' && c != ' ' && c != '\t' {
			b.WriteRune(c)
		}
	}
	return HashToken("quire-recovery:" + b.String())
}
