package decision

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/decision/decisiondb"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// Release schedules the release of a venue's decisions at an instant (now
// when at is nil). The release happens when the clock reaches it: authors
// see decisions from then on, and the mail goes out. A release that has
// happened cannot be moved.
func (s *Service) Release(ctx context.Context, slug string, p account.Principal, at *time.Time, ip string) (time.Time, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return time.Time{}, err
	}
	now := s.Clock.Now()
	when := now
	if at != nil {
		when = *at
	}
	if when.Before(now) {
		when = now
	}
	if cur, err := q.GetRelease(ctx, s.DB, rec.ID); err == nil && !now.Before(cur.ReleaseAt) {
		return cur.ReleaseAt, problem.New(problem.ErrConflict, "already_released", "the decisions were released at "+venue.Describe(cur.ReleaseAt))
	} else if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, err
	}
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := q.SetRelease(ctx, tx, decisiondb.SetReleaseParams{VenueID: rec.ID, ReleaseAt: when, CreatedBy: p.UserID, CreatedAt: now}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "decision.release", Subject: rec.Slug,
			Detail: map[string]any{"release_at": when}, IP: ip, At: now})
	})
	if err != nil {
		return time.Time{}, err
	}
	if !when.After(now) {
		if _, err := s.SendDue(ctx); err != nil {
			s.Log.Error("queueing decision mail", "venue", rec.Slug, "err", err)
		}
	}
	return when, nil
}

// CancelRelease withdraws a scheduled release that has not happened yet.
func (s *Service) CancelRelease(ctx context.Context, slug string, p account.Principal, ip string) error {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		n, err := q.CancelRelease(ctx, tx, decisiondb.CancelReleaseParams{VenueID: rec.ID, ReleaseAt: s.Clock.Now()})
		if err != nil {
			return err
		}
		if n == 0 {
			return problem.New(problem.ErrConflict, "nothing_to_cancel", "there is no scheduled release to cancel (a release that happened cannot be undone)")
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "decision.release_cancel", Subject: rec.Slug, IP: ip, At: s.Clock.Now()})
	})
}

// Message is one decision mail, as it will be sent.
type Message struct {
	To         string
	Submission int
	Template   string
	Subject    string
	Body       string
	key        string
	data       any
}

// messages builds the decision mail of a venue: one message per decided
// submission to each of its authors, from the template of its category.
func (s *Service) messages(ctx context.Context, db decisiondb.DBTX, rec venue.Record) ([]Message, error) {
	rows, err := q.VenueDecisions(ctx, db, rec.ID)
	if err != nil {
		return nil, err
	}
	authors, err := venueAuthors(ctx, db, rec.ID)
	if err != nil {
		return nil, err
	}
	var out []Message
	for _, r := range rows {
		if r.Category == "" || r.Withdrawn {
			continue
		}
		cat, _ := rec.Settings.Decision(r.Category)
		tmpl := mail.TemplateDecisionReject
		presentation := ""
		if cat.Accept {
			tmpl = mail.TemplateDecisionAccept
			if cat.Presentation != venue.PresentNone {
				presentation = string(cat.Presentation)
			}
		}
		cr := "the camera-ready deadline"
		if d := rec.Settings.Deadlines.CameraReady; d.IsSet() {
			cr = venue.Describe(d.At)
		}
		for _, x := range authors[r.ID] {
			data := mail.DecisionData{Name: x.Name, VenueName: rec.Name, Title: r.Title, Number: int(r.Number), Category: cat.Label,
				Presentation: presentation, Note: r.Note, CameraReady: cr, Link: s.Link("/submissions/"+strconv.FormatInt(r.ID, 10), nil)}
			m, err := render(cat, tmpl, data)
			if err != nil {
				return nil, err
			}
			queued := any(data)
			if cat.Mail != "" {
				// The venue's own text is rendered now and sent as written.
				tmpl, queued = mail.TemplateWritten, mail.WrittenData{Subject: m.Subject, Body: m.Text}
			}
			// One message per author, submission and decision: a changed
			// decision after the release is a new message; a retry is not.
			key := fmt.Sprintf("decision:%d:%s:%s", r.ID, r.Category, strings.ToLower(x.Email))
			out = append(out, Message{To: x.Email, Submission: int(r.Number), Template: tmpl, Subject: m.Subject, Body: m.Text, key: key, data: queued})
		}
	}
	return out, nil
}

// Preview shows chairs the exact messages the release will send.
func (s *Service) Preview(ctx context.Context, slug string, p account.Principal) ([]Message, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	hidden, err := s.Matching.HiddenFrom(ctx, s.DB, rec, p.UserID)
	if err != nil {
		return nil, err
	}
	all, err := s.messages(ctx, s.DB, rec)
	if err != nil {
		return nil, err
	}
	rows, err := q.VenueDecisions(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	numberHidden := map[int]bool{}
	for _, r := range rows {
		numberHidden[int(r.Number)] = hidden[r.ID]
	}
	out := []Message{}
	for _, m := range all {
		if !numberHidden[m.Submission] {
			out = append(out, m)
		}
	}
	return out, nil
}

// SendDue queues the decision mail of every release whose instant has
// come, in one transaction per venue, and keeps the places the released
// accepted papers were given in the programme (the pages show them from
// the release's instant on, before any run: a release needs no job to
// happen, only to be mailed). The outbox's keys make it safe to
// run again at any point (a worker restarted mid-batch sends nothing twice),
// and decisions changed after a release are mailed on the next run.
func (s *Service) SendDue(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	due, err := q.DueReleases(ctx, s.DB, now)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, r := range due {
		err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
			var slug string
			if err := tx.QueryRow(ctx, "SELECT slug FROM venues WHERE id = $1", r.VenueID).Scan(&slug); err != nil {
				return err
			}
			rec, err := s.Venues.BySlug(ctx, tx, slug)
			if err != nil {
				return err
			}
			msgs, err := s.messages(ctx, tx, rec)
			if err != nil {
				return err
			}
			for _, m := range msgs {
				if err := s.Mail.Queue(ctx, tx, m.Template, m.key, m.To, m.data); err != nil {
					return err
				}
			}
			sent += len(msgs)
			// The accepted papers are public from the release on: their
			// places in the programme are kept from now on too.
			if err := s.keepPlaces(ctx, tx, rec); err != nil {
				return err
			}
			return q.MarkMailed(ctx, tx, decisiondb.MarkMailedParams{VenueID: r.VenueID, MailedAt: &now})
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// Remail queues the mail of decisions changed since a venue's release (a
// changed decision is a new message; unchanged ones are not sent again).
func (s *Service) Remail(ctx context.Context, venueID int64) error {
	_, err := s.DB.Exec(ctx, "UPDATE releases SET mailed_at = NULL WHERE venue_id = $1 AND release_at <= $2", venueID, s.Clock.Now())
	return err
}

// SendDueOnce is one run of SendDue for a periodic job: a failure is
// logged and retried on the next run.
func (s *Service) SendDueOnce(ctx context.Context) {
	if _, err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
		s.Log.Warn("decision mail not queued; will retry", "err", err)
	}
}
