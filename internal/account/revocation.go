package account

import (
	"context"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/quirehq/quire/internal/account/accountdb"
)

// SessionCheckTTL is how long a replica trusts that a login is still
// active without asking PostgreSQL again. A sign-out on this replica takes
// effect at once; one on another replica within this time.
const SessionCheckTTL = 5 * time.Second

// sessionCacheMax bounds the cache; past it, lapsed entries are dropped.
const sessionCacheMax = 10000

// sessionCache remembers logins found active, so that most requests cost no
// query. Only "active" is remembered: a revoked login stays revoked.
type sessionCache struct {
	mu      sync.Mutex
	entries map[uuid.UUID]sessionEntry
}

type sessionEntry struct {
	user  int64
	until time.Time
	// touched is when this replica last recorded a use of the login.
	touched time.Time
}

func (c *sessionCache) active(sid uuid.UUID, user int64, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[sid]
	return ok && e.user == user && now.Before(e.until)
}

// remember notes a login found active and says whether a use of it is due
// to be recorded (sessions.go, touchLogin): the cache is asked on every
// request, PostgreSQL only once the entry lapses, and the last use at most
// once every touchEvery.
func (c *sessionCache) remember(sid uuid.UUID, user int64, now time.Time) (touch bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[uuid.UUID]sessionEntry{}
	}
	if len(c.entries) >= sessionCacheMax {
		for k, e := range c.entries {
			if !now.Before(e.until) {
				delete(c.entries, k)
			}
		}
	}
	touched := now
	if old, ok := c.entries[sid]; ok && old.user == user && now.Sub(old.touched) < touchEvery {
		touched = old.touched
	}
	if len(c.entries) < sessionCacheMax {
		c.entries[sid] = sessionEntry{user: user, until: now.Add(SessionCheckTTL), touched: touched}
	}
	return touched.Equal(now)
}

func (c *sessionCache) forget(sid uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, sid)
}

func (c *sessionCache) forgetUser(user int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if e.user == user {
			delete(c.entries, k)
		}
	}
}

// sessionActive reports whether the login sid of user is still active. An
// error is a fault (the database away), never a "no".
func (s *Service) sessionActive(ctx context.Context, sid uuid.UUID, user int64) (bool, error) {
	now := s.Clock.Now()
	if s.sessions.active(sid, user, now) {
		return true, nil
	}
	ok, err := q.SessionActive(ctx, s.DB, accountdb.SessionActiveParams{Family: sid, UserID: user})
	if err != nil {
		return false, err
	}
	if ok && s.sessions.remember(sid, user, now) {
		s.touchLogin(ctx, sid, now)
	}
	return ok, nil
}
