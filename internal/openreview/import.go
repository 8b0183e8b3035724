package openreview

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/decision/decisiondb"
	"github.com/quirehq/quire/internal/openreview/openreviewdb"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/review/reviewdb"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/submission/submissiondb"
	"github.com/quirehq/quire/internal/venue"
)

var (
	orq  = openreviewdb.New()
	subq = submissiondb.New()
	revq = reviewdb.New()
	decq = decisiondb.New()
)

// Service imports and exports a venue's notes.
type Service struct {
	DB          *pgxpool.Pool
	Clock       clock.Clock
	Venues      *venue.Store
	Accounts    *account.Service
	Submissions *submission.Service // its checker and file store
}

// Input is one import: the notes, and optionally the PDFs (a folder or a
// ZIP) and the profile map.
type Input struct {
	Notes    []Note
	PDFs     fs.FS
	Profiles Profiles
	// Track is where the submissions go; empty: the venue's first track.
	Track string
	// IP is where the request came from, for the audit log.
	IP string
}

// Report says what an import did and everything it could not carry over.
type Report struct {
	Venue        string `json:"venue"`
	Notes        int    `json:"notes"`
	Submissions  int    `json:"submissions"`
	Created      int    `json:"created"`
	Updated      int    `json:"updated"`
	Withdrawn    int    `json:"withdrawn"`
	DeskRejected int    `json:"desk_rejected"`
	Authors      int    `json:"authors"`
	NoEmail      int    `json:"authors_without_email"`
	PDFs         int    `json:"pdfs"`
	// Supplementary counts the supplementary files checked and stored.
	Supplementary int `json:"supplementary"`
	Reviews       int `json:"reviews"`
	MetaReviews   int `json:"meta_reviews"`
	Decisions     int `json:"decisions"`
	Comments      int `json:"comments"`
	// Responses counts the papers whose authors' comments became their
	// response to the reviews.
	Responses int    `json:"responses"`
	Answers   int    `json:"answers"`
	Unmapped  []Item `json:"unmapped"`
}

func (r *Report) add(n Note, k Kind, number int, what, why string) {
	r.Unmapped = append(r.Unmapped, Item{Note: n.ID, Kind: k, Number: number, What: what, Why: why})
}

// mapped is a note an earlier import of the venue stored.
type mapped struct {
	Submission int64
	Reviewer   *int64
	Comment    *int64
}

func millis(ms int64, or time.Time) time.Time {
	if ms <= 0 {
		return or
	}
	return time.UnixMilli(ms).UTC()
}

// requireImporter lets the venue's chairs and the site's administrators
// import.
func (s *Service) requireImporter(ctx context.Context, rec venue.Record, actor int64) error {
	u, _, err := s.Accounts.Get(ctx, actor)
	if err != nil {
		return err
	}
	if u.Admin {
		return nil
	}
	return s.Venues.Require(ctx, s.DB, rec.ID, actor, venue.RoleChair)
}

// plan is one forum made ready: its metadata, and its PDF checked.
type plan struct {
	f       *Forum
	in      submission.Input
	pdf     *checked
	supp    *suppChecked
	at, mod time.Time
}

// Import carries the notes into the venue slug as actor: the PDFs are
// checked first (a refused file is reported and its submission imported
// without it), then every row is written in one transaction, so a failure
// leaves the venue as it was.
func (s *Service) Import(ctx context.Context, slug string, actor int64, in Input) (Report, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return Report{}, err
	}
	if err := s.requireImporter(ctx, rec, actor); err != nil {
		return Report{}, err
	}
	track := in.Track
	if track == "" && len(rec.Settings.Tracks) > 0 {
		track = rec.Settings.Tracks[0].Key
	}
	if _, ok := rec.Settings.Track(track); !ok {
		return Report{}, problem.Invalid("the venue has no track " + track)
	}
	rep := Report{Venue: rec.Slug, Notes: len(in.Notes), Unmapped: []Item{}}
	forums, skipped := Group(in.Notes)
	rep.Unmapped = append(rep.Unmapped, skipped...)
	if len(forums) == 0 {
		return rep, invalid("openreview_no_submissions", "the file has no submission notes (notes that are their own forum)")
	}
	now := s.Clock.Now()
	current, err := s.currentPDFs(ctx, rec.ID)
	if err != nil {
		return rep, err
	}
	supps, err := orq.CurrentSupps(ctx, s.DB, rec.ID)
	if err != nil {
		return rep, err
	}
	currentSupp := make(map[string]string, len(supps))
	for _, r := range supps {
		currentSupp[r.NoteID] = r.SuppSha
	}
	var plans []plan
	for _, f := range forums {
		p, ok, err := s.prepare(ctx, rec, track, f, in, [2]string{current[f.Submission.ID], currentSupp[f.Submission.ID]}, now, &rep)
		if err != nil {
			return Report{}, err
		}
		if ok {
			plans = append(plans, p)
		}
	}
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		// One import of a venue at a time: a second one waits, then finds
		// what the first made and updates it.
		if err := orq.LockVenueImport(ctx, tx, rec.ID); err != nil {
			return err
		}
		existing, err := s.mapped(ctx, tx, rec.ID)
		if err != nil {
			return err
		}
		for _, p := range plans {
			if err := s.write(ctx, tx, rec, actor, p, in.Profiles, existing, now, &rep); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &actor, Action: "venue.import_openreview", Subject: rec.Slug, IP: in.IP, At: now,
			Detail: map[string]any{"notes": rep.Notes, "submissions": rep.Submissions, "created": rep.Created, "updated": rep.Updated,
				"reviews": rep.Reviews, "decisions": rep.Decisions, "comments": rep.Comments, "responses": rep.Responses, "answers": rep.Answers, "pdfs": rep.PDFs, "supplementary": rep.Supplementary, "unmapped": len(rep.Unmapped)}})
	})
	if err != nil {
		return Report{}, err
	}
	return rep, nil
}

// prepare reads a forum's submission and checks its PDF (unless it is
// the file an earlier import stored, current: the PDF's and the
// supplementary material's), before anything is written; false when the submission cannot be imported at all, an
// error when the import cannot go on (the checker or the store failing).
func (s *Service) prepare(ctx context.Context, rec venue.Record, track string, f *Forum, in Input, current [2]string, now time.Time, rep *Report) (plan, bool, error) {
	n := f.Submission
	c := n.Content
	p := plan{f: f, at: millis(n.CDate, millis(n.TCDate, now)), mod: millis(n.MDate, millis(n.TMDate, millis(n.CDate, now)))}
	title := strings.Join(strings.Fields(c.String("title")), " ")
	switch {
	case title == "":
		rep.add(n, KindSubmission, f.Number, "submission", "it has no title")
		return p, false, nil
	case len([]rune(title)) > submission.MaxTitle:
		rep.add(n, KindSubmission, f.Number, "submission", fmt.Sprintf("its title is longer than Quire's %d characters", submission.MaxTitle))
		return p, false, nil
	}
	authors, probs := authorsOf(c, in.Profiles)
	for _, pr := range probs {
		rep.add(n, KindSubmission, f.Number, "author", pr)
	}
	if len(authors) == 0 {
		rep.add(n, KindSubmission, f.Number, "submission", "it names no authors")
		return p, false, nil
	}
	kw := account.CleanKeywords(c.Strings("keywords"))
	if len(kw) > submission.MaxKeywords {
		rep.add(n, KindSubmission, f.Number, "keywords", fmt.Sprintf("%d keywords; Quire keeps the first %d", len(kw), submission.MaxKeywords))
		kw = kw[:submission.MaxKeywords]
	}
	abstract := strings.TrimSpace(c.String("abstract"))
	if abstract == "" {
		rep.add(n, KindSubmission, f.Number, "abstract", "the submission has no abstract")
	} else if lim := rec.Settings.AbstractMaxChars; lim > 0 && len([]rune(abstract)) > lim {
		rep.add(n, KindSubmission, f.Number, "abstract", fmt.Sprintf("longer than the venue's %d characters; kept as it is", lim))
	}
	p.in = submission.Input{Title: title, Abstract: abstract, Authors: authors, Keywords: kw, Track: track}
	answers, aprobs := answersOf(rec.Settings, track, c, authors)
	for _, pr := range aprobs {
		rep.add(n, KindSubmission, f.Number, "field", pr)
	}
	p.in.Fields = answers
	if in.PDFs == nil {
		return p, true, nil
	}
	if err := s.prepareSupp(ctx, rec, &p, in.PDFs, identity(authors), current[1], rep); err != nil {
		return p, false, err
	}
	name := pdfName(in.PDFs, f)
	if name == "" {
		if c.String("pdf") != "" {
			rep.add(n, KindSubmission, f.Number, "pdf", "no file for "+c.String("pdf")+" among the PDFs given")
		}
		return p, true, nil
	}
	ck, err := checkPDF(ctx, s.Submissions, in.PDFs, name, submission.UploadRules(rec, track, false), identity(authors), current[0])
	var refused errRefused
	switch {
	case errors.As(err, &refused):
		rep.add(n, KindSubmission, f.Number, "pdf", name+" was refused by the upload check ("+refused.msg+"); the submission is imported without it")
	case err != nil:
		return p, false, err
	default:
		p.pdf = &ck
	}
	return p, true, nil
}

// currentPDFs are the files earlier imports of the venue stored, by note:
// an unchanged file is not checked again. It is a hint read before the
// transaction; the write compares the file again under the row's lock.
func (s *Service) currentPDFs(ctx context.Context, venueID int64) (map[string]string, error) {
	rows, err := orq.CurrentPDFs(ctx, s.DB, venueID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.NoteID] = r.PdfSha
	}
	return out, nil
}
