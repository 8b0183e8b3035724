package auth

import (
	"crypto/ed25519"
	"encoding/base64"
	"strings"
)

// sigPrefix separates what SignValue signs from the signing input of a JWT,
// which starts with a base64url header and so never with these bytes.
const sigPrefix = "quire-value\x00"

// SignValue signs msg for purpose (a short name of what the value is for)
// with the active key, so that a server can hand a client a statement and
// later believe it back, on any replica holding the ring. The result is
// "kid.signature", URL- and cookie-safe.
func (r *KeyRing) SignValue(purpose string, msg []byte) string {
	sig := ed25519.Sign(r.active.Private, signedValue(purpose, msg))
	return r.active.ID + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// CheckValue reports whether sig is SignValue's signature of msg for
// purpose by a key of the ring.
func (r *KeyRing) CheckValue(purpose string, msg []byte, sig string) bool {
	dot := strings.LastIndexByte(sig, '.')
	if dot < 0 {
		return false
	}
	key, known := r.public[sig[:dot]]
	if !known {
		return false
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(sig[dot+1:])
	return err == nil && len(raw) == ed25519.SignatureSize && ed25519.Verify(key, signedValue(purpose, msg), raw)
}

func signedValue(purpose string, msg []byte) []byte {
	return append([]byte(sigPrefix+purpose+"\x00"), msg...)
}
