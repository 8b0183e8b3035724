package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"time"
)

// ErrStagedDone means Commit after Commit or Discard.
var ErrStagedDone = errors.New("blob: staged file already committed or discarded")

// stager owns a local folder of uploads in progress (tmp), for every
// store: the PDF checker needs a file path, and a store commits only a
// finished, hashed file. commitFile stores tf, whose content is ref, and
// leaves neither tf open nor its file behind, whatever happens.
type stager struct {
	tmp        string
	commitFile func(ctx context.Context, tf *os.File, ref Ref) error
}

// spool copies at most max bytes of r into a new file in tmp, hashing as it
// goes. The file is returned open and not yet synced, so that content
// already stored costs no fsync.
func (f *stager) spool(ctx context.Context, r io.Reader, max int64, prefix string) (*os.File, Ref, error) {
	if max < 0 {
		return nil, Ref{}, fmt.Errorf("blob: negative size limit %d", max)
	}
	tf, err := os.CreateTemp(f.tmp, prefix+"-*")
	if err != nil {
		return nil, Ref{}, fmt.Errorf("blob: create temp file: %w", err)
	}
	limit := max
	if limit < math.MaxInt64 {
		limit++ // one byte more than allowed tells "too large" from "exactly max"
	}
	h := sha256.New()
	buf := make([]byte, 128<<10)
	n, err := io.CopyBuffer(io.MultiWriter(tf, h), io.LimitReader(ctxReader{ctx, r}, limit), buf)
	switch {
	case err != nil:
		err = fmt.Errorf("blob: spool: %w", err)
	case n > max:
		err = fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	if err != nil {
		discard(tf)
		return nil, Ref{}, err
	}
	return tf, Ref{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, nil
}

// Staged is an upload written to the store's tmp folder but not yet stored,
// so that it can be checked by path first (the PDF checker runs in a child
// process and wants a file) and then committed by a rename. A handler
// defers Discard right after staging; Discard after Commit does nothing.
// A Staged is not safe for concurrent use.
type Staged struct {
	// Path is the staged file; it must not be modified, because Ref.SHA256
	// was computed as it was written. It is gone after Commit or Discard.
	Path string
	Ref  Ref
	st   *stager
	done bool
}

// Stage streams r into a file in the store's tmp folder, hashing as it goes,
// and refuses more than max bytes with ErrTooLarge, leaving nothing behind.
func (f *stager) Stage(ctx context.Context, r io.Reader, max int64) (*Staged, error) {
	tf, ref, err := f.spool(ctx, r, max, "stage")
	if err != nil {
		return nil, err
	}
	// Read-only, because the checker gets the path and its hash must stay true.
	if err := tf.Chmod(0o444); err != nil {
		discard(tf)
		return nil, fmt.Errorf("blob: chmod: %w", err)
	}
	if err := tf.Close(); err != nil {
		os.Remove(tf.Name())
		return nil, fmt.Errorf("blob: close: %w", err)
	}
	return &Staged{Path: tf.Name(), Ref: ref, st: f}, nil
}

// TempPath reserves an empty file in the store's tmp folder, for a tool
// that writes its output to a path (the anonymiser), so that StageFile can
// then take that output without a copy. CleanTemp removes it if forgotten.
func (f *stager) TempPath(prefix string) (string, error) {
	tf, err := os.CreateTemp(f.tmp, prefix+"-*")
	if err != nil {
		return "", fmt.Errorf("blob: create temp file: %w", err)
	}
	if err := tf.Close(); err != nil {
		os.Remove(tf.Name())
		return "", fmt.Errorf("blob: close: %w", err)
	}
	return tf.Name(), nil
}

// StageFile takes over a file that is already in the store's tmp folder
// (from TempPath), hashing it. From the call on the file belongs to the
// store: on error it is removed, otherwise Commit or Discard ends it. A path
// outside tmp is refused and left alone, since Commit would move it.
func (f *stager) StageFile(ctx context.Context, path string, max int64) (*Staged, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("blob: stage %q: %w", path, err)
	}
	if filepath.Dir(abs) != f.tmp {
		return nil, fmt.Errorf("blob: stage %q: not in %s", path, f.tmp)
	}
	if _, ok := claimedSHA(filepath.Base(abs)); ok {
		return nil, fmt.Errorf("blob: stage %q: a collector's claim", path)
	}
	ref, err := hashFile(ctx, abs, max)
	if err != nil {
		os.Remove(abs)
		return nil, err
	}
	return &Staged{Path: abs, Ref: ref, st: f}, nil
}

func hashFile(ctx context.Context, path string, max int64) (Ref, error) {
	if max < 0 {
		return Ref{}, fmt.Errorf("blob: negative size limit %d", max)
	}
	file, err := os.Open(path)
	if err != nil {
		return Ref{}, fmt.Errorf("blob: stage: %w", err)
	}
	defer file.Close()
	if err := file.Chmod(0o444); err != nil {
		return Ref{}, fmt.Errorf("blob: chmod: %w", err)
	}
	limit := max
	if limit < math.MaxInt64 {
		limit++
	}
	h := sha256.New()
	n, err := io.Copy(h, io.LimitReader(ctxReader{ctx, file}, limit))
	if err != nil {
		return Ref{}, fmt.Errorf("blob: hash %s: %w", path, err)
	}
	if n > max {
		return Ref{}, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return Ref{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, nil
}

// Commit stores the staged file, durably, by a rename. On error the staged
// file is gone too: the upload has to be sent again.
func (s *Staged) Commit(ctx context.Context) error {
	if s.done {
		return ErrStagedDone
	}
	s.done = true
	if err := ctx.Err(); err != nil {
		os.Remove(s.Path)
		return err
	}
	file, err := os.Open(s.Path)
	if err != nil {
		os.Remove(s.Path)
		return fmt.Errorf("blob: commit: %w", err)
	}
	st, err := file.Stat()
	if err != nil {
		discard(file)
		return fmt.Errorf("blob: commit: %w", err)
	}
	if st.Size() != s.Ref.Size {
		discard(file)
		return fmt.Errorf("blob: commit: staged file changed from %d to %d bytes", s.Ref.Size, st.Size())
	}
	// The grace period runs from the commit, not from the end of the
	// upload, however long the check took. Kernel clock: see refresh.
	now := time.Now()
	if err := os.Chtimes(s.Path, now, now); err != nil {
		discard(file)
		return fmt.Errorf("blob: commit: %w", err)
	}
	return s.st.commitFile(ctx, file, s.Ref)
}

// Discard removes the staged file; it does nothing after Commit or Discard.
func (s *Staged) Discard() error {
	if s.done {
		return nil
	}
	s.done = true
	if err := os.Remove(s.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("blob: discard: %w", err)
	}
	return nil
}

// CleanTemp removes files in tmp last modified before olderThan: uploads
// whose process died, and staged files nobody committed or discarded. It
// puts blobs that a dead collector had claimed back in place instead. A
// staged file still being checked is young, so an hour's margin is safe.
func (f *FS) CleanTemp(ctx context.Context, olderThan time.Time) (removed int, err error) {
	return f.CleanStaging(olderThan)
}

// CleanStaging is CleanTemp: an FS store's data folder is its process's own.
func (f *FS) CleanStaging(olderThan time.Time) (removed int, err error) {
	return f.cleanTemp(olderThan, func(path, name string) (bool, error) {
		sha, ok := claimedSHA(name)
		if !ok {
			return false, nil
		}
		return true, f.unclaim(path, sha)
	})
}

// CleanStaging removes the files of the local staging folder last
// modified before olderThan: an S3 store's staging folder is its replica's
// own. (The FS store keeps the collector's claims there too: see FS.)
func (f *stager) CleanStaging(olderThan time.Time) (int, error) {
	return f.cleanTemp(olderThan, nil)
}

// cleanTemp removes the files in tmp last modified before olderThan, except
// those that keep says it has dealt with itself.
func (f *stager) cleanTemp(olderThan time.Time, keep func(path, name string) (bool, error)) (removed int, err error) {
	entries, err := os.ReadDir(f.tmp)
	if err != nil {
		return 0, fmt.Errorf("blob: read %s: %w", f.tmp, err)
	}
	var errs []error
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			errs = append(errs, fmt.Errorf("blob: clean %s: %w", e.Name(), err))
			continue
		}
		if !info.ModTime().Before(olderThan) {
			continue
		}
		p := filepath.Join(f.tmp, e.Name())
		if keep != nil {
			if done, err := keep(p, e.Name()); done {
				errs = append(errs, err)
				continue
			}
		}
		if err := os.Remove(p); err == nil {
			removed++
		} else if !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("blob: clean %s: %w", e.Name(), err))
		}
	}
	return removed, errors.Join(errs...)
}
