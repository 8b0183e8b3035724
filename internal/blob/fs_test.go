package blob

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func newStore(t testing.TB) *FS {
	t.Helper()
	f, err := NewFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// files lists the regular files under dir, relative to it.
func files(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// body returns n bytes that differ with seed, so that puts do not share content.
func body(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ seed
	}
	return b
}

func TestPutOpenRoundTrip(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 4096, 1<<20 + 7} {
		f := newStore(t)
		ctx := t.Context()
		data := body(n, 1)
		ref, err := f.Put(ctx, bytes.NewReader(data), int64(n))
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if want := (Ref{SHA256: sum(data), Size: int64(n)}); ref != want {
			t.Fatalf("%d bytes: ref %+v, want %+v", n, ref, want)
		}
		key, _ := Key(ref.SHA256)
		st, err := os.Stat(filepath.Join(filepath.Dir(f.objects), key))
		if err != nil {
			t.Fatalf("%d bytes: blob not at its key: %v", n, err)
		}
		if st.Mode().Perm() != 0o444 {
			t.Errorf("%d bytes: mode %v, want read-only", n, st.Mode().Perm())
		}
		rc, size, err := f.Open(ctx, ref.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if size != int64(n) || !bytes.Equal(got, data) {
			t.Errorf("%d bytes: read back %d bytes (size %d), not the same", n, len(got), size)
		}
		if ok, err := f.Exists(ctx, ref.SHA256); !ok || err != nil {
			t.Errorf("%d bytes: Exists = %v, %v", n, ok, err)
		}
		if left := files(t, f.tmp); len(left) != 0 {
			t.Errorf("%d bytes: tmp holds %v", n, left)
		}
	}
}

func TestOpenMissing(t *testing.T) {
	t.Parallel()
	f := newStore(t)
	sha := sum([]byte("never stored"))
	if _, _, err := f.Open(t.Context(), sha); !errors.Is(err, ErrNotFound) {
		t.Errorf("Open: %v, want ErrNotFound", err)
	}
	if ok, err := f.Exists(t.Context(), sha); ok || err != nil {
		t.Errorf("Exists = %v, %v, want false, nil", ok, err)
	}
	if err := f.Delete(t.Context(), sha); err != nil {
		t.Errorf("Delete of a missing blob: %v", err)
	}
}

func TestPutSameContentTwiceKeepsOneFile(t *testing.T) {
	t.Parallel()
	f := newStore(t)
	data := body(1000, 2)
	first, err := f.Put(t.Context(), bytes.NewReader(data), 1000)
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.Put(t.Context(), bytes.NewReader(data), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Errorf("refs differ: %+v, %+v", first, second)
	}
	if got := files(t, f.objects); len(got) != 1 {
		t.Errorf("blob files %v, want one", got)
	}
	if left := files(t, f.tmp); len(left) != 0 {
		t.Errorf("tmp holds %v", left)
	}
}

func TestConcurrentPutsOfSameContent(t *testing.T) {
	t.Parallel()
	f := newStore(t)
	data := body(256<<10, 3)
	const n = 16
	refs := make([]Ref, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { refs[i], errs[i] = f.Put(t.Context(), bytes.NewReader(data), int64(len(data))) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || refs[i].SHA256 != sum(data) {
			t.Fatalf("put %d: %+v, %v", i, refs[i], errs[i])
		}
	}
	if got := files(t, f.objects); len(got) != 1 {
		t.Errorf("blob files %v, want one", got)
	}
	if left := files(t, f.tmp); len(left) != 0 {
		t.Errorf("tmp holds %v", left)
	}
	rc, _, err := f.Open(t.Context(), sum(data))
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if got, _ := io.ReadAll(rc); !bytes.Equal(got, data) {
		t.Error("stored content differs")
	}
}

func TestPutSizeLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		size   int
		max    int64
		refuse bool
	}{
		{"exactly max", 1 << 20, 1 << 20, false},
		{"one byte over", 1<<20 + 1, 1 << 20, true},
		{"far over", 3 << 20, 1 << 20, true},
		{"empty at zero", 0, 0, false},
		{"one byte at zero", 1, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newStore(t)
			_, err := f.Put(t.Context(), bytes.NewReader(body(tt.size, 4)), tt.max)
			if tt.refuse != errors.Is(err, ErrTooLarge) {
				t.Fatalf("Put of %d bytes, max %d: %v", tt.size, tt.max, err)
			}
			if !tt.refuse && err != nil {
				t.Fatal(err)
			}
			if left := files(t, f.tmp); len(left) != 0 {
				t.Errorf("tmp holds %v", left)
			}
			if got, want := len(files(t, f.objects)), map[bool]int{false: 1, true: 0}[tt.refuse]; got != want {
				t.Errorf("%d blobs stored, want %d", got, want)
			}
		})
	}
	if _, err := newStore(t).Put(t.Context(), strings.NewReader(""), -1); err == nil {
		t.Error("negative limit accepted")
	}
}

func TestInvalidSHARefused(t *testing.T) {
	t.Parallel()
	good := sum([]byte("x"))
	bad := []string{
		"",
		"../../../../etc/passwd",
		strings.ToUpper(good),
		good[:63],
		good + "0",
		good[:62] + "/a",
		"../" + good[3:],
		good[:63] + "g",
		good[:63] + "\x00",
	}
	f := newStore(t)
	ctx := t.Context()
	for _, sha := range bad {
		checks := map[string]error{
			"CheckSHA": CheckSHA(sha),
			"Delete":   f.Delete(ctx, sha),
		}
		_, _, checks["Open"] = f.Open(ctx, sha)
		_, checks["Exists"] = f.Exists(ctx, sha)
		_, checks["DeleteIfOlder"] = f.DeleteIfOlder(ctx, sha, time.Now())
		_, checks["Key"] = Key(sha)
		for op, err := range checks {
			if !errors.Is(err, ErrInvalidSHA) {
				t.Errorf("%s(%q): %v, want ErrInvalidSHA", op, sha, err)
			}
		}
	}
	if err := CheckSHA(good); err != nil {
		t.Errorf("CheckSHA(%q): %v", good, err)
	}
}

// failingReader yields n good bytes, then fails.
type failingReader struct {
	n   int
	err error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	k := min(len(p), r.n)
	r.n -= k
	return k, nil
}

func TestFailedUploadLeavesNothing(t *testing.T) {
	t.Parallel()
	errCut := errors.New("connection reset")
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		r    io.Reader
		want error
	}{
		{"reader fails mid-stream", t.Context(), &failingReader{n: 300 << 10, err: errCut}, errCut},
		{"request cancelled", cancelled, bytes.NewReader(body(1000, 5)), context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newStore(t)
			if _, err := f.Put(tt.ctx, tt.r, 1<<20); !errors.Is(err, tt.want) {
				t.Errorf("Put: %v, want %v", err, tt.want)
			}
			if _, err := f.Stage(tt.ctx, &failingReader{n: 1000, err: errCut}, 1<<20); !errors.Is(err, errCut) && !errors.Is(err, tt.want) {
				t.Errorf("Stage: %v", err)
			}
			if left := files(t, filepath.Dir(f.objects)); len(left) != 0 {
				t.Errorf("store holds %v", left)
			}
		})
	}
}

func TestListVisitsEveryBlobAndStopsOnError(t *testing.T) {
	t.Parallel()
	f := newStore(t)
	want := map[string]int64{}
	for i := range 20 {
		data := body(100+i, byte(i))
		ref, err := f.Put(t.Context(), bytes.NewReader(data), 1000)
		if err != nil {
			t.Fatal(err)
		}
		want[ref.SHA256] = ref.Size
	}
	// Junk in the objects folder is not a blob.
	if err := os.WriteFile(filepath.Join(f.objects, "README"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	err := f.List(t.Context(), func(sha string, size int64, mod time.Time) error {
		if time.Since(mod) > time.Minute {
			t.Errorf("%s: modTime %v", sha, mod)
		}
		got[sha] = size
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("listed %d blobs, want %d", len(got), len(want))
	}
	for sha, size := range want {
		if got[sha] != size {
			t.Errorf("%s: listed size %d, want %d", sha, got[sha], size)
		}
	}
	stop := errors.New("stop")
	calls := 0
	err = f.List(t.Context(), func(string, int64, time.Time) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("List after an error: %v, %d calls", err, calls)
	}
}

func BenchmarkPut1MB(b *testing.B) {
	f := newStore(b)
	data := body(1<<20, 9)
	b.SetBytes(int64(len(data)))
	var i uint64
	for b.Loop() {
		i++
		copy(data, []byte{byte(i), byte(i >> 8), byte(i >> 16), byte(i >> 24)})
		if _, err := f.Put(b.Context(), bytes.NewReader(data), 1<<20); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPut1MBAlreadyStored(b *testing.B) {
	f := newStore(b)
	data := body(1<<20, 9)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := f.Put(b.Context(), bytes.NewReader(data), 1<<20); err != nil {
			b.Fatal(err)
		}
	}
}
