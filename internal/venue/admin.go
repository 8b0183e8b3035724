package venue

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue/venuedb"
)

// Admin is what a venue's chairs do to the venue itself: change its
// settings, open or close phases early and grant extensions. Every change is
// audited in its own transaction.
type Admin struct {
	DB    *pgxpool.Pool
	Store *Store
}

func (a *Admin) chairVenue(ctx context.Context, db venuedb.DBTX, slug string, uid int64) (Record, error) {
	rec, err := a.Store.BySlug(ctx, db, slug)
	if err != nil {
		return rec, err
	}
	return rec, a.Store.Require(ctx, db, rec.ID, uid, RoleChair)
}

// Update replaces a venue's settings with a new file, checked whole: every
// problem is reported by its path, and nothing changes unless all is well.
func (a *Admin) Update(ctx context.Context, slug string, uid int64, yaml []byte, ip string) (Record, error) {
	var out Record
	err := pgx.BeginFunc(ctx, a.DB, func(tx pgx.Tx) error {
		rec, err := a.chairVenue(ctx, tx, slug, uid)
		if err != nil {
			return err
		}
		set, probs, err := Parse(yaml)
		if len(probs) > 0 {
			return InvalidProblem(probs)
		}
		if err != nil {
			return problem.Invalid("the venue settings cannot be read: " + err.Error())
		}
		if set.Slug != rec.Slug {
			return InvalidProblem([]Problem{{Path: "slug", Message: "cannot change: it is in every link to the venue (was " + rec.Slug + ")"}})
		}
		reviewers, err := q.CountReviewersOf(ctx, tx, rec.ID)
		if err != nil {
			return err
		}
		if reviewers > 0 {
			if probs := set.ValidateAgainstPool(int(reviewers)); len(probs) > 0 {
				return InvalidProblem(probs)
			}
		}
		out, err = a.save(ctx, tx, rec, set, uid, "venue.update", nil, ip)
		return err
	})
	return out, err
}

// Change applies change to a copy of the venue's settings and stores the
// result if it is valid as a whole, under a lock on the venue so that two
// chairs' changes do not overwrite each other. A problem is reported by its
// path in the venue file.
func (a *Admin) Change(ctx context.Context, slug string, uid int64, action string, detail map[string]any, ip string, change func(*Settings) error) (Record, error) {
	var out Record
	err := pgx.BeginFunc(ctx, a.DB, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT id FROM venues WHERE slug = $1 FOR UPDATE", slug); err != nil {
			return err
		}
		rec, err := a.chairVenue(ctx, tx, slug, uid)
		if err != nil {
			return err
		}
		set := *rec.Settings
		if err := change(&set); err != nil {
			return err
		}
		if probs := set.Validate(); len(probs) > 0 {
			return InvalidProblem(probs)
		}
		out, err = a.save(ctx, tx, rec, &set, uid, action, detail, ip)
		return err
	})
	return out, err
}

func (a *Admin) save(ctx context.Context, tx pgx.Tx, rec Record, set *Settings, uid int64, action string, detail map[string]any, ip string) (Record, error) {
	canonical, err := Export(set)
	if err != nil {
		return Record{}, err
	}
	now := a.Store.Clock.Now()
	row, err := q.UpdateVenueSettings(ctx, tx, venuedb.UpdateVenueSettingsParams{ID: rec.ID, Name: set.Name, SettingsYaml: string(canonical), UpdatedAt: now})
	if err != nil {
		return Record{}, err
	}
	out := Record{ID: row.ID, Slug: row.Slug, Name: row.Name, Settings: set, YAML: canonical}
	return out, audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &uid, Action: action, Subject: rec.Slug, Detail: detail, IP: ip, At: now})
}

// Override opens or closes a phase early, now, for a stated reason.
func (a *Admin) Override(ctx context.Context, slug string, uid int64, phase Phase, kind OverrideKind, reason, ip string) (Override, error) {
	var out Override
	err := pgx.BeginFunc(ctx, a.DB, func(tx pgx.Tx) error {
		rec, err := a.chairVenue(ctx, tx, slug, uid)
		if err != nil {
			return err
		}
		now := a.Store.Clock.Now()
		o := Override{Phase: phase, Kind: kind, At: now, By: strconv.FormatInt(uid, 10), Reason: strings.TrimSpace(reason)}
		if err := o.Validate(); err != nil {
			return problem.Invalid(err.Error())
		}
		if _, err := q.AddOverride(ctx, tx, venuedb.AddOverrideParams{VenueID: rec.ID, Phase: string(phase), Kind: string(kind), At: now, ByUser: uid, Reason: o.Reason}); err != nil {
			return err
		}
		out = o
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &uid, Action: "phase." + string(kind), Subject: string(phase),
			Detail: map[string]any{"reason": o.Reason}, IP: ip, At: now})
	})
	return out, err
}

// Overrides lists a venue's recorded overrides, oldest first, with who made them.
func (s *Store) Overrides(ctx context.Context, db venuedb.DBTX, venueID int64) ([]Override, error) {
	rows, err := q.ListOverrides(ctx, db, venueID)
	if err != nil {
		return nil, err
	}
	out := make([]Override, 0, len(rows))
	for _, r := range rows {
		out = append(out, Override{Phase: Phase(r.Phase), Kind: OverrideKind(r.Kind), At: r.At, By: r.ByName, Reason: r.Reason})
	}
	return out, nil
}

// PhaseNow is the venue's phase at the clock's instant, overrides included.
func (s *Store) PhaseNow(ctx context.Context, db venuedb.DBTX, rec Record) (Phase, error) {
	ov, err := s.Overrides(ctx, db, rec.ID)
	if err != nil {
		return "", err
	}
	if rec.Archived != nil {
		return PhaseClosed, nil
	}
	return rec.Settings.PhaseAt(s.Clock.Now(), ov), nil
}

// Subject names who an extension or a gated action is for: a submission (by
// its number) or a reviewer (by account id).
type Subject struct {
	Submission string
	ReviewerID int64
}

// ExtensionInput is a chair's grant.
type ExtensionInput struct {
	Action        Action
	Submission    string
	ReviewerEmail string
	Until         string // any deadline syntax: "2023-10-10 AoE", RFC 3339, "2023-10-10 17:00 Europe/Paris"
	Reason        string
}

// ResolveReviewer maps an email to a reviewer of the venue; set by the wiring
// because accounts live in another package.
type ResolveReviewer func(ctx context.Context, db venuedb.DBTX, venueID int64, email string) (int64, error)

// Extend grants one subject more time for one action.
func (a *Admin) Extend(ctx context.Context, slug string, uid int64, in ExtensionInput, resolve ResolveReviewer, ip string) (Extension, error) {
	var out Extension
	err := pgx.BeginFunc(ctx, a.DB, func(tx pgx.Tx) error {
		rec, err := a.chairVenue(ctx, tx, slug, uid)
		if err != nil {
			return err
		}
		until, err := ParseInstant(in.Until)
		if err != nil {
			return problem.Invalid(err.Error(), problem.FieldError{Field: "until", Message: err.Error()})
		}
		now := a.Store.Clock.Now()
		ext := Extension{Action: in.Action, Submission: strings.TrimSpace(in.Submission), Until: until, GrantedBy: strconv.FormatInt(uid, 10), Reason: strings.TrimSpace(in.Reason), GrantedAt: now}
		var reviewer *int64
		if in.ReviewerEmail != "" {
			if ext.Submission != "" {
				return problem.Invalid("an extension is for one submission or one reviewer, not both")
			}
			id, err := resolve(ctx, tx, rec.ID, in.ReviewerEmail)
			if err != nil {
				return err
			}
			reviewer, ext.Reviewer = &id, strconv.FormatInt(id, 10)
		}
		if err := a.Store.extend(ctx, tx, rec.ID, ext, reviewer, uid); err != nil {
			return err
		}
		out = ext
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &uid, Action: "extension.grant", Subject: in.ReviewerEmail + ext.Submission,
			Detail: map[string]any{"action": ext.Action, "until": until, "reason": ext.Reason}, IP: ip, At: now})
	})
	return out, err
}

// Extend records an extension for a submission, in the caller's
// transaction (an extension that is part of another decision, such as a
// chair asking for an anonymity fix). The caller checked who grants it.
func (s *Store) Extend(ctx context.Context, db venuedb.DBTX, venueID int64, ext Extension) error {
	by, err := strconv.ParseInt(ext.GrantedBy, 10, 64)
	if err != nil {
		return fmt.Errorf("extension granted by %q: %w", ext.GrantedBy, err)
	}
	return s.extend(ctx, db, venueID, ext, nil, by)
}

func (s *Store) extend(ctx context.Context, db venuedb.DBTX, venueID int64, ext Extension, reviewer *int64, by int64) error {
	if err := ext.Validate(); err != nil {
		return problem.Invalid(err.Error())
	}
	_, err := q.AddExtension(ctx, db, venuedb.AddExtensionParams{VenueID: venueID, Action: string(ext.Action), Submission: ext.Submission,
		ReviewerID: reviewer, Until: ext.Until, GrantedBy: by, Reason: ext.Reason, GrantedAt: ext.GrantedAt})
	return err
}

// ExtensionRecord is a granted extension with the names chairs want to see.
type ExtensionRecord struct {
	Extension
	GrantedByName, ReviewerEmail string
}

// Extensions lists a venue's extensions for its chairs.
func (a *Admin) Extensions(ctx context.Context, slug string, uid int64) ([]ExtensionRecord, error) {
	rec, err := a.chairVenue(ctx, a.DB, slug, uid)
	if err != nil {
		return nil, err
	}
	rows, err := q.ListExtensions(ctx, a.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	out := make([]ExtensionRecord, 0, len(rows))
	for _, r := range rows {
		e := Extension{Action: Action(r.Action), Submission: r.Submission, Until: r.Until, GrantedBy: strconv.FormatInt(r.GrantedBy, 10), Reason: r.Reason, GrantedAt: r.GrantedAt}
		if r.ReviewerID != nil {
			e.Reviewer = strconv.FormatInt(*r.ReviewerID, 10)
		}
		out = append(out, ExtensionRecord{Extension: e, GrantedByName: r.GrantedByName, ReviewerEmail: r.ReviewerEmail})
	}
	return out, nil
}

// Overrides lists a venue's overrides for its chairs.
func (a *Admin) Overrides(ctx context.Context, slug string, uid int64) ([]Override, error) {
	rec, err := a.chairVenue(ctx, a.DB, slug, uid)
	if err != nil {
		return nil, err
	}
	return a.Store.Overrides(ctx, a.DB, rec.ID)
}

// Check is the one place every deadline-gated action is decided: it applies
// the venue's deadlines, hidden grace, the chairs' overrides and the
// subject's newest extension to the instant the request was received in full.
func (s *Store) Check(ctx context.Context, db venuedb.DBTX, rec Record, action Action, subj Subject, received time.Time) (GateResult, error) {
	if rec.Archived != nil {
		return archivedRefusal(action)
	}
	ov, err := s.Overrides(ctx, db, rec.ID)
	if err != nil {
		return GateResult{}, err
	}
	var ext *Extension
	if subj.Submission != "" || subj.ReviewerID != 0 {
		arg := venuedb.LatestExtensionParams{VenueID: rec.ID, Action: string(action), Submission: subj.Submission}
		if subj.ReviewerID != 0 {
			arg.ReviewerID = &subj.ReviewerID
		}
		row, err := q.LatestExtension(ctx, db, arg)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return GateResult{}, err
		default:
			ext = &Extension{Action: action, Submission: row.Submission, Until: row.Until, Reason: row.Reason, GrantedAt: row.GrantedAt, GrantedBy: strconv.FormatInt(row.GrantedBy, 10)}
			if row.ReviewerID != nil {
				ext.Reviewer = strconv.FormatInt(*row.ReviewerID, 10)
			}
		}
	}
	return rec.Settings.Gate(action, received, ext, ov)
}
