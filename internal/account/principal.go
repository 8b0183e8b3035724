package account

import (
	"context"
	"strconv"
	"time"

	"github.com/quirehq/quire/internal/problem"
)

// Principal is the authenticated caller of a request.
type Principal struct {
	UserID int64
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
// (bad signature, wrong algorithm, expired, unknown key...) is the same 401:
// the reason is logged, not told.
func (s *Service) Authenticate(token string) (Principal, error) {
	claims, err := s.Keys.Verify(token, s.Clock.Now())
	if err != nil {
		s.Log.Info("access token rejected", "reason", err.Error())
		return Principal{}, problem.New(problem.ErrUnauthorized, "invalid_token", "the access token is invalid or expired; refresh it or sign in again")
	}
	id, err := strconv.ParseInt(claims.Subject, 10, 64)
	if err != nil || id <= 0 {
		return Principal{}, problem.New(problem.ErrUnauthorized, "invalid_token", "the access token is invalid")
	}
	return Principal{UserID: id}, nil
}

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
