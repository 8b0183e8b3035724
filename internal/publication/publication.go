// Package publication is what a venue makes public of its papers once its
// decisions are released, and only with their authors' consent: a page per
// paper with the citation tags indexers read, the PDF stamped with its
// licence and archival status, BibTeX, CSL-JSON and the proceedings bundle.
// The programme (titles, authors, sessions) is the decision package's; the
// papers themselves are this one's.
package publication

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/publication/publicationdb"
	"github.com/quirehq/quire/internal/venue"
)

var q = publicationdb.New()

// Service publishes papers.
type Service struct {
	DB        *pgxpool.Pool
	Clock     clock.Clock
	Venues    *venue.Store
	Access    *access.Resolver
	Decisions *decision.Service
	Blobs     blob.Files
	// Stamper puts the cover page on a public PDF.
	Stamper *Stamper
	// Link makes an absolute address of a path on this site.
	Link func(path string, query map[string]string) string
}

// Consent is the authors' word on publishing one paper, with what they may
// choose from.
type Consent struct {
	// Offered: the venue publishes papers with this paper's decision, so
	// its authors may consent (an accepted paper, or a rejected one where
	// the venue lets its authors opt in).
	Offered  bool            `json:"offered"`
	Accepted bool            `json:"accepted"`
	Consent  bool            `json:"consent"`
	Licence  string          `json:"licence,omitempty"`
	GivenAt  *time.Time      `json:"given_at,omitempty"`
	Licences []venue.Licence `json:"licences"`
	Archival venue.Archival  `json:"archival,omitempty"`
	// Page is the paper's public page, once it is public.
	Page string `json:"page,omitempty"`
}

// ConsentOf is the consent of a released decision's paper, for its
// authors and the chairs.
func (s *Service) ConsentOf(ctx context.Context, submissionID int64, p account.Principal) (Consent, error) {
	_, c, err := s.consent(ctx, submissionID, p)
	return c, err
}

func (s *Service) consent(ctx context.Context, submissionID int64, p account.Principal) (access.View, Consent, error) {
	v, err := s.Access.Of(ctx, s.DB, submissionID, p.UserID)
	if err != nil {
		return v, Consent{}, err
	}
	if !v.Relation.Author && !v.Relation.Chair {
		return v, Consent{}, problem.New(problem.ErrForbidden, "not_author", "only the authors and the chairs see whether a paper is published")
	}
	d, err := s.Decisions.Of(ctx, submissionID, p)
	if err != nil {
		return v, Consent{}, err
	}
	pub := v.Venue.Settings.Publication
	c := Consent{Licences: pub.Offered(), Archival: pub.Archival}
	if d != nil && !v.State.Withdrawn {
		c.Accepted = d.Accept
		c.Offered = (d.Accept && pub.Accepted) || (!d.Accept && pub.RejectedOptIn)
	}
	row, err := q.GetConsent(ctx, s.DB, submissionID)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return v, c, err
	default:
		c.Consent, c.Licence, c.GivenAt = row.Consent, row.Licence, &row.GivenAt
	}
	if c.Offered && c.Consent && d != nil && v.State.DecisionsReleased {
		if n, err := s.number(ctx, submissionID); err == nil {
			c.Page = s.Link(PagePath(v.Venue.Slug, n), nil)
		}
	}
	return v, c, nil
}

// SetConsent records the authors' consent (or its withdrawal) and licence.
// Only an author may give it, once the decision is released, for a paper
// the venue publishes; the licence must be one the venue offers. Consent
// may be withdrawn at any time, and the paper leaves every public page.
func (s *Service) SetConsent(ctx context.Context, submissionID int64, p account.Principal, consent bool, licence, ip string) (Consent, error) {
	v, c, err := s.consent(ctx, submissionID, p)
	if err != nil {
		return c, err
	}
	if !v.Relation.Author {
		return c, problem.New(problem.ErrForbidden, "not_author", "only the authors consent to publishing their paper")
	}
	if !v.State.DecisionsReleased || !v.Can(policy.Decision) {
		return c, problem.New(problem.ErrConflict, "not_released", "consent is given once the decision is released")
	}
	// Withdrawing is always possible, even where the venue has since
	// stopped offering what was consented to; consenting is not.
	if consent && !c.Offered {
		msg := "this venue does not publish rejected papers"
		if c.Accepted {
			msg = "this venue does not publish its papers"
		}
		if v.State.Withdrawn {
			msg = "a withdrawn paper is not published"
		}
		return c, problem.New(problem.ErrConflict, "not_offered", msg)
	}
	pub := v.Venue.Settings.Publication
	if !consent { // the licence once chosen stays on record
		licence = c.Licence
	}
	if consent && !pub.Offers(licence) {
		pe := problem.New(problem.ErrInvalid, "licence_not_offered", "choose one of the venue's licences")
		pe.Fields = []problem.FieldError{{Field: "licence", Message: "must be one of: " + joinKeys(pub.Offered())}}
		return c, pe
	}
	now := s.Clock.Now()
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := q.SetConsent(ctx, tx, publicationdb.SetConsentParams{SubmissionID: submissionID, Consent: consent, Licence: licence,
			GivenBy: &p.UserID, GivenAt: now}); err != nil {
			return err
		}
		action := "publication.consent"
		if !consent {
			action = "publication.withdraw"
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &v.Venue.ID, ActorID: &p.UserID, Action: action, Subject: itoa64(submissionID),
			Detail: map[string]any{"licence": licence}, IP: ip, At: now})
	})
	if err != nil {
		return c, err
	}
	return s.ConsentOf(ctx, submissionID, p)
}

func joinKeys(ls []venue.Licence) string {
	out := ""
	for i, l := range ls {
		if i > 0 {
			out += ", "
		}
		out += l.Key
	}
	return out
}
