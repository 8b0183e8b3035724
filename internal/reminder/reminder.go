// Package reminder reminds the people who still owe something before and
// after a venue's deadlines, on the schedule of its venue file: reviewers
// their reviews and bids, authors their response and camera-ready version.
// Each step reaches each person once (a row per venue, deadline, step and
// address, written with the mail in one transaction), and a person may
// ask for their reminders as one mail a day.
//
// A reminder names only the recipient's own papers: a reviewer's names
// paper numbers and titles, an author's their own papers. Neither learns
// anything of the other side.
package reminder

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/reminder/reminderdb"
	"github.com/quirehq/quire/internal/venue"
)

var q = reminderdb.New()

// Window is how late a step may still be sent: a replica that was away
// longer skips it rather than remind of a deadline the next step covers.
const Window = 24 * time.Hour

// DigestEvery is the least time between two digests to one person.
const DigestEvery = 24 * time.Hour

// Service sends reminders and shows what was sent.
type Service struct {
	DB       *pgxpool.Pool
	Clock    clock.Clock
	Venues   *venue.Store
	Matching *matching.Service
	Mail     account.Mailer
	Link     func(path string, query map[string]string) string
	Log      *slog.Logger
}

// letter is one reminder for one person.
type letter struct {
	email, name, subject, link string
	lines                      []string
}

// SendDueOnce sends what is due, logging a failure for the next round.
func (s *Service) SendDueOnce(ctx context.Context) {
	if _, err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
		s.Log.Warn("reminders not sent; will retry", "err", err)
	}
	if _, err := s.SendDigests(ctx); err != nil && ctx.Err() == nil {
		s.Log.Warn("reminder digests not sent; will retry", "err", err)
	}
}

// SendDue sends every step of every venue whose time has come (within
// Window), and returns how many reminders it recorded.
func (s *Service) SendDue(ctx context.Context) (int, error) {
	list, err := s.Venues.List(ctx, s.DB)
	if err != nil {
		return 0, err
	}
	now := s.Clock.Now()
	total := 0
	for _, v := range list {
		if v.Archived != nil {
			continue
		}
		for _, st := range v.Settings.ReminderSteps() {
			if now.Before(st.At) || !now.Before(st.At.Add(Window)) {
				continue
			}
			n, err := s.sendStep(ctx, v.Record, st, now)
			if err != nil {
				return total, fmt.Errorf("reminder: %s %s %s: %w", v.Slug, st.Kind, st.Key, err)
			}
			total += n
		}
	}
	return total, nil
}

func (s *Service) sendStep(ctx context.Context, rec venue.Record, st venue.ReminderStep, now time.Time) (int, error) {
	letters, err := s.letters(ctx, rec, st)
	if err != nil || len(letters) == 0 {
		return 0, err
	}
	emails := make([]string, len(letters))
	for i, l := range letters {
		emails[i] = strings.ToLower(l.email)
	}
	sent := 0
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		wants, err := q.DigestWanted(ctx, tx, emails)
		if err != nil {
			return err
		}
		digest := map[string]bool{}
		for _, e := range wants {
			digest[e] = true
		}
		for _, l := range letters {
			addr := strings.ToLower(l.email)
			var mailed *time.Time
			if !digest[addr] {
				mailed = &now
			}
			n, err := q.RecordReminder(ctx, tx, reminderdb.RecordReminderParams{VenueID: rec.ID, Kind: st.Kind, Step: st.Key, Recipient: addr,
				Name: l.name, Subject: l.subject, Lines: strings.Join(l.lines, "\n"), Link: l.link, CreatedAt: now, Digest: digest[addr], MailedAt: mailed})
			if err != nil {
				return err
			}
			if n == 0 || digest[addr] {
				continue // sent before, or waiting for the digest
			}
			sent++
			if err := s.Mail.Queue(ctx, tx, mail.TemplateNotice, "reminder:"+strconv.FormatInt(rec.ID, 10)+":"+st.Kind+":"+st.Key+":"+addr, l.email, mail.NoticeData{
				Name: l.name, Subject: l.subject, Body: strings.Join(l.lines, "\n"), Link: l.link,
			}); err != nil {
				return err
			}
		}
		return nil
	})
	return sent, err
}

// when says how far a step is from its deadline, and whether after it.
func when(st venue.ReminderStep) (span string, past bool) {
	d := -st.Offset
	if past = d < 0; past {
		d = -d
	}
	switch days := int(d / (24 * time.Hour)); {
	case d%(24*time.Hour) != 0:
		span = strconv.Itoa(int(d/time.Hour)) + " hours"
	case days == 1:
		span = "1 day"
	default:
		span = strconv.Itoa(days) + " days"
	}
	return span, past
}

// due is a subject's "are due in 7 days" or "were due 1 day ago", with the
// verbs of the thing reminded of.
func due(st venue.ReminderStep, future, pastTense string) string {
	span, past := when(st)
	if past {
		return pastTense + " " + span + " ago"
	}
	return future + " in " + span
}

// owed is one thing a person still owes: a paper of theirs, or nothing
// more for a reminder that names none (bidding).
type owed struct{ email, name, line string }

// letters are the reminders of one step: one per person, naming their
// papers.
func (s *Service) letters(ctx context.Context, rec venue.Record, st venue.ReminderStep) ([]letter, error) {
	deadline := venue.FormatAoE(rec.Settings.ReminderDeadline(st.Kind).At)
	paper := func(n int32, title string) string { return "#" + strconv.Itoa(int(n)) + " " + title }
	var (
		items                 []owed
		subject, link, header string
	)
	switch st.Kind {
	case venue.RemindReview:
		rows, err := q.OwedReviews(ctx, s.DB, rec.ID)
		if err != nil {
			return nil, err
		}
		// A conflict found after the assignment takes the paper away: it is
		// nobody's to review, nor to be reminded of.
		conflicted, err := s.Matching.LateConflicts(ctx, s.DB, rec)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if !conflicted[matching.Pair{Paper: r.SubmissionID, Reviewer: r.UserID}] {
				items = append(items, owed{r.Email, r.Name, paper(r.Number, r.Title)})
			}
		}
		subject, link = "your reviews "+due(st, "are due", "were due"), "/venues/"+rec.Slug+"/review"
		header = "Your reviews of these papers are due " + deadline + " and not submitted yet:"
	case venue.RemindBidding:
		rows, err := q.ReviewersWithoutBids(ctx, s.DB, rec.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			items = append(items, owed{r.Email, r.Name, ""})
		}
		subject, link = "bidding "+due(st, "closes", "closed"), "/venues/"+rec.Slug+"/bids"
		header = "You have not bid on any paper yet. Bidding closes " + deadline + "; papers you are eager to review are more likely to come to you."
	case venue.RemindResponse:
		rows, err := q.AuthorsOwingResponse(ctx, s.DB, rec.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			items = append(items, owed{r.Email, r.Name, paper(r.Number, r.Title)})
		}
		subject, link = "your response to the reviews "+due(st, "is due", "was due"), "/submissions"
		header = "The reviews of these papers are in and your response is not submitted yet; responses close " + deadline + ":"
	case venue.RemindCameraReady:
		rows, err := q.AuthorsOwingCameraReady(ctx, s.DB, rec.ID)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if c, _ := rec.Settings.Decision(r.Category); c.Accept {
				items = append(items, owed{r.Email, r.Name, paper(r.Number, r.Title)})
			}
		}
		subject, link = "your camera-ready version "+due(st, "is due", "was due"), "/submissions"
		header = "The camera-ready versions of these accepted papers are due " + deadline + " and not uploaded yet:"
	}
	var out []letter
	at := map[string]int{}
	for _, it := range items {
		k := strings.ToLower(it.email)
		n, ok := at[k]
		if !ok {
			n = len(out)
			at[k] = n
			out = append(out, letter{email: it.email, name: it.name, subject: rec.Name + ": " + subject,
				link: s.Link(link, nil), lines: []string{header}})
		}
		if it.line != "" {
			out[n].lines = append(out[n].lines, it.line)
		}
	}
	return out, nil
}

// SendDigests mails each person who asked for a digest, and has reminders
// waiting and no digest in the last day, one mail with all of them.
func (s *Service) SendDigests(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	since := now.Add(-DigestEvery)
	due, err := q.DigestDue(ctx, s.DB, &since)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, addr := range due {
		err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
			rows, err := q.PendingDigestFor(ctx, tx, addr)
			if err != nil || len(rows) == 0 {
				return err
			}
			var b strings.Builder
			for i, r := range rows {
				if i > 0 {
					b.WriteString("\n\n")
				}
				b.WriteString(r.Subject + "\n" + r.Lines + "\n" + r.Link)
			}
			subject := "Your Quire reminders: " + strconv.Itoa(len(rows)) + " item"
			if len(rows) > 1 {
				subject += "s"
			}
			if err := s.Mail.Queue(ctx, tx, mail.TemplateNotice, "reminder-digest:"+addr+":"+now.Format(time.RFC3339), addr, mail.NoticeData{
				Name: rows[0].Name, Subject: subject, Body: b.String(), Link: s.Link("/", nil),
			}); err != nil {
				return err
			}
			sent++
			return q.MarkDigestMailed(ctx, tx, reminderdb.MarkDigestMailedParams{Recipient: addr, MailedAt: &now})
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// Step is one step of a venue's schedule as chairs see it.
type Step struct {
	Kind string    `json:"kind"`
	Key  string    `json:"key"`
	At   time.Time `json:"at"`
	// State is "upcoming", "sent", "skipped" (its time passed with nobody
	// to remind, or while no replica ran) or "sending".
	State string `json:"state"`
	// Recipients counts the people it reached, Waiting those whose
	// digest has not gone out yet.
	Recipients int `json:"recipients"`
	Waiting    int `json:"waiting"`
}

// Sent is one reminder as chairs see it in the log.
type Sent struct {
	Kind      string     `json:"kind"`
	Step      string     `json:"step"`
	Recipient string     `json:"recipient"`
	Name      string     `json:"name"`
	Subject   string     `json:"subject"`
	At        time.Time  `json:"at"`
	Digest    bool       `json:"digest"`
	Mailed    *time.Time `json:"mailed"`
}

// Overview is a venue's schedule with what each step did, and the latest
// reminders, for its chairs.
type Overview struct {
	Steps []Step `json:"steps"`
	Log   []Sent `json:"log"`
}

// Overview shows the venue's reminders to its chairs.
func (s *Service) Overview(ctx context.Context, slug string, p account.Principal) (Overview, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return Overview{}, err
	}
	if err := s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleChair); err != nil {
		return Overview{}, err
	}
	counts, err := q.StepCounts(ctx, s.DB, rec.ID)
	if err != nil {
		return Overview{}, err
	}
	type key struct{ kind, step string }
	got := map[key]reminderdb.StepCountsRow{}
	for _, c := range counts {
		got[key{c.Kind, c.Step}] = c
	}
	now := s.Clock.Now()
	out := Overview{Steps: []Step{}, Log: []Sent{}}
	for _, st := range rec.Settings.ReminderSteps() {
		c, ok := got[key{st.Kind, st.Key}]
		step := Step{Kind: st.Kind, Key: st.Key, At: st.At, Recipients: int(c.Recipients), Waiting: int(c.Recipients - c.Mailed)}
		switch {
		case ok:
			step.State = "sent"
		case now.Before(st.At):
			step.State = "upcoming"
		case now.Before(st.At.Add(Window)):
			step.State = "sending"
		default:
			step.State = "skipped"
		}
		out.Steps = append(out.Steps, step)
	}
	rows, err := q.RecentReminders(ctx, s.DB, rec.ID)
	if err != nil {
		return Overview{}, err
	}
	for _, r := range rows {
		out.Log = append(out.Log, Sent{Kind: r.Kind, Step: r.Step, Recipient: r.Recipient, Name: r.Name, Subject: r.Subject, At: r.CreatedAt, Digest: r.Digest, Mailed: r.MailedAt})
	}
	sort.SliceStable(out.Log, func(i, j int) bool { return out.Log[i].At.After(out.Log[j].At) })
	return out, nil
}

// Digest says whether the person gets their reminders as a daily digest.
func (s *Service) Digest(ctx context.Context, uid int64) (bool, error) {
	return q.GetDigestPreference(ctx, s.DB, uid)
}

// SetDigest records whether the person wants a daily digest.
func (s *Service) SetDigest(ctx context.Context, uid int64, on bool) error {
	return q.SetDigestPreference(ctx, s.DB, reminderdb.SetDigestPreferenceParams{UserID: uid, Digest: on})
}

// SeedStep sends one step of a venue's schedule as it would have gone out
// at its own instant, for the demo venue, whose timeline is in the past;
// no endpoint calls it. It returns how many people it reached.
func (s *Service) SeedStep(ctx context.Context, slug, kind, key string) (int, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return 0, err
	}
	for _, st := range rec.Settings.ReminderSteps() {
		if st.Kind == kind && st.Key == key {
			return s.sendStep(ctx, rec, st, st.At)
		}
	}
	return 0, fmt.Errorf("reminder: %s has no step %s%s", slug, kind, key)
}
