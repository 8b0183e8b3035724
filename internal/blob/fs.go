package blob

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/quirehq/quire/internal/fault"
)

// FS stores blobs as files under a root folder on a local filesystem. It
// holds no locks: every step is a rename or an idempotent write of identical
// bytes, so it is safe for concurrent use, also by several processes sharing
// the root (though not over NFS, whose renames are not atomic).
type FS struct {
	objects string // root/sha256
	stager         // root/tmp
}

var _ Files = (*FS)(nil)
var _ GraceDeleter = (*FS)(nil)

// claimPrefix marks a blob the collector has moved into tmp to delete it.
const claimPrefix = "gc-"

// NewFS opens the store under root, creating its folders, and puts back any
// blob a collector had claimed when the process died.
func NewFS(root string) (*FS, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("blob: root %q: %w", root, err)
	}
	f := &FS{objects: filepath.Join(abs, "sha256"), stager: stager{tmp: filepath.Join(abs, "tmp")}}
	f.commitFile = func(_ context.Context, tf *os.File, ref Ref) error { return f.commit(tf, ref) }
	for _, d := range []string{f.objects, f.tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("blob: create %s: %w", d, err)
		}
	}
	if err := syncDir(abs); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(f.tmp)
	if err != nil {
		return nil, fmt.Errorf("blob: read %s: %w", f.tmp, err)
	}
	for _, e := range entries {
		if sha, ok := claimedSHA(e.Name()); ok {
			if err := f.unclaim(filepath.Join(f.tmp, e.Name()), sha); err != nil {
				return nil, err
			}
		}
	}
	return f, nil
}

// path returns where the blob sha lives, after checking that sha cannot
// name anything else.
func (f *FS) path(sha string) (string, error) {
	if err := CheckSHA(sha); err != nil {
		return "", err
	}
	return filepath.Join(f.objects, sha[:2], sha[2:]), nil
}

func (f *FS) Put(ctx context.Context, r io.Reader, max int64) (Ref, error) {
	tf, ref, err := f.spool(ctx, r, max, "put")
	if err != nil {
		return Ref{}, err
	}
	if err := f.commit(tf, ref); err != nil {
		return Ref{}, err
	}
	return ref, nil
}

func (f *FS) Open(ctx context.Context, sha string) (io.ReadSeekCloser, int64, error) {
	p, err := f.path(sha)
	if err != nil {
		return nil, 0, err
	}
	file, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, fmt.Errorf("%w: %s", ErrNotFound, sha)
	} else if err != nil {
		return nil, 0, fmt.Errorf("blob: open %s: %w", sha, err)
	}
	st, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, 0, fmt.Errorf("blob: stat %s: %w", sha, err)
	}
	return file, st.Size(), nil
}

func (f *FS) Exists(ctx context.Context, sha string) (bool, error) {
	p, err := f.path(sha)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("blob: stat %s: %w", sha, err)
	}
	return true, nil
}

func (f *FS) Delete(ctx context.Context, sha string) error {
	p, err := f.path(sha)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: delete %s: %w", sha, err)
	}
	return nil
}

// DeleteIfOlder first renames the blob into tmp, so that from then on no
// Put can refresh it unseen: a Put that finds it gone writes a new copy.
// Only then does it read the blob's time, and it puts back a blob that a Put
// refreshed before the rename.
func (f *FS) DeleteIfOlder(ctx context.Context, sha string, olderThan time.Time) (bool, error) {
	p, err := f.path(sha)
	if err != nil {
		return false, err
	}
	claim := filepath.Join(f.tmp, claimPrefix+sha+"-"+rand.Text())
	if err := os.Rename(p, claim); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("blob: claim %s: %w", sha, err)
	}
	st, err := os.Stat(claim)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil // put back by CleanTemp or NewFS meanwhile
	} else if err != nil {
		return false, errors.Join(fmt.Errorf("blob: stat claim of %s: %w", sha, err), f.unclaim(claim, sha))
	}
	if !st.ModTime().Before(olderThan) {
		return false, f.unclaim(claim, sha)
	}
	if err := os.Remove(claim); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, errors.Join(fmt.Errorf("blob: delete %s: %w", sha, err), f.unclaim(claim, sha))
	}
	return true, nil
}

// unclaim moves a claimed blob back. If a Put has meanwhile written the
// same content again, the rename replaces identical bytes.
func (f *FS) unclaim(claim, sha string) error {
	p, err := f.path(sha)
	if err != nil {
		return err
	}
	if err := os.Rename(claim, p); errors.Is(err, fs.ErrNotExist) {
		return nil // deleted or put back by another collector
	} else if err != nil {
		return fmt.Errorf("blob: put back %s: %w", sha, err)
	}
	return syncDir(filepath.Dir(p))
}

// claimedSHA reports whether name is a collector's claim, and of which blob.
func claimedSHA(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, claimPrefix)
	if !ok || len(rest) < 64 {
		return "", false
	}
	sha := rest[:64]
	return sha, CheckSHA(sha) == nil
}

func (f *FS) List(ctx context.Context, fn func(sha string, size int64, modTime time.Time) error) error {
	shards, err := os.ReadDir(f.objects)
	if err != nil {
		return fmt.Errorf("blob: list: %w", err)
	}
	for _, sd := range shards {
		if !sd.IsDir() {
			continue
		}
		entries, err := os.ReadDir(filepath.Join(f.objects, sd.Name()))
		if err != nil {
			return fmt.Errorf("blob: list %s: %w", sd.Name(), err)
		}
		for _, e := range entries {
			if err := ctx.Err(); err != nil {
				return err
			}
			sha := sd.Name() + e.Name()
			if !e.Type().IsRegular() || CheckSHA(sha) != nil {
				continue
			}
			info, err := e.Info()
			if errors.Is(err, fs.ErrNotExist) {
				continue // deleted since ReadDir
			} else if err != nil {
				return fmt.Errorf("blob: list %s: %w", sha, err)
			}
			if err := fn(sha, info.Size(), info.ModTime()); err != nil {
				return err
			}
		}
	}
	return nil
}

// commit moves the temp file tf, whose content is ref, into place, or drops
// it if the blob is already stored. It closes tf and leaves no temp file
// behind in any case.
func (f *FS) commit(tf *os.File, ref Ref) error {
	dst, err := f.path(ref.SHA256)
	if err != nil {
		discard(tf)
		return err
	}
	if refresh(dst, ref.Size) {
		discard(tf)
		return nil
	}
	if err := place(tf, dst); err != nil {
		discard(tf)
		return err
	}
	return nil
}

// refresh reports whether dst already holds a blob of the right size, and
// if so restarts its grace period, so that the collector cannot delete it
// between this Put and the commit of the row that names it. Any failure
// answers false: writing a fresh copy is always correct, only slower.
func refresh(dst string, size int64) bool {
	st, err := os.Stat(dst)
	if err != nil || st.Size() != size {
		return false // a wrong size means a damaged copy: replace it
	}
	// The kernel's clock, not an injected one: the collector compares this
	// with the times the kernel gives new files.
	now := time.Now()
	return os.Chtimes(dst, now, now) == nil
}

// place makes tf durable and renames it to dst, creating dst's folder if
// need be. The order (data sync, rename, folder sync) is what guarantees
// that after a crash dst is either absent or complete.
func place(tf *os.File, dst string) error {
	if err := tf.Sync(); err != nil {
		return fmt.Errorf("blob: sync: %w", err)
	}
	if err := tf.Chmod(0o444); err != nil {
		return fmt.Errorf("blob: chmod: %w", err)
	}
	shard := filepath.Dir(dst)
	if err := os.Mkdir(shard, 0o755); err == nil {
		if err := syncDir(filepath.Dir(shard)); err != nil {
			return err
		}
	} else if !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("blob: create %s: %w", shard, err)
	}
	if err := os.Rename(tf.Name(), dst); err != nil {
		return fmt.Errorf("blob: rename into place: %w", err)
	}
	if err := tf.Close(); err != nil {
		return fmt.Errorf("blob: close: %w", err)
	}
	return syncDir(shard)
}

// discard closes and removes a temp file whose content is not wanted.
func discard(tf *os.File) {
	tf.Close()
	os.Remove(tf.Name())
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("blob: open folder %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("blob: sync folder %s: %w", dir, err)
	}
	return nil
}

// ctxReader ends a copy when the request is cancelled, instead of waiting
// for a stalled client.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// Ping checks that the store's folders are still there, for /readyz.
func (f *FS) ProbeWrite(ctx context.Context) error {
	tf, err := os.CreateTemp(f.tmp, "readyz-*")
	if err != nil {
		return fmt.Errorf("blob: %w: %w", fault.ErrStorage, err)
	}
	_, werr := tf.WriteString("ok")
	cerr := tf.Close()
	os.Remove(tf.Name())
	if err := errors.Join(werr, cerr); err != nil {
		return fmt.Errorf("blob: %w: %w", fault.ErrStorage, err)
	}
	return nil
}

func (f *FS) Ping(ctx context.Context) error {
	for _, d := range []string{f.objects, f.tmp} {
		if _, err := os.Stat(d); err != nil {
			return fmt.Errorf("blob: %w", err)
		}
	}
	return nil
}
