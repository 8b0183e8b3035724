package submission

import (
	"context"
	"errors"
	"fmt"

	"github.com/quirehq/quire/internal/blob"
)

// BlobCheck is what CheckBlobs found: how many files submissions and
// revisions name, and which of them the store lacks or returns damaged.
type BlobCheck struct {
	Named   int
	Missing []string
	Damaged []string
}

// CheckBlobs looks up every file a submission or revision names in the
// store; with hash it also reads each one back and checks its hash. It is the
// check after a restore or a migration that no row points at a lost file.
func (s *Service) CheckBlobs(ctx context.Context, hash bool) (BlobCheck, error) {
	var res BlobCheck
	shas, err := q.LiveBlobs(ctx, s.DB)
	if err != nil {
		return res, err
	}
	res.Named = len(shas)
	for _, sha := range shas {
		var err error
		if hash {
			err = blob.Verify(ctx, s.Blobs, sha)
		} else {
			var ok bool
			if ok, err = s.Blobs.Exists(ctx, sha); err == nil && !ok {
				err = blob.ErrNotFound
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, blob.ErrNotFound):
			res.Missing = append(res.Missing, sha)
		case errors.Is(err, blob.ErrCorrupt):
			res.Damaged = append(res.Damaged, sha)
		default:
			return res, fmt.Errorf("checking %s: %w", sha, err)
		}
	}
	return res, nil
}
