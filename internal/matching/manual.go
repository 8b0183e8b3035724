package matching

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/affinity"
	"github.com/quirehq/quire/internal/assignment"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/matching/matchingdb"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// Change is one manual assignment or unassignment, by paper number and
// reviewer email (the form of HotCRP's bulk assignment CSV).
type Change struct {
	Number int
	Email  string
	Assign bool // false: remove
}

// Apply makes manual changes, all or nothing, with the same conflict checks
// as the automatic assignment.
func (s *Service) Apply(ctx context.Context, slug string, p account.Principal, changes []Change, source, ip string) error {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		st, err := s.load(ctx, tx, rec)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		var fields []problem.FieldError
		for i, c := range changes {
			where := "line " + strconv.Itoa(i+1)
			paper, err := st.paperByNumber(c.Number)
			if err != nil {
				fields = append(fields, problem.FieldError{Field: where, Message: err.Error()})
				continue
			}
			rev, err := st.reviewerByEmail(c.Email)
			if err != nil {
				fields = append(fields, problem.FieldError{Field: where, Message: c.Email + " is not a reviewer of this venue"})
				continue
			}
			if !c.Assign {
				if _, err := q.Unassign(ctx, tx, matchingdb.UnassignParams{SubmissionID: paper.ID, UserID: rev.ID}); err != nil {
					return err
				}
				continue
			}
			if err := st.checkPair(paper.ID, rev.ID); err != nil {
				fields = append(fields, problem.FieldError{Field: where, Message: err.Error()})
				continue
			}
			if err := q.Assign(ctx, tx, matchingdb.AssignParams{SubmissionID: paper.ID, UserID: rev.ID, Source: source, AssignedBy: p.UserID, AssignedAt: now}); err != nil {
				return err
			}
		}
		if len(fields) > 0 {
			e := problem.Invalid("nothing was changed: "+strconv.Itoa(len(fields))+" change(s) cannot be made", fields...)
			if len(fields) == 1 && strings.Contains(fields[0].Message, "conflict of interest") {
				e.Kind, e.Code = problem.ErrConflict, "conflict_of_interest"
			}
			return e
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "assignment." + source, Subject: strconv.Itoa(len(changes)) + " change(s)",
			Detail: map[string]any{"changes": changes}, IP: ip, At: now})
	})
}

// ParseCSV reads HotCRP-style bulk assignment lines: paper,action,email with
// action "review" (or "primary"/"secondary") to assign and "clearreview" to
// remove; a header row is skipped.
func ParseCSV(r io.Reader) ([]Change, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var out []Change
	var fields []problem.FieldError
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		where := "line " + strconv.Itoa(line)
		if err != nil {
			return nil, problem.Invalid("not valid CSV: "+err.Error(), problem.FieldError{Field: where, Message: err.Error()})
		}
		if line == 1 && len(rec) > 0 && strings.EqualFold(strings.TrimSpace(rec[0]), "paper") {
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 3 {
			fields = append(fields, problem.FieldError{Field: where, Message: "needs 3 columns: paper, action, email"})
			continue
		}
		n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(rec[0]), "#"))
		if err != nil || n < 1 {
			fields = append(fields, problem.FieldError{Field: where, Message: fmt.Sprintf("%q is not a paper number", rec[0])})
			continue
		}
		c := Change{Number: n, Email: strings.TrimSpace(rec[2])}
		switch strings.ToLower(strings.TrimSpace(rec[1])) {
		case "review", "primary", "secondary", "pcreview", "assign":
			c.Assign = true
		case "clearreview", "unassign", "clear":
		default:
			fields = append(fields, problem.FieldError{Field: where, Message: fmt.Sprintf("action %q is not review or clearreview", rec[1])})
			continue
		}
		out = append(out, c)
	}
	if len(fields) > 0 {
		return nil, problem.Invalid("nothing was changed: the CSV has "+strconv.Itoa(len(fields))+" bad line(s)", fields...)
	}
	return out, nil
}

// ExportCSV writes the venue's assignments in the form ParseCSV reads,
// with the assignments whose reviewer has since become conflicted with the
// paper marked: they are kept so the chairs see what happened, grant the
// reviewer nothing, and need replacing.
func (s *Service) ExportCSV(ctx context.Context, slug string, p account.Principal, w io.Writer) error {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return err
	}
	hidden, err := st.hiddenFrom(ctx, s.DB, p.UserID)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"paper", "action", "email", "name", "source", "declined", "conflicted"})
	for _, a := range st.assigned {
		x, ok := st.paperByID[a.SubmissionID]
		r, rok := st.revByID[a.UserID]
		if !ok || !rok || hidden[a.SubmissionID] {
			continue
		}
		_ = cw.Write([]string{strconv.Itoa(int(x.Number)), "review", r.Email, r.Name, a.Source, strconv.FormatBool(a.DeclinedAt != nil),
			strconv.FormatBool(st.conflicted(a.SubmissionID, a.UserID))})
	}
	cw.Flush()
	return cw.Error()
}

// Assignment is a reviewer's assigned paper, anonymised.
type Assignment struct {
	SubmissionID int64
	Number       int
	Title        string
	Abstract     string
	Keywords     []string
	Track        string
	Declined     bool
	// Held is the anonymity hold: the reviewer gets none of the files
	// and learns nothing else about it.
	Held bool
	// Due is an emergency assignment's own deadline; nil means the venue's.
	Due *time.Time
}

// Mine lists the caller's assignments in a venue, without the authors. A
// paper the reviewer has a conflict of interest with is not theirs to see,
// even if the conflict came after the assignment (the chairs see that
// assignment flagged, to replace it).
func (s *Service) Mine(ctx context.Context, slug string, p account.Principal) ([]Assignment, error) {
	rec, err := s.reviewerVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return nil, err
	}
	rows, err := q.AssignmentsOf(ctx, s.DB, matchingdb.AssignmentsOfParams{UserID: p.UserID, VenueID: rec.ID})
	if err != nil {
		return nil, err
	}
	out := []Assignment{}
	for _, r := range rows {
		if st.conflicted(r.SubmissionID, p.UserID) { // reviewerVenue: p is in the pool
			continue
		}
		kw := r.Keywords
		if kw == nil {
			kw = []string{}
		}
		out = append(out, Assignment{SubmissionID: r.SubmissionID, Number: int(r.Number), Title: r.Title, Abstract: r.Abstract, Keywords: kw, Track: r.Track, Declined: r.DeclinedAt != nil, Held: r.Held, Due: r.DueAt})
	}
	return out, nil
}

// MyProgress is how many papers a reviewer has in a venue (declined,
// withdrawn and conflicted ones left out, as Mine leaves them out) and how
// many of their reviews are submitted.
func (s *Service) MyProgress(ctx context.Context, slug string, p account.Principal) (assigned, submitted int, err error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return 0, 0, err
	}
	return s.ProgressIn(ctx, rec, p)
}

// ProgressIn is MyProgress for a venue the caller has loaded already (the
// home page lists every venue of a person). Like the rest of it, the
// reviewer's role and verified address are checked once per data version
// of the venue: a change to either bumps it.
func (s *Service) ProgressIn(ctx context.Context, rec venue.Record, p account.Principal) (assigned, submitted int, err error) {
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return 0, 0, err
	}
	type progress struct{ assigned, submitted int }
	type key struct{ user int64 }
	v, err := st.derived.remember(key{p.UserID}, func() (any, error) {
		var pr progress
		if err := s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleReviewer); err != nil {
			return pr, err
		}
		if err := s.Accounts.RequireVerified(ctx, p.UserID); err != nil {
			return pr, err
		}
		rows, err := q.MyReviews(ctx, s.DB, matchingdb.MyReviewsParams{VenueID: rec.ID, UserID: p.UserID})
		if err != nil {
			return pr, err
		}
		for _, r := range rows {
			if st.conflicted(r.SubmissionID, p.UserID) { // a reviewer: in the pool
				continue
			}
			pr.assigned++
			if r.Submitted {
				pr.submitted++
			}
		}
		return pr, nil
	})
	if err != nil {
		return 0, 0, err
	}
	pr := v.(progress)
	return pr.assigned, pr.submitted, nil
}

// Decline lets a reviewer turn an assignment down with a reason; the chairs
// are told by mail.
func (s *Service) Decline(ctx context.Context, slug string, p account.Principal, submissionID int64, reason, ip string) error {
	rec, err := s.reviewerVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return problem.Invalid("tell the chairs why", problem.FieldError{Field: "reason", Message: "required"})
	}
	me, _, err := s.Accounts.Get(ctx, p.UserID)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		now := s.Clock.Now()
		n, err := q.Decline(ctx, tx, matchingdb.DeclineParams{SubmissionID: submissionID, UserID: p.UserID, DeclinedAt: &now, DeclineReason: reason})
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoSuchPaper
		}
		var number int32
		if err := tx.QueryRow(ctx, "SELECT number FROM submissions WHERE id = $1", submissionID).Scan(&number); err != nil {
			return err
		}
		chairs, err := tx.Query(ctx, `SELECT u.email, u.name FROM venue_roles r JOIN users u ON u.id = r.user_id WHERE r.venue_id = $1 AND r.role = 'chair'`, rec.ID)
		if err != nil {
			return err
		}
		type person struct{ email, name string }
		var to []person
		for chairs.Next() {
			var c person
			if err := chairs.Scan(&c.email, &c.name); err != nil {
				return err
			}
			to = append(to, c)
		}
		if err := chairs.Err(); err != nil {
			return err
		}
		for _, c := range to {
			if err := s.Mail.Queue(ctx, tx, mail.TemplateNotice, fmt.Sprintf("decline:%d:%d:%s", submissionID, p.UserID, c.email), c.email, mail.NoticeData{
				Name:    c.name,
				Subject: fmt.Sprintf("%s declined to review #%d", me.Name, number),
				Body:    fmt.Sprintf("%s declined the assignment of submission #%d at %s. Their reason: %s", me.Name, number, rec.Name, reason),
				Link:    s.Link("/venues/"+rec.Slug+"/assignments", nil),
			}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "assignment.decline", Subject: fmt.Sprintf("#%d", number),
			Detail: map[string]any{"reason": reason}, IP: ip, At: now})
	})
}

// Problem exports the venue's current assignment problem (with default
// weights) in the solver's form, with the ids behind its indices, for
// `quire assign export`.
func (s *Service) Problem(ctx context.Context, slug string) (*assignment.Problem, []int, []string, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return nil, nil, nil, err
	}
	p := Params{}
	p.defaults()
	b := st.build(p)
	numbers := make([]int, len(b.papers))
	for i, x := range b.papers {
		numbers[i] = int(x.Number)
	}
	emails := make([]string, len(b.reviewers))
	for i, r := range b.reviewers {
		emails[i] = r.Email
	}
	return b.problem, numbers, emails, nil
}

// ImportAffinity replaces the venue's uploaded scores with a CSV of
// submission number, reviewer email and score (any scale: scores are
// rescaled to [0,1] by the file's own minimum and maximum).
func (s *Service) ImportAffinity(ctx context.Context, slug string, p account.Principal, r io.Reader, ip string) (int, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return 0, err
	}
	rows, err := affinity.ParseExternalCSV(r)
	if err != nil {
		return 0, problem.Invalid(err.Error(), problem.FieldError{Field: "body", Message: err.Error()})
	}
	lo, hi := 0.0, 0.0
	for i, e := range rows {
		if i == 0 || e.Score < lo {
			lo = e.Score
		}
		if i == 0 || e.Score > hi {
			hi = e.Score
		}
	}
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		st, err := s.load(ctx, tx, rec)
		if err != nil {
			return err
		}
		if err := q.ClearExternalAffinity(ctx, tx, rec.ID); err != nil {
			return err
		}
		var fields []problem.FieldError
		for i, e := range rows {
			n, err := strconv.Atoi(strings.TrimPrefix(e.Submission, "#"))
			paper, perr := st.paperByNumber(n)
			rev, rerr := st.reviewerByEmail(e.ReviewerEmail)
			if err != nil || perr != nil || rerr != nil {
				fields = append(fields, problem.FieldError{Field: "line " + strconv.Itoa(i+1), Message: "unknown submission or reviewer: " + e.Submission + ", " + e.ReviewerEmail})
				continue
			}
			score := 1.0
			if hi > lo {
				score = (e.Score - lo) / (hi - lo)
			}
			if err := q.AddExternalAffinity(ctx, tx, matchingdb.AddExternalAffinityParams{SubmissionID: paper.ID, UserID: rev.ID, Score: score}); err != nil {
				return err
			}
		}
		if len(fields) > 0 {
			return problem.Invalid("nothing was imported: "+strconv.Itoa(len(fields))+" line(s) name unknown submissions or reviewers", fields...)
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "affinity.import", Subject: strconv.Itoa(len(rows)) + " scores", IP: ip, At: s.Clock.Now()})
	})
	return len(rows), err
}
