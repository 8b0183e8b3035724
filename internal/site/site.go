// Package site is what a site administrator does: create venues and name
// their first chairs. Everything inside a venue is then the chairs' business.
package site

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/invitation"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// Service holds the administrator's operations.
type Service struct {
	DB          *pgxpool.Pool
	Clock       clock.Clock
	Accounts    *account.Service
	Venues      *venue.Store
	Invitations *invitation.Service
}

// CreateVenue creates a venue from its settings file. Chairs who have an
// account get the role at once; the others are invited by mail.
func (s *Service) CreateVenue(ctx context.Context, by account.Principal, yaml []byte, chairs []string, ip string) (venue.Record, error) {
	admin, _, err := s.Accounts.Get(ctx, by.UserID)
	if err != nil {
		return venue.Record{}, err
	}
	if !admin.Admin {
		return venue.Record{}, problem.New(problem.ErrForbidden, "not_admin", "only site administrators create venues")
	}
	var rec venue.Record
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		rec, err = s.CreateVenueTx(ctx, tx, &admin, yaml, chairs, ip)
		return err
	})
	return rec, err
}

// CreateVenueTx is CreateVenue inside a transaction, for the command line and
// the demo loader too (by may be nil there: no person acted).
func (s *Service) CreateVenueTx(ctx context.Context, tx pgx.Tx, by *account.User, yaml []byte, chairs []string, ip string) (venue.Record, error) {
	rec, err := s.Venues.Create(ctx, tx, yaml)
	if err != nil {
		return rec, err
	}
	var actor *int64
	inviterName := "the Quire administrators"
	if by != nil {
		actor, inviterName = &by.ID, by.Name
	}
	var invite []invitation.Input
	for _, raw := range chairs {
		email, err := account.NormalizeEmail(raw)
		if err != nil {
			return rec, err
		}
		u, ok, err := s.Accounts.ByEmail(ctx, tx, email)
		if err != nil {
			return rec, err
		}
		if ok {
			if err := s.Venues.Grant(ctx, tx, rec.ID, u.ID, venue.RoleChair, actor); err != nil {
				return rec, err
			}
			continue
		}
		invite = append(invite, invitation.Input{Email: email, Role: venue.RoleChair})
	}
	if len(invite) > 0 {
		if by == nil {
			return rec, problem.Invalid("chairs without an account can only be invited by an administrator: " + strings.Join(chairs, ", "))
		}
		if _, err := s.Invitations.InviteTx(ctx, tx, rec, by.ID, inviterName, invite, ip); err != nil {
			return rec, err
		}
	}
	return rec, audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: actor, Action: "venue.create", Subject: rec.Slug,
		Detail: map[string]any{"chairs": chairs}, IP: ip, At: s.Clock.Now()})
}
