package venue

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue/venuedb"
)

// A page that shows where a person stands in several venues (the home
// page: the phase of each, a reviewer's bidding and review deadlines)
// asked Check and PhaseNow per venue and action, and each read the venue's
// overrides and the subject's extension again: three and two queries per
// venue, thirty on a reviewer's home. GatedVenue is a venue read once with
// what its gates read besides the settings, so that a page decides every
// gate of every venue it shows from one read, at one instant.
//
// Those inputs are kept per venue under its data version
// (venue_data_versions; migrations/00031_gate_data_versions.sql puts the
// overrides and extensions under it), read in the same statement as the
// venue: the same number means nothing was committed since, so a chair's
// override or extension, through any replica, shows on the next read. Only
// reads on the pool use the cache, as in the matching package.
//
// The actions themselves go on passing Check in their own transaction: a
// page says what a save would meet, the save decides.

// GatedVenue is a venue with the overrides and extensions its deadline
// gates read, as committed when it was read.
type GatedVenue struct {
	Record
	in *gateInputs
}

// gateInputs is what a venue's gates read besides its settings. It is
// shared by every request that reads the same version and never changed.
type gateInputs struct {
	version   int64
	overrides []Override // oldest first; who and why are not read
	// extensions holds the newest extension per action and subject.
	extensions map[extensionKey]*Extension
}

// extensionKey is an extension's action and subject; reviewer 0 is none,
// like Subject's.
type extensionKey struct {
	action     Action
	submission string
	reviewer   int64
}

// gateCache keeps each venue's gate inputs under the version they were
// read at; it holds one entry per venue read on this replica.
type gateCache struct {
	mu      sync.Mutex
	entries map[int64]*gateInputs
}

func (c *gateCache) get(venueID, version int64) *gateInputs {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[venueID]; e != nil && e.version == version {
		return e
	}
	return nil
}

// put keeps in unless a newer version is kept already (a request that read
// the version before a write committed must not push out the one after).
func (c *gateCache) put(venueID int64, in *gateInputs) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[int64]*gateInputs{}
	}
	if e := c.entries[venueID]; e == nil || e.version < in.version {
		c.entries[venueID] = in
	}
}

// Gated reads the venues named by slugs, in their order, each with what its
// gates read: one query for the venues and their data versions, and two
// for the overrides and extensions of those whose version this replica has
// not cached. An unknown slug is venue_not_found, as BySlug says.
func (s *Store) Gated(ctx context.Context, db venuedb.DBTX, slugs []string) ([]GatedVenue, error) {
	if len(slugs) == 0 {
		return nil, nil
	}
	rows, err := q.VenuesWithVersions(ctx, db, slugs)
	if err != nil {
		return nil, err
	}
	bySlug := make(map[string]venuedb.VenuesWithVersionsRow, len(rows))
	for _, r := range rows {
		bySlug[r.Slug] = r
	}
	_, onPool := db.(*pgxpool.Pool)
	out := make([]GatedVenue, len(slugs))
	var missing []int64
	for i, slug := range slugs {
		r, ok := bySlug[slug]
		if !ok {
			return nil, problem.New(problem.ErrNotFound, "venue_not_found", "there is no venue "+slug)
		}
		set, err := parseStored(r.Slug, r.SettingsYaml)
		if err != nil {
			return nil, err
		}
		out[i].Record = Record{ID: r.ID, Slug: r.Slug, Name: r.Name, Settings: set, YAML: []byte(r.SettingsYaml), Archived: r.ArchivedAt}
		if onPool {
			out[i].in = s.gates.get(r.ID, r.DataVersion)
		}
		if out[i].in == nil {
			missing = append(missing, r.ID)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	loaded, err := loadGateInputs(ctx, db, missing)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].in != nil {
			continue
		}
		in := loaded[out[i].ID]
		in.version = bySlug[out[i].Slug].DataVersion
		out[i].in = in
		if onPool {
			s.gates.put(out[i].ID, in)
		}
	}
	return out, nil
}

// loadGateInputs reads the overrides and extensions of venues, each read
// after their versions were.
func loadGateInputs(ctx context.Context, db venuedb.DBTX, venueIDs []int64) (map[int64]*gateInputs, error) {
	out := make(map[int64]*gateInputs, len(venueIDs))
	for _, id := range venueIDs {
		out[id] = &gateInputs{extensions: map[extensionKey]*Extension{}}
	}
	ovs, err := q.GateOverrides(ctx, db, venueIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range ovs {
		in := out[r.VenueID]
		in.overrides = append(in.overrides, Override{Phase: Phase(r.Phase), Kind: OverrideKind(r.Kind), At: r.At})
	}
	exts, err := q.GateExtensions(ctx, db, venueIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range exts {
		e := &Extension{Action: Action(r.Action), Submission: r.Submission, Until: r.Until, Reason: r.Reason, GrantedAt: r.GrantedAt, GrantedBy: strconv.FormatInt(r.GrantedBy, 10)}
		k := extensionKey{action: e.Action, submission: r.Submission}
		if r.ReviewerID != nil {
			e.Reviewer, k.reviewer = strconv.FormatInt(*r.ReviewerID, 10), *r.ReviewerID
		}
		out[r.VenueID].extensions[k] = e
	}
	return out, nil
}

// PhaseAt is the venue's phase at now, as PhaseNow derives it.
func (v GatedVenue) PhaseAt(now time.Time) Phase {
	if v.Archived != nil {
		return PhaseClosed
	}
	return v.Settings.PhaseAt(now, v.in.overrides)
}

// Check decides a gate as Store.Check does, on what was read with the
// venue: its overrides and the subject's newest extension.
func (v GatedVenue) Check(action Action, subj Subject, received time.Time) (GateResult, error) {
	if v.Archived != nil {
		return archivedRefusal(action)
	}
	var ext *Extension
	if subj.Submission != "" || subj.ReviewerID != 0 {
		if e := v.in.extensions[extensionKey{action: action, submission: subj.Submission, reviewer: subj.ReviewerID}]; e != nil {
			c := *e
			ext = &c
		}
	}
	return v.Settings.Gate(action, received, ext, v.in.overrides)
}

// archivedRefusal is every gate's answer in an archived venue.
func archivedRefusal(action Action) (GateResult, error) {
	return GateResult{Phase: action.Phase()}, problem.New(problem.ErrConflict, "venue_archived", "the venue is archived: nothing more can be submitted, bid, reviewed or decided")
}
