package auth

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
)

// Small secrets kept in the database (a person's TOTP key) are sealed
// with AES-256-GCM under a key derived from the instance's signing key, so
// that a copy of the database alone (a backup, a dump) does not give the
// second factor away. The sealed form names the key it was sealed with:
// after a rotation the old key stays in QUIRE_JWT_KEYS (as it does for the
// tokens it signed) until every secret was sealed anew, which happens the
// next time each is used.

// sealPrefix marks a sealed value; anything else is a value from before
// sealing, returned as it is.
var sealPrefix = []byte("qs1:")

// ErrSealed is a sealed value that no key of the ring opens, or that was
// altered.
var ErrSealed = errors.New("auth: sealed value cannot be opened")

func (r *KeyRing) aead(kid, purpose string) (cipher.AEAD, error) {
	seed, ok := r.seeds[kid]
	if !ok {
		return nil, ErrSealed
	}
	key, err := hkdf.Key(sha256.New, seed, nil, "quire seal "+purpose, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// Seal encrypts plain for purpose under the active key.
func (r *KeyRing) Seal(purpose string, plain []byte) ([]byte, error) {
	kid := r.active.ID
	a, err := r.aead(kid, purpose)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	head := append(append(append([]byte{}, sealPrefix...), byte(len(kid))), kid...)
	return a.Seal(append(head, nonce...), nonce, plain, head), nil
}

// Open reverses Seal. current says the value is sealed under the active
// key: a false one (sealed before a rotation, or from before sealing)
// should be sealed anew. A value from before sealing is returned as is.
func (r *KeyRing) Open(purpose string, sealed []byte) (plain []byte, current bool, err error) {
	if !bytes.HasPrefix(sealed, sealPrefix) {
		return sealed, false, nil
	}
	rest := sealed[len(sealPrefix):]
	if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
		return nil, false, ErrSealed
	}
	kid := string(rest[1 : 1+int(rest[0])])
	head := sealed[:len(sealPrefix)+1+len(kid)]
	a, err := r.aead(kid, purpose)
	if err != nil {
		return nil, false, ErrSealed
	}
	body := sealed[len(head):]
	if len(body) < a.NonceSize() {
		return nil, false, ErrSealed
	}
	plain, err = a.Open(nil, body[:a.NonceSize()], body[a.NonceSize():], head)
	if err != nil {
		return nil, false, ErrSealed
	}
	return plain, kid == r.active.ID, nil
}
