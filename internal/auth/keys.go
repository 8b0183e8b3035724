package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// ErrKeyConfig reports an unusable signing key specification.
var ErrKeyConfig = errors.New("auth: invalid signing key configuration")

// SigningKey is one Ed25519 key and the kid that names it in token headers.
type SigningKey struct {
	ID      string
	Private ed25519.PrivateKey
}

// GenerateKey makes a fresh key for development or rotation; the caller
// persists its Encode form, since the ring itself keeps nothing on disk.
func GenerateKey(kid string) (SigningKey, error) {
	if err := checkKID(kid); err != nil {
		return SigningKey{}, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return SigningKey{}, fmt.Errorf("auth: generating key: %w", err)
	}
	return SigningKey{ID: kid, Private: priv}, nil
}

// Encode returns "kid:base64url(seed)", the form ParseKeys reads.
func (k SigningKey) Encode() string {
	return k.ID + ":" + base64.RawURLEncoding.EncodeToString(k.Private.Seed())
}

// EncodeKeys joins keys in the comma-separated form ParseKeys reads.
func EncodeKeys(keys []SigningKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.Encode()
	}
	return strings.Join(parts, ",")
}

// ParseKeys reads a config secret of the form "kid1:seed1,kid2:seed2" where
// each seed is a 32-byte Ed25519 seed in base64 (URL or standard alphabet,
// padded or not). Order matters to NewKeyRing: the first key signs. Rotation
// is therefore "prepend a new key, keep the old one until its tokens expire,
// then drop it".
func ParseKeys(spec string) ([]SigningKey, error) {
	var keys []SigningKey
	seen := map[string]bool{}
	for entry := range strings.SplitSeq(spec, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		kid, seedText, ok := strings.Cut(entry, ":")
		if !ok {
			return nil, fmt.Errorf("%w: entry %d lacks \"kid:\"", ErrKeyConfig, len(keys)+1)
		}
		if err := checkKID(kid); err != nil {
			return nil, err
		}
		if seen[kid] {
			return nil, fmt.Errorf("%w: duplicate kid %q", ErrKeyConfig, kid)
		}
		seed, err := decodeSeed(seedText)
		if err != nil {
			return nil, fmt.Errorf("%w: kid %q: %w", ErrKeyConfig, kid, err)
		}
		seen[kid] = true
		keys = append(keys, SigningKey{ID: kid, Private: ed25519.NewKeyFromSeed(seed)})
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no keys", ErrKeyConfig)
	}
	return keys, nil
}

func decodeSeed(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	enc := base64.RawURLEncoding
	if strings.ContainsAny(s, "+/") {
		enc = base64.RawStdEncoding
	}
	seed, err := enc.DecodeString(s)
	if err != nil {
		return nil, err
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("seed is %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	return seed, nil
}

// checkKID keeps kids short and printable so they survive config files,
// logs and JSON headers without escaping.
func checkKID(kid string) error {
	if kid == "" || len(kid) > 64 {
		return fmt.Errorf("%w: kid must be 1-64 characters", ErrKeyConfig)
	}
	for _, r := range kid {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.", r)
		if !ok {
			return fmt.Errorf("%w: kid %q may only hold letters, digits, '-', '_' and '.'", ErrKeyConfig, kid)
		}
	}
	return nil
}
