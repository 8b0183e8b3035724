package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// Ref names stored content. Size travels with the hash so that callers can
// show it and check a limit without opening the blob.
type Ref struct {
	SHA256 string // 64 lowercase hex digits
	Size   int64
}

// Store is what the rest of Quire needs from blob storage; FS implements it
// on a local filesystem, and the package doc explains how an S3-compatible
// object store would.
type Store interface {
	// Put streams r into the store, hashing as it goes, and refuses more
	// than max bytes with ErrTooLarge, leaving nothing behind. The blob is
	// durable when Put returns. Putting content that is already stored is
	// cheap and safe, concurrently too.
	Put(ctx context.Context, r io.Reader, max int64) (Ref, error)
	// Open returns the blob's content and size, or ErrNotFound.
	Open(ctx context.Context, sha string) (io.ReadSeekCloser, int64, error)
	Exists(ctx context.Context, sha string) (bool, error)
	// Delete is for garbage collection only: revisions name blobs forever.
	// Deleting a missing blob is not an error, so that two collectors can
	// race.
	Delete(ctx context.Context, sha string) error
	// List calls fn once for every blob, stopping at fn's first error.
	List(ctx context.Context, fn func(sha string, size int64, modTime time.Time) error) error
}

// Files is a Store with a local folder for uploads in progress: what the
// upload paths need, since the PDF checker reads a file by path before
// anything is stored. FS and S3 implement it.
type Files interface {
	Store
	// Stage writes r, at most max bytes, to a local file and hashes it;
	// Staged.Commit then stores it.
	Stage(ctx context.Context, r io.Reader, max int64) (*Staged, error)
	// TempPath reserves an empty local file for a tool's output, which
	// StageFile then takes over.
	TempPath(prefix string) (string, error)
	StageFile(ctx context.Context, path string, max int64) (*Staged, error)
	// CleanTemp removes what crashed processes left before olderThan: local
	// temp files and, in an object store, unfinished multipart uploads.
	CleanTemp(ctx context.Context, olderThan time.Time) (removed int, err error)
	// CleanStaging removes this process's own local files left before
	// olderThan (staged uploads of a process killed mid-request), and
	// touches nothing another replica shares: every replica runs it,
	// whoever holds the collection lease.
	CleanStaging(olderThan time.Time) (removed int, err error)
	// Ping reports whether the store answers, for /readyz.
	Ping(ctx context.Context) error
	// ProbeWrite writes (and for a folder removes) a small file outside
	// the blobs, for /readyz: a store that answers may still refuse
	// writes (a disk full, an object store restarting).
	ProbeWrite(ctx context.Context) error
}

// GraceDeleter is implemented by stores that can delete a blob only if it
// has not been put again since olderThan, closing the window between
// Collect listing a blob and deleting it. deleted is false when the blob was
// young or already gone.
type GraceDeleter interface {
	DeleteIfOlder(ctx context.Context, sha string, olderThan time.Time) (deleted bool, err error)
}

var (
	ErrNotFound = errors.New("blob: not found")
	ErrTooLarge = errors.New("blob: too large")
	// ErrInvalidSHA means a hash that is not 64 lowercase hex digits. It
	// is checked before any path is built from the hash, so a hash taken
	// from a request cannot name a file outside the store.
	ErrInvalidSHA = errors.New("blob: invalid sha256")
)

// CheckSHA returns ErrInvalidSHA unless sha is 64 lowercase hex digits.
// Uppercase is refused rather than folded, so that one blob has one name.
func CheckSHA(sha string) error {
	if len(sha) != 64 {
		return fmt.Errorf("%w: %d characters, want 64", ErrInvalidSHA, len(sha))
	}
	for i := 0; i < len(sha); i++ {
		c := sha[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return fmt.Errorf("%w: character %d is %q", ErrInvalidSHA, i, c)
		}
	}
	return nil
}

// Key is the object name of a blob, the same in every store, so that a
// filesystem store can be copied into a bucket as it is.
func Key(sha string) (string, error) {
	if err := CheckSHA(sha); err != nil {
		return "", err
	}
	return "sha256/" + sha[:2] + "/" + sha[2:], nil
}
