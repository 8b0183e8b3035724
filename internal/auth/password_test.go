package auth

import (
	"errors"
	"strings"
	"testing"
)

// cheap keeps the tests fast; the format and logic do not depend on cost.
var cheap = Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

func TestHashVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	for _, pw := range []string{"correct horse battery", "Ünïcødé pässwörd ✓", strings.Repeat("x", MaxPasswordBytes)} {
		enc, err := cheap.Hash(pw)
		if err != nil {
			t.Fatalf("Hash: %v", err)
		}
		if !strings.HasPrefix(enc, "$argon2id$v=19$m=1024,t=1,p=1$") {
			t.Fatalf("encoding %q lacks PHC prefix", enc)
		}
		ok, rehash, err := cheap.Verify(enc, pw)
		if err != nil || !ok || rehash {
			t.Fatalf("Verify(right) = %v, %v, %v; want true, false, nil", ok, rehash, err)
		}
		ok, _, err = cheap.Verify(enc, pw+"!")
		if err != nil || ok {
			t.Fatalf("Verify(wrong) = %v, %v; want false, nil", ok, err)
		}
	}
}

func TestHashSaltsDiffer(t *testing.T) {
	t.Parallel()
	a, _ := cheap.Hash("same password here")
	b, _ := cheap.Hash("same password here")
	if a == b {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
}

func TestNeedsRehash(t *testing.T) {
	t.Parallel()
	enc, err := cheap.Hash("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		now    Params
		rehash bool
	}{
		{"same", cheap, false},
		{"more memory", Params{2048, 1, 1, 16, 32}, true},
		{"more iterations", Params{1024, 2, 1, 16, 32}, true},
		{"more lanes", Params{1024, 1, 2, 16, 32}, true},
		{"longer key", Params{1024, 1, 1, 16, 64}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok, rehash, err := tt.now.Verify(enc, "a long enough password")
			if err != nil || !ok || rehash != tt.rehash {
				t.Fatalf("Verify = %v, %v, %v; want true, %v, nil", ok, rehash, err, tt.rehash)
			}
			if !rehash {
				return
			}
			fresh, err := tt.now.Hash("a long enough password")
			if err != nil {
				t.Fatal(err)
			}
			if _, again, _ := tt.now.Verify(fresh, "a long enough password"); again {
				t.Fatal("rehashed value still needs rehash")
			}
		})
	}
}

func TestVerifyRejectsBadEncodings(t *testing.T) {
	t.Parallel()
	good, _ := cheap.Hash("a long enough password")
	parts := strings.Split(good, "$")
	tests := []struct {
		name    string
		encoded string
		want    error
	}{
		{"empty", "", ErrInvalidHash},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy", ErrInvalidHash},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1), ErrInvalidHash},
		{"old version", strings.Replace(good, "v=19", "v=16", 1), ErrIncompatibleVersion},
		{"bad params", strings.Replace(good, "m=1024,t=1,p=1", "m=x,t=1,p=1", 1), ErrInvalidHash},
		{"huge memory", strings.Replace(good, "m=1024", "m=99999999", 1), ErrInvalidHash},
		{"zero iterations", strings.Replace(good, "t=1", "t=0", 1), ErrInvalidHash},
		{"bad salt", strings.Join([]string{"", parts[1], parts[2], parts[3], "!!", parts[5]}, "$"), ErrInvalidHash},
		{"short key", strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"), ErrInvalidHash},
		{"extra field", good + "$x", ErrInvalidHash},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ok, _, err := cheap.Verify(tt.encoded, "a long enough password")
			if ok || !errors.Is(err, tt.want) {
				t.Fatalf("Verify(%q) = %v, %v; want false, %v", tt.encoded, ok, err, tt.want)
			}
		})
	}
}

func TestHashRejectsUnsafeParams(t *testing.T) {
	t.Parallel()
	for _, p := range []Params{
		{},
		{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 4, KeyLength: 32},
		{Memory: 1024, Iterations: 1, Parallelism: 0, SaltLength: 16, KeyLength: 32},
	} {
		if _, err := p.Hash("whatever password"); !errors.Is(err, ErrInvalidHash) {
			t.Errorf("Hash with %+v: err = %v, want ErrInvalidHash", p, err)
		}
	}
}

// The cost of the default parameters, and DummyVerify costing the same as a
// real Verify, are measured by benchmarks (timed tests are flaky on shared
// machines): compare BenchmarkVerifyDefault and BenchmarkDummyVerify.
func BenchmarkVerifyDefault(b *testing.B) {
	enc, err := Hash("a long enough password")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		_, _, _ = Verify(enc, "wrong password!!")
	}
}

func BenchmarkDummyVerify(b *testing.B) {
	for b.Loop() {
		DummyVerify("wrong password!!")
	}
}

func BenchmarkHashDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("a long enough password"); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, pw, email string
		want            error
	}{
		{"ok", "correct horse", "ada@example.org", nil},
		{"exactly ten", "0123456789", "ada@example.org", nil},
		{"nine", "012345678", "ada@example.org", ErrPasswordTooShort},
		{"ten runes, more bytes", "ääääääääää", "", nil},
		{"nine runes, eighteen bytes", "äääääääää", "", ErrPasswordTooShort},
		{"max bytes", strings.Repeat("a", MaxPasswordBytes), "", nil},
		{"too long", strings.Repeat("a", MaxPasswordBytes+1), "", ErrPasswordTooLong},
		{"is email", "Ada.Lovelace@Example.org", "ada.lovelace@example.org", ErrPasswordIsEmail},
		{"email with spaces", " ada.lovelace@example.org ", "ada.lovelace@example.org", ErrPasswordIsEmail},
		{"contains email", "ada.lovelace@example.org!", "ada.lovelace@example.org", nil},
		{"bad utf8", "abcdefghij\xff", "", ErrPasswordEncoding},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := CheckPassword(tt.pw, tt.email); !errors.Is(err, tt.want) {
				t.Fatalf("CheckPassword = %v, want %v", err, tt.want)
			}
		})
	}
}
