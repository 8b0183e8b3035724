package auth

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

const (
	testIssuer   = "https://quire.test"
	testAudience = "quire-api"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fixedKey derives a key from a readable seed so failures are reproducible.
func fixedKey(t testing.TB, kid string, fill byte) SigningKey {
	t.Helper()
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = fill
	}
	return SigningKey{ID: kid, Private: ed25519.NewKeyFromSeed(seed)}
}

func newRing(t testing.TB, keys ...SigningKey) *KeyRing {
	t.Helper()
	r, err := NewKeyRing(testIssuer, testAudience, keys)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func b64(v []byte) string { return base64.RawURLEncoding.EncodeToString(v) }

func b64json(t testing.TB, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b64(raw)
}

// claimsAt returns a well-formed claim set issued at iat for ttl.
func claimsAt(iat time.Time, ttl time.Duration) map[string]any {
	return map[string]any{
		"iss": testIssuer, "aud": []string{testAudience}, "sub": "user-1", "jti": "abc",
		"iat": iat.Unix(), "nbf": iat.Unix(), "exp": iat.Add(ttl).Unix(),
	}
}

// forgeEdDSA builds and signs a token by hand, so tests control every byte
// instead of trusting the library under test to produce the bad input.
func forgeEdDSA(t testing.TB, key ed25519.PrivateKey, header, claims map[string]any) string {
	t.Helper()
	signingInput := b64json(t, header) + "." + b64json(t, claims)
	return signingInput + "." + b64(ed25519.Sign(key, []byte(signingInput)))
}

func TestIssueVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	ring := newRing(t, fixedKey(t, "k1", 1))
	now := t0.Add(500 * time.Millisecond)
	tok, issued, err := ring.Issue("user-42", now, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{now, now.Add(14 * time.Minute)} {
		got, err := ring.Verify(tok, at)
		if err != nil {
			t.Fatalf("Verify at %v: %v", at, err)
		}
		if got.Subject != "user-42" || got.ID != issued.ID || got.ID == "" || got.Issuer != testIssuer {
			t.Fatalf("claims = %+v, issued %+v", got, issued)
		}
	}
	header := decodeSegment(t, tok, 0)
	if header["alg"] != "EdDSA" || header["kid"] != "k1" || header["typ"] != "at+jwt" {
		t.Fatalf("header = %v", header)
	}
	claims := decodeSegment(t, tok, 1)
	for _, c := range []string{"iss", "aud", "sub", "iat", "nbf", "exp", "jti"} {
		if _, ok := claims[c]; !ok {
			t.Errorf("claim %q missing from %v", c, claims)
		}
	}
	other, _, _ := ring.Issue("user-42", now, 15*time.Minute)
	if other == tok {
		t.Error("two tokens issued at the same instant are identical: jti not random")
	}
}

func decodeSegment(t *testing.T, tok string, i int) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[i])
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	k1 := fixedKey(t, "k1", 1)
	ring := newRing(t, k1)
	good := map[string]any{"alg": "EdDSA", "typ": "at+jwt", "kid": "k1"}
	with := func(m map[string]any, k string, v any) map[string]any {
		out := map[string]any{}
		for kk, vv := range m {
			out[kk] = vv
		}
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
		return out
	}
	valid := forgeEdDSA(t, k1.Private, good, claimsAt(t0, 15*time.Minute))
	if _, err := ring.Verify(valid, t0.Add(time.Minute)); err != nil {
		t.Fatalf("hand-built valid token rejected: %v", err)
	}
	sigStart := strings.LastIndex(valid, ".") + 1
	pub := k1.Private.Public().(ed25519.PublicKey)
	hs256 := func(key []byte) string {
		in := b64json(t, with(good, "alg", "HS256")) + "." + b64json(t, claimsAt(t0, 15*time.Minute))
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(in))
		return in + "." + b64(mac.Sum(nil))
	}
	unsigned := func(alg string) string {
		return b64json(t, with(good, "alg", alg)) + "." + b64json(t, claimsAt(t0, 15*time.Minute)) + "."
	}
	tests := []struct {
		name  string
		token string
		at    time.Time
		want  error
	}{
		{"alg none", unsigned("none"), t0, ErrTokenUnsigned},
		{"alg None", unsigned("None"), t0, ErrTokenUnsigned},
		{"alg none with kept signature", unsigned("none") + valid[sigStart:], t0, ErrTokenUnsigned},
		{"HS256 keyed with public key", hs256(pub), t0, ErrTokenAlgorithm},
		{"HS256 keyed with base64 public key", hs256([]byte(b64(pub))), t0, ErrTokenAlgorithm},
		{"RS256", forgeEdDSA(t, k1.Private, with(good, "alg", "RS256"), claimsAt(t0, time.Hour)), t0, ErrTokenAlgorithm},
		{"missing alg", forgeEdDSA(t, k1.Private, with(good, "alg", nil), claimsAt(t0, time.Hour)), t0, ErrTokenAlgorithm},
		{"bad signature bytes", valid[:sigStart] + b64(make([]byte, ed25519.SignatureSize)), t0, ErrTokenSignature},
		{"signed by another key with same kid", forgeEdDSA(t, fixedKey(t, "k1", 2).Private, good, claimsAt(t0, time.Hour)), t0, ErrTokenSignature},
		{"claims swapped after signing", valid[:strings.Index(valid, ".")+1] + b64json(t, with(claimsAt(t0, time.Hour), "sub", "admin")) + valid[sigStart-1:], t0, ErrTokenSignature},
		{"expired", valid, t0.Add(15 * time.Minute), ErrTokenExpired},
		{"expired long ago", valid, t0.Add(30 * 24 * time.Hour), ErrTokenExpired},
		{"not yet valid", forgeEdDSA(t, k1.Private, good, with(claimsAt(t0, time.Hour), "nbf", t0.Add(10*time.Minute).Unix())), t0, ErrTokenNotYetValid},
		{"issued in the future", valid, t0.Add(-time.Minute), ErrTokenNotYetValid},
		{"wrong issuer", forgeEdDSA(t, k1.Private, good, with(claimsAt(t0, time.Hour), "iss", "https://evil.test")), t0, ErrTokenIssuer},
		{"no issuer", forgeEdDSA(t, k1.Private, good, with(claimsAt(t0, time.Hour), "iss", nil)), t0, ErrTokenMissingClaims},
		{"wrong audience", forgeEdDSA(t, k1.Private, good, with(claimsAt(t0, time.Hour), "aud", "other-api")), t0, ErrTokenAudience},
		{"no audience", forgeEdDSA(t, k1.Private, good, with(claimsAt(t0, time.Hour), "aud", nil)), t0, ErrTokenMissingClaims},
		{"unknown kid", forgeEdDSA(t, k1.Private, with(good, "kid", "k9"), claimsAt(t0, time.Hour)), t0, ErrTokenUnknownKID},
		{"missing kid", forgeEdDSA(t, k1.Private, with(good, "kid", nil), claimsAt(t0, time.Hour)), t0, ErrTokenMissingKID},
		{"empty kid", forgeEdDSA(t, k1.Private, with(good, "kid", ""), claimsAt(t0, time.Hour)), t0, ErrTokenMissingKID},
		{"wrong typ", forgeEdDSA(t, k1.Private, with(good, "typ", "JWT"), claimsAt(t0, time.Hour)), t0, ErrTokenType},
		{"crit header", forgeEdDSA(t, k1.Private, with(good, "crit", []string{"exp"}), claimsAt(t0, time.Hour)), t0, ErrTokenMalformed},
		{"no exp", forgeEdDSA(t, k1.Private, good, with(claimsAt(t0, time.Hour), "exp", nil)), t0, ErrTokenMissingClaims},
		{"no sub", forgeEdDSA(t, k1.Private, good, with(claimsAt(t0, time.Hour), "sub", nil)), t0, ErrTokenMissingClaims},
		{"no jti", forgeEdDSA(t, k1.Private, good, with(claimsAt(t0, time.Hour), "jti", nil)), t0, ErrTokenMissingClaims},
		{"empty", "", t0, ErrTokenMalformed},
		{"two segments", "a.b", t0, ErrTokenMalformed},
		{"four segments", valid + ".x", t0, ErrTokenMalformed},
		{"header not base64", "!!!." + valid[strings.Index(valid, ".")+1:], t0, ErrTokenMalformed},
		{"header not json", b64([]byte("{nope")) + valid[strings.Index(valid, "."):], t0, ErrTokenMalformed},
		{"kid not a string", forgeEdDSA(t, k1.Private, with(good, "kid", 7), claimsAt(t0, time.Hour)), t0, ErrTokenMalformed},
		{"claims not json", forgeRaw(t, k1.Private, b64json(t, good), b64([]byte("[1,2]"))), t0, ErrTokenMalformed},
		{"exp not a number", forgeEdDSA(t, k1.Private, good, with(claimsAt(t0, time.Hour), "exp", "soon")), t0, ErrTokenMalformed},
		{"oversized", strings.Repeat("a", maxTokenBytes+1), t0, ErrTokenMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			claims, err := ring.Verify(tt.token, tt.at)
			if claims != nil {
				t.Fatalf("Verify returned claims %+v for a bad token", claims)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !errors.Is(err, ErrInvalidToken) {
				t.Fatalf("err = %v does not wrap ErrInvalidToken", err)
			}
			for _, other := range allTokenErrors {
				if other != tt.want && errors.Is(err, other) {
					t.Fatalf("err = %v also matches %v; reasons must be distinct", err, other)
				}
			}
		})
	}
}

var allTokenErrors = []error{
	ErrTokenMalformed, ErrTokenUnsigned, ErrTokenAlgorithm, ErrTokenType, ErrTokenMissingKID,
	ErrTokenUnknownKID, ErrTokenSignature, ErrTokenExpired, ErrTokenNotYetValid, ErrTokenIssuer,
	ErrTokenAudience, ErrTokenMissingClaims,
}

func forgeRaw(t testing.TB, key ed25519.PrivateKey, header, claims string) string {
	t.Helper()
	in := header + "." + claims
	return in + "." + b64(ed25519.Sign(key, []byte(in)))
}

func TestRotationByKID(t *testing.T) {
	t.Parallel()
	old, next := fixedKey(t, "2026-01", 1), fixedKey(t, "2026-03", 2)
	before := newRing(t, old)
	oldTok, _, err := before.Issue("user-1", t0, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}

	during := newRing(t, next, old) // new key signs, old still verifies
	newTok, _, err := during.Issue("user-1", t0, 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if during.ActiveKID() != "2026-03" || decodeSegment(t, newTok, 0)["kid"] != "2026-03" {
		t.Fatalf("active kid %q; new token not signed with the new key", during.ActiveKID())
	}
	for name, tok := range map[string]string{"old": oldTok, "new": newTok} {
		if _, err := during.Verify(tok, t0.Add(time.Minute)); err != nil {
			t.Errorf("during rotation, %s token: %v", name, err)
		}
	}
	if _, err := before.Verify(newTok, t0.Add(time.Minute)); !errors.Is(err, ErrTokenUnknownKID) {
		t.Errorf("ring without the new key: err = %v, want ErrTokenUnknownKID", err)
	}

	after := newRing(t, next) // old key removed
	if _, err := after.Verify(oldTok, t0.Add(time.Minute)); !errors.Is(err, ErrTokenUnknownKID) {
		t.Errorf("after removal, old token: err = %v, want ErrTokenUnknownKID", err)
	}
	if _, err := after.Verify(newTok, t0.Add(time.Minute)); err != nil {
		t.Errorf("after removal, new token: %v", err)
	}
	if got := len(during.PublicKeys()); got != 2 {
		t.Errorf("PublicKeys has %d keys, want 2", got)
	}
}

func TestIssueRejectsBadInput(t *testing.T) {
	t.Parallel()
	ring := newRing(t, fixedKey(t, "k1", 1))
	if _, _, err := ring.Issue("", t0, time.Minute); err == nil {
		t.Error("empty subject accepted")
	}
	if _, _, err := ring.Issue("u", t0, 0); err == nil {
		t.Error("zero ttl accepted")
	}
}

func TestNewKeyRingValidates(t *testing.T) {
	t.Parallel()
	k := fixedKey(t, "k1", 1)
	tests := []struct {
		name     string
		iss, aud string
		keys     []SigningKey
	}{
		{"no keys", testIssuer, testAudience, nil},
		{"no issuer", "", testAudience, []SigningKey{k}},
		{"no audience", testIssuer, "", []SigningKey{k}},
		{"duplicate kid", testIssuer, testAudience, []SigningKey{k, fixedKey(t, "k1", 2)}},
		{"bad kid", testIssuer, testAudience, []SigningKey{{ID: "a b", Private: k.Private}}},
		{"no private key", testIssuer, testAudience, []SigningKey{{ID: "k2"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := NewKeyRing(tt.iss, tt.aud, tt.keys); !errors.Is(err, ErrKeyConfig) {
				t.Fatalf("err = %v, want ErrKeyConfig", err)
			}
		})
	}
}

func TestParseKeys(t *testing.T) {
	t.Parallel()
	a, err := GenerateKey("a")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateKey("b.2")
	seedStd := base64.StdEncoding.EncodeToString(b.Private.Seed()) // padded, standard alphabet
	keys, err := ParseKeys(" " + a.Encode() + " , b.2:" + seedStd + ",")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].ID != "a" || keys[1].ID != "b.2" ||
		!keys[0].Private.Equal(a.Private) || !keys[1].Private.Equal(b.Private) {
		t.Fatalf("ParseKeys = %v", keys)
	}
	again, err := ParseKeys(EncodeKeys(keys))
	if err != nil || len(again) != 2 || !again[1].Private.Equal(b.Private) {
		t.Fatalf("EncodeKeys round trip: %v, %v", again, err)
	}

	for _, bad := range []string{
		"", " , ", "noseparator", ":" + b64(make([]byte, 32)), "k:" + b64(make([]byte, 31)),
		"k:not base64!", "k:" + b64(make([]byte, 32)) + ",k:" + b64(make([]byte, 32)), "k y:" + b64(make([]byte, 32)),
	} {
		if _, err := ParseKeys(bad); !errors.Is(err, ErrKeyConfig) {
			t.Errorf("ParseKeys(%q) err = %v, want ErrKeyConfig", bad, err)
		}
	}
	if _, err := GenerateKey(""); !errors.Is(err, ErrKeyConfig) {
		t.Errorf("GenerateKey(\"\") err = %v, want ErrKeyConfig", err)
	}
}

func BenchmarkVerify(b *testing.B) {
	ring := newRing(b, fixedKey(b, "k1", 1))
	tok, _, _ := ring.Issue("user-1", t0, 15*time.Minute)
	for b.Loop() {
		if _, err := ring.Verify(tok, t0); err != nil {
			b.Fatal(err)
		}
	}
}
