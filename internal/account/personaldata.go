package account

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ConfirmIdentity is what an irreversible step (deleting the account) asks
// for: the password, and a code when two-factor sign-in is on, so that a
// session left open is not enough. Guesses count against the sign-in
// limit. It runs in the caller's transaction, so a used code is spent only
// if the step happens.
func (s *Service) ConfirmIdentity(ctx context.Context, tx pgx.Tx, uid int64, password, code, ip string) error {
	if err := s.codeLimits(ctx, uid, ip); err != nil {
		return err
	}
	u, err := q.GetUser(ctx, tx, uid)
	if err != nil {
		return err
	}
	if ok, _, err := s.Passwords.Verify(u.PasswordHash, password); err != nil || !ok {
		return errBadPassword
	}
	on, err := q.TwoFactorEnabled(ctx, tx, uid)
	if err != nil || !on {
		return err
	}
	if strings.TrimSpace(code) == "" {
		return errTwoFactorRequired
	}
	_, err = s.secondFactor(ctx, tx, uid, strings.TrimSpace(code), s.Clock.Now())
	return err
}

// ForgetSessions drops this replica's memory of the person's active logins,
// once they are gone from the database, so no access token outlives them
// here.
func (s *Service) ForgetSessions(uid int64) { s.sessions.forgetUser(uid) }
