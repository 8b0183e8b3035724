package matching

import (
	"context"
	"maps"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/affinity"
	"github.com/quirehq/quire/internal/matching/matchingdb"
	"github.com/quirehq/quire/internal/venue"
)

// Every chair's page and every reviewer's home asks who is conflicted with
// what, and answering means loading the whole venue and running the
// conflict rules over every paper and reviewer: tens of milliseconds at a
// workshop's size, on each request. stateCache keeps each venue's loaded
// state with the venue's data version (venue_data_versions, which triggers
// bump in every transaction that writes what the state is made of), and a
// request reads the version, one indexed row, before anything else: the
// same number means nothing was committed since the state was loaded, a
// larger one that it must be loaded again. The version lives in the
// database, so a write through any replica is seen by the next read on
// every replica; the cache is only this process's.
//
// Only reads on the pool use it: inside a transaction a state may include
// the transaction's own uncommitted writes, under a version that another
// transaction could commit with different ones.
//
// The version covers the tables migrations/00022_venue_data_versions.sql
// puts triggers on, with reviewer_publications (00028) and phase_overrides
// and extensions (00031). loadState, and anything remembered per state, must read
// nothing else that changes (a new table read there needs its trigger in a
// migration of its own), or a write to it would go unseen until the next
// write to the venue.
type stateCache struct {
	mu      sync.Mutex
	entries map[int64]*cacheEntry // by venue
}

type cacheEntry struct {
	version int64
	ready   chan struct{} // closed once st or err is set
	st      *state
	err     error
}

// dataVersion is the venue's data version as committed now.
func dataVersion(ctx context.Context, db matchingdb.DBTX, venueID int64) (int64, error) {
	var v int64
	err := db.QueryRow(ctx, "SELECT coalesce((SELECT version FROM venue_data_versions WHERE venue_id = $1), 0)", venueID).Scan(&v)
	return v, err
}

// load returns the venue's matching state. The state it returns is shared
// with other requests and must not be changed; only rec is the caller's own.
func (s *Service) load(ctx context.Context, db matchingdb.DBTX, rec venue.Record) (*state, error) {
	if _, onPool := db.(*pgxpool.Pool); !onPool {
		return loadState(ctx, db, rec)
	}
	version, err := dataVersion(ctx, db, rec.ID)
	if err != nil {
		return nil, err
	}
	st, err := s.cache.get(ctx, version, rec.ID, func() (*state, error) { return loadState(ctx, db, rec) })
	if err != nil {
		return nil, err
	}
	own := *st
	own.rec = rec // settings are not part of the data version; the caller's are current
	return &own, nil
}

// get returns the state cached for the venue at this version, or loads it
// once however many requests ask at the same time. A request that read an
// older version than the one cached (it started before a write committed)
// loads for itself and caches nothing.
func (c *stateCache) get(ctx context.Context, version, venueID int64, loadFn func() (*state, error)) (*state, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[int64]*cacheEntry{}
	}
	e := c.entries[venueID]
	switch {
	case e != nil && e.version == version:
		c.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err == nil {
			return e.st, nil
		}
		return loadFn() // the loading request failed (its client left, say): try for ourselves
	case e != nil && e.version > version:
		c.mu.Unlock()
		return loadFn()
	}
	e = &cacheEntry{version: version, ready: make(chan struct{})}
	c.entries[venueID] = e
	c.mu.Unlock()
	e.st, e.err = loadFn()
	if e.err != nil {
		c.mu.Lock()
		if c.entries[venueID] == e {
			delete(c.entries, venueID)
		}
		c.mu.Unlock()
	}
	close(e.ready)
	return e.st, e.err
}

// derived holds what requests compute from one loaded state, shared by the
// copies load hands out: the affinity scorer, built on first use (most
// requests never need it), and results memoised by key (per person, per
// page).
type derived struct {
	scorerOnce sync.Once
	scorer     *affinity.Scorer
	scorerErr  error

	mu   sync.Mutex
	memo map[any]any
}

// remember returns what compute gave for key on this state, computing it
// the first time. A failure is not remembered.
func (d *derived) remember(key any, compute func() (any, error)) (any, error) {
	d.mu.Lock()
	v, ok := d.memo[key]
	d.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := compute()
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	if d.memo == nil {
		d.memo = map[any]any{}
	}
	d.memo[key] = v
	d.mu.Unlock()
	return v, nil
}

// conflictedKey is a person as the conflict rules see them: a change to any
// of it gives another key.
type conflictedKey struct {
	ID                       int64
	Email, Affiliation, Name string
}

// conflictedFor remembers conflictedPapers' answer for a person.
func (d *derived) conflictedFor(k conflictedKey, compute func() map[int64]bool) map[int64]bool {
	v, _ := d.remember(k, func() (any, error) { return compute(), nil })
	return maps.Clone(v.(map[int64]bool)) // callers add to it
}

// Derive returns compute's result for key, computed at most once per data
// version of the venue on this replica: a page's figures, say, that are
// costly to gather and read nothing but the data the version covers (the
// tables whose triggers bump it, in migrations/00022_venue_data_versions.sql,
// 00028 and 00031, and the decisions and releases). Anything else the result depends on (the
// person, the venue's settings, whether a deadline has passed) must be in
// key, which must be comparable. The result is shared: callers must not
// change it.
func Derive[T any](ctx context.Context, s *Service, rec venue.Record, key any, compute func() (T, error)) (T, error) {
	var zero T
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return zero, err
	}
	v, err := st.derived.remember(derivedKey{key}, func() (any, error) { return compute() })
	if err != nil {
		return zero, err
	}
	return v.(T), nil
}

// derivedKey keeps callers' keys apart from this package's own.
type derivedKey struct{ key any }
