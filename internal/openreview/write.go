package openreview

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/decision/decisiondb"
	"github.com/quirehq/quire/internal/review/reviewdb"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/submission/submissiondb"
	"github.com/quirehq/quire/internal/venue"
)

// The map of notes to rows. Its SQL is small and this package's own.

func (s *Service) mapped(ctx context.Context, db submissiondb.DBTX, venueID int64) (map[string]mapped, error) {
	rows, err := db.Query(ctx, `SELECT n.note_id, n.submission_id, n.reviewer_id FROM openreview_notes n
		JOIN submissions s ON s.id = n.submission_id WHERE n.venue_id = $1`, venueID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]mapped{}
	for rows.Next() {
		var id string
		var m mapped
		if err := rows.Scan(&id, &m.Submission, &m.Reviewer); err != nil {
			return nil, err
		}
		out[id] = m
	}
	return out, rows.Err()
}

func remember(ctx context.Context, tx pgx.Tx, venueID int64, n Note, k Kind, submissionID int64, reviewer *int64, number int, at time.Time) error {
	raw, err := json.Marshal(n)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO openreview_notes (venue_id, note_id, kind, submission_id, reviewer_id, number, note, imported_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (venue_id, note_id) DO UPDATE SET kind = excluded.kind, submission_id = excluded.submission_id,
		reviewer_id = excluded.reviewer_id, number = excluded.number, note = excluded.note, imported_at = excluded.imported_at`,
		venueID, n.ID, string(k), submissionID, reviewer, number, raw, at)
	return err
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
	if p.pdf != nil {
		if err := setPDF(ctx, tx, id, *p.pdf, p.mod, actor); err != nil {
			return err
		}
		rep.PDFs++
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
	return s.writeDecision(ctx, tx, rec, actor, id, p, rep, now)
}

// setPDF makes a checked file the submission's current PDF and holds it
// from reviewers when it shows who the authors are, as an upload does.
func setPDF(ctx context.Context, tx pgx.Tx, id int64, ck checked, at time.Time, actor int64) error {
	row, err := subq.LockSubmission(ctx, tx, id)
	if err != nil {
		return err
	}
	if row.PdfSha != nil && *row.PdfSha == ck.ref.SHA256 {
		return nil
	}
	rep, err := json.Marshal(ck.report)
	if err != nil {
		return err
	}
	if err := subq.SetPDF(ctx, tx, submissiondb.SetPDFParams{ID: id, PdfSha: &ck.ref.SHA256, PdfSize: &ck.ref.Size, AnonSha: &ck.anon.SHA256,
		Report: rep, Verdict: ck.report.Verdict, BodyPages: int32(ck.report.BodyPages), LeakCount: int32(len(ck.report.Leaks)),
		UpdatedAt: at, Revision: row.Revision + 1}); err != nil {
		return err
	}
	held := len(submission.Holding(&ck.report)) > 0
	if err := subq.SetHold(ctx, tx, submissiondb.SetHoldParams{ID: id, PdfHeld: held, SuppHeld: row.SuppHeld, HoldAction: row.HoldAction,
		HoldFixBy: row.HoldFixBy, HoldNote: row.HoldNote}); err != nil {
		return err
	}
	return revise(ctx, tx, id, "pdf", actor, at)
}

// reviewer finds a review's author: the profile map's entry for a
// signature (an anonymous group, a tilde id) or an email signature.
func (s *Service) reviewer(ctx context.Context, tx pgx.Tx, n Note, profiles Profiles) (int64, string) {
	var tried []string
	for _, sig := range n.Signatures {
		email := ""
		switch {
		case strings.Contains(sig, "@"):
			email = strings.ToLower(sig)
		case profiles[sig].Email != "":
			email = profiles[sig].Email
		default:
			tried = append(tried, sig)
			continue
		}
		u, ok, err := s.Accounts.ByEmail(ctx, tx, email)
		if err == nil && ok {
			return u.ID, ""
		}
		return 0, "no Quire account has the address " + email + " (mapped from " + sig + ")"
	}
	if len(tried) == 0 {
		return 0, "the review has no signature"
	}
	return 0, "no profile mapping for " + strings.Join(tried, ", ") + ": give one (--profiles) from the signature to the reviewer's email"
}

func (s *Service) writeReviews(ctx context.Context, tx pgx.Tx, rec venue.Record, actor, id int64, p plan, profiles Profiles, rep *Report, now time.Time) error {
	authors := map[string]bool{}
	for _, a := range p.in.Authors {
		if a.Email != "" {
			authors[strings.ToLower(a.Email)] = true
		}
	}
	for _, n := range p.f.Reviews {
		uid, why := s.reviewer(ctx, tx, n, profiles)
		if uid == 0 {
			rep.add(n, KindReview, p.f.Number, "review", why)
			continue
		}
		u, _, err := s.Accounts.Get(ctx, uid)
		if err != nil {
			return err
		}
		if authors[strings.ToLower(u.Email)] {
			rep.add(n, KindReview, p.f.Number, "review", u.Email+" is an author of the paper; Quire does not let authors review their own paper")
			continue
		}
		fields, probs := reviewFields(rec.Settings.ReviewForm, n.Content)
		for _, pr := range probs {
			rep.add(n, KindReview, p.f.Number, "review field", pr)
		}
		raw, err := json.Marshal(fields)
		if err != nil {
			return err
		}
		at := millis(n.CDate, millis(n.TCDate, now))
		mod := millis(n.MDate, millis(n.TMDate, at))
		if err := s.Venues.Grant(ctx, tx, rec.ID, uid, venue.RoleReviewer, &actor); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO assignments (submission_id, user_id, source, assigned_by, assigned_at)
			VALUES ($1, $2, 'import', $3, $4) ON CONFLICT DO NOTHING`, id, uid, actor, at); err != nil {
			return err
		}
		cur, err := revq.GetReview(ctx, tx, reviewdb.GetReviewParams{SubmissionID: id, ReviewerID: uid})
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			pseudo, err := revq.NextPseudonym(ctx, tx, id)
			if err != nil {
				return err
			}
			row, err := revq.InsertReview(ctx, tx, reviewdb.InsertReviewParams{SubmissionID: id, ReviewerID: uid, Pseudonym: pseudo,
				Status: "submitted", Fields: raw, CreatedAt: at, SubmittedAt: &at})
			if err != nil {
				return err
			}
			if err := revq.InsertVersion(ctx, tx, reviewdb.InsertVersionParams{ReviewID: row.ID, Version: 1, Status: "submitted", Fields: raw, SavedAt: at}); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			var old map[string]any
			_ = json.Unmarshal(cur.Fields, &old)
			var next map[string]any
			_ = json.Unmarshal(raw, &next)
			if !reflect.DeepEqual(old, next) || cur.Status != "submitted" {
				row, err := revq.UpdateReview(ctx, tx, reviewdb.UpdateReviewParams{SubmissionID: id, ReviewerID: uid, Status: "submitted", Fields: raw,
					UpdatedAt: mod, SubmittedAt: &at})
				if err != nil {
					return err
				}
				if err := revq.InsertVersion(ctx, tx, reviewdb.InsertVersionParams{ReviewID: row.ID, Version: row.Version, Status: "submitted", Fields: raw,
					SavedAt: mod, EditedAfterSubmit: cur.Status == "submitted"}); err != nil {
					return err
				}
			}
		}
		if err := remember(ctx, tx, rec.ID, n, KindReview, id, &uid, p.f.Number, now); err != nil {
			return err
		}
		rep.Reviews++
	}
	return nil
}

// writeDecision records the forum's decision (its last Decision note;
// for a desk-rejected paper without one, the venue's rejection) and its
// meta-review.
func (s *Service) writeDecision(ctx context.Context, tx pgx.Tx, rec venue.Record, actor, id int64, p plan, rep *Report, now time.Time) error {
	set := rec.Settings
	var cat venue.DecisionCategory
	decided := false
	if len(p.f.Decisions) > 0 {
		n := p.f.Decisions[len(p.f.Decisions)-1]
		for _, extra := range p.f.Decisions[:len(p.f.Decisions)-1] {
			rep.add(extra, KindDecision, p.f.Number, "decision", "a later decision note of the same paper is used")
		}
		text := n.Content.String("decision")
		c, note, ok := decisionCategory(set, text)
		if !ok {
			rep.add(n, KindDecision, p.f.Number, "decision", fmt.Sprintf("%q matches none of the venue's decisions", text))
		} else {
			if note != "" {
				rep.add(n, KindDecision, p.f.Number, "decision", note)
			}
			comment := firstString(n.Content, "comment", "decision_comment", "justification")
			at := millis(n.CDate, millis(n.TCDate, now))
			if err := decide(ctx, tx, id, c.Key, comment, actor, at, set); err != nil {
				return err
			}
			if err := remember(ctx, tx, rec.ID, n, KindDecision, id, nil, p.f.Number, now); err != nil {
				return err
			}
			cat, decided = c, true
			rep.Decisions++
		}
	}
	if p.f.State == StateDeskRejected {
		rep.DeskRejected++
		if !decided {
			c, _, ok := decisionCategory(set, "reject")
			if !ok {
				rep.add(p.f.Submission, KindDeskRejection, p.f.Number, "desk rejection", "the venue has no rejecting decision")
			} else {
				if err := decide(ctx, tx, id, c.Key, "Desk rejected on OpenReview", actor, p.mod, set); err != nil {
					return err
				}
				cat = c
				rep.add(p.f.Submission, KindDeskRejection, p.f.Number, "desk rejection", "recorded as the decision "+strconv.Quote(c.Label)+" with the note \"Desk rejected on OpenReview\"")
				rep.Decisions++
			}
		}
	}
	for i, n := range p.f.MetaReviews {
		if i < len(p.f.MetaReviews)-1 {
			rep.add(n, KindMetaReview, p.f.Number, "meta-review", "a later meta-review of the same paper is used")
			continue
		}
		body := firstString(n.Content, "metareview", "meta_review", "summary", "comment")
		recm := cat
		if r := n.Content.String("recommendation"); r != "" {
			if c, _, ok := decisionCategory(set, r); ok {
				recm = c
			}
		}
		if recm.Key == "" || body == "" {
			rep.add(n, KindMetaReview, p.f.Number, "meta-review", "it has no text or no recommendation Quire's decisions can hold")
			continue
		}
		if err := decq.SetMetaReview(ctx, tx, decisiondb.SetMetaReviewParams{SubmissionID: id, Recommendation: recm.Key, Body: body, WrittenBy: actor,
			UpdatedAt: millis(n.MDate, millis(n.CDate, now))}); err != nil {
			return err
		}
		if err := remember(ctx, tx, rec.ID, n, KindMetaReview, id, nil, p.f.Number, now); err != nil {
			return err
		}
		rep.MetaReviews++
	}
	return nil
}

func firstString(c Content, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(c.String(k)); v != "" {
			return v
		}
	}
	return ""
}

// decide records a decision as a chair's would be: current, in the
// history, and whether it was made by the decision deadline.
func decide(ctx context.Context, tx pgx.Tx, id int64, category, note string, by int64, at time.Time, set *venue.Settings) error {
	cur, err := decq.GetDecision(ctx, tx, id)
	if err == nil && cur.Category == category && cur.Note == note {
		return nil
	}
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	onTime := !at.After(set.Deadlines.Decision.At.Add(set.Deadlines.Decision.Grace))
	if err := decq.SetDecision(ctx, tx, decisiondb.SetDecisionParams{SubmissionID: id, Category: category, Note: note, DecidedBy: by, DecidedAt: at, OnTime: onTime}); err != nil {
		return err
	}
	return decq.AddHistory(ctx, tx, decisiondb.AddHistoryParams{SubmissionID: id, Category: category, Note: note, DecidedBy: by, DecidedAt: at, OnTime: onTime})
}
