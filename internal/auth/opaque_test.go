package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

func TestOpaqueToken(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 100 {
		plain, hash := NewOpaqueToken()
		raw, err := base64.RawURLEncoding.DecodeString(plain)
		if err != nil || len(raw) != 32 {
			t.Fatalf("token %q is not 32 URL-safe base64 bytes: %v", plain, err)
		}
		if seen[plain] {
			t.Fatalf("token %q repeated", plain)
		}
		seen[plain] = true
		want := sha256.Sum256([]byte(plain))
		if !bytes.Equal(hash, want[:]) || !bytes.Equal(HashToken(plain), hash) {
			t.Fatal("hash is not SHA-256 of the plain token")
		}
		if !EqualHash(HashToken(plain), hash) {
			t.Fatal("EqualHash rejects equal hashes")
		}
	}
}

func TestEqualHash(t *testing.T) {
	t.Parallel()
	a, b := HashToken("a"), HashToken("b")
	tests := []struct {
		name string
		x, y []byte
		want bool
	}{
		{"same", a, HashToken("a"), true},
		{"different", a, b, false},
		{"prefix", a, a[:16], false},
		{"both empty", nil, nil, false},
		{"both short and equal", []byte{1}, []byte{1}, false},
	}
	for _, tt := range tests {
		if got := EqualHash(tt.x, tt.y); got != tt.want {
			t.Errorf("%s: EqualHash = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestValidCSRF(t *testing.T) {
	t.Parallel()
	tok := NewCSRFToken()
	if tok == NewCSRFToken() {
		t.Fatal("CSRF tokens repeat")
	}
	tests := []struct {
		name           string
		cookie, header string
		want           bool
	}{
		{"match", tok, tok, true},
		{"missing header", tok, "", false},
		{"missing cookie", "", tok, false},
		{"both missing", "", "", false},
		{"different", tok, NewCSRFToken(), false},
		{"truncated header", tok, tok[:len(tok)-1], false},
		{"short equal values", "abc", "abc", false},
	}
	for _, tt := range tests {
		if got := ValidCSRF(tt.cookie, tt.header); got != tt.want {
			t.Errorf("%s: ValidCSRF = %v, want %v", tt.name, got, tt.want)
		}
	}
}
