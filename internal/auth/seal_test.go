package auth

import (
	"bytes"
	"errors"
	"testing"
)

func TestSealOpen(t *testing.T) {
	t.Parallel()
	k1, _ := GenerateKey("k1")
	k2, _ := GenerateKey("k2")
	ring, err := NewKeyRing("quire", "quire", []SigningKey{k1})
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("JBSWY3DPEHPK3PXP-raw-bytes")
	sealed, err := ring.Seal("totp", secret)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, secret) {
		t.Fatal("the sealed value holds the secret in the clear")
	}
	if got, current, err := ring.Open("totp", sealed); err != nil || !current || !bytes.Equal(got, secret) {
		t.Fatalf("open: %q %v %v", got, current, err)
	}
	// Another purpose, another key: nothing opens.
	if _, _, err := ring.Open("other", sealed); !errors.Is(err, ErrSealed) {
		t.Fatalf("another purpose opened it: %v", err)
	}
	// Altered anywhere, it does not open.
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		if got, _, err := ring.Open("totp", bad); err == nil && bytes.Equal(got, secret) && i >= len(sealPrefix) {
			t.Fatalf("byte %d altered and it still opened", i)
		}
	}
	// After a rotation (k2 signs, k1 kept) it opens and says to seal anew.
	rotated, _ := NewKeyRing("quire", "quire", []SigningKey{k2, k1})
	if got, current, err := rotated.Open("totp", sealed); err != nil || current || !bytes.Equal(got, secret) {
		t.Fatalf("after rotation: %q %v %v", got, current, err)
	}
	// Without k1 it cannot be opened.
	only2, _ := NewKeyRing("quire", "quire", []SigningKey{k2})
	if _, _, err := only2.Open("totp", sealed); !errors.Is(err, ErrSealed) {
		t.Fatalf("a ring without the key opened it: %v", err)
	}
	// A value from before sealing passes through, not current.
	if got, current, err := ring.Open("totp", secret); err != nil || current || !bytes.Equal(got, secret) {
		t.Fatalf("legacy value: %q %v %v", got, current, err)
	}
	// Truncated values are refused, not panics.
	for n := len(sealPrefix); n < len(sealed); n += 3 {
		if _, _, err := ring.Open("totp", sealed[:n]); err == nil {
			t.Fatalf("truncated to %d bytes and it opened", n)
		}
	}
}
