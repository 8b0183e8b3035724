package blob

import (
	"context"
	"fmt"
	"time"
)

// Collect deletes the blobs that live says no row names and that were last
// put before olderThan, and reports how many it deleted. olderThan must
// leave a grace period longer than any upload takes from Put to the commit
// of its row (hours, not seconds), and should come from the real clock,
// since stores compare it with times their own clock set.
//
// When s is a GraceDeleter the age is checked again at the moment of
// deletion, so content that an upload puts again while Collect runs is
// kept; otherwise the check made when listing stands.
func Collect(ctx context.Context, s Store, live func(sha string) (bool, error), olderThan time.Time) (deleted int, err error) {
	gd, _ := s.(GraceDeleter)
	err = s.List(ctx, func(sha string, _ int64, modTime time.Time) error {
		if !modTime.Before(olderThan) {
			return nil
		}
		ok, err := live(sha)
		if err != nil {
			return fmt.Errorf("blob: is %s live: %w", sha, err)
		}
		if ok {
			return nil
		}
		if gd == nil {
			if err := s.Delete(ctx, sha); err != nil {
				return err
			}
			deleted++
			return nil
		}
		done, err := gd.DeleteIfOlder(ctx, sha, olderThan)
		if done {
			deleted++
		}
		return err
	})
	return deleted, err
}
