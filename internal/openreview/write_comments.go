package openreview

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/openreview/openreviewdb"
	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/venue"
)

// OpenReview says who reads a comment by its readers; Quire has two kinds
// of comment: the discussion (the paper's reviewers once they submitted,
// and the chairs) and the chairs' notes. A comment goes to the narrowest
// kind that still reaches everyone in Quire who could read it on
// OpenReview; the readers Quire cannot reach (the authors, the public) are
// reported, and kept in the remembered note for the export.

// audience is who among a comment's readers Quire knows how to reach.
type audience struct {
	reviewers bool // everyone, the reviewers' groups, or named reviewers
	some      bool // named reviewers (Reviewer_x), not a group
	authors   bool
	public    bool
	unknown   []string
}

// audienceOf sorts a comment's readers.
func audienceOf(readers []string) audience {
	a := audience{unknown: []string{}}
	for _, r := range readers {
		last := r[strings.LastIndex(r, "/")+1:]
		switch {
		case r == "everyone":
			a.public, a.reviewers = true, true
		case last == "Authors":
			a.authors = true
		case last == "Reviewers" || last == "Submitted" || last == "Program_Committee":
			a.reviewers = true
		case strings.HasPrefix(last, "Reviewer_"):
			a.reviewers, a.some = true, true
		case last == "Program_Chairs" || strings.HasPrefix(last, "Area_Chair") || strings.HasPrefix(last, "Senior_Area_Chair") || !strings.Contains(r, "/Submission") && !strings.Contains(r, "/Paper") && strings.Contains(r, "/"):
			// the chairs, the area chairs, or the venue's own group
		default:
			a.unknown = append(a.unknown, r)
		}
	}
	return a
}

// readersOf is where a comment goes in Quire, and what Quire cannot show
// as OpenReview did. Only a comment the paper's reviewers could read goes
// to the discussion, which they read: one the chairs wrote to the authors
// alone must not reach the reviewers, so it stays a note for the chairs.
func readersOf(readers []string) (kind string, why []string) {
	a := audienceOf(readers)
	switch {
	case !a.reviewers && a.authors:
		why = append(why, "only the chairs and the paper's authors could read it on OpenReview; Quire shows comments to no author, and not this one to the reviewers: kept as a note for the chairs only")
	case !a.reviewers && len(readers) == 0:
		why = append(why, "it names no readers: kept as a note for the chairs only")
	case a.public:
		why = append(why, "everyone could read it on OpenReview; Quire shows comments to the paper's reviewers and chairs only")
	case a.authors:
		why = append(why, "the paper's authors could read it on OpenReview; Quire shows comments to the paper's reviewers and chairs only, not to its authors")
	case a.some && !hasGroup(readers):
		why = append(why, "only some of the paper's reviewers could read it on OpenReview; in Quire all of them do once they have submitted their review")
	}
	if len(a.unknown) > 0 {
		why = append(why, "readers "+strings.Join(a.unknown, ", ")+" have no place in Quire")
	}
	if !a.reviewers {
		return review.KindChairNote, why
	}
	return review.KindDiscussion, why
}

func hasGroup(readers []string) bool {
	for _, r := range readers {
		last := r[strings.LastIndex(r, "/")+1:]
		if r == "everyone" || last == "Authors" || last == "Reviewers" || last == "Submitted" || last == "Program_Committee" {
			return true
		}
	}
	return false
}

// commentBody is what a comment note says: its title (v1's official
// comments have one) in bold above its text.
func commentBody(c Content) string {
	body := strings.TrimSpace(c.String("comment"))
	if t := strings.TrimSpace(c.String("title")); t != "" {
		if body == "" {
			return "**" + t + "**"
		}
		return "**" + t + "**\n\n" + body
	}
	return body
}

// chairGroup tells a signature that stands for the venue's chairs, in
// whose name the importing chair posts.
func chairGroup(sig string) bool {
	last := sig[strings.LastIndex(sig, "/")+1:]
	return last == "Program_Chairs" || strings.HasPrefix(last, "Area_Chair") || strings.HasPrefix(last, "Senior_Area_Chair")
}

// writeComments stores the forum's official and public comments: as
// their signer where the profile map names a Quire account, else in the
// importing chair's name; the authors' own make the paper's response
// (writeResponse).
func (s *Service) writeComments(ctx context.Context, tx pgx.Tx, rec venue.Record, actor, id int64, p plan, profiles Profiles, existing map[string]mapped, rep *Report, now time.Time) error {
	authors := map[string]bool{}
	for _, a := range p.in.Authors {
		if a.Email != "" {
			authors[strings.ToLower(a.Email)] = true
		}
	}
	var response []Note
	var by int64 // the account of an author who signed, for the response
	for _, n := range p.f.Comments {
		body := commentBody(n.Content)
		if body == "" {
			rep.add(n, KindComment, p.f.Number, n.MainInvitation(), "it has no text")
			continue
		}
		mine, uid, err := s.authorsComment(ctx, tx, n, p, profiles, authors)
		if err != nil {
			return err
		}
		if mine && !audienceOf(n.Readers).reviewers {
			// The response is read by the reviewers; a word the authors
			// gave the chairs alone has no place that keeps it so.
			rep.add(n, KindComment, p.f.Number, "authors' comment", "the paper's authors wrote it for the chairs only (its readers are not the paper's reviewers); the authors' response in Quire is read by the reviewers: not imported")
			continue
		}
		if mine {
			response = append(response, n)
			if by == 0 {
				by = uid
			}
			continue
		}
		kind, why := readersOf(n.Readers)
		// The report names the invitation (Official_Comment, Public_Comment).
		inv := n.MainInvitation()
		inv = inv[strings.LastIndex(inv, "/")+1:]
		for _, w := range why {
			rep.add(n, KindComment, p.f.Number, inv+" readers", w)
		}
		author := actor
		sig := strings.Join(n.Signatures, ", ")
		switch uid, miss := s.reviewer(ctx, tx, n, profiles); {
		case uid != 0:
			author = uid // not an author: authorsComment took those
		case len(n.Signatures) > 0 && chairGroup(n.Signatures[0]):
			// the chairs' own comment
		default:
			if sig == "" {
				miss = "it has no signature"
			}
			miss = strings.Replace(miss, "the reviewer's email", "the commenter's email", 1)
			rep.add(n, KindComment, p.f.Number, inv+" author", "posted in the importing chair's name ("+miss+")")
		}
		// Without a date of its own a comment is dated by its first
		// import, to the millisecond an export keeps.
		at := millis(n.CDate, millis(n.TCDate, now.Truncate(time.Millisecond)))
		undated := n.CDate <= 0 && n.TCDate <= 0
		var cid int64
		if m, ok := existing[n.ID]; ok && m.Comment != nil {
			cur, err := orq.GetComment(ctx, tx, openreviewdb.GetCommentParams{ID: *m.Comment, SubmissionID: id})
			switch {
			case errors.Is(err, pgx.ErrNoRows):
			case err != nil:
				return err
			default:
				cid = cur.ID
				if undated {
					at = cur.CreatedAt
				}
				if cur.AuthorID != author || cur.Kind != kind || cur.Body != body || !cur.CreatedAt.Equal(at) {
					if err := orq.UpdateComment(ctx, tx, openreviewdb.UpdateCommentParams{ID: cid, AuthorID: author, Kind: kind, Body: body, CreatedAt: at}); err != nil {
						return err
					}
				}
			}
		}
		if cid == 0 {
			var err error
			cid, err = orq.InsertComment(ctx, tx, openreviewdb.InsertCommentParams{SubmissionID: id, AuthorID: author, Kind: kind, Body: body, CreatedAt: at})
			if err != nil {
				return err
			}
		}
		if err := rememberComment(ctx, tx, rec.ID, n, id, cid, p.f.Number, now); err != nil {
			return err
		}
		rep.Comments++
	}
	if by == 0 {
		by = actor
	}
	return s.writeResponse(ctx, tx, rec, by, id, p, response, existing, rep, now)
}
