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

// age sets a blob's modification time, as if it had been put at t.
func age(t *testing.T, f *FS, sha string, at time.Time) {
	t.Helper()
	p, err := f.path(sha)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, at, at); err != nil {
		t.Fatal(err)
	}
}

// storeOnly hides FS's GraceDeleter, as a store without conditional
// deletes would.
type storeOnly struct{ Store }

func TestCollect(t *testing.T) {
	t.Parallel()
	for _, grace := range []bool{true, false} {
		f := newStore(t)
		ctx := t.Context()
		now := time.Now()
		put := func(seed byte, at time.Time) string {
			ref, err := f.Put(ctx, bytes.NewReader(body(500, seed)), 500)
			if err != nil {
				t.Fatal(err)
			}
			age(t, f, ref.SHA256, at)
			return ref.SHA256
		}
		liveOld := put(1, now.Add(-48*time.Hour))
		deadOld := put(2, now.Add(-48*time.Hour))
		deadOld2 := put(3, now.Add(-25*time.Hour))
		deadYoung := put(4, now.Add(-time.Minute))
		liveYoung := put(5, now)
		live := func(sha string) (bool, error) { return sha == liveOld || sha == liveYoung, nil }

		var s Store = f
		if !grace {
			s = storeOnly{f}
		}
		deleted, err := Collect(ctx, s, live, now.Add(-24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if deleted != 2 {
			t.Errorf("grace %v: deleted %d, want 2", grace, deleted)
		}
		want := map[string]bool{liveOld: true, deadOld: false, deadOld2: false, deadYoung: true, liveYoung: true}
		for sha, kept := range want {
			if ok, _ := f.Exists(ctx, sha); ok != kept {
				t.Errorf("grace %v: %s exists %v, want %v", grace, sha[:8], ok, kept)
			}
		}
		if left := files(t, f.tmp); len(left) != 0 {
			t.Errorf("tmp holds %v", left)
		}
	}
}

func TestCollectStopsWhenLiveFails(t *testing.T) {
	t.Parallel()
	f := newStore(t)
	ref, err := f.Put(t.Context(), bytes.NewReader([]byte("x")), 1)
	if err != nil {
		t.Fatal(err)
	}
	age(t, f, ref.SHA256, time.Now().Add(-48*time.Hour))
	errDB := errors.New("database down")
	deleted, err := Collect(t.Context(), f, func(string) (bool, error) { return false, errDB }, time.Now().Add(-time.Hour))
	if !errors.Is(err, errDB) || deleted != 0 {
		t.Errorf("Collect: %d, %v, want 0, %v", deleted, err, errDB)
	}
	if ok, _ := f.Exists(t.Context(), ref.SHA256); !ok {
		t.Error("blob deleted although liveness was unknown")
	}
}

// An upload that puts content the collector is about to delete, between
// Collect's listing and its delete, must keep it: its row is not committed
// yet, so liveness said no.
func TestPutAgainRestartsGracePeriod(t *testing.T) {
	t.Parallel()
	f := newStore(t)
	ctx := t.Context()
	data := body(800, 10)
	ref, err := f.Put(ctx, bytes.NewReader(data), 800)
	if err != nil {
		t.Fatal(err)
	}
	cutoff := time.Now().Add(-time.Hour)
	age(t, f, ref.SHA256, cutoff.Add(-time.Hour))
	deleted, err := Collect(ctx, f, func(sha string) (bool, error) {
		// The upload lands after listing, before the delete.
		if _, err := f.Put(ctx, bytes.NewReader(data), 800); err != nil {
			return false, err
		}
		return false, nil
	}, cutoff)
	if err != nil || deleted != 0 {
		t.Fatalf("Collect: %d, %v, want 0, nil", deleted, err)
	}
	if ok, _ := f.Exists(ctx, ref.SHA256); !ok {
		t.Error("blob deleted although just put again")
	}
	if left := files(t, f.tmp); len(left) != 0 {
		t.Errorf("tmp holds %v", left)
	}
}

// A collector that dies between claiming a blob and deleting it must not
// lose a blob an upload refreshed: NewFS and CleanTemp put claims back.
func TestInterruptedClaimIsPutBack(t *testing.T) {
	t.Parallel()
	for _, recover := range []string{"NewFS", "CleanTemp"} {
		f := newStore(t)
		ctx := t.Context()
		ref, err := f.Put(ctx, bytes.NewReader(body(100, 11)), 100)
		if err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-3 * time.Hour)
		age(t, f, ref.SHA256, old)
		p, _ := f.path(ref.SHA256)
		claim := filepath.Join(f.tmp, claimPrefix+ref.SHA256+"-DEAD")
		if err := os.Rename(p, claim); err != nil {
			t.Fatal(err)
		}
		switch recover {
		case "NewFS":
			if f, err = NewFS(filepath.Dir(f.objects)); err != nil {
				t.Fatal(err)
			}
		case "CleanTemp":
			removed, err := f.CleanTemp(context.Background(), time.Now().Add(-time.Hour))
			if err != nil || removed != 0 {
				t.Fatalf("CleanTemp: %d, %v", removed, err)
			}
		}
		if ok, _ := f.Exists(ctx, ref.SHA256); !ok {
			t.Errorf("%s: claimed blob not put back", recover)
		}
		if left := files(t, f.tmp); len(left) != 0 {
			t.Errorf("%s: tmp holds %v", recover, left)
		}
	}
}
