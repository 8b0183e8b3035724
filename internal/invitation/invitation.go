// Package invitation brings reviewers and chairs into a venue: a chair invites
// by email (one at a time or from a CSV), the invitee accepts or declines
// through the emailed link, and chairs follow each invitation's state.
package invitation

import (
	"context"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/invitation/invitationdb"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

var q = invitationdb.New()

// LinkTTL is how long an invitation link works after it was (last) sent.
// The mail says until when; a chair's resend gives a new link and a new
// period.
const LinkTTL = 30 * 24 * time.Hour

// expiresAt is when the link of inv, as last sent, stops working.
func expiresAt(lastSent time.Time) time.Time { return lastSent.Add(LinkTTL) }

var errExpired = problem.New(problem.ErrConflict, "invitation_expired",
	"this invitation link has expired; ask the chairs to send the invitation again")

// Invitation is one invitation as chairs see it.
type Invitation = invitationdb.Invitation

// Service is the invitation domain.
type Service struct {
	DB       *pgxpool.Pool
	Clock    clock.Clock
	Venues   *venue.Store
	Accounts *account.Service
	Mail     account.Mailer
	Link     func(path string, query map[string]string) string
	// Matching records the load a reviewer states on accepting.
	Matching *matching.Service
}

// Input is one person to invite.
type Input struct {
	Email, Name, Affiliation, Role string
	Keywords                       []string
}

// ErrBadRole is returned for roles that cannot be given by invitation.
var ErrBadRole = problem.Invalid("role must be reviewer or chair", problem.FieldError{Field: "role", Message: "must be reviewer or chair"})

// Create invites people into a venue: all or nothing. An already pending
// invitation of the same person and role is returned unchanged, so importing
// the same CSV twice invites nobody twice.
func (s *Service) Create(ctx context.Context, slug string, by account.Principal, in []Input, ip string) ([]Invitation, error) {
	v, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, err
	}
	if err := s.Venues.Require(ctx, s.DB, v.ID, by.UserID, venue.RoleChair); err != nil {
		return nil, err
	}
	inviter, _, err := s.Accounts.Get(ctx, by.UserID)
	if err != nil {
		return nil, err
	}
	var fields []problem.FieldError
	for i := range in {
		e, err := account.NormalizeEmail(in[i].Email)
		if err != nil {
			fields = append(fields, problem.FieldError{Field: rowName(i, len(in)) + ".email", Message: "must be an email address"})
		}
		in[i].Email = e
		if in[i].Role != venue.RoleChair && in[i].Role != venue.RoleReviewer {
			fields = append(fields, problem.FieldError{Field: rowName(i, len(in)) + ".role", Message: "must be reviewer or chair"})
		}
	}
	if len(fields) > 0 {
		return nil, problem.Invalid("nobody was invited: fix these rows first", fields...)
	}
	var out []Invitation
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		out, err = s.InviteTx(ctx, tx, v, by.UserID, inviter.Name, in, ip)
		return err
	})
	return out, err
}

// InviteTx invites people inside tx on behalf of inviterID. Inputs must be
// checked already (emails normalised, roles valid).
func (s *Service) InviteTx(ctx context.Context, tx pgx.Tx, v venue.Record, inviterID int64, inviterName string, in []Input, ip string) ([]Invitation, error) {
	now := s.Clock.Now()
	out := make([]Invitation, 0, len(in))
	for _, p := range in {
		plain, hash := auth.NewOpaqueToken()
		inv, err := q.CreateInvitation(ctx, tx, invitationdb.CreateInvitationParams{
			VenueID: v.ID, Email: p.Email, Name: strings.TrimSpace(p.Name), Affiliation: strings.TrimSpace(p.Affiliation),
			Keywords: account.CleanKeywords(p.Keywords), Role: p.Role, TokenHash: hash, InvitedBy: inviterID, CreatedAt: now,
		})
		if errors.Is(err, pgx.ErrNoRows) { // already pending
			inv, err = q.GetPending(ctx, tx, invitationdb.GetPendingParams{VenueID: v.ID, Lower: p.Email, Role: p.Role})
			if err != nil {
				return nil, err
			}
			out = append(out, inv)
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := s.send(ctx, tx, inv, v, inviterName, plain); err != nil {
			return nil, err
		}
		if err := audit.Record(ctx, tx, audit.Entry{VenueID: &v.ID, ActorID: &inviterID, Action: "invitation.create", Subject: inv.Email, Detail: map[string]any{"role": inv.Role, "invitation": inv.ID}, IP: ip, At: now}); err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, nil
}

func rowName(i, n int) string {
	if n == 1 {
		return "body"
	}
	return "line " + strconv.Itoa(i+1)
}

func (s *Service) send(ctx context.Context, tx pgx.Tx, inv Invitation, v venue.Record, inviter, plain string) error {
	return s.Mail.Queue(ctx, tx, mail.TemplateInvitation, "invitation:"+hex.EncodeToString(auth.HashToken(plain)), inv.Email, mail.InvitationData{
		InviteeName: inv.Name, InviterName: inviter, VenueName: v.Name, Role: inv.Role,
		Link: s.Link("/invitations/"+plain, nil), Expires: expiresAt(inv.LastSentAt),
	})
}

// List returns a venue's invitations for its chairs.
func (s *Service) List(ctx context.Context, slug string, by account.Principal) ([]Invitation, error) {
	v, err := s.chairVenue(ctx, slug, by)
	if err != nil {
		return nil, err
	}
	return q.ListInvitations(ctx, s.DB, v.ID)
}

func (s *Service) chairVenue(ctx context.Context, slug string, by account.Principal) (venue.Record, error) {
	v, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return v, err
	}
	return v, s.Venues.Require(ctx, s.DB, v.ID, by.UserID, venue.RoleChair)
}

var errNotPending = problem.New(problem.ErrConflict, "invitation_not_pending", "this invitation was already answered or revoked")

// Resend mails a pending invitation again with a fresh link; the old link stops working.
func (s *Service) Resend(ctx context.Context, slug string, id int64, by account.Principal, ip string) (Invitation, error) {
	v, err := s.chairVenue(ctx, slug, by)
	if err != nil {
		return Invitation{}, err
	}
	inviter, _, err := s.Accounts.Get(ctx, by.UserID)
	if err != nil {
		return Invitation{}, err
	}
	var inv Invitation
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := s.get(ctx, tx, v.ID, id); err != nil {
			return err
		}
		plain, hash := auth.NewOpaqueToken()
		inv, err = q.Resend(ctx, tx, invitationdb.ResendParams{ID: id, TokenHash: hash, LastSentAt: s.Clock.Now()})
		if errors.Is(err, pgx.ErrNoRows) {
			return errNotPending
		}
		if err != nil {
			return err
		}
		if err := s.send(ctx, tx, inv, v, inviter.Name, plain); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &v.ID, ActorID: &by.UserID, Action: "invitation.resend", Subject: inv.Email, Detail: map[string]any{"invitation": id}, IP: ip, At: s.Clock.Now()})
	})
	return inv, err
}

func (s *Service) get(ctx context.Context, db invitationdb.DBTX, venueID, id int64) (Invitation, error) {
	inv, err := q.GetInvitation(ctx, db, invitationdb.GetInvitationParams{ID: id, VenueID: venueID})
	if errors.Is(err, pgx.ErrNoRows) {
		return inv, problem.New(problem.ErrNotFound, "invitation_not_found", "there is no such invitation in this venue")
	}
	return inv, err
}

// Revoke withdraws a pending invitation.
func (s *Service) Revoke(ctx context.Context, slug string, id int64, by account.Principal, ip string) (Invitation, error) {
	v, err := s.chairVenue(ctx, slug, by)
	if err != nil {
		return Invitation{}, err
	}
	var inv Invitation
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if _, err := s.get(ctx, tx, v.ID, id); err != nil {
			return err
		}
		now := s.Clock.Now()
		inv, err = q.SetState(ctx, tx, invitationdb.SetStateParams{ID: id, State: "revoked", RespondedAt: &now})
		if errors.Is(err, pgx.ErrNoRows) {
			return errNotPending
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &v.ID, ActorID: &by.UserID, Action: "invitation.revoke", Subject: inv.Email, Detail: map[string]any{"invitation": id}, IP: ip, At: now})
	})
	return inv, err
}

// View is what the holder of an invitation link sees.
type View struct {
	Venue, VenueName, Role, Email, Name, State string
	// ReviewerMaxLoad is the most papers the venue asks of a reviewer,
	// for a reviewer's invitation: the highest load one can state.
	ReviewerMaxLoad int
}

var errUnknownLink = problem.New(problem.ErrNotFound, "invitation_not_found", "this invitation link is unknown or was replaced by a newer one")

func (s *Service) byToken(ctx context.Context, tx pgx.Tx, token string) (invitationdb.GetByTokenForUpdateRow, error) {
	row, err := q.GetByTokenForUpdate(ctx, tx, auth.HashToken(token))
	if errors.Is(err, pgx.ErrNoRows) {
		return row, errUnknownLink
	}
	return row, err
}

func viewOf(r invitationdb.GetByTokenForUpdateRow) View {
	return View{Venue: r.VenueSlug, VenueName: r.VenueName, Role: r.Role, Email: r.Email, Name: r.Name, State: r.State}
}

// Get shows an invitation to the holder of its link.
func (s *Service) Get(ctx context.Context, token string) (View, error) {
	var v View
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		row, err := s.byToken(ctx, tx, token)
		if err != nil {
			return err
		}
		v = viewOf(row)
		if row.Role == venue.RoleReviewer {
			rec, err := s.Venues.BySlug(ctx, tx, row.VenueSlug)
			if err != nil {
				return err
			}
			v.ReviewerMaxLoad = rec.Settings.ReviewerLoad.Max
		}
		return nil
	})
	return v, err
}

// NewAccount is what an invitee without an account gives when accepting.
type NewAccount struct{ Name, Password string }

// Accepted says what accepting gave: the role, and tokens when an account
// was created on the way.
type Accepted struct {
	View   View
	Tokens *account.Tokens
}

// Accept gives the invited role. A signed-in caller takes it on their own
// account; otherwise an account is created for the invited email (the link
// proves the email is theirs, so it is verified). An invited email that has
// an account already must sign in first.
//
// A reviewer may state the most papers they can take (up to the venue's
// maximum) and that they review only in an emergency: cap, nil for the
// venue's load. A chair's invitation takes no load.
func (s *Service) Accept(ctx context.Context, token string, caller *account.Principal, na *NewAccount, cap *matching.Capacity, ip string) (Accepted, error) {
	var res Accepted
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		row, err := s.byToken(ctx, tx, token)
		if err != nil {
			return err
		}
		res.View = viewOf(row)
		if row.State != "pending" {
			return errNotPending
		}
		if cap != nil && row.Role != venue.RoleReviewer {
			return problem.Invalid("only a reviewer states a load", problem.FieldError{Field: "max_load", Message: "is for reviewers' invitations only"})
		}
		if !s.Clock.Now().Before(expiresAt(row.LastSentAt)) {
			return errExpired
		}
		var uid int64
		switch {
		case caller != nil:
			uid = caller.UserID
			u, _, err := s.Accounts.Get(ctx, uid)
			if err != nil {
				return err
			}
			if strings.EqualFold(u.Email, row.Email) {
				if err := s.Accounts.MarkVerified(ctx, tx, uid); err != nil {
					return err
				}
			} else if !u.Verified {
				return problem.New(problem.ErrForbidden, "email_unverified", "confirm your own email address before accepting an invitation sent to another one")
			}
		default:
			if _, exists, err := s.Accounts.ByEmail(ctx, tx, row.Email); err != nil {
				return err
			} else if exists {
				return problem.New(problem.ErrUnauthorized, "sign_in_to_accept", "an account with this email exists: sign in, then accept")
			}
			if na == nil || na.Password == "" {
				return problem.Invalid("to accept, choose a password for your new account", problem.FieldError{Field: "password", Message: "required to create the account"})
			}
			name := na.Name
			if strings.TrimSpace(name) == "" {
				name = row.Name
			}
			u, err := s.Accounts.Create(ctx, tx, account.NewAccount{Email: row.Email, Name: name, Password: na.Password, Affiliation: row.Affiliation, Keywords: row.Keywords})
			if err != nil {
				return err
			}
			uid = u.ID
			t, err := s.Accounts.StartSession(ctx, tx, uid)
			if err != nil {
				return err
			}
			res.Tokens = &t
		}
		now := s.Clock.Now()
		if _, err := q.SetState(ctx, tx, invitationdb.SetStateParams{ID: row.ID, State: "accepted", RespondedAt: &now, AcceptedBy: &uid}); err != nil {
			return err
		}
		if err := s.Venues.Grant(ctx, tx, row.VenueID, uid, row.Role, &row.InvitedBy); err != nil {
			return err
		}
		if cap != nil {
			if err := s.Matching.StateCapacityTx(ctx, tx, row.VenueSlug, uid, *cap); err != nil {
				return err
			}
		}
		res.View.State = "accepted"
		return audit.Record(ctx, tx, audit.Entry{VenueID: &row.VenueID, ActorID: &uid, Action: "invitation.accept", Subject: row.Email, Detail: map[string]any{"role": row.Role, "invitation": row.ID}, IP: ip, At: now})
	})
	return res, err
}

// Decline records a refusal, with an optional reason for the chairs.
func (s *Service) Decline(ctx context.Context, token, reason, ip string) (View, error) {
	var v View
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		row, err := s.byToken(ctx, tx, token)
		if err != nil {
			return err
		}
		v = viewOf(row)
		if row.State != "pending" {
			return errNotPending
		}
		if !s.Clock.Now().Before(expiresAt(row.LastSentAt)) {
			return errExpired
		}
		now := s.Clock.Now()
		if _, err := q.SetState(ctx, tx, invitationdb.SetStateParams{ID: row.ID, State: "declined", RespondedAt: &now, DeclineReason: strings.TrimSpace(reason)}); err != nil {
			return err
		}
		v.State = "declined"
		return audit.Record(ctx, tx, audit.Entry{VenueID: &row.VenueID, Action: "invitation.decline", Subject: row.Email, Detail: map[string]any{"invitation": row.ID}, IP: ip, At: now})
	})
	return v, err
}
