package submission

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission/submissiondb"
	"github.com/quirehq/quire/internal/venue"
)

// The anonymity hold. The PDF checker finds the authors' names, e-mails and
// affiliations on the pages, and the signs of a non-anonymous build; the
// anonymised copy removes metadata but keeps page content, so such a leak
// would reach every reviewer. Instead the files are held: reviewers see the
// paper listed as "held: anonymity check" and get none of its files until
// the authors upload a clean version or a chair decides.

// Hold is a submission's anonymity hold.
type Hold struct {
	// PDF and Supplementary say which files are held from reviewers.
	PDF, Supplementary bool
	// Action is what the chairs decided: "" (nothing yet),
	// HoldFixRequired or HoldDeskRejected.
	Action string
	FixBy  *time.Time
	Note   string
}

// What the chairs can decide about a held submission (besides releasing it,
// which ends the hold).
const (
	HoldFixRequired  = "fix_required"
	HoldDeskRejected = "desk_rejected"
)

// Active reports whether reviewers are kept from anything.
func (h Hold) Active() bool { return h.PDF || h.Supplementary || h.Action == HoldDeskRejected }

// Holding returns the findings of a check report that hold its file: those
// a reader of the reviewers' copy would see. Reports written before
// findings said so place them on a page in Where.
func Holding(r *pdfcheck.Report) []pdfcheck.Finding {
	if r == nil {
		return nil
	}
	var out []pdfcheck.Finding
	for _, f := range r.Leaks {
		if f.InText || strings.HasPrefix(f.Where, "page ") {
			out = append(out, f)
		}
	}
	return out
}

// Findings lists what holds the submission, the PDF's first; the
// supplementary material's are marked as such.
func (s Submission) Findings() []pdfcheck.Finding {
	var out []pdfcheck.Finding
	if s.Hold.PDF {
		out = append(out, Holding(s.Report)...)
	}
	if s.Hold.Supplementary {
		for _, f := range Holding(s.SuppReport) {
			f.Where = "supplementary material, " + f.Where
			out = append(out, f)
		}
	}
	return out
}

// settleHold works out the hold again after the files changed (an upload,
// a restore, a waiver): a file is held when its report has findings that
// hold it and no chair released that very file. A fix that clears the hold
// also ends the chairs' "fix required".
func (s *Service) settleHold(ctx context.Context, tx pgx.Tx, sub *Submission) error {
	waived, err := q.WaivedFiles(ctx, tx, sub.ID)
	if err != nil {
		return err
	}
	h := sub.Hold
	h.PDF = sub.PDF != nil && len(Holding(sub.Report)) > 0 && !slices.Contains(waived, sub.PDF.SHA256)
	h.Supplementary = sub.Supp != nil && len(Holding(sub.SuppReport)) > 0 && !slices.Contains(waived, sub.Supp.SHA256)
	if !h.PDF && !h.Supplementary && h.Action == HoldFixRequired {
		h.Action, h.FixBy, h.Note = "", nil, ""
	}
	sub.Hold = h
	return saveHold(ctx, tx, sub.ID, h)
}

// reportJSON is a report as stored; nil stays NULL.
func reportJSON(r *pdfcheck.Report) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	return json.Marshal(r)
}

// describeFindings is the list the authors are mailed: where, what, and
// the line as printed.
func describeFindings(fs []pdfcheck.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "- %s: %s", f.Where, f.Message)
		if f.Text != "" {
			fmt.Fprintf(&b, " (the line reads: %q)", f.Text)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// tellAuthorsHeld mails every author what holds the file just uploaded, at
// once, in the transaction that records the upload. The key names the
// file, so a retried upload of the same file is mailed once.
func (s *Service) tellAuthorsHeld(ctx context.Context, tx pgx.Tx, rec venue.Record, sub Submission, sha string) error {
	fs := sub.Findings()
	if len(fs) == 0 {
		return nil
	}
	body := fmt.Sprintf("The file you uploaded to submission #%d, \"%s\", shows who its authors are, so it is held from the "+
		"reviewers: they see the paper as \"held: anonymity check\" and cannot download it. The PDF check found:\n\n%s\n"+
		"Upload a fixed version before the submission deadline (%s); the chairs may also release the file as it is or "+
		"ask for a fix by a later date.", sub.Number, sub.Title, describeFindings(fs), venue.Describe(rec.Settings.Deadlines.Submission.At))
	return s.mailAuthors(ctx, tx, sub, "hold:"+strconv.FormatInt(sub.ID, 10)+":"+sha,
		fmt.Sprintf("Submission #%d is held: the PDF check found the authors' identity", sub.Number), body)
}

func (s *Service) mailAuthors(ctx context.Context, tx pgx.Tx, sub Submission, key, subject, body string) error {
	for _, a := range sub.Authors {
		if err := s.Mail.Queue(ctx, tx, mail.TemplateNotice, key+":"+strings.ToLower(a.Email), a.Email, mail.NoticeData{
			Name: a.Name, Subject: subject, Body: body, Link: s.Link("/submissions/"+strconv.FormatInt(sub.ID, 10), nil),
		}); err != nil {
			return err
		}
	}
	return nil
}

// holdUpload settles the hold after an upload of the file sha and, when
// the submission is now held, tells the authors what was found.
func (s *Service) holdUpload(ctx context.Context, tx pgx.Tx, rec venue.Record, sub *Submission, sha string) error {
	if err := s.settleHold(ctx, tx, sub); err != nil {
		return err
	}
	if !sub.Hold.PDF && !sub.Hold.Supplementary {
		return nil
	}
	return s.tellAuthorsHeld(ctx, tx, rec, *sub, sha)
}

var errNotHeld = problem.New(problem.ErrConflict, "not_held", "the submission is not held for anonymity")

// heldForChair locks a held submission for a chair's decision on it.
func (s *Service) heldForChair(ctx context.Context, tx pgx.Tx, id int64, p account.Principal) (Submission, venue.Record, error) {
	if _, err := q.LockSubmission(ctx, tx, id); errors.Is(err, pgx.ErrNoRows) {
		return Submission{}, venue.Record{}, errNotFound
	} else if err != nil {
		return Submission{}, venue.Record{}, err
	}
	sub, rec, a, err := s.load(ctx, tx, id, p)
	if err != nil {
		return sub, rec, err
	}
	if err := s.requireChair(a); err != nil {
		return sub, rec, err
	}
	if !sub.Hold.Active() {
		return sub, rec, errNotHeld
	}
	return sub, rec, nil
}

func saveHold(ctx context.Context, tx pgx.Tx, id int64, h Hold) error {
	return q.SetHold(ctx, tx, submissiondb.SetHoldParams{ID: id, PdfHeld: h.PDF, SuppHeld: h.Supplementary, HoldAction: h.Action,
		HoldFixBy: h.FixBy, HoldNote: h.Note})
}

var errDeskRejected = problem.New(problem.ErrConflict, "desk_rejected", "the submission was desk-rejected; change its decision first")

// holdAction runs a chair's release or fix request on a held submission
// (not a desk-rejected one) in a transaction on the locked row, and audits it.
func (s *Service) holdAction(ctx context.Context, id int64, p account.Principal, ip, action string, f func(tx pgx.Tx, sub *Submission, rec venue.Record, now time.Time) (map[string]any, error)) (Submission, error) {
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		sub, rec, err := s.heldForChair(ctx, tx, id, p)
		if err != nil {
			return err
		}
		if sub.Hold.Action == HoldDeskRejected {
			return errDeskRejected
		}
		now := s.Clock.Now()
		detail, err := f(tx, &sub, rec, now)
		if err != nil {
			return err
		}
		detail["submission"] = id
		return audit.Record(ctx, tx, audit.Entry{VenueID: &sub.VenueID, ActorID: &p.UserID, Action: "anonymity." + action,
			Subject: "#" + itoa(sub.Number), Detail: detail, IP: ip, At: now})
	})
	if err != nil {
		return Submission{}, err
	}
	return s.Get(ctx, id, p)
}

func requireReason(reason, why string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", problem.Invalid(why, problem.FieldError{Field: "reason", Message: "required"})
	}
	return reason, nil
}

// ReleaseHold releases the held files as they are (chairs): a waiver with
// a reason, kept and audited. It covers these files only; a later upload
// is checked and held afresh.
func (s *Service) ReleaseHold(ctx context.Context, id int64, p account.Principal, reason, ip string) (Submission, error) {
	reason, err := requireReason(reason, "say why the files may reach the reviewers as they are")
	if err != nil {
		return Submission{}, err
	}
	return s.holdAction(ctx, id, p, ip, "release", func(tx pgx.Tx, sub *Submission, _ venue.Record, now time.Time) (map[string]any, error) {
		var pdfSHA, suppSHA *string
		if sub.Hold.PDF {
			pdfSHA = &sub.PDF.SHA256
		}
		if sub.Hold.Supplementary {
			suppSHA = &sub.Supp.SHA256
		}
		found := len(sub.Findings())
		if err := q.InsertWaiver(ctx, tx, submissiondb.InsertWaiverParams{SubmissionID: sub.ID, PdfSha: pdfSHA, SuppSha: suppSHA,
			WaivedBy: p.UserID, WaivedAt: now, Reason: reason}); err != nil {
			return nil, err
		}
		sub.Hold.Action, sub.Hold.FixBy, sub.Hold.Note = "", nil, ""
		if err := s.settleHold(ctx, tx, sub); err != nil {
			return nil, err
		}
		return map[string]any{"reason": reason, "findings": found, "pdf": deref(pdfSHA), "supplementary": deref(suppSHA)}, nil
	})
}

// RequireFix asks the authors for a clean file by a date (chairs). When
// that is after the submission deadline, the submission gets an extension
// of its upload deadline to then, through the venue's extension rules.
func (s *Service) RequireFix(ctx context.Context, id int64, p account.Principal, until, note, ip string) (Submission, error) {
	at, err := venue.ParseInstant(until)
	if err != nil {
		return Submission{}, problem.Invalid(err.Error(), problem.FieldError{Field: "until", Message: err.Error()})
	}
	return s.holdAction(ctx, id, p, ip, "require_fix", func(tx pgx.Tx, sub *Submission, rec venue.Record, now time.Time) (map[string]any, error) {
		if !at.After(now) {
			return nil, problem.Invalid("the fix must be due in the future", problem.FieldError{Field: "until", Message: "is in the past"})
		}
		extended := false
		if at.After(rec.Settings.Deadlines.Submission.At) {
			if err := s.Venues.Extend(ctx, tx, rec.ID, venue.Extension{Action: venue.ActionSubmit, Submission: itoa(sub.Number), Until: at,
				GrantedBy: strconv.FormatInt(p.UserID, 10), Reason: "anonymity fix", GrantedAt: now}); err != nil {
				return nil, err
			}
			extended = true
		}
		sub.Hold.Action, sub.Hold.FixBy, sub.Hold.Note = HoldFixRequired, &at, strings.TrimSpace(note)
		if err := saveHold(ctx, tx, sub.ID, sub.Hold); err != nil {
			return nil, err
		}
		body := fmt.Sprintf("The chairs ask you to upload an anonymous version of submission #%d, \"%s\", by %s. Until then "+
			"the reviewers cannot read it. The PDF check found:\n\n%s", sub.Number, sub.Title, venue.Describe(at), describeFindings(sub.Findings()))
		if sub.Hold.Note != "" {
			body += "\nThe chairs add: " + sub.Hold.Note
		}
		if err := s.mailAuthors(ctx, tx, *sub, "holdfix:"+strconv.FormatInt(sub.ID, 10)+":"+at.Format(time.RFC3339),
			fmt.Sprintf("Submission #%d: an anonymous version is needed by %s", sub.Number, venue.FormatAoE(at)), body); err != nil {
			return nil, err
		}
		return map[string]any{"until": at, "note": sub.Hold.Note, "extension": extended}, nil
	})
}

// MarkDeskRejected records, in the transaction that records the decision,
// that a held submission was desk-rejected for its anonymity; it stays
// held from its reviewers. Package decision calls it.
func (s *Service) MarkDeskRejected(ctx context.Context, tx pgx.Tx, id int64, p account.Principal, reason string) error {
	sub, _, err := s.heldForChair(ctx, tx, id, p)
	if err != nil {
		return err
	}
	h := sub.Hold
	h.Action, h.FixBy, h.Note = HoldDeskRejected, nil, reason
	return saveHold(ctx, tx, id, h)
}

// HoldWaiver is a release of held files, as chairs see it.
type HoldWaiver struct {
	PDFSHA, SuppSHA string
	By              int64
	ByName          string
	At              time.Time
	Reason          string
}

// HoldWaivers lists every release of a submission's files (chairs).
func (s *Service) HoldWaivers(ctx context.Context, id int64, p account.Principal) ([]HoldWaiver, error) {
	_, _, a, err := s.load(ctx, s.DB, id, p)
	if err != nil {
		return nil, err
	}
	if err := s.requireChair(a); err != nil {
		return nil, err
	}
	rows, err := q.ListWaivers(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	out := make([]HoldWaiver, 0, len(rows))
	for _, r := range rows {
		out = append(out, HoldWaiver{PDFSHA: deref(r.PdfSha), SuppSHA: deref(r.SuppSha), By: r.WaivedBy, ByName: r.WaivedByName, At: r.WaivedAt, Reason: r.Reason})
	}
	return out, nil
}

// ListHeld is the chairs' list of held submissions, with their findings.
// Submissions the chair may not see (an author's own, a conflict) are left
// out: another chair decides those.
func (s *Service) ListHeld(ctx context.Context, slug string, p account.Principal) ([]Submission, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, err
	}
	if err := s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleChair); err != nil {
		return nil, err
	}
	rows, err := q.ListHeld(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	// The same rule as the venue's list: nothing of a paper the chair is
	// conflicted with or wrote.
	hidden, err := s.Access.Matching.HiddenFrom(ctx, s.DB, rec, p.UserID)
	if err != nil {
		return nil, err
	}
	out, ids := []Submission{}, []int64{}
	for _, r := range rows {
		if !hidden[r.Submission.ID] {
			out = append(out, fromRow(r.Submission, r.VenueSlug, nil))
			ids = append(ids, r.Submission.ID)
		}
	}
	return out, s.attachAuthors(ctx, out, ids)
}
