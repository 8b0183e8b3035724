package account

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/quirehq/quire/internal/problem"
)

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID int64
	// Session is the login the caller's access token belongs to; signing
	// out ends it. It is zero for a principal not made from a token.
	Session uuid.UUID
	// Token is set when the caller came with a personal API token instead
	// of a sign-in: what that token may do. Such a caller has no Session.
	Token *TokenGrant
}

type principalKey struct{}

// WithPrincipal puts the caller in the request context.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the caller, if the request was authenticated.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	return p, ok
}

// ErrSignInRequired is the answer to an anonymous call of a protected operation.
var ErrSignInRequired = problem.New(problem.ErrUnauthorized, "unauthorized", "sign in first: this needs an account")

// MustPrincipal returns the caller or the sign-in error.
func MustPrincipal(ctx context.Context) (Principal, error) {
	p, ok := PrincipalFrom(ctx)
	if !ok {
		return Principal{}, ErrSignInRequired
	}
	return p, nil
}

// Authenticate checks an access token and names its holder. Every rejection
// (bad signature, wrong algorithm, expired, unknown key, a login that was
// signed out...) is the same 401: the reason is logged, not told. A token
// is good only while its login is: that is looked up in PostgreSQL (cached
// for SessionCheckTTL), and a fault doing so is returned as it is, never as
// a 401, so that nobody is sent to sign in because the database is away.
func (s *Service) Authenticate(ctx context.Context, token string) (Principal, error) {
	claims, err := s.Keys.Verify(token, s.Clock.Now())
	if err != nil {
		s.Log.Info("access token rejected", "reason", err.Error())
		return Principal{}, errInvalidToken
	}
	id, err := strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil || id <= 0 {
		return Principal{}, errInvalidToken
	}
	sid, err := uuid.Parse(claims.SessionID)
	if err != nil {
		s.Log.Info("access token rejected", "reason", "no session id")
		return Principal{}, errInvalidToken
	}
	active, err := s.sessionActive(ctx, sid, id)
	if err != nil {
		return Principal{}, fmt.Errorf("account: checking the session of an access token: %w", err)
	}
	if !active {
		s.Log.Info("access token rejected", "reason", "signed out")
		return Principal{}, errInvalidToken
	}
	return Principal{UserID: id, Session: sid}, nil
}

var errInvalidToken = problem.New(problem.ErrUnauthorized, "invalid_token", "the access token is invalid or expired; refresh it or sign in again")

// RequireVerified refuses actions (submitting, reviewing) to accounts whose
// email is not confirmed yet.
func (s *Service) RequireVerified(ctx context.Context, id int64) error {
	u, err := q.GetUser(ctx, s.DB, id)
	if err != nil {
		return err
	}
	if u.EmailVerifiedAt == nil {
		return problem.New(problem.ErrForbidden, "email_unverified", "confirm your email address first (see the link we sent you)")
	}
	return nil
}

// accessLifetime is exported for cookie max-age.
func (t Tokens) AccessMaxAge(now time.Time) int { return int(t.AccessExpires.Sub(now).Seconds()) }
