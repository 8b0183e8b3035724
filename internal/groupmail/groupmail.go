// Package groupmail lets a venue's chairs write to a group of its people:
// reviewers with reviews still to submit, all reviewers, the authors of the
// submitted papers, of a track or (after the release) of a decision. A
// message is written once with placeholders, filled for each recipient,
// previewed exactly as it will be sent, queued through the outbox in one
// transaction, and logged for the venue's chairs.
//
// The double-blind rules hold by construction: a group holds only one side
// of the review, and the placeholders offer only the recipient's own name
// and papers, so a reviewer's copy cannot name an author nor an author's a
// reviewer. A conflicted chair's groups leave out the papers hidden from
// them.
package groupmail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/groupmail/groupmaildb"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

var q = groupmaildb.New()

// Service is the chairs' mail to groups.
type Service struct {
	DB        *pgxpool.Pool
	Clock     clock.Clock
	Venues    *venue.Store
	Matching  *matching.Service
	Decisions *decision.Service
	Mail      account.Mailer
	Link      func(path string, query map[string]string) string
}

// Draft is a message as a chair writes it: to a group, with placeholders.
type Draft struct {
	Group, Subject, Body string
}

// Reminder is the ready-made reminder to reviewers with reviews still to
// submit, before the review deadline or after it.
var Reminder = Draft{
	Group:   GroupMissingReviews,
	Subject: "{{venue}}: reviews due {{deadline}}",
	Body: "The reviews for {{venue}} are due {{deadline}}. These of yours are still to be submitted:\n\n{{papers}}\n\n" +
		"Please submit them by the deadline, or tell the chairs soon if you cannot.",
}

// Message is one recipient's copy, exactly as it is queued.
type Message struct {
	To, Subject, Body string
}

// Preview is what a draft would send: how many copies, the first few of
// them, and what Send needs to send exactly these.
type Preview struct {
	Group    Group
	Count    int
	Messages []Message
	// Fingerprint identifies the whole set of copies; Send refuses if the
	// copies it would send differ from the previewed ones.
	Fingerprint string
	// Key makes the send that follows this preview happen once.
	Key string
}

// previewShown is how many copies a preview shows in full.
const previewShown = 3

// Sent is one entry of the log: a message sent to a group.
type Sent struct {
	ID                int64
	Group, GroupLabel string
	Subject, Body     string
	Recipients        int
	By                string
	At                time.Time
	// Again is set when the send was a repeat of one already done (a
	// double submit or a retry): nothing was sent the second time.
	Again bool
}

func (s *Service) chairVenue(ctx context.Context, slug string, p account.Principal) (venue.Record, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return rec, err
	}
	return rec, s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleChair)
}

// Groups lists the venue's groups with their members, as the calling chair
// may see them.
func (s *Service) Groups(ctx context.Context, slug string, p account.Principal) ([]Group, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	return s.groups(ctx, rec, p)
}

// Preview fills the draft for every recipient of its group and sends nothing.
func (s *Service) Preview(ctx context.Context, slug string, p account.Principal, d Draft) (Preview, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return Preview{}, err
	}
	g, msgs, err := s.compose(ctx, rec, p, d)
	if err != nil {
		return Preview{}, err
	}
	out := Preview{Group: g, Count: len(msgs), Fingerprint: fingerprint(d.Group, msgs), Key: uuid.NewString()}
	for _, m := range msgs[:min(len(msgs), previewShown)] {
		out.Messages = append(out.Messages, m.Message)
	}
	return out, nil
}

// Send queues one copy per recipient, in one transaction with the log
// entry. key is the preview's: a second send with it sends nothing and
// returns the first (Again set). want is the preview's fingerprint: when the
// copies changed since (a reviewer submitted, a paper was withdrawn), the
// chair is asked to look again rather than send what they did not see.
func (s *Service) Send(ctx context.Context, slug string, p account.Principal, d Draft, key, want, ip string) (Sent, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return Sent{}, err
	}
	k, err := uuid.Parse(key)
	if err != nil {
		return Sent{}, problem.Invalid("preview the message before sending it", problem.FieldError{Field: "key", Message: "missing or malformed"})
	}
	if done, err := s.sentByKey(ctx, s.DB, rec.ID, k); err == nil || !errors.Is(err, pgx.ErrNoRows) {
		return done, err
	}
	g, msgs, err := s.compose(ctx, rec, p, d)
	if err != nil {
		return Sent{}, err
	}
	if fingerprint(d.Group, msgs) != want {
		return Sent{}, problem.New(problem.ErrConflict, "changed_since_preview",
			"the group or its messages changed since the preview; look at the new preview and send again")
	}
	now := s.Clock.Now()
	var sent Sent
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		id, err := q.InsertSent(ctx, tx, groupmaildb.InsertSentParams{VenueID: rec.ID, SendKey: k, Audience: g.Key, AudienceLabel: g.Label,
			Subject: d.Subject, Body: d.Body, Recipients: int32(len(msgs)), SentBy: p.UserID, SentAt: now})
		if errors.Is(err, pgx.ErrNoRows) {
			// The same send committed meanwhile (a double click): nothing more.
			sent, err = s.sentByKey(ctx, tx, rec.ID, k)
			return err
		}
		if err != nil {
			return err
		}
		for _, m := range msgs {
			// One copy per send and address: a retried transaction
			// queues nothing twice.
			if err := s.Mail.Queue(ctx, tx, mail.TemplateNotice, fmt.Sprintf("groupmail:%d:%s", id, strings.ToLower(m.To)), m.To, m.data); err != nil {
				return err
			}
		}
		sent = Sent{ID: id, Group: g.Key, GroupLabel: g.Label, Subject: d.Subject, Body: d.Body, Recipients: len(msgs), At: now}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "mail.group", Subject: g.Key,
			Detail: map[string]any{"subject": d.Subject, "recipients": len(msgs), "log": id}, IP: ip, At: now})
	})
	return sent, err
}

func (s *Service) sentByKey(ctx context.Context, db groupmaildb.DBTX, venueID int64, k uuid.UUID) (Sent, error) {
	r, err := q.SentByKey(ctx, db, groupmaildb.SentByKeyParams{VenueID: venueID, SendKey: k})
	if err != nil {
		return Sent{}, err
	}
	return Sent{ID: r.ID, Group: r.Audience, GroupLabel: r.AudienceLabel, Subject: r.Subject, Body: r.Body, Recipients: int(r.Recipients),
		By: r.Sender, At: r.SentAt, Again: true}, nil
}

// Log lists what the venue's chairs sent to groups, newest first.
func (s *Service) Log(ctx context.Context, slug string, p account.Principal) ([]Sent, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	rows, err := q.VenueSent(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Sent, 0, len(rows))
	for _, r := range rows {
		out = append(out, Sent{ID: r.ID, Group: r.Audience, GroupLabel: r.AudienceLabel, Subject: r.Subject, Body: r.Body,
			Recipients: int(r.Recipients), By: r.Sender, At: r.SentAt})
	}
	return out, nil
}

// letter is a recipient's message with what the outbox renders it from.
type letter struct {
	Message
	data mail.NoticeData
}

// compose checks the draft against its group and fills it for each
// recipient, through the same mail template the outbox sends.
func (s *Service) compose(ctx context.Context, rec venue.Record, p account.Principal, d Draft) (Group, []letter, error) {
	groups, err := s.groups(ctx, rec, p)
	if err != nil {
		return Group{}, nil, err
	}
	var g Group
	for _, x := range groups {
		if x.Key == d.Group {
			g = x
		}
	}
	switch {
	case g.Key == "":
		return g, nil, problem.Invalid("choose a group", problem.FieldError{Field: "group", Message: "choose one of the groups"})
	case g.Closed != "":
		return g, nil, problem.Invalid("this group is closed", problem.FieldError{Field: "group", Message: g.Closed})
	}
	if err := d.check(g); err != nil {
		return g, nil, err
	}
	if len(g.Recipients) == 0 {
		return g, nil, problem.Invalid("nobody is in this group", problem.FieldError{Field: "group", Message: "nobody is in this group now"})
	}
	link := s.Link("/submissions", nil)
	if g.Kind == KindReviewers {
		link = s.Link("/venues/"+rec.Slug+"/review", nil)
	}
	deadline := ""
	if !g.Deadline.IsZero() {
		deadline = venue.FormatAoE(g.Deadline)
	}
	out := make([]letter, 0, len(g.Recipients))
	for _, r := range g.Recipients {
		values := map[string]string{"name": r.Name, "venue": rec.Name, "papers": paperLines(r.Papers), "deadline": deadline}
		data := mail.NoticeData{Name: r.Name, Subject: fill(strings.TrimSpace(d.Subject), values), Body: fill(strings.TrimSpace(d.Body), values), Link: link}
		m, err := mail.Render(mail.TemplateNotice, data)
		if err != nil {
			return g, nil, err
		}
		out = append(out, letter{Message: Message{To: r.Email, Subject: m.Subject, Body: m.Text}, data: data})
	}
	return g, out, nil
}

func paperLines(ps []Paper) string {
	if len(ps) == 0 {
		return "(none)"
	}
	lines := make([]string, len(ps))
	for i, x := range ps {
		lines[i] = "#" + strconv.Itoa(x.Number) + " " + x.Title
	}
	return strings.Join(lines, "\n")
}

// fingerprint identifies a group's copies: who gets what.
func fingerprint(group string, msgs []letter) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", group)
	for _, m := range msgs {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", strings.ToLower(m.To), m.Subject, m.Body)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
