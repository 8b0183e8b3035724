package auth

import "testing"

func TestSignedValues(t *testing.T) {
	t.Parallel()
	k1, _ := GenerateKey("k1")
	k2, _ := GenerateKey("k2")
	ring, err := NewKeyRing("https://quire.test", "https://quire.test/api", []SigningKey{k1, k2})
	if err != nil {
		t.Fatal(err)
	}
	sig := ring.SignValue("thumbs", []byte("7:abc"))
	if !ring.CheckValue("thumbs", []byte("7:abc"), sig) {
		t.Fatal("a value's own signature is refused")
	}
	// Verified by a ring where the signing key only verifies (rotated).
	rotated, _ := NewKeyRing("https://quire.test", "https://quire.test/api", []SigningKey{k2, k1})
	if !rotated.CheckValue("thumbs", []byte("7:abc"), sig) {
		t.Error("a signature by a verify-only key is refused")
	}
	other, _ := GenerateKey("k1")
	stranger, _ := NewKeyRing("https://quire.test", "https://quire.test/api", []SigningKey{other})
	for name, ok := range map[string]bool{
		"another message": ring.CheckValue("thumbs", []byte("8:abc"), sig),
		"another purpose": ring.CheckValue("thumbs2", []byte("7:abc"), sig),
		"another ring":    stranger.CheckValue("thumbs", []byte("7:abc"), sig),
		"an unknown kid":  ring.CheckValue("thumbs", []byte("7:abc"), "k9"+sig[2:]),
		"no signature":    ring.CheckValue("thumbs", []byte("7:abc"), ""),
		"a cut signature": ring.CheckValue("thumbs", []byte("7:abc"), sig[:len(sig)-4]),
		"purpose shifted": ring.CheckValue("thumbs\x007", []byte(":abc"), sig),
		"a JWT of the ring": func() bool {
			tok, _, _ := ring.Issue("1", t0, 60e9)
			return ring.CheckValue("thumbs", []byte("7:abc"), tok)
		}(),
	} {
		if ok {
			t.Errorf("%s: accepted", name)
		}
	}
}
