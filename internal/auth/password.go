// Package auth holds Quire's self-contained security primitives: password
// hashing, signed access tokens, opaque single-use tokens, CSRF tokens and
// rate limiting. It knows nothing about storage or HTTP, so the store and the
// API can share it and tests can exercise it without either.
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Errors returned when a stored password hash cannot be used.
var (
	ErrInvalidHash         = errors.New("auth: invalid password hash encoding")
	ErrIncompatibleVersion = errors.New("auth: incompatible argon2 version")
)

// Params are the argon2id cost parameters. They travel inside every encoded
// hash, so raising them later only changes new hashes; old ones still verify
// and are reported as needing a rehash at the next successful login.
type Params struct {
	Memory      uint32 // KiB
	Iterations  uint32
	Parallelism uint8
	SaltLength  uint32 // bytes
	KeyLength   uint32 // bytes
}

// Upper bounds accepted when decoding a stored hash, so a corrupted or
// hostile row cannot make a login allocate gigabytes or spin for minutes.
const (
	maxMemoryKiB  = 1 << 20 // 1 GiB
	maxIterations = 64
	maxKeyOrSalt  = 1024
)

// DefaultParams returns the production cost: RFC 9106's second recommended
// setting (64 MiB, t=3, p=4). Measured at about 65 ms per hash on 2 cores.
// Tests elsewhere should pass a cheap Params instead, e.g.
// Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}.
func DefaultParams() Params {
	return Params{Memory: 64 * 1024, Iterations: 3, Parallelism: 4, SaltLength: 16, KeyLength: 32}
}

// Hash hashes password with DefaultParams.
func Hash(password string) (string, error) {
	return DefaultParams().Hash(password)
}

// Verify checks password against encoded and reports whether encoded was made
// with parameters other than DefaultParams.
func Verify(encoded, password string) (ok, needsRehash bool, err error) {
	return DefaultParams().Verify(encoded, password)
}

// DummyVerify spends the same time as Verify with DefaultParams so that a
// login for an unknown email costs as much as one for a known email.
func DummyVerify(password string) {
	DefaultParams().DummyVerify(password)
}

// Hash returns the PHC-style encoding
// $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>
// with unpadded standard base64, the format the reference implementation uses.
func (p Params) Hash(password string) (string, error) {
	if err := p.validate(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: reading salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLength)
	return p.encode(salt, key), nil
}

// Verify checks password against encoded in constant time. needsRehash is
// true when the stored parameters differ from p; it is only meaningful when
// ok is true, since that is the one moment the plain password is at hand.
func (p Params) Verify(encoded, password string) (ok, needsRehash bool, err error) {
	stored, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, stored.Iterations, stored.Memory, stored.Parallelism, uint32(len(key)))
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return false, false, nil
	}
	return true, stored != p, nil
}

// DummyVerify derives a key with p's cost and throws it away.
func (p Params) DummyVerify(password string) {
	salt := make([]byte, p.SaltLength)
	_ = argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLength)
}

func (p Params) validate() error {
	switch {
	case p.Memory < 8*uint32(p.Parallelism) || p.Memory > maxMemoryKiB:
		return fmt.Errorf("%w: memory %d KiB out of range", ErrInvalidHash, p.Memory)
	case p.Iterations < 1 || p.Iterations > maxIterations:
		return fmt.Errorf("%w: iterations %d out of range", ErrInvalidHash, p.Iterations)
	case p.Parallelism < 1:
		return fmt.Errorf("%w: parallelism must be at least 1", ErrInvalidHash)
	case p.SaltLength < 8 || p.SaltLength > maxKeyOrSalt:
		return fmt.Errorf("%w: salt length %d out of range", ErrInvalidHash, p.SaltLength)
	case p.KeyLength < 16 || p.KeyLength > maxKeyOrSalt:
		return fmt.Errorf("%w: key length %d out of range", ErrInvalidHash, p.KeyLength)
	}
	return nil
}

func (p Params) encode(salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Iterations, p.Parallelism, b64.EncodeToString(salt), b64.EncodeToString(key))
}

func decodeHash(encoded string) (Params, []byte, []byte, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, fmt.Errorf("%w: not an argon2id PHC string", ErrInvalidHash)
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: version: %w", ErrInvalidHash, err)
	}
	if version != argon2.Version {
		return Params{}, nil, nil, fmt.Errorf("%w: got v=%d, want v=%d", ErrIncompatibleVersion, version, argon2.Version)
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Iterations, &p.Parallelism); err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: parameters: %w", ErrInvalidHash, err)
	}
	b64 := base64.RawStdEncoding.Strict()
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: salt: %w", ErrInvalidHash, err)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: key: %w", ErrInvalidHash, err)
	}
	p.SaltLength, p.KeyLength = uint32(len(salt)), uint32(len(key))
	if err := p.validate(); err != nil {
		return Params{}, nil, nil, err
	}
	return p, salt, key, nil
}
