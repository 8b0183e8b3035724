package account

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account/accountdb"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/problem"
)

// Session is one active login as its owner sees it in the list of sessions.
type Session struct {
	ID uuid.UUID
	// Device is a short description of the browser or program ("Firefox on
	// Linux"); Address is the client address. Both are those of the last
	// sign-in or refresh, and empty for logins begun before they were kept.
	Device, Address   string
	Created, LastUsed time.Time
	// Current is the login the list was asked through.
	Current bool
}

// touchEvery is how stale a login's last use may get before a request in
// it writes the new one: at most one write a minute per login and replica.
const touchEvery = time.Minute

// Client is where a request comes from, as far as the list of sessions
// tells it: the address and the User-Agent header.
type Client struct {
	Address, UserAgent string
}

type clientKey struct{}

// WithClient puts the request's client in ctx, for the sign-in or refresh
// the request may make to record.
func WithClient(ctx context.Context, c Client) context.Context {
	return context.WithValue(ctx, clientKey{}, c)
}

func clientFrom(ctx context.Context) Client {
	c, _ := ctx.Value(clientKey{}).(Client)
	return c
}

// recordLogin notes a login's latest sign-in or refresh, inside tx.
func recordLogin(ctx context.Context, tx pgx.Tx, uid int64, family uuid.UUID, now time.Time) error {
	c := clientFrom(ctx)
	return q.RecordLogin(ctx, tx, accountdb.RecordLoginParams{Family: family, UserID: uid, Now: now,
		Address: truncate(c.Address, 64), Device: Device(c.UserAgent)})
}

// touchLogin records a use of a login between refreshes. It is best effort:
// the time a login was last used is no reason to refuse a request.
func (s *Service) touchLogin(ctx context.Context, sid uuid.UUID, now time.Time) {
	err := q.TouchLogin(ctx, s.DB, accountdb.TouchLoginParams{Family: sid, Now: now, Stale: now.Add(-touchEvery)})
	if err != nil {
		s.Log.WarnContext(ctx, "recording the last use of a login", "err", err)
	}
}

// Sessions lists a person's active logins, the most recently used first;
// current is the login asking (zero for none).
func (s *Service) Sessions(ctx context.Context, userID int64, current uuid.UUID) ([]Session, error) {
	rows, err := q.ListLogins(ctx, s.DB, accountdb.ListLoginsParams{UserID: userID, Now: s.Clock.Now()})
	if err != nil {
		return nil, err
	}
	out := make([]Session, 0, len(rows))
	for _, r := range rows {
		out = append(out, Session{ID: r.Family, Device: r.Device, Address: r.Address, Created: r.CreatedAt,
			LastUsed: r.LastUsedAt, Current: r.Family == current})
	}
	return out, nil
}

var errNoSession = problem.New(problem.ErrNotFound, "session_not_found", "there is no such active session of yours")

// EndSession ends one of a person's own logins: its refresh token stops
// working, and its access tokens at once on this replica and within
// SessionCheckTTL on the others. Another person's login, or one that is
// over, is not found.
func (s *Service) EndSession(ctx context.Context, userID int64, loginID uuid.UUID) error {
	now := s.Clock.Now()
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		n, err := q.EndLogin(ctx, tx, accountdb.EndLoginParams{Family: loginID, UserID: userID, Now: &now})
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoSession
		}
		return s.auditSessions(ctx, tx, userID, "session.end", loginID.String(), nil, now)
	})
	if err == nil {
		s.sessions.forget(loginID)
	}
	return err
}

// EndOtherSessions ends every login of a person but current ("sign out
// everywhere else") and says how many it ended.
func (s *Service) EndOtherSessions(ctx context.Context, userID int64, current uuid.UUID) (int, error) {
	now := s.Clock.Now()
	var ended []uuid.UUID
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		ended, err = q.EndOtherLogins(ctx, tx, accountdb.EndOtherLoginsParams{UserID: userID, Keep: current, Now: &now})
		if err != nil {
			return err
		}
		return s.auditSessions(ctx, tx, userID, "session.end_others", current.String(), map[string]any{"ended": len(ended)}, now)
	})
	if err != nil {
		return 0, err
	}
	for _, sid := range ended {
		s.sessions.forget(sid)
	}
	return len(ended), nil
}

func (s *Service) auditSessions(ctx context.Context, tx pgx.Tx, userID int64, action, subject string, detail map[string]any, now time.Time) error {
	return audit.Record(ctx, tx, audit.Entry{ActorID: &userID, Action: action, Subject: subject, Detail: detail,
		IP: clientFrom(ctx).Address, At: now})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
