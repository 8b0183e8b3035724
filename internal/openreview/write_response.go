package openreview

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/review/reviewdb"
	"github.com/quirehq/quire/internal/venue"
)

// On OpenReview the authors answer the reviews with comments they sign
// (Venue/Submission12/Authors, or a profile id of one of them), usually a
// reply to each review. Quire holds the authors' answer as the paper's
// response (one per paper, in the venue's response phase, read by its
// reviewers and chairs), not as a comment: the authors' comments of a
// paper become its response, in date order, one after another. Quire has
// no response per review, so what each replied to stays in the kept note.
// A venue without a response phase has nowhere to show them: they are
// reported, and kept for the export.

// responseSep parts the comments a response was made of.
const responseSep = "\n\n---\n\n"

// authorsComment tells a comment the paper's authors signed: their group,
// a profile id or address among the paper's author ids, or a signature the
// profile map gives an author's address. uid is the author's account when
// the signature names one.
func (s *Service) authorsComment(ctx context.Context, tx pgx.Tx, n Note, p plan, profiles Profiles, authors map[string]bool) (bool, int64, error) {
	ids := p.f.Submission.Content.Strings("authorids")
	for _, sig := range n.Signatures {
		if strings.HasSuffix(sig, "/Authors") || slices.Contains(ids, sig) {
			uid, _ := s.reviewer(ctx, tx, Note{Signatures: []string{sig}}, profiles)
			return true, uid, nil
		}
	}
	uid, _ := s.reviewer(ctx, tx, n, profiles)
	if uid == 0 {
		return false, 0, nil
	}
	u, _, err := s.Accounts.Get(ctx, uid)
	if err != nil {
		return false, 0, err
	}
	return authors[strings.ToLower(u.Email)], uid, nil
}

// responseBody is the response a paper's authors' comments make.
func responseBody(notes []Note) string {
	parts := make([]string, 0, len(notes))
	for _, n := range notes {
		parts = append(parts, commentBody(n.Content))
	}
	return strings.Join(parts, responseSep)
}

// sortNotes orders notes by date, then id: a response's parts.
func sortNotes(notes []Note) {
	slices.SortStableFunc(notes, func(a, b Note) int {
		if a.CDate != b.CDate {
			if a.CDate < b.CDate {
				return -1
			}
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// writeResponse makes the authors' comments of a paper its response (by
// by, an author's account, else the importing chair), where the venue has
// a response phase; a response written in Quire is not replaced. Each
// note is remembered with no comment, which marks it as the response's.
func (s *Service) writeResponse(ctx context.Context, tx pgx.Tx, rec venue.Record, by, id int64, p plan, notes []Note, existing map[string]mapped, rep *Report, now time.Time) error {
	if len(notes) == 0 {
		return nil
	}
	sortNotes(notes)
	if !rec.Settings.Deadlines.AuthorResponse.IsSet() {
		for _, n := range notes {
			rep.add(n, KindComment, p.f.Number, "authors' comment", "signed by the paper's authors, a response to the reviews, but the venue has no author response phase (deadlines.author_response): not imported (kept for the export)")
			if err := remember(ctx, tx, rec.ID, n, KindComment, id, nil, p.f.Number, now); err != nil {
				return err
			}
		}
		return nil
	}
	ours := false // an earlier import made the paper's response
	for _, n := range notes {
		if m, ok := existing[n.ID]; ok && m.Comment == nil && m.Reviewer == nil {
			ours = true
		}
	}
	body := responseBody(notes)
	first := millis(notes[0].CDate, millis(notes[0].TCDate, now.Truncate(time.Millisecond)))
	last := notes[len(notes)-1]
	at := millis(last.MDate, millis(last.TMDate, millis(last.CDate, first)))
	cur, err := revq.GetResponse(ctx, tx, id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return err
	case !ours && strings.TrimSpace(cur.Body) != "":
		// Not remembered either: a later import would take the
		// response for the one these notes made, and replace it.
		for _, n := range notes {
			rep.add(n, KindComment, p.f.Number, "authors' comment", "the paper has a response written in Quire, which the notes do not replace: not imported")
		}
		return nil
	}
	if lim := rec.Settings.ResponseLimit(); len([]rune(body)) > lim {
		rep.add(notes[0], KindComment, p.f.Number, "authors' response", fmt.Sprintf("longer than the venue's %d characters; kept as it is", lim))
	}
	for _, n := range notes {
		if m, ok := existing[n.ID]; ok && m.Comment != nil {
			rep.add(n, KindComment, p.f.Number, "authors' comment", "an earlier import posted it as comment "+strconv.FormatInt(*m.Comment, 10)+" in the importing chair's name; it is the response now, and that comment stays until a chair removes it")
		}
	}
	if err != nil || cur.Body != body || cur.Status != "submitted" || !cur.UpdatedAt.Equal(at) || cur.SubmittedAt == nil || !cur.SubmittedAt.Equal(first) {
		if _, err := revq.SaveResponse(ctx, tx, reviewdb.SaveResponseParams{SubmissionID: id, Body: body, Status: "submitted", UpdatedBy: by, UpdatedAt: at, SubmittedAt: &first}); err != nil {
			return err
		}
	}
	for _, n := range notes {
		if err := remember(ctx, tx, rec.ID, n, KindComment, id, nil, p.f.Number, now); err != nil {
			return err
		}
	}
	rep.Responses++
	return nil
}
