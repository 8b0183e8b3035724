// Package lease makes timed work run on one replica at a time: a job runs
// only while its replica holds the job's lease, a row in PostgreSQL with an
// expiry. The holder renews it on every tick; when the holder dies, the
// lease expires and the next replica to tick takes it over, so a job is
// never stopped for longer than the lease's time to live plus one tick.
//
// Expiry is judged by the database's clock, not the replicas', so replicas
// with skewed clocks still agree on who holds a lease.
package lease

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/lease/leasedb"
)

var q = leasedb.New()

// Holder is one replica's identity for its leases.
type Holder struct {
	DB leasedb.DBTX
	ID string
}

// NewHolder names this process: its host, its pid and a random part, so
// that a restarted replica does not inherit its predecessor's leases.
func NewHolder(db leasedb.DBTX) *Holder {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return &Holder{DB: db, ID: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))}
}

// Acquire takes or renews the lease name for ttl; it reports whether this
// holder has it now.
func (h *Holder) Acquire(ctx context.Context, name string, ttl time.Duration) (bool, error) {
	_, err := q.Acquire(ctx, h.DB, leasedb.AcquireParams{Name: name, Holder: h.ID, Ttl: ttl.Seconds()})
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lease %s: %w", name, err)
	}
	return true, nil
}

// Release gives the lease up, so another replica need not wait for expiry.
func (h *Holder) Release(ctx context.Context, name string) error {
	return q.Release(ctx, h.DB, leasedb.ReleaseParams{Name: name, Holder: h.ID})
}

// Job is a periodic piece of work run under a lease.
type Job struct {
	Name  string
	Every time.Duration
	// TTL is how long the lease lasts without renewal; three ticks when 0.
	TTL time.Duration
	Run func(ctx context.Context)
}

// Run ticks every j.Every until ctx ends; on each tick it renews or takes
// the lease and runs the job only if it holds it. On the way out it
// releases the lease.
func (h *Holder) Run(ctx context.Context, j Job, log *slog.Logger) {
	ttl := j.TTL
	if ttl <= 0 {
		ttl = 3 * j.Every
	}
	t := time.NewTicker(j.Every)
	defer t.Stop()
	held := false
	defer func() {
		if held {
			// The caller's context is over; the release gets a moment of its own.
			rctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			_ = h.Release(rctx, j.Name)
		}
	}()
	for {
		ok, err := h.Acquire(ctx, j.Name, ttl)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("taking a lease", "job", j.Name, "err", err)
		case ok && !held:
			log.Info("this replica now runs a timed job", "job", j.Name, "holder", h.ID)
		case !ok && held:
			log.Warn("another replica took over a timed job", "job", j.Name)
		}
		held = ok && err == nil
		if held {
			j.Run(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
