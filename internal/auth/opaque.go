package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// opaqueBytes is 256 bits: guessing is hopeless even with unlimited online
// attempts, which is what lets the store keep only an unsalted SHA-256.
const opaqueBytes = 32

// NewOpaqueToken returns a random URL-safe token to hand out once (in a
// cookie, a link or a response) and its hash to store. Refresh, email
// verification, password reset and invitation tokens all use it, so a leaked
// database holds nothing that can be replayed.
func NewOpaqueToken() (plain string, hash []byte) {
	b := make([]byte, opaqueBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24.
	plain = base64.RawURLEncoding.EncodeToString(b)
	return plain, HashToken(plain)
}

// HashToken is the lookup key for a presented opaque token. A fast hash is
// right here: the input has full entropy, unlike a password.
func HashToken(plain string) []byte {
	sum := sha256.Sum256([]byte(plain))
	return sum[:]
}

// EqualHash compares two token hashes in constant time, for the rare case a
// hash is compared in Go rather than looked up by index.
func EqualHash(a, b []byte) bool {
	return len(a) == sha256.Size && subtle.ConstantTimeCompare(a, b) == 1
}

// NewCSRFToken returns a value for the double-submit pattern: the server
// sets it in a cookie that scripts on the site can read, and the browser
// client echoes it in a header on every state-changing request.
func NewCSRFToken() string {
	plain, _ := NewOpaqueToken()
	return plain
}

// minCSRFLength refuses short values a misconfigured client or a planted
// cookie might carry; NewCSRFToken makes 43 characters.
const minCSRFLength = 32

// ValidCSRF accepts a request only when the cookie and header are present
// and equal, compared in constant time. The length check leaks only the
// length, which is public.
func ValidCSRF(cookieValue, headerValue string) bool {
	if len(cookieValue) < minCSRFLength || len(cookieValue) != len(headerValue) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(cookieValue), []byte(headerValue)) == 1
}
