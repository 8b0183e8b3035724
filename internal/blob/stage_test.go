package blob

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestStagedCommitAndDiscard(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		commit      bool
		storedFirst bool // the same content is already a blob
	}{
		{"commit", true, false},
		{"commit of content already stored", true, true},
		{"discard", false, false},
		{"discard of content already stored", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newStore(t)
			ctx := t.Context()
			data := body(5000, 6)
			if tt.storedFirst {
				if _, err := f.Put(ctx, bytes.NewReader(data), 5000); err != nil {
					t.Fatal(err)
				}
			}
			s, err := f.Stage(ctx, bytes.NewReader(data), 5000)
			if err != nil {
				t.Fatal(err)
			}
			if s.Ref != (Ref{SHA256: sum(data), Size: 5000}) {
				t.Fatalf("staged ref %+v", s.Ref)
			}
			if filepath.Dir(s.Path) != f.tmp {
				t.Errorf("staged at %s, not in %s", s.Path, f.tmp)
			}
			if got, err := os.ReadFile(s.Path); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("staged file: %v", err)
			}
			if ok, _ := f.Exists(ctx, s.Ref.SHA256); ok != tt.storedFirst {
				t.Errorf("staging alone made Exists %v", ok)
			}
			if tt.commit {
				if err := s.Commit(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Discard(); err != nil {
				t.Fatal(err)
			}
			if err := s.Commit(ctx); !errors.Is(err, ErrStagedDone) {
				t.Errorf("second Commit: %v, want ErrStagedDone", err)
			}
			if ok, _ := f.Exists(ctx, s.Ref.SHA256); ok != (tt.commit || tt.storedFirst) {
				t.Errorf("Exists = %v after the end of staging", ok)
			}
			if left := files(t, f.tmp); len(left) != 0 {
				t.Errorf("tmp holds %v", left)
			}
			if got := len(files(t, f.objects)); got != map[bool]int{false: 0, true: 1}[tt.commit || tt.storedFirst] {
				t.Errorf("%d blob files", got)
			}
		})
	}
}

func TestStageSizeLimit(t *testing.T) {
	t.Parallel()
	f := newStore(t)
	if s, err := f.Stage(t.Context(), bytes.NewReader(body(101, 7)), 100); !errors.Is(err, ErrTooLarge) || s != nil {
		t.Errorf("Stage of 101 bytes, max 100: %v", err)
	}
	s, err := f.Stage(t.Context(), bytes.NewReader(body(100, 7)), 100)
	if err != nil {
		t.Fatalf("Stage of 100 bytes, max 100: %v", err)
	}
	if left := files(t, f.tmp); len(left) != 1 || filepath.Join(f.tmp, left[0]) != s.Path {
		t.Errorf("tmp holds %v, want only %s", left, s.Path)
	}
}

// A changed staged file must not be stored under the hash of its old content.
func TestCommitRefusesAChangedStagedFile(t *testing.T) {
	t.Parallel()
	f := newStore(t)
	s, err := f.Stage(t.Context(), bytes.NewReader(body(100, 8)), 100)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(s.Path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.Path, body(50, 8), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(t.Context()); err == nil {
		t.Fatal("Commit of a truncated staged file succeeded")
	}
	if ok, _ := f.Exists(t.Context(), s.Ref.SHA256); ok {
		t.Error("truncated file stored")
	}
	if left := files(t, f.tmp); len(left) != 0 {
		t.Errorf("tmp holds %v", left)
	}
}

func TestStageFile(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	data := body(3000, 9)
	tests := []struct {
		name    string
		outside bool
		max     int64
		wantErr error
	}{
		{"output of a tool", false, 3000, nil},
		{"over the limit", false, 2999, ErrTooLarge},
		{"outside tmp", true, 3000, errAny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newStore(t)
			p, err := f.TempPath("anon")
			if err != nil {
				t.Fatal(err)
			}
			if tt.outside {
				p = filepath.Join(t.TempDir(), "paper.pdf")
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := f.StageFile(ctx, p, tt.max)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatal(err)
			case tt.wantErr == errAny && err == nil, tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("StageFile: %v, want %v", err, tt.wantErr)
			}
			if tt.outside {
				if _, err := os.Stat(p); err != nil {
					t.Errorf("refused file outside tmp was touched: %v", err)
				}
				return
			}
			if err == nil {
				if s.Ref.SHA256 != sum(data) || s.Path != p {
					t.Fatalf("staged %+v at %s", s.Ref, s.Path)
				}
				if err := s.Commit(ctx); err != nil {
					t.Fatal(err)
				}
				if ok, _ := f.Exists(ctx, sum(data)); !ok {
					t.Error("committed tool output not stored")
				}
			}
			if left := files(t, f.tmp); len(left) != 0 {
				t.Errorf("tmp holds %v", left)
			}
		})
	}
}

var errAny = errors.New("any error")

func TestCleanTemp(t *testing.T) {
	t.Parallel()
	f := newStore(t)
	now := time.Now()
	old := now.Add(-2 * time.Hour)
	for _, name := range []string{"put-old", "stage-old", "anon-old.partial"} {
		p := filepath.Join(f.tmp, name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	young, err := f.Stage(t.Context(), bytes.NewReader([]byte("being checked")), 100)
	if err != nil {
		t.Fatal(err)
	}
	removed, err := f.CleanTemp(context.Background(), now.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if removed != 3 {
		t.Errorf("removed %d files, want 3", removed)
	}
	if left := files(t, f.tmp); len(left) != 1 || filepath.Join(f.tmp, left[0]) != young.Path {
		t.Errorf("tmp holds %v, want only the young staged file", left)
	}
	if err := young.Commit(t.Context()); err != nil {
		t.Errorf("commit after CleanTemp: %v", err)
	}
}
