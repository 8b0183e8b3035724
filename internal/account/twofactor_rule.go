package account

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account/accountdb"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/problem"
)

// TwoFactorRule is the instance's setting of who must sign in with a second
// factor. People it covers keep their sign-in but can do nothing else
// until they have set it up: a chair's password alone is then not enough
// to reach a venue's papers and reviews.
type TwoFactorRule string

const (
	// TwoFactorOptional leaves two-factor sign-in to each person.
	TwoFactorOptional TwoFactorRule = "none"
	// TwoFactorAdmins requires it of the instance's administrators.
	TwoFactorAdmins TwoFactorRule = "admins"
	// TwoFactorChairs requires it of administrators and of every chair of
	// any venue.
	TwoFactorChairs TwoFactorRule = "chairs"
)

// ParseTwoFactorRule reads the configuration value.
func ParseTwoFactorRule(v string) (TwoFactorRule, error) {
	switch r := TwoFactorRule(v); r {
	case TwoFactorOptional, TwoFactorAdmins, TwoFactorChairs:
		return r, nil
	}
	return "", fmt.Errorf("must be none, admins or chairs, not %q", v)
}

// ErrTwoFactorSetupRequired answers every request but setting up the
// second factor (and signing out) of a person the rule covers who has not.
var ErrTwoFactorSetupRequired = problem.New(problem.ErrForbidden, "two_factor_setup_required",
	"this instance requires two-factor sign-in of administrators and chairs: set it up first "+
		"(in the browser at /account/two-factor, or POST /api/v1/me/two-factor then /api/v1/me/two-factor/confirm)")

// Covers says whether the rule asks a second factor of a person with these
// roles.
func (r TwoFactorRule) Covers(admin, chairs bool) bool {
	switch r {
	case TwoFactorAdmins:
		return admin
	case TwoFactorChairs:
		return admin || chairs
	}
	return false
}

// duty is what the rule makes of one person.
type duty struct {
	// covered: the rule asks a second factor of them.
	covered bool
	// owes: covered, and theirs is not on.
	owes bool
}

// dutyCache remembers each person's duty for SessionCheckTTL: it is asked
// on every request. Changes on this replica (turning it on or off, a
// reset) forget the entry at once; a chair role granted elsewhere counts
// within the TTL.
type dutyCache struct {
	mu      sync.Mutex
	entries map[int64]dutyEntry
}

type dutyEntry struct {
	duty
	until time.Time
}

func (c *dutyCache) get(uid int64, now time.Time) (duty, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[uid]
	if !ok || !now.Before(e.until) {
		return duty{}, false
	}
	return e.duty, true
}

func (c *dutyCache) put(uid int64, d duty, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= sessionCacheMax {
		c.entries = map[int64]dutyEntry{}
	}
	c.entries[uid] = dutyEntry{duty: d, until: now.Add(SessionCheckTTL)}
}

func (c *dutyCache) forget(uid int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, uid)
}

func (s *Service) dutyOf(ctx context.Context, uid int64) (duty, error) {
	if s.TwoFactorRule == "" || s.TwoFactorRule == TwoFactorOptional {
		return duty{}, nil
	}
	now := s.Clock.Now()
	if d, ok := s.duties.get(uid, now); ok {
		return d, nil
	}
	row, err := q.TwoFactorDuty(ctx, s.DB, uid)
	if errors.Is(err, pgx.ErrNoRows) {
		return duty{}, nil
	}
	if err != nil {
		return duty{}, fmt.Errorf("account: two-factor duty of %d: %w", uid, err)
	}
	d := duty{covered: s.TwoFactorRule.Covers(row.IsAdmin, row.Chairs)}
	d.owes = d.covered && !row.Enrolled
	s.duties.put(uid, d, now)
	return d, nil
}

// OwesSecondFactor says whether the instance's rule covers the person and
// their second factor is not on. An error is a fault, never a yes.
func (s *Service) OwesSecondFactor(ctx context.Context, uid int64) (bool, error) {
	d, err := s.dutyOf(ctx, uid)
	return d.owes, err
}

// SecondFactorRequired says whether the instance's rule covers the person,
// whether or not theirs is on.
func (s *Service) SecondFactorRequired(ctx context.Context, uid int64) (bool, error) {
	d, err := s.dutyOf(ctx, uid)
	return d.covered, err
}

// ErrUnknownPerson is the answer for an address with no account.
var ErrUnknownPerson = &problem.Error{Kind: problem.ErrNotFound, Code: "unknown_person",
	Detail: "nobody with this email address has an account here",
	Fields: []problem.FieldError{{Field: "email", Message: "has no account here"}}}

var errNothingToReset = &problem.Error{Kind: problem.ErrConflict, Code: "two_factor_off",
	Detail: "this person's two-factor sign-in is not on: there is nothing to reset",
	Fields: []problem.FieldError{{Field: "email", Message: "does not use two-factor sign-in: nothing to reset"}}}

// ResetTwoFactor turns off the second factor of the person with this email
// address, for an administrator helping someone who lost their phone and
// their recovery codes. Their logins end (a stolen session must not
// survive the reset), the person is told by mail, and the audit log
// names the administrator. Turning it back on is theirs to do; where the
// instance requires it, they are asked at their next sign-in.
func (s *Service) ResetTwoFactor(ctx context.Context, admin int64, email, ip string) (User, error) {
	now := s.Clock.Now()
	var target accountdb.User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		a, err := q.GetUser(ctx, tx, admin)
		if err != nil {
			return err
		}
		if !a.IsAdmin {
			return problem.New(problem.ErrForbidden, "not_admin", "only an administrator of this instance can reset someone's two-factor sign-in")
		}
		u, found, err := s.ByEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		if !found {
			return ErrUnknownPerson
		}
		target, err = q.GetUser(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if _, err := q.GetTwoFactorForUpdate(ctx, tx, u.ID); errors.Is(err, pgx.ErrNoRows) {
			return errNothingToReset
		} else if err != nil {
			return err
		}
		if err := q.DeleteRecoveryCodes(ctx, tx, u.ID); err != nil {
			return err
		}
		if err := q.DeleteTwoFactor(ctx, tx, u.ID); err != nil {
			return err
		}
		if err := q.RevokeUserRefreshTokens(ctx, tx, accountdb.RevokeUserRefreshTokensParams{UserID: u.ID, RevokedAt: &now}); err != nil {
			return err
		}
		if err := s.Mail.Queue(ctx, tx, mail.TemplateNotice, "two-factor-reset:"+strconv.FormatInt(u.ID, 10)+":"+now.Format(time.RFC3339Nano), target.Email, mail.NoticeData{
			Name:    target.Name,
			Subject: "Your two-factor sign-in was turned off",
			Body: "An administrator of Quire turned off two-factor sign-in on your account, as is done when a phone and its recovery codes are lost, " +
				"and signed you out everywhere. Sign in with your password and set it up again under Profile, Two-factor sign-in. " +
				"If you did not ask for this, tell the administrators at once and change your password.",
			Link: s.link("/account/two-factor", ""),
		}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{ActorID: &admin, Action: "account.two_factor.reset",
			Subject: "user:" + strconv.FormatInt(u.ID, 10), IP: ip, At: now})
	})
	if err != nil {
		return User{}, err
	}
	s.duties.forget(target.ID)
	s.sessions.forgetUser(target.ID)
	return fromRow(target), nil
}
