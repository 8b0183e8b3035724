package openreview

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/openreview/openreviewdb"
	"github.com/quirehq/quire/internal/personaldata"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/submission/submissiondb"
	"github.com/quirehq/quire/internal/venue"
)

// The map of notes to rows. Its SQL is small and this package's own.

func (s *Service) mapped(ctx context.Context, db openreviewdb.DBTX, venueID int64) (map[string]mapped, error) {
	rows, err := orq.MappedNotes(ctx, db, venueID)
	if err != nil {
		return nil, err
	}
	out := make(map[string]mapped, len(rows))
	for _, r := range rows {
		out[r.NoteID] = mapped{Submission: r.SubmissionID, Reviewer: r.ReviewerID, Comment: r.CommentID}
	}
	return out, nil
}

func remember(ctx context.Context, tx pgx.Tx, venueID int64, n Note, k Kind, submissionID int64, reviewer *int64, number int, at time.Time) error {
	return rememberRow(ctx, tx, openreviewdb.RememberNoteParams{VenueID: venueID, NoteID: n.ID, Kind: string(k), SubmissionID: submissionID,
		ReviewerID: reviewer, Number: int32(number), ImportedAt: at}, n)
}

func rememberComment(ctx context.Context, tx pgx.Tx, venueID int64, n Note, submissionID, commentID int64, number int, at time.Time) error {
	return rememberRow(ctx, tx, openreviewdb.RememberNoteParams{VenueID: venueID, NoteID: n.ID, Kind: string(KindComment), SubmissionID: submissionID,
		CommentID: &commentID, Number: int32(number), ImportedAt: at}, n)
}

func rememberRow(ctx context.Context, tx pgx.Tx, row openreviewdb.RememberNoteParams, n Note) error {
	raw, err := json.Marshal(n)
	if err != nil {
		return err
	}
	row.Note = raw
	return orq.RememberNote(ctx, tx, row)
}

func snapshot(row submissiondb.Submission, authors []submission.Author) submission.Snapshot {
	sn := submission.Snapshot{Track: row.Track, Title: row.Title, Abstract: row.Abstract, Keywords: row.Keywords, Authors: authors,
		Verdict: row.Verdict, BodyPages: int(row.BodyPages), LeakCount: int(row.LeakCount), Withdrawn: row.WithdrawnAt != nil}
	if row.PdfSha != nil {
		sn.PDFSHA, sn.PDFSize = *row.PdfSha, deref(row.PdfSize)
		sn.AnonSHA = deref(row.AnonSha)
	}
	if len(row.Report) > 0 {
		_ = json.Unmarshal(row.Report, &sn.Report)
	}
	if row.SuppSha != nil {
		sn.SuppSHA, sn.SuppSize, sn.SuppAnonSHA, sn.SuppType = *row.SuppSha, deref(row.SuppSize), deref(row.SuppAnonSha), row.SuppType
		if len(row.SuppReport) > 0 {
			_ = json.Unmarshal(row.SuppReport, &sn.SuppReport)
		}
	}
	return sn
}

func deref[T any](p *T) T {
	var z T
	if p != nil {
		z = *p
	}
	return z
}

// revise bumps the submission's revision and records the new state, as
// every change to a submission does.
func revise(ctx context.Context, tx pgx.Tx, id int64, kind string, by int64, at time.Time) error {
	row, err := subq.GetSubmission(ctx, tx, id)
	if err != nil {
		return err
	}
	list, err := subq.ListAuthors(ctx, tx, id)
	if err != nil {
		return err
	}
	authors := make([]submission.Author, 0, len(list))
	for _, a := range list {
		authors = append(authors, submission.Author{Name: a.Name, Email: a.Email, Affiliation: a.Affiliation})
	}
	b, err := json.Marshal(snapshot(row.Submission, authors))
	if err != nil {
		return err
	}
	return subq.InsertRevision(ctx, tx, submissiondb.InsertRevisionParams{SubmissionID: id, Seq: row.Submission.Revision, Kind: kind,
		Snapshot: b, CreatedBy: by, CreatedAt: at})
}

func insertAuthors(ctx context.Context, tx pgx.Tx, id int64, authors []submission.Author) error {
	if err := subq.DeleteAuthors(ctx, tx, id); err != nil {
		return err
	}
	for i, a := range authors {
		if err := subq.InsertAuthor(ctx, tx, submissiondb.InsertAuthorParams{SubmissionID: id, Position: int32(i), Name: a.Name, Email: a.Email, Affiliation: a.Affiliation}); err != nil {
			return err
		}
	}
	return nil
}

// write stores one forum: the submission (new, or the one an earlier
// import made, updated), its PDF, its state, reviews, meta-review and
// decision, and the notes' map.
func (s *Service) write(ctx context.Context, tx pgx.Tx, rec venue.Record, actor int64, p plan, profiles Profiles, existing map[string]mapped, now time.Time, rep *Report) error {
	f, n := p.f, p.f.Submission
	rep.Submissions++
	rep.Authors += len(p.in.Authors)
	for _, a := range p.in.Authors {
		if a.Email == "" {
			rep.NoEmail++
		}
	}
	var id int64
	if m, ok := existing[n.ID]; ok {
		id = m.Submission
		row, err := subq.LockSubmission(ctx, tx, id)
		if err != nil {
			return err
		}
		cur, err := subq.ListAuthors(ctx, tx, id)
		if err != nil {
			return err
		}
		var curAuthors []submission.Author
		for _, a := range cur {
			curAuthors = append(curAuthors, submission.Author{Name: a.Name, Email: a.Email, Affiliation: a.Affiliation})
		}
		p.in.Authors = keepTombstones(curAuthors, p.in.Authors)
		same := row.Title == p.in.Title && row.Abstract == p.in.Abstract && slices.Equal(row.Keywords, p.in.Keywords) && reflect.DeepEqual(curAuthors, p.in.Authors)
		if !same {
			if err := subq.UpdateMetadata(ctx, tx, submissiondb.UpdateMetadataParams{ID: id, Track: row.Track, Title: p.in.Title, Abstract: p.in.Abstract,
				Keywords: p.in.Keywords, UpdatedAt: p.mod, Revision: row.Revision + 1}); err != nil {
				return err
			}
			if err := insertAuthors(ctx, tx, id, p.in.Authors); err != nil {
				return err
			}
			if err := revise(ctx, tx, id, "metadata", actor, p.mod); err != nil {
				return err
			}
		}
		rep.Updated++
	} else {
		num, err := subq.NextNumber(ctx, tx, rec.ID)
		if err != nil {
			return err
		}
		kw := p.in.Keywords
		if kw == nil {
			kw = []string{}
		}
		row, err := subq.InsertSubmission(ctx, tx, submissiondb.InsertSubmissionParams{VenueID: rec.ID, Number: num, Track: p.in.Track, Title: p.in.Title,
			Abstract: p.in.Abstract, Keywords: kw, DeclarationAt: p.at, CreatedBy: actor})
		if err != nil {
			return err
		}
		id = row.ID
		if err := insertAuthors(ctx, tx, id, p.in.Authors); err != nil {
			return err
		}
		if err := revise(ctx, tx, id, "created", actor, p.at); err != nil {
			return err
		}
		rep.Created++
	}
	if err := storeAnswers(ctx, tx, id, p.in.Fields, p.mod); err != nil {
		return err
	}
	rep.Answers += len(p.in.Fields)
	if err := s.joinPool(ctx, tx, rec, actor, p, rep); err != nil {
		return err
	}
	if p.pdf != nil {
		held, err := setPDF(ctx, tx, id, *p.pdf, p.mod, actor)
		if err != nil {
			return err
		}
		if held {
			rep.add(n, KindSubmission, f.Number, "pdf", "the check found who the authors are on its pages: the PDF is held from reviewers until a chair releases it or the authors upload a fixed one")
		}
		rep.PDFs++
	}
	if p.supp != nil {
		held, err := setSupp(ctx, tx, id, *p.supp, p.mod, actor)
		if err != nil {
			return err
		}
		if held {
			rep.add(n, KindSubmission, f.Number, "supplementary material", "the check found who the authors are in it: it is held from reviewers until a chair releases it or the authors upload a fixed one")
		}
		rep.Supplementary++
	}
	if f.State == StateWithdrawn {
		rep.Withdrawn++
		row, err := subq.GetSubmission(ctx, tx, id)
		if err != nil {
			return err
		}
		if row.Submission.WithdrawnAt == nil {
			at := p.mod
			if err := subq.SetWithdrawn(ctx, tx, submissiondb.SetWithdrawnParams{ID: id, WithdrawnAt: &at, WithdrawnBy: &actor, UpdatedAt: at, Revision: row.Submission.Revision + 1}); err != nil {
				return err
			}
			if err := revise(ctx, tx, id, "withdraw", actor, at); err != nil {
				return err
			}
		}
	}
	if err := remember(ctx, tx, rec.ID, n, KindSubmission, id, nil, f.Number, now); err != nil {
		return err
	}
	if err := s.writeReviews(ctx, tx, rec, actor, id, p, profiles, rep, now); err != nil {
		return err
	}
	if err := s.writeDecision(ctx, tx, rec, actor, id, p, rep, now); err != nil {
		return err
	}
	return s.writeComments(ctx, tx, rec, actor, id, p, profiles, existing, rep, now)
}

// setPDF makes a checked file the submission's current PDF and holds it
// from reviewers when it shows who the authors are, as an upload does
// (without the mail an upload sends: the import is the venue's history).
func setPDF(ctx context.Context, tx pgx.Tx, id int64, ck checked, at time.Time, actor int64) (held bool, err error) {
	row, err := subq.LockSubmission(ctx, tx, id)
	if err != nil {
		return false, err
	}
	if row.PdfSha != nil && *row.PdfSha == ck.ref.SHA256 {
		return row.PdfHeld, nil
	}
	if ck.unchanged {
		// The file was the current one when it was read and is not now:
		// another change came between; it is not stored unchecked.
		return false, problem.New(problem.ErrConflict, "openreview_changed", "a submission's PDF changed during the import; import again")
	}
	rep, err := json.Marshal(ck.report)
	if err != nil {
		return false, err
	}
	if err := subq.SetPDF(ctx, tx, submissiondb.SetPDFParams{ID: id, PdfSha: &ck.ref.SHA256, PdfSize: &ck.ref.Size, AnonSha: &ck.anon.SHA256,
		Report: rep, Verdict: ck.report.Verdict, BodyPages: int32(ck.report.BodyPages), LeakCount: int32(len(ck.report.Leaks)),
		UpdatedAt: at, Revision: row.Revision + 1}); err != nil {
		return false, err
	}
	held = len(submission.Holding(&ck.report)) > 0
	if err := subq.SetHold(ctx, tx, submissiondb.SetHoldParams{ID: id, PdfHeld: held, SuppHeld: row.SuppHeld, HoldAction: row.HoldAction,
		HoldFixBy: row.HoldFixBy, HoldNote: row.HoldNote}); err != nil {
		return false, err
	}
	return held, revise(ctx, tx, id, "pdf", actor, at)
}

// storeAnswers adds the imported answers to the submission's, each
// replacing the answer to its field; an answer given in Quire to a
// question the notes do not answer stays.
func storeAnswers(ctx context.Context, tx pgx.Tx, id int64, in submission.Answers, at time.Time) error {
	if len(in) == 0 {
		return nil
	}
	cur := map[string]any{}
	b, err := subq.FieldAnswers(ctx, tx, id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return err
	default:
		if err := json.Unmarshal(b, &cur); err != nil {
			return err
		}
	}
	next := map[string]any{}
	for k, v := range cur {
		next[k] = v
	}
	for k, v := range in {
		next[k] = v
	}
	raw, err := json.Marshal(next)
	if err != nil {
		return err
	}
	var again map[string]any
	if err := json.Unmarshal(raw, &again); err != nil {
		return err
	}
	if reflect.DeepEqual(cur, again) {
		return nil
	}
	return subq.SetFieldAnswers(ctx, tx, submissiondb.SetFieldAnswersParams{SubmissionID: id, Answers: raw, UpdatedAt: at})
}

// joinPool does with an imported answer naming the paper's reviewing
// author what the form's save does: the nominee, when they have an
// account, joins the venue's reviewer pool; one without is reported (they
// join once they have one and the paper is next saved, or by invitation).
func (s *Service) joinPool(ctx context.Context, tx pgx.Tx, rec venue.Record, actor int64, p plan, rep *Report) error {
	r := rec.Settings.ReciprocalReviewing
	email, _ := p.in.Fields[r.Field].(string)
	if !r.On() || email == "" {
		return nil
	}
	if _, ok, err := s.Accounts.ByEmail(ctx, tx, email); err != nil {
		return err
	} else if !ok {
		rep.add(p.f.Submission, KindSubmission, p.f.Number, "reviewing author", email+", whom the paper names to review for the venue, has no account here: they join the reviewer pool once they have one and the paper is next saved, or when a chair invites them")
		return nil
	}
	return s.Submissions.JoinPool(ctx, tx, rec, p.in.Fields, actor)
}

// keepTombstones keeps, in the incoming author list, the tombstone of an
// author whose account was deleted since the last import (matched by name):
// the notes still carry the old address, and writing it back would open
// the paper again to whoever registers that address next.
func keepTombstones(cur, in []submission.Author) []submission.Author {
	var out []submission.Author
	for i, a := range in {
		for _, c := range cur {
			if personaldata.IsTombstone(c.Email) && c.Name == a.Name && a.Email != c.Email {
				if out == nil {
					out = slices.Clone(in)
				}
				out[i].Email = c.Email
				break
			}
		}
	}
	if out == nil {
		return in
	}
	return out
}
