package openreview

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/decision/decisiondb"
	"github.com/quirehq/quire/internal/venue"
)

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
