package venue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue/venuedb"
)

var q = venuedb.New()

// Roles a person can be given in a venue. Authorship is not one of them: it
// follows from a submission's author list.
const (
	RoleChair    = "chair"
	RoleReviewer = "reviewer"
)

// Record is a stored venue: its settings and the file they came from.
type Record struct {
	ID       int64
	Slug     string
	Name     string
	Settings *Settings
	YAML     []byte
	// Archived is when an administrator archived the venue: it is off the
	// public list, and every deadline-gated action is refused.
	Archived *time.Time
}

// Store keeps venues and the roles people hold in them.
type Store struct {
	Clock clock.Clock
	// gates keeps venues' gate inputs by data version (gates.go).
	gates gateCache
}

// InvalidProblem turns settings problems into one 400 listing each by path.
func InvalidProblem(problems []Problem) error {
	fields := make([]problem.FieldError, 0, len(problems))
	for _, p := range problems {
		fields = append(fields, problem.FieldError{Field: p.Path, Message: p.Message})
	}
	detail := fmt.Sprintf("the venue settings have %d problem(s)", len(problems))
	if len(problems) > 0 {
		detail += "; the first: " + problems[0].String()
	}
	e := problem.Invalid(detail, fields...)
	e.Code = "invalid_settings"
	return e
}

// Create stores a new venue from its settings file.
func (s *Store) Create(ctx context.Context, db venuedb.DBTX, yaml []byte) (Record, error) {
	set, probs, err := Parse(yaml)
	if len(probs) > 0 {
		return Record{}, InvalidProblem(probs)
	}
	if err != nil {
		return Record{}, problem.Invalid("the venue settings cannot be read: " + err.Error())
	}
	canonical, err := Export(set)
	if err != nil {
		return Record{}, err
	}
	row, err := q.CreateVenue(ctx, db, venuedb.CreateVenueParams{Slug: set.Slug, Name: set.Name, SettingsYaml: string(canonical), CreatedAt: s.Clock.Now()})
	if errors.Is(err, pgx.ErrNoRows) {
		return Record{}, problem.New(problem.ErrConflict, "venue_exists", "a venue with the slug "+set.Slug+" exists already")
	}
	if err != nil {
		return Record{}, err
	}
	return Record{ID: row.ID, Slug: row.Slug, Name: row.Name, Settings: set, YAML: canonical}, nil
}

// BySlug loads a venue.
func (s *Store) BySlug(ctx context.Context, db venuedb.DBTX, slug string) (Record, error) {
	row, err := q.GetVenueBySlug(ctx, db, slug)
	if errors.Is(err, pgx.ErrNoRows) {
		return Record{}, problem.New(problem.ErrNotFound, "venue_not_found", "there is no venue "+slug)
	}
	if err != nil {
		return Record{}, err
	}
	set, err := parseStored(row.Slug, row.SettingsYaml)
	if err != nil {
		return Record{}, err
	}
	return Record{ID: row.ID, Slug: row.Slug, Name: row.Name, Settings: set, YAML: []byte(row.SettingsYaml), Archived: row.ArchivedAt}, nil
}

// Listing is a venue in the list of venues, with its counts and its phase
// now (overrides and archiving included).
type Listing struct {
	Record
	Submissions, Reviewers, Chairs int64
	Phase                          Phase
}

// List returns every venue, newest first, with its counts; callers filter.
func (s *Store) List(ctx context.Context, db venuedb.DBTX) ([]Listing, error) {
	rows, err := q.ListVenues(ctx, db)
	if err != nil {
		return nil, err
	}
	// One query for every venue's overrides, not one per venue.
	ovRows, err := q.AllOverrides(ctx, db)
	if err != nil {
		return nil, err
	}
	overrides := map[int64][]Override{}
	for _, r := range ovRows {
		overrides[r.VenueID] = append(overrides[r.VenueID], Override{Phase: Phase(r.Phase), Kind: OverrideKind(r.Kind), At: r.At, By: r.ByName, Reason: r.Reason})
	}
	now := s.Clock.Now()
	out := make([]Listing, 0, len(rows))
	for _, r := range rows {
		set, err := parseStored(r.Slug, r.SettingsYaml)
		if err != nil {
			return nil, err
		}
		l := Listing{Record: Record{ID: r.ID, Slug: r.Slug, Name: r.Name, Settings: set, YAML: []byte(r.SettingsYaml), Archived: r.ArchivedAt},
			Submissions: r.Submissions, Reviewers: r.Reviewers, Chairs: r.Chairs, Phase: PhaseClosed}
		if r.ArchivedAt == nil {
			l.Phase = set.PhaseAt(now, overrides[r.ID])
		}
		out = append(out, l)
	}
	return out, nil
}

// SetArchived archives a venue (at a non-nil instant) or brings it back.
func (s *Store) SetArchived(ctx context.Context, db venuedb.DBTX, slug string, at *time.Time) (Record, error) {
	if _, err := q.SetArchived(ctx, db, venuedb.SetArchivedParams{Slug: slug, ArchivedAt: at}); errors.Is(err, pgx.ErrNoRows) {
		return Record{}, problem.New(problem.ErrNotFound, "venue_not_found", "there is no venue "+slug)
	} else if err != nil {
		return Record{}, err
	}
	return s.BySlug(ctx, db, slug)
}

// Grant gives a role; granting it twice is harmless.
func (s *Store) Grant(ctx context.Context, db venuedb.DBTX, venueID, userID int64, role string, by *int64) error {
	return q.GrantRole(ctx, db, venuedb.GrantRoleParams{VenueID: venueID, UserID: userID, Role: role, GrantedAt: s.Clock.Now(), GrantedBy: by})
}

// RolesOf lists the roles a person holds in a venue.
func (s *Store) RolesOf(ctx context.Context, db venuedb.DBTX, venueID, userID int64) ([]string, error) {
	return q.UserRoles(ctx, db, venuedb.UserRolesParams{VenueID: venueID, UserID: userID})
}

// Require fails with a 403 unless the person holds role in the venue.
func (s *Store) Require(ctx context.Context, db venuedb.DBTX, venueID, userID int64, role string) error {
	roles, err := s.RolesOf(ctx, db, venueID, userID)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if r == role {
			return nil
		}
	}
	return problem.New(problem.ErrForbidden, "not_"+role, "this needs the "+role+" role in this venue")
}

// Count tells how many venues exist (the demo loader only fills an empty site).
func (s *Store) Count(ctx context.Context, db venuedb.DBTX) (int64, error) {
	return q.CountVenues(ctx, db)
}

// CountRole tells how many people hold a role in a venue.
func (s *Store) CountRole(ctx context.Context, db venuedb.DBTX, venueID int64, role string) (int64, error) {
	return q.CountRole(ctx, db, venuedb.CountRoleParams{VenueID: venueID, Role: role})
}

// parsed caches stored settings by their file's text: parsing and checking
// a venue file takes most of a millisecond, and a page may load several
// venues, some several times. A changed file is a new key, so an entry is
// never stale; callers get their own copy of the top-level struct and must
// not change the slices it shares with the cache (none does: changes build
// new slices). The cache is emptied when it grows past maxParsed files.
var (
	parsed      sync.Map // file text -> *Settings
	parsedCount atomic.Int64
)

const maxParsed = 1024

func parseStored(slug, text string) (*Settings, error) {
	if v, ok := parsed.Load(text); ok {
		c := *v.(*Settings)
		return &c, nil
	}
	set, probs, err := Parse([]byte(text))
	if err != nil || len(probs) > 0 {
		return nil, fmt.Errorf("stored settings of %s no longer parse: %v %v", slug, err, probs)
	}
	if parsedCount.Add(1) > maxParsed {
		parsed.Clear()
		parsedCount.Store(1)
	}
	parsed.Store(text, set)
	c := *set
	return &c, nil
}
