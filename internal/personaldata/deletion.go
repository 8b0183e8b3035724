package personaldata

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/personaldata/personaldatadb"
	"github.com/quirehq/quire/internal/problem"
)

// Deletion is what a person gives to delete their account.
type Deletion struct {
	Password string
	// Code is asked when two-factor sign-in is on.
	Code string
	IP   string
}

// Deleter deletes accounts; it needs the account service to confirm who is
// asking.
type Deleter struct {
	*Service
	Accounts *account.Service
	Now      func() time.Time
}

// Tombstone is the address a deleted account keeps: .invalid takes no mail
// (RFC 2606), and the address is free to register again.
func Tombstone(id int64) string { return "deleted-" + strconv.FormatInt(id, 10) + "@invalid" }

// IsTombstone reports whether an address is a deleted account's tombstone.
func IsTombstone(email string) bool {
	n, ok := strings.CutPrefix(email, "deleted-")
	if !ok {
		return false
	}
	n, ok = strings.CutSuffix(n, "@invalid")
	_, err := strconv.ParseInt(n, 10, 64)
	return ok && err == nil
}

// Delete deletes the person's account, in one transaction, by the rules of
// docs/personal-data.md: refused while they are a venue's only chair; what
// the venue must keep (submitted reviews under their pseudonym, comments,
// audit entries, the author lists of papers) stays, tied to a tombstone of
// the account that nobody can sign in to; everything else of theirs goes.
func (d *Deleter) Delete(ctx context.Context, uid int64, in Deletion) error {
	tx, err := d.DB.Begin(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	u, err := d.q.LockUser(ctx, tx, uid)
	if err != nil {
		return fmt.Errorf("delete account: %w", err)
	}
	if err := d.Accounts.ConfirmIdentity(ctx, tx, uid, in.Password, in.Code, in.IP); err != nil {
		return err
	}
	venues, err := d.q.SoleChairOf(ctx, tx, uid)
	if err != nil {
		return err
	}
	if len(venues) > 0 {
		return problem.New(problem.ErrConflict, "sole_chair",
			"you are the only chair of "+strings.Join(venues, ", ")+": make someone else a chair there first")
	}
	if err := d.forget(ctx, tx, uid, u, in.IP); err != nil {
		return fmt.Errorf("delete account: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	d.Accounts.ForgetSessions(uid)
	return nil
}

func (d *Deleter) forget(ctx context.Context, tx pgx.Tx, uid int64, u personaldatadb.LockUserRow, ip string) error {
	tomb := Tombstone(uid)
	if err := d.q.ForgetPersonalRows(ctx, tx, personaldatadb.ForgetPersonalRowsParams{UserID: uid, Email: u.Email}); err != nil {
		return err
	}
	// Only a confirmed address ever tied author entries to the account; an
	// unconfirmed one may be someone else's.
	if u.Verified {
		if err := d.q.DetachAuthorEntries(ctx, tx, personaldatadb.DetachAuthorEntriesParams{Tombstone: tomb, Email: u.Email}); err != nil {
			return err
		}
		if err := d.q.ScrubOpenReviewNotes(ctx, tx, personaldatadb.ScrubOpenReviewNotesParams{Tombstone: tomb, Email: u.Email}); err != nil {
			return err
		}
	}
	now := d.Now()
	if err := d.q.MakeTombstone(ctx, tx, personaldatadb.MakeTombstoneParams{ID: uid, Tombstone: tomb, Now: now}); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{ActorID: &uid, Action: "account.delete", Subject: "user:" + strconv.FormatInt(uid, 10), IP: ip, At: now})
}
