// Package submission is the authors' side of a venue: creating a submission,
// uploading and revising its PDF until the deadline, supplementary material,
// withdrawal, and the revision history that keeps everything. An upload is
// checked in a sandbox before it counts; a refused one changes nothing.
package submission

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/idempotency"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission/submissiondb"
	"github.com/quirehq/quire/internal/venue"
)

var q = submissiondb.New()

// Limits on metadata, beyond the venue's own abstract limit.
const (
	MaxTitle    = 300
	MaxAuthors  = 50
	MaxKeywords = 20
)

// Author is one entry of the ordered author list.
type Author struct {
	Name        string `json:"name"`
	Email       string `json:"email"`
	Affiliation string `json:"affiliation"`
}

// File is a stored file's reference.
type File struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Submission is a submission's current state.
type Submission struct {
	ID          int64
	VenueID     int64
	Venue       string
	Number      int
	Track       string
	Title       string
	Abstract    string
	Keywords    []string
	Authors     []Author
	CreatedAt   time.Time
	UpdatedAt   time.Time
	WithdrawnAt *time.Time
	Revision    int
	PDF         *File
	AnonSHA     string
	Report      *pdfcheck.Report
	Verdict     string
	BodyPages   int
	LeakCount   int
	Late        bool
	Supp        *File
	SuppAnonSHA string
	SuppType    string
	// SuppReport is the check of the supplementary material: the PDF
	// checker's for a PDF, the archive scan's for a ZIP.
	SuppReport *pdfcheck.Report
	Waiver     *Waiver
	Hold       Hold
	Fields     Answers // the venue's own fields (fields.go)
}

// Waiver records a chair lifting the page check for one submission.
type Waiver struct {
	By     int64
	At     time.Time
	Reason string
}

// Status is "withdrawn", "incomplete" (no accepted PDF yet) or "submitted".
func (s Submission) Status() string {
	switch {
	case s.WithdrawnAt != nil:
		return "withdrawn"
	case s.PDF == nil:
		return "incomplete"
	}
	return "submitted"
}

// Checker is the sandboxed PDF check; pdfcheck.Checker in production.
type Checker interface {
	Check(ctx context.Context, path string, rules pdfcheck.Rules, id pdfcheck.Identity, anonOut string) (pdfcheck.Report, error)
	CheckZip(ctx context.Context, path string, id pdfcheck.Identity, maxBytes int64, workDir, anonOut string) (pdfcheck.Report, error)
	RenderThumbnails(ctx context.Context, pdfPath, outDir string, maxPages, width int) ([]string, error)
}

// Service is the submission domain.
type Service struct {
	DB       *pgxpool.Pool
	Clock    clock.Clock
	Venues   *venue.Store
	Accounts *account.Service
	Blobs    blob.Files
	Checker  Checker
	Access   *access.Resolver
	Mail     account.Mailer
	Link     func(path string, query map[string]string) string
	Log      *slog.Logger

	// thumbs draws page thumbnails after the acknowledgement (thumbs.go).
	thumbs thumbWork
}

func fromRow(r submissiondb.Submission, slug string, authors []submissiondb.SubmissionAuthor) Submission {
	s := Submission{ID: r.ID, VenueID: r.VenueID, Venue: slug, Number: int(r.Number), Track: r.Track, Title: r.Title, Abstract: r.Abstract,
		Keywords: r.Keywords, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, WithdrawnAt: r.WithdrawnAt, Revision: int(r.Revision),
		Verdict: r.Verdict, BodyPages: int(r.BodyPages), LeakCount: int(r.LeakCount), Late: r.Late, SuppType: r.SuppType, Authors: []Author{}, Fields: Answers{}}
	if s.Keywords == nil {
		s.Keywords = []string{}
	}
	if r.PdfSha != nil {
		s.PDF = &File{SHA256: *r.PdfSha, Size: deref(r.PdfSize)}
		s.AnonSHA = deref(r.AnonSha)
	}
	if len(r.Report) > 0 {
		var rep pdfcheck.Report
		if json.Unmarshal(r.Report, &rep) == nil {
			s.Report = &rep
		}
	}
	if r.SuppSha != nil {
		s.Supp = &File{SHA256: *r.SuppSha, Size: deref(r.SuppSize)}
		s.SuppAnonSHA = deref(r.SuppAnonSha)
	}
	if len(r.SuppReport) > 0 {
		var rep pdfcheck.Report
		if json.Unmarshal(r.SuppReport, &rep) == nil {
			s.SuppReport = &rep
		}
	}
	if r.WaivedAt != nil {
		s.Waiver = &Waiver{By: deref(r.WaivedBy), At: *r.WaivedAt, Reason: r.WaiveReason}
	}
	s.Hold = Hold{PDF: r.PdfHeld, Supplementary: r.SuppHeld, Action: r.HoldAction, FixBy: r.HoldFixBy, Note: r.HoldNote}
	for _, a := range authors {
		s.Authors = append(s.Authors, Author{Name: a.Name, Email: a.Email, Affiliation: a.Affiliation})
	}
	return s
}

func deref[T any](p *T) T {
	var z T
	if p == nil {
		return z
	}
	return *p
}

// Input is what authors give for a new submission or an edit.
type Input struct {
	Title       string
	Abstract    string
	Authors     []Author
	Keywords    []string
	Track       string
	Declaration bool
	// Fields are the answers to the venue's own fields, as JSON decodes
	// them; nil in an edit keeps the answers stored.
	Fields map[string]any
}

// validate checks metadata against the venue's rules and returns every
// problem at once, by field.
func validate(in *Input, set *venue.Settings, submitterEmail string) error {
	var f []problem.FieldError
	add := func(field, msg string) { f = append(f, problem.FieldError{Field: field, Message: msg}) }
	in.Title = strings.Join(strings.Fields(in.Title), " ")
	in.Abstract = strings.TrimSpace(in.Abstract)
	if in.Title == "" {
		add("title", "must not be empty")
	} else if utf8.RuneCountInString(in.Title) > MaxTitle {
		add("title", fmt.Sprintf("must be at most %d characters", MaxTitle))
	}
	limit := set.AbstractMaxChars
	if in.Abstract == "" {
		add("abstract", "must not be empty")
	} else if limit > 0 && utf8.RuneCountInString(in.Abstract) > limit {
		add("abstract", fmt.Sprintf("is %d characters; this venue allows %d", utf8.RuneCountInString(in.Abstract), limit))
	}
	if _, ok := set.Track(in.Track); !ok {
		keys := make([]string, 0, len(set.Tracks))
		for _, t := range set.Tracks {
			keys = append(keys, t.Key)
		}
		add("track", "must be one of: "+strings.Join(keys, ", "))
	}
	if !in.Declaration {
		add("declaration", "confirm that the submission is anonymised and follows the venue's rules")
	}
	if len(in.Authors) == 0 || len(in.Authors) > MaxAuthors {
		add("authors", fmt.Sprintf("list 1 to %d authors", MaxAuthors))
	}
	seen := map[string]bool{}
	onList := false
	for i, a := range in.Authors {
		a.Name = strings.Join(strings.Fields(a.Name), " ")
		a.Affiliation = strings.TrimSpace(a.Affiliation)
		e, err := account.NormalizeEmail(a.Email)
		if err != nil {
			add("authors["+strconv.Itoa(i)+"].email", "must be an email address")
		}
		a.Email = e
		if a.Name == "" {
			add("authors["+strconv.Itoa(i)+"].name", "must not be empty")
		}
		if seen[strings.ToLower(e)] {
			add("authors["+strconv.Itoa(i)+"].email", "is listed twice")
		}
		seen[strings.ToLower(e)] = true
		if strings.EqualFold(e, submitterEmail) {
			onList = true
		}
		in.Authors[i] = a
	}
	if len(in.Authors) > 0 && !onList && submitterEmail != "" {
		add("authors", "you must be on the author list (with "+submitterEmail+")")
	}
	checkAnswers(in, set, add)
	in.Keywords = account.CleanKeywords(in.Keywords)
	if len(in.Keywords) > MaxKeywords {
		add("keywords", fmt.Sprintf("at most %d", MaxKeywords))
	}
	if len(f) > 0 {
		return problem.Invalid("the submission has "+strconv.Itoa(len(f))+" problem(s); the first: "+f[0].Field+" "+f[0].Message, f...)
	}
	return nil
}

var errNotFound = access.ErrNotFound

// role is what the caller may do with a submission: act as one of its
// authors, or as a chair (not one who is an author or conflicted), and the
// policy view that decides what they see.
type role struct {
	author, chair bool
	view          access.View
}

// load reads a submission and the caller's relation to it. Someone who may
// not see it gets "not found", never "forbidden": the existence of a paper
// is itself not public.
func (s *Service) load(ctx context.Context, db submissiondb.DBTX, id int64, p account.Principal) (Submission, venue.Record, role, error) {
	v, err := s.Access.Of(ctx, db, id, p.UserID)
	if err != nil {
		return Submission{}, venue.Record{}, role{}, err
	}
	a := role{author: v.Relation.Author, chair: v.Relation.Chair && !v.Relation.Author && !v.Relation.Conflicted, view: v}
	row, err := q.GetSubmission(ctx, db, id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Submission{}, venue.Record{}, a, errNotFound
	}
	if err != nil {
		return Submission{}, venue.Record{}, a, err
	}
	authors, err := q.ListAuthors(ctx, db, id)
	if err != nil {
		return Submission{}, venue.Record{}, a, err
	}
	sub := fromRow(row.Submission, row.VenueSlug, authors)
	if sub.Fields, err = readAnswers(ctx, db, id); err != nil {
		return Submission{}, venue.Record{}, a, err
	}
	return sub, v.Venue, a, nil
}

// Get returns a submission to anyone who may see it; what of it they may
// see is for the caller to filter with the View.
func (s *Service) Get(ctx context.Context, id int64, p account.Principal) (Submission, error) {
	sub, _, _, err := s.load(ctx, s.DB, id, p)
	return sub, err
}

// GetWithView is Get and Viewer from one read, for a page that decides by
// the caller's relation what to show of the submission.
func (s *Service) GetWithView(ctx context.Context, id int64, p account.Principal) (Submission, access.View, error) {
	sub, _, a, err := s.load(ctx, s.DB, id, p)
	return sub, a.view, err
}

// Viewer is the caller's policy view of a submission: load's view, without
// reading the submission, its authors and its answers (every answer about
// a submission asks for it, the upload's too).
func (s *Service) Viewer(ctx context.Context, id int64, p account.Principal) (access.View, error) {
	v, err := s.Access.Of(ctx, s.DB, id, p.UserID)
	if err != nil {
		return access.View{}, err
	}
	return v, nil
}

func (s *Service) gate(ctx context.Context, db submissiondb.DBTX, rec venue.Record, number int, received time.Time) (venue.GateResult, error) {
	subject := venue.Subject{}
	if number > 0 {
		subject.Submission = strconv.Itoa(number)
	}
	return s.Venues.Check(ctx, db, rec, venue.ActionSubmit, subject, received)
}

// Create starts a submission. The caller must have a verified account and be
// on the author list; co-authors are told by mail.
func (s *Service) Create(ctx context.Context, slug string, p account.Principal, in Input) (Submission, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return Submission{}, err
	}
	if err := s.Accounts.RequireVerified(ctx, p.UserID); err != nil {
		return Submission{}, err
	}
	me, _, err := s.Accounts.Get(ctx, p.UserID)
	if err != nil {
		return Submission{}, err
	}
	now := s.Clock.Now()
	if _, err := s.gate(ctx, s.DB, rec, 0, now); err != nil {
		return Submission{}, err
	}
	if err := validate(&in, rec.Settings, me.Email); err != nil {
		return Submission{}, err
	}
	var id int64
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		// A request whose Idempotency-Key a retry took over creates nothing.
		if err := idempotency.Hold(ctx, tx, now); err != nil {
			return err
		}
		n, err := q.NextNumber(ctx, tx, rec.ID)
		if err != nil {
			return err
		}
		row, err := q.InsertSubmission(ctx, tx, submissiondb.InsertSubmissionParams{VenueID: rec.ID, Number: n, Track: in.Track, Title: in.Title,
			Abstract: in.Abstract, Keywords: in.Keywords, DeclarationAt: now, CreatedBy: p.UserID})
		if err != nil {
			return err
		}
		id = row.ID
		if err := insertAuthors(ctx, tx, id, in.Authors); err != nil {
			return err
		}
		if err := storeAnswers(ctx, tx, id, in.Fields, now); err != nil {
			return err
		}
		if err := s.joinPool(ctx, tx, rec, in.Fields, p.UserID); err != nil {
			return err
		}
		sub := fromRow(row, rec.Slug, nil)
		sub.Authors = in.Authors
		if err := s.revise(ctx, tx, sub, "created", p.UserID, now, false); err != nil {
			return err
		}
		for _, a := range in.Authors {
			if strings.EqualFold(a.Email, me.Email) {
				continue
			}
			if err := s.Mail.Queue(ctx, tx, mail.TemplateNotice, "coauthor:"+strconv.FormatInt(id, 10)+":"+strings.ToLower(a.Email), a.Email, mail.NoticeData{
				Name:    a.Name,
				Subject: fmt.Sprintf("You are an author of submission #%d to %s", n, rec.Name),
				Body: fmt.Sprintf("%s listed you as an author of \"%s\", submission #%d to %s. Sign in with this email address "+
					"(or create an account with it) to see and edit the submission.", me.Name, in.Title, n, rec.Name),
				Link: s.Link("/submissions/"+strconv.FormatInt(id, 10), nil),
			}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Submission{}, err
	}
	return s.Get(ctx, id, p)
}

func insertAuthors(ctx context.Context, tx pgx.Tx, id int64, authors []Author) error {
	if err := q.DeleteAuthors(ctx, tx, id); err != nil {
		return err
	}
	for i, a := range authors {
		if err := q.InsertAuthor(ctx, tx, submissiondb.InsertAuthorParams{SubmissionID: id, Position: int32(i), Name: a.Name, Email: a.Email, Affiliation: a.Affiliation}); err != nil {
			return err
		}
	}
	return nil
}

var errWithdrawn = problem.New(problem.ErrConflict, "submission_withdrawn", "the submission is withdrawn; ask the chairs to reinstate it first")

// Update changes the metadata before the deadline. Authors only: chairs
// restore revisions instead of editing authors' words.
func (s *Service) Update(ctx context.Context, id int64, p account.Principal, in Input) (Submission, error) {
	me, _, err := s.Accounts.Get(ctx, p.UserID)
	if err != nil {
		return Submission{}, err
	}
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		sub, rec, a, err := s.load(ctx, tx, id, p)
		if err != nil {
			return err
		}
		if !a.author {
			return problem.New(problem.ErrForbidden, "not_author", "only the authors edit a submission")
		}
		if _, err := q.LockSubmission(ctx, tx, id); err != nil {
			return err
		}
		if sub.WithdrawnAt != nil {
			return errWithdrawn
		}
		now := s.Clock.Now()
		res, err := s.gate(ctx, tx, rec, sub.Number, now)
		if err != nil {
			return err
		}
		if in.Fields == nil {
			in.Fields = sub.Fields
		}
		if err := validate(&in, rec.Settings, me.Email); err != nil {
			return err
		}
		sub.Track, sub.Title, sub.Abstract, sub.Keywords, sub.Authors = in.Track, in.Title, in.Abstract, in.Keywords, in.Authors
		sub.Revision++
		if err := q.UpdateMetadata(ctx, tx, submissiondb.UpdateMetadataParams{ID: id, Track: in.Track, Title: in.Title, Abstract: in.Abstract,
			Keywords: in.Keywords, UpdatedAt: now, Revision: int32(sub.Revision)}); err != nil {
			return err
		}
		if err := insertAuthors(ctx, tx, id, in.Authors); err != nil {
			return err
		}
		if err := storeAnswers(ctx, tx, id, in.Fields, now); err != nil {
			return err
		}
		if err := s.joinPool(ctx, tx, rec, in.Fields, p.UserID); err != nil {
			return err
		}
		return s.revise(ctx, tx, sub, "metadata", p.UserID, now, res.Late)
	})
	if err != nil {
		return Submission{}, err
	}
	return s.Get(ctx, id, p)
}

// ListMine returns the caller's own submissions in every venue.
func (s *Service) ListMine(ctx context.Context, p account.Principal) ([]Submission, error) {
	rows, err := q.ListForAuthor(ctx, s.DB, p.UserID)
	if err != nil {
		return nil, err
	}
	out := make([]Submission, 0, len(rows))
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.Submission.ID)
		out = append(out, fromRow(r.Submission, r.VenueSlug, nil))
	}
	if err := s.attachAnswers(ctx, out, ids); err != nil {
		return nil, err
	}
	return out, s.attachAuthors(ctx, out, ids)
}

func (s *Service) attachAuthors(ctx context.Context, subs []Submission, ids []int64) error {
	authors, err := q.AuthorsOf(ctx, s.DB, ids)
	if err != nil {
		return err
	}
	byID := map[int64][]Author{}
	for _, a := range authors {
		byID[a.SubmissionID] = append(byID[a.SubmissionID], Author{Name: a.Name, Email: a.Email, Affiliation: a.Affiliation})
	}
	for i := range subs {
		if a := byID[subs[i].ID]; a != nil {
			subs[i].Authors = a
		}
	}
	return nil
}

// Filter narrows a chair's list.
type Filter struct {
	Track, Status, Verdict string
	Leaks                  *bool
}

// ListVenue returns a venue's submissions to its chairs.
func (s *Service) ListVenue(ctx context.Context, slug string, p account.Principal, f Filter) ([]Submission, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, err
	}
	if err := s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleChair); err != nil {
		return nil, err
	}
	rows, err := q.ListForVenue(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	// A chair sees nothing of the submissions they are conflicted with, and
	// their own only as an author (in their own list).
	hidden, err := s.Access.Matching.HiddenFrom(ctx, s.DB, rec, p.UserID)
	if err != nil {
		return nil, err
	}
	out := []Submission{}
	ids := []int64{}
	for _, r := range rows {
		if hidden[r.Submission.ID] {
			continue
		}
		sub := fromRow(r.Submission, r.VenueSlug, nil)
		if (f.Track != "" && sub.Track != f.Track) || (f.Status != "" && sub.Status() != f.Status) ||
			(f.Verdict != "" && sub.Verdict != f.Verdict) || (f.Leaks != nil && (sub.LeakCount > 0) != *f.Leaks) {
			continue
		}
		out = append(out, sub)
		ids = append(ids, sub.ID)
	}
	if err := s.attachAnswers(ctx, out, ids); err != nil {
		return nil, err
	}
	return out, s.attachAuthors(ctx, out, ids)
}

// AuthorOf returns the venue of a submission the caller is an author of.
func (s *Service) AuthorOf(ctx context.Context, id int64, p account.Principal) (venue.Record, error) {
	_, rec, a, err := s.load(ctx, s.DB, id, p)
	if err != nil {
		return rec, err
	}
	if !a.author {
		return rec, problem.New(problem.ErrForbidden, "not_author", "only the authors declare the submission's conflicts")
	}
	return rec, nil
}
