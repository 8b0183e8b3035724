package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// MigrateReport says what Migrate did.
type MigrateReport struct {
	Copied, Present int   // blobs sent, and blobs the destination had already
	Bytes           int64 // bytes sent
}

// Migrate copies every blob of from into to and reads each one back from to,
// hashing it, so that a blob counts as migrated only when the destination
// returns exactly the bytes its name promises. A source blob whose content
// does not match its name is reported, and never stored under that name:
// its bytes land under their own hash, where no row names them and the
// collector removes them. It can be run again: what the destination already
// holds intact is only verified.
func Migrate(ctx context.Context, from Store, to Store, progress func(sha string, copied bool)) (MigrateReport, error) {
	var rep MigrateReport
	var shas []string
	if err := from.List(ctx, func(sha string, _ int64, _ time.Time) error {
		shas = append(shas, sha)
		return nil
	}); err != nil {
		return rep, err
	}
	var errs []error
	for _, sha := range shas {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		copied, n, err := migrateOne(ctx, from, to, sha)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if copied {
			rep.Copied++
			rep.Bytes += n
		} else {
			rep.Present++
		}
		if progress != nil {
			progress(sha, copied)
		}
	}
	return rep, errors.Join(errs...)
}

func migrateOne(ctx context.Context, from, to Store, sha string) (copied bool, n int64, err error) {
	if err := Verify(ctx, to, sha); err == nil {
		return false, 0, nil
	} else if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrCorrupt) {
		return false, 0, err
	}
	r, _, err := from.Open(ctx, sha)
	if err != nil {
		return false, 0, err
	}
	ref, err := to.Put(ctx, r, math.MaxInt64)
	r.Close()
	if err != nil {
		return false, 0, err
	}
	if ref.SHA256 != sha {
		// What went up is stored under its own hash: leave it to the
		// collector, and report the source as damaged.
		return false, 0, fmt.Errorf("%w: source blob %s holds content hashing to %s", ErrCorrupt, sha, ref.SHA256)
	}
	if err := Verify(ctx, to, sha); err != nil {
		return false, 0, fmt.Errorf("blob %s after copying: %w", sha, err)
	}
	return true, ref.Size, nil
}

// ErrCorrupt means a blob whose bytes do not hash to its name.
var ErrCorrupt = errors.New("blob: content does not match its hash")

// Verify reads sha from s and checks the hash of what comes back.
func Verify(ctx context.Context, s Store, sha string) error {
	r, _, err := s.Open(ctx, sha)
	if err != nil {
		return err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, ctxReader{ctx, r}); err != nil {
		return fmt.Errorf("blob: reading %s: %w", sha, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sha {
		return fmt.Errorf("%w: %s reads back as %s", ErrCorrupt, sha, got)
	}
	return nil
}
