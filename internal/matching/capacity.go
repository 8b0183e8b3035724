package matching

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/matching/matchingdb"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// Capacity is what a reviewer can take in a venue: at most MaxLoad papers,
// and, when EmergencyOnly, only papers whose review fell through (such a
// reviewer is left out of assignment runs). Stated says the reviewer said
// so; otherwise it is the venue's default or a chair's override.
type Capacity struct {
	MaxLoad       int
	EmergencyOnly bool
	Stated        bool
	// MinLoad is what runs give them at least: the venue's minimum, capped
	// by their maximum, and none for an emergency reviewer.
	MinLoad int
}

// capacityOf is a reviewer's capacity from their row, if any.
func capacityOf(rec venue.Record, l *matchingdb.ReviewerLoad) Capacity {
	if l == nil {
		return Capacity{MaxLoad: rec.Settings.ReviewerLoad.Max, MinLoad: rec.Settings.ReviewerLoad.Min}
	}
	return Capacity{MaxLoad: int(l.MaxLoad), MinLoad: int(l.MinLoad), EmergencyOnly: l.EmergencyOnly, Stated: l.StatedAt != nil}
}

// checkCapacity validates what a reviewer states against the venue.
func checkCapacity(rec venue.Record, c Capacity) error {
	hi := rec.Settings.ReviewerLoad.Max
	if c.MaxLoad < 1 || c.MaxLoad > hi {
		return problem.Invalid("a reviewer's load is between 1 and the venue's maximum",
			problem.FieldError{Field: "max_load", Message: "must be between 1 and " + strconv.Itoa(hi) + ", the most this venue asks of a reviewer"})
	}
	return nil
}

// stateCapacity records c as the reviewer's own word, in tx.
func stateCapacity(ctx context.Context, tx pgx.Tx, rec venue.Record, uid int64, c Capacity, now time.Time) error {
	if err := checkCapacity(rec, c); err != nil {
		return err
	}
	lo := min(rec.Settings.ReviewerLoad.Min, c.MaxLoad)
	if c.EmergencyOnly {
		lo = 0
	}
	return q.StateReviewerLoad(ctx, tx, matchingdb.StateReviewerLoadParams{VenueID: rec.ID, UserID: uid,
		MinLoad: int32(lo), MaxLoad: int32(c.MaxLoad), EmergencyOnly: c.EmergencyOnly, StatedAt: &now})
}

// StateCapacityTx records the capacity a reviewer states on accepting an
// invitation, within the transaction that gives them the role.
func (s *Service) StateCapacityTx(ctx context.Context, tx pgx.Tx, slug string, uid int64, c Capacity) error {
	rec, err := s.Venues.BySlug(ctx, tx, slug)
	if err != nil {
		return err
	}
	return stateCapacity(ctx, tx, rec, uid, c, s.Clock.Now())
}

// CheckCapacity validates a capacity for the venue slug before anything
// is written, so that an invitation is not accepted with a wrong one.
func (s *Service) CheckCapacity(ctx context.Context, slug string, c Capacity) error {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return err
	}
	return checkCapacity(rec, c)
}

// MyCapacity is a reviewer's capacity in a venue and how many papers they
// review there now.
type MyCapacity struct {
	Capacity
	// VenueMax is the most the venue asks of anyone.
	VenueMax int
	Assigned int
}

// Capacity returns the caller's capacity as a reviewer of slug.
func (s *Service) Capacity(ctx context.Context, slug string, p account.Principal) (MyCapacity, error) {
	rec, err := s.reviewerVenue(ctx, slug, p)
	if err != nil {
		return MyCapacity{}, err
	}
	return s.capacity(ctx, s.DB, rec, p.UserID)
}

func (s *Service) capacity(ctx context.Context, db matchingdb.DBTX, rec venue.Record, uid int64) (MyCapacity, error) {
	var row *matchingdb.ReviewerLoad
	l, err := q.ReviewerLoadOf(ctx, db, matchingdb.ReviewerLoadOfParams{VenueID: rec.ID, UserID: uid})
	switch {
	case err == nil:
		row = &l
	case !errors.Is(err, pgx.ErrNoRows):
		return MyCapacity{}, err
	}
	n, err := q.ActiveAssignmentsOf(ctx, db, matchingdb.ActiveAssignmentsOfParams{VenueID: rec.ID, UserID: uid})
	if err != nil {
		return MyCapacity{}, err
	}
	return MyCapacity{Capacity: capacityOf(rec, row), VenueMax: rec.Settings.ReviewerLoad.Max, Assigned: int(n)}, nil
}

// SetCapacity changes the caller's capacity as a reviewer of slug. It
// cannot drop below the papers they already review: those are to be
// declined one by one, with a reason, so the chairs can replace them.
func (s *Service) SetCapacity(ctx context.Context, slug string, p account.Principal, c Capacity, ip string) (MyCapacity, error) {
	rec, err := s.reviewerVenue(ctx, slug, p)
	if err != nil {
		return MyCapacity{}, err
	}
	var out MyCapacity
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		cur, err := s.capacity(ctx, tx, rec, p.UserID)
		if err != nil {
			return err
		}
		if c.MaxLoad < cur.Assigned {
			return &problem.Error{Kind: problem.ErrConflict, Code: "load_below_assigned",
				Detail: "you review " + strconv.Itoa(cur.Assigned) + " papers already: decline one (with a reason for the chairs) before lowering your load below that",
				Fields: []problem.FieldError{{Field: "max_load", Message: "is below the " + strconv.Itoa(cur.Assigned) + " papers you review already"}}}
		}
		now := s.Clock.Now()
		if err := stateCapacity(ctx, tx, rec, p.UserID, c, now); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "reviewer.capacity",
			Subject: "user:" + strconv.FormatInt(p.UserID, 10), Detail: map[string]any{"max_load": c.MaxLoad, "emergency_only": c.EmergencyOnly}, IP: ip, At: now}); err != nil {
			return err
		}
		out, err = s.capacity(ctx, tx, rec, p.UserID)
		return err
	})
	return out, err
}

// PoolCapacity is the reviewer pool's capacity against the reviews the
// papers need, for chairs before an assignment run.
type PoolCapacity struct {
	// Reviewers are those runs assign; Emergency those kept for emergencies.
	Reviewers, Emergency int
	// Capacity is the sum of the run reviewers' maximum loads; Demand the
	// reviews the papers in the pipeline need in all.
	Capacity, Demand int
	// Reduced counts the reviewers who stated a load below the venue's.
	Reduced int
}

// Short says the pool cannot give every paper its reviews.
func (pc PoolCapacity) Short() bool { return pc.Capacity < pc.Demand }

// Missing is how many reviews the pool cannot give.
func (pc PoolCapacity) Missing() int { return max(0, pc.Demand-pc.Capacity) }

// PoolCapacity sums the pool's stated loads against the papers' needs.
func (s *Service) PoolCapacity(ctx context.Context, slug string, p account.Principal) (PoolCapacity, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return PoolCapacity{}, err
	}
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return PoolCapacity{}, err
	}
	var pc PoolCapacity
	for _, r := range st.reviewers {
		c := capacityOf(rec, st.loadRow(r.ID))
		if c.EmergencyOnly {
			pc.Emergency++
			continue
		}
		pc.Reviewers++
		pc.Capacity += c.MaxLoad
		if c.Stated && c.MaxLoad < rec.Settings.ReviewerLoad.Max {
			pc.Reduced++
		}
	}
	for _, x := range st.papers {
		pc.Demand += st.needed(x.Track)
	}
	return pc, nil
}

// loadRow is a reviewer's row of reviewer_loads, if they have one.
func (st *state) loadRow(r int64) *matchingdb.ReviewerLoad {
	if l, ok := st.loads[r]; ok {
		return &l
	}
	return nil
}

// runLoadsOf is a reviewer's loads in an assignment run: an emergency
// reviewer takes nothing there.
func (st *state) runLoadsOf(r int64) (int32, int32) {
	if l, ok := st.loads[r]; ok && l.EmergencyOnly {
		return 0, 0
	}
	return st.loadsOf(r)
}
