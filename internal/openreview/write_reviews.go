package openreview

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/openreview/openreviewdb"
	"github.com/quirehq/quire/internal/review/reviewdb"
	"github.com/quirehq/quire/internal/venue"
)

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
		if err := orq.AssignImported(ctx, tx, openreviewdb.AssignImportedParams{SubmissionID: id, UserID: uid, AssignedBy: actor, AssignedAt: at}); err != nil {
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
