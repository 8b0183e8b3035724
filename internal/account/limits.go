package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account/accountdb"
	"github.com/quirehq/quire/internal/auth"
)

// DBLimiter is an auth.Limiter kept in PostgreSQL, so that every replica
// behind a load balancer enforces one limit: an attacker spreading guesses
// over the replicas gets no more than from one. Each attempt is one
// statement on one row (GCRA, the token bucket kept as the next allowed
// instant); the memory limiter's semantics, burst and refill, are the same.
type DBLimiter struct {
	DB accountdb.DBTX
	// Name keeps the limits apart in the shared table ("login-ip", ...).
	Name string
	Rate auth.Rate
}

// Allow takes one attempt under key at now, or says how long to wait.
func (l *DBLimiter) Allow(ctx context.Context, key string, now time.Time) (bool, time.Duration, error) {
	if l.Rate.Burst < 1 || l.Rate.Per <= 0 {
		return false, 0, fmt.Errorf("rate limit %s: burst and period must be positive", l.Name)
	}
	step := l.Rate.Per / time.Duration(l.Rate.Burst)
	k := l.Name + "|" + key
	_, err := q.TakeToken(ctx, l.DB, accountdb.TakeTokenParams{Key: k, Now: now, Step: step.Seconds(), Span: l.Rate.Per.Seconds()})
	if err == nil {
		return true, 0, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return false, 0, fmt.Errorf("rate limit %s: %w", l.Name, err)
	}
	tat, err := q.TokenState(ctx, l.DB, k)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit %s: %w", l.Name, err)
	}
	// The next attempt fits once tat + step is within Per of the clock; a
	// tat beyond Per (a clock that went back) counts as Per.
	if ceiling := now.Add(l.Rate.Per); tat.After(ceiling) {
		tat = ceiling
		if err := q.ClampToken(ctx, l.DB, accountdb.ClampTokenParams{Key: k, Ceiling: ceiling}); err != nil {
			return false, 0, fmt.Errorf("rate limit %s: %w", l.Name, err)
		}
	}
	return false, max(tat.Add(step).Sub(now.Add(l.Rate.Per)), time.Nanosecond), nil
}

// ForgetFull deletes the rows of keys whose bucket has refilled by now:
// they mean the same as no row. Any replica may run it.
func ForgetFull(ctx context.Context, db accountdb.DBTX, now time.Time) (int64, error) {
	return q.ForgetFullBuckets(ctx, db, now)
}

// SharedLimits are the limits for a workshop, generous for people and
// tight for scripts, kept in PostgreSQL.
func SharedLimits(db accountdb.DBTX) *Limits {
	mk := func(name string, burst int, per time.Duration) auth.Limiter {
		return &DBLimiter{DB: db, Name: name, Rate: auth.Rate{Burst: burst, Per: per}}
	}
	return &Limits{
		LoginIP:      mk("login-ip", 30, 10*time.Minute),
		LoginAccount: mk("login-account", 10, 15*time.Minute),
		RegisterIP:   mk("register-ip", 10, time.Hour),
		ResetIP:      mk("reset-ip", 10, time.Hour),
		ResetAccount: mk("reset-account", 3, time.Hour),
		Token:        mk("api-token", 600, time.Minute),
	}
}
