package matching

import (
	"context"
	"log/slog"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/conflict"
	"github.com/quirehq/quire/internal/matching/matchingdb"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// Service is the matching domain.
type Service struct {
	DB       *pgxpool.Pool
	Clock    clock.Clock
	Venues   *venue.Store
	Accounts *account.Service
	Mail     account.Mailer
	Link     func(path string, query map[string]string) string
	Log      *slog.Logger

	cache stateCache
}

func (s *Service) chairVenue(ctx context.Context, slug string, p account.Principal) (venue.Record, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return rec, err
	}
	return rec, s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleChair)
}

func (s *Service) reviewerVenue(ctx context.Context, slug string, p account.Principal) (venue.Record, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return rec, err
	}
	if err := s.Venues.Require(ctx, s.DB, rec.ID, p.UserID, venue.RoleReviewer); err != nil {
		return rec, err
	}
	return rec, s.Accounts.RequireVerified(ctx, p.UserID)
}

// ConflictView is a conflict as chairs see it.
type ConflictView struct {
	Conflict
	Number                      int
	Title                       string
	ReviewerName, ReviewerEmail string
}

// Conflicts lists every conflict of the venue with its source (chairs).
func (s *Service) Conflicts(ctx context.Context, slug string, p account.Principal) ([]ConflictView, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return nil, err
	}
	hidden, err := st.hiddenFrom(ctx, s.DB, p.UserID)
	if err != nil {
		return nil, err
	}
	var out []ConflictView
	for _, cs := range st.conflicts {
		for _, c := range cs {
			if hidden[c.Paper] {
				continue
			}
			paper, ok := st.paperByID[c.Paper]
			rev, rok := st.revByID[c.Reviewer]
			if !ok || !rok {
				continue // a withdrawn paper, or someone no longer a reviewer
			}
			out = append(out, ConflictView{Conflict: c, Number: int(paper.Number), Title: paper.Title, ReviewerName: rev.Name, ReviewerEmail: rev.Email})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Number != b.Number {
			return a.Number < b.Number
		}
		if a.ReviewerEmail != b.ReviewerEmail {
			return a.ReviewerEmail < b.ReviewerEmail
		}
		return a.Source < b.Source
	})
	return out, nil
}

func (st *state) paperByNumber(n int) (matchingdb.VenuePapersRow, error) {
	for _, p := range st.papers {
		if int(p.Number) == n {
			return p, nil
		}
	}
	return matchingdb.VenuePapersRow{}, problem.New(problem.ErrNotFound, "submission_not_found", "no submission #"+itoa(n)+" is in review at this venue")
}

func (st *state) reviewerByEmail(email string) (matchingdb.VenueReviewersRow, error) {
	for _, r := range st.reviewers {
		if strings.EqualFold(r.Email, strings.TrimSpace(email)) {
			return r, nil
		}
	}
	return matchingdb.VenueReviewersRow{}, problem.Invalid("no reviewer of this venue has the email "+email, problem.FieldError{Field: "reviewer", Message: "must be a reviewer of this venue"})
}

// SetConflict adds a chair's conflict, or with waive=true sets a conflict
// aside with a reason. Both are audited.
func (s *Service) SetConflict(ctx context.Context, slug string, p account.Principal, number int, reviewerEmail, note string, waive bool, ip string) error {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		st, err := s.load(ctx, tx, rec)
		if err != nil {
			return err
		}
		paper, err := st.paperByNumber(number)
		if err != nil {
			return err
		}
		rev, err := st.reviewerByEmail(reviewerEmail)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		action := "conflict.add"
		if waive {
			action = "conflict.waive"
			if strings.TrimSpace(note) == "" {
				return problem.Invalid("say why the conflict is set aside", problem.FieldError{Field: "note", Message: "required"})
			}
			err = q.AddWaiver(ctx, tx, matchingdb.AddWaiverParams{SubmissionID: paper.ID, UserID: rev.ID, WaivedBy: p.UserID, Reason: note, WaivedAt: now})
		} else {
			if err = q.DeleteWaiver(ctx, tx, matchingdb.DeleteWaiverParams{SubmissionID: paper.ID, UserID: rev.ID}); err == nil {
				err = q.AddDeclared(ctx, tx, matchingdb.AddDeclaredParams{SubmissionID: paper.ID, UserID: rev.ID, Source: "added_by_chair", Note: note, CreatedBy: p.UserID, CreatedAt: now})
			}
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: action, Subject: "#" + itoa(number) + " " + rev.Email,
			Detail: map[string]any{"note": note}, IP: ip, At: now})
	})
}

// Pool lists the venue's reviewers by name and affiliation, for its
// authors who declare conflicts and its reviewers and chairs (reviewers are
// not anonymous as a pool, only per paper). To anyone else it does not
// exist: one venue's people are not another venue's business.
func (s *Service) Pool(ctx context.Context, slug string, p account.Principal) ([]matchingdb.VenueReviewersRow, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, err
	}
	in, err := q.InVenue(ctx, s.DB, matchingdb.InVenueParams{VenueID: rec.ID, UserID: p.UserID})
	if err != nil {
		return nil, err
	}
	if !in {
		return nil, problem.New(problem.ErrNotFound, "not_found", "the reviewer pool of "+slug+" is for its chairs, reviewers and authors")
	}
	return q.VenueReviewers(ctx, s.DB, rec.ID)
}

// LoadsElsewhere is, for the venue's chairs, how many papers each of its
// reviewers reviews in the site's other venues: a number per reviewer id,
// never which venues (they are other venues' business).
func (s *Service) LoadsElsewhere(ctx context.Context, slug string, p account.Principal) (map[int64]int64, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	rows, err := q.LoadsElsewhere(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.Papers
	}
	return out, nil
}

// DeclareAsAuthor replaces the conflicts the authors declared for their
// submission (by reviewer account id, from the pool).
func (s *Service) DeclareAsAuthor(ctx context.Context, submissionID int64, p account.Principal, reviewerIDs []int64, isAuthor func(ctx context.Context, id int64, p account.Principal) (venue.Record, error)) error {
	rec, err := isAuthor(ctx, submissionID, p)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		pool, err := q.VenueReviewers(ctx, tx, rec.ID)
		if err != nil {
			return err
		}
		inPool := map[int64]bool{}
		for _, r := range pool {
			inPool[r.ID] = true
		}
		if err := q.DeleteDeclaredBySource(ctx, tx, matchingdb.DeleteDeclaredBySourceParams{SubmissionID: submissionID, Source: "declared_by_author"}); err != nil {
			return err
		}
		now := s.Clock.Now()
		for _, id := range reviewerIDs {
			if !inPool[id] {
				return problem.Invalid("reviewer "+itoa64(id)+" is not in this venue's pool", problem.FieldError{Field: "reviewers", Message: "pick reviewers from the pool"})
			}
			if err := q.AddDeclared(ctx, tx, matchingdb.AddDeclaredParams{SubmissionID: submissionID, UserID: id, Source: "declared_by_author", CreatedBy: p.UserID, CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeclareAsReviewer replaces the conflicts a reviewer declared in a venue.
func (s *Service) DeclareAsReviewer(ctx context.Context, slug string, p account.Principal, submissionIDs []int64) error {
	rec, err := s.reviewerVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		papers, err := q.VenuePapers(ctx, tx, rec.ID)
		if err != nil {
			return err
		}
		ok := map[int64]bool{}
		for _, x := range papers {
			ok[x.ID] = true
		}
		if err := q.DeleteReviewerDeclared(ctx, tx, matchingdb.DeleteReviewerDeclaredParams{VenueID: rec.ID, UserID: p.UserID}); err != nil {
			return err
		}
		now := s.Clock.Now()
		for _, id := range submissionIDs {
			if !ok[id] {
				return problem.Invalid("submission "+itoa64(id)+" is not in review at this venue", problem.FieldError{Field: "submissions", Message: "pick submissions from the list"})
			}
			if err := q.AddDeclared(ctx, tx, matchingdb.AddDeclaredParams{SubmissionID: id, UserID: p.UserID, Source: "declared_by_reviewer", CreatedBy: p.UserID, CreatedAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
}

// Bids a reviewer can give.
var bidValues = map[string]bool{"eager": true, "willing": true, "pinch": true, "not_willing": true}

// BidItem is a submission as a bidding reviewer sees it: never its authors.
type BidItem struct {
	SubmissionID int64
	Number       int
	Title        string
	Abstract     string
	Keywords     []string
	Track        string
	Affinity     float64
	Bid          string
}

// BiddingList is the reviewer's anonymised list, best affinity first,
// without the submissions they are conflicted with.
func (s *Service) BiddingList(ctx context.Context, slug string, p account.Principal) ([]BidItem, error) {
	rec, err := s.reviewerVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return nil, err
	}
	out := []BidItem{}
	for _, x := range st.papers {
		if st.conflicted(x.ID, p.UserID) {
			continue
		}
		kw := x.Keywords
		if kw == nil {
			kw = []string{}
		}
		out = append(out, BidItem{SubmissionID: x.ID, Number: int(x.Number), Title: x.Title, Abstract: x.Abstract, Keywords: kw, Track: x.Track,
			Affinity: st.affinity(x.ID, p.UserID, 0.5), Bid: st.bids[pair{x.ID, p.UserID}]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Affinity != out[j].Affinity {
			return out[i].Affinity > out[j].Affinity
		}
		return out[i].Number < out[j].Number
	})
	return out, nil
}

var errNoSuchPaper = problem.New(problem.ErrNotFound, "submission_not_found", "there is no such submission, or you may not see it")

// Bid records (or with bid "" clears) a reviewer's bid, during bidding. A
// conflicted submission does not exist for the reviewer.
func (s *Service) Bid(ctx context.Context, slug string, p account.Principal, submissionID int64, bid string) error {
	rec, err := s.reviewerVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	if bid != "" && !bidValues[bid] {
		return problem.Invalid("a bid is eager, willing, pinch or not_willing", problem.FieldError{Field: "bid", Message: "eager, willing, pinch or not_willing"})
	}
	now := s.Clock.Now()
	if _, err := s.Venues.Check(ctx, s.DB, rec, venue.ActionBid, venue.Subject{ReviewerID: p.UserID}, now); err != nil {
		return err
	}
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return err
	}
	if _, ok := st.paperByID[submissionID]; !ok || st.conflicted(submissionID, p.UserID) {
		return errNoSuchPaper
	}
	if bid == "" {
		return q.DeleteBid(ctx, s.DB, matchingdb.DeleteBidParams{SubmissionID: submissionID, UserID: p.UserID})
	}
	return q.SetBid(ctx, s.DB, matchingdb.SetBidParams{SubmissionID: submissionID, UserID: p.UserID, Bid: bid, UpdatedAt: now})
}

// SeedBid records a bid without the bidding-phase gate: for the demo venue
// and for importing a venue's history; no endpoint calls it.
func (s *Service) SeedBid(ctx context.Context, submissionID, reviewerID int64, bid string) error {
	if !bidValues[bid] {
		return problem.Invalid("unknown bid " + bid)
	}
	return q.SetBid(ctx, s.DB, matchingdb.SetBidParams{SubmissionID: submissionID, UserID: reviewerID, Bid: bid, UpdatedAt: s.Clock.Now()})
}

// WaitRun polls a run until it leaves the running state (for the demo
// loader and the command line; the web page polls through the API).
func (s *Service) WaitRun(ctx context.Context, slug string, p account.Principal, id int64) (Run, error) {
	for {
		r, err := s.GetRun(ctx, slug, p, id)
		if err != nil || r.Status != "running" {
			return r, err
		}
		select {
		case <-ctx.Done():
			return r, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Conflicted reports whether a person has a conflict of interest with a
// submission, from any source (a chair's waiver sets it aside). Chairs are
// not in the reviewer pool, so the automatic rules are applied to them here.
func (s *Service) Conflicted(ctx context.Context, db matchingdb.DBTX, rec venue.Record, submissionID, userID int64) (bool, error) {
	// Asked on every request by a reviewer or a chair, so it reads only
	// what the rules need: this paper, the papers the person wrote in the
	// venue (co-authorship can only come through those), and the declared
	// conflicts and waivers of this one pair.
	var p conflict.Person
	if err := db.QueryRow(ctx, "SELECT id, email, affiliation, name FROM users WHERE id = $1", userID).Scan(&p.ID, &p.Email, &p.Affiliation, &p.Name); err != nil {
		return false, err
	}
	rows, err := db.Query(ctx, `SELECT sa.submission_id, sa.name, sa.email, sa.affiliation FROM submission_authors sa
		WHERE sa.submission_id = $1 OR sa.submission_id IN (
			SELECT sa2.submission_id FROM submission_authors sa2 JOIN submissions s2 ON s2.id = sa2.submission_id
			WHERE s2.venue_id = $2 AND lower(sa2.email) = lower($3))
		ORDER BY sa.submission_id, sa.position`, submissionID, rec.ID, p.Email)
	if err != nil {
		return false, err
	}
	byID := map[int64]*conflict.Paper{}
	var order []int64
	for rows.Next() {
		var id int64
		var a conflict.Person
		if err := rows.Scan(&id, &a.Name, &a.Email, &a.Affiliation); err != nil {
			rows.Close()
			return false, err
		}
		if byID[id] == nil {
			byID[id] = &conflict.Paper{ID: id}
			order = append(order, id)
		}
		byID[id].Authors = append(byID[id].Authors, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	papers := make([]conflict.Paper, 0, len(order))
	for _, id := range order {
		papers = append(papers, *byID[id])
	}
	var waived bool
	if err := db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM conflict_waivers WHERE submission_id = $1 AND user_id = $2)", submissionID, userID).Scan(&waived); err != nil {
		return false, err
	}
	for _, c := range conflict.Automatic(papers, []conflict.Person{p}) {
		// Authorship can never be set aside.
		if c.Paper == submissionID && (!waived || c.Source == conflict.ReviewerIsAuthor) {
			return true, nil
		}
	}
	var declared bool
	if err := db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM declared_conflicts WHERE submission_id = $1 AND user_id = $2)", submissionID, userID).Scan(&declared); err != nil {
		return false, err
	}
	return declared && !waived, nil
}

// ConflictedPapers lists the submissions a person (a chair, say) has a
// conflict of interest with, in one pass over the venue.
func (s *Service) ConflictedPapers(ctx context.Context, db matchingdb.DBTX, rec venue.Record, userID int64) (map[int64]bool, error) {
	st, err := s.load(ctx, db, rec)
	if err != nil {
		return nil, err
	}
	out, _, err := st.conflictedPapers(ctx, db, userID)
	return out, err
}

// conflictedPapers is ConflictedPapers on loaded state; it also returns the
// person, whose email the callers need.
func (st *state) conflictedPapers(ctx context.Context, db matchingdb.DBTX, userID int64) (map[int64]bool, conflict.Person, error) {
	var p conflict.Person
	if err := db.QueryRow(ctx, "SELECT id, email, affiliation, name FROM users WHERE id = $1", userID).Scan(&p.ID, &p.Email, &p.Affiliation, &p.Name); err != nil {
		return nil, p, err
	}
	out := st.derived.conflictedFor(conflictedKey{p.ID, p.Email, p.Affiliation, p.Name}, func() map[int64]bool {
		out := map[int64]bool{}
		if _, inPool := st.revByID[userID]; inPool {
			for k := range st.conflicts {
				if k.reviewer == userID && st.conflicted(k.paper, userID) {
					out[k.paper] = true
				}
			}
			return out
		}
		for _, c := range conflict.Automatic(st.conflictPapers(), []conflict.Person{p}) {
			out[c.Paper] = true
		}
		return out
	})
	return out, p, nil
}

// HiddenFrom lists the submissions a chair must not see at all: those they
// are conflicted with or an author of (they see their own as an author, in
// their own list).
func (s *Service) HiddenFrom(ctx context.Context, db matchingdb.DBTX, rec venue.Record, userID int64) (map[int64]bool, error) {
	st, err := s.load(ctx, db, rec)
	if err != nil {
		return nil, err
	}
	return st.hiddenFrom(ctx, db, userID)
}

// Pair is one paper and one reviewer.
type Pair struct{ Paper, Reviewer int64 }

// ChairView is HiddenFrom together with the venue's assignments whose
// reviewer has a conflict of interest with the paper now (one that came
// after the assignment, or was waived and no longer is): such an
// assignment is kept, so the chairs see it happened, grants the reviewer
// nothing, and is the chairs' to replace. One load of the venue serves both.
func (s *Service) ChairView(ctx context.Context, db matchingdb.DBTX, rec venue.Record, userID int64) (hidden map[int64]bool, conflicted map[Pair]bool, err error) {
	st, err := s.load(ctx, db, rec)
	if err != nil {
		return nil, nil, err
	}
	if hidden, err = st.hiddenFrom(ctx, db, userID); err != nil {
		return nil, nil, err
	}
	return hidden, st.lateConflicts(), nil
}

// hiddenFrom is HiddenFrom on loaded state.
func (st *state) hiddenFrom(ctx context.Context, db matchingdb.DBTX, userID int64) (map[int64]bool, error) {
	hidden, p, err := st.conflictedPapers(ctx, db, userID)
	if err != nil {
		return nil, err
	}
	for id, as := range st.authors {
		for _, a := range as {
			if strings.EqualFold(a.Email, p.Email) {
				hidden[id] = true
			}
		}
	}
	return hidden, nil
}

// DeclaredItem is a submission a reviewer declared a conflict with.
type DeclaredItem struct {
	SubmissionID int64
	Number       int
	Title        string
}

// DeclaredByReviewer lists the submissions the caller declared conflicts
// with themselves (the bidding list leaves them out, and DeclareAsReviewer
// replaces the whole set, so a form needs them to keep them). Conflicts from
// other sources are not listed: they would hint at who wrote a paper.
func (s *Service) DeclaredByReviewer(ctx context.Context, slug string, p account.Principal) ([]DeclaredItem, error) {
	rec, err := s.reviewerVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	rows, err := q.ReviewerDeclared(ctx, s.DB, matchingdb.ReviewerDeclaredParams{VenueID: rec.ID, UserID: p.UserID})
	if err != nil {
		return nil, err
	}
	out := []DeclaredItem{}
	for _, r := range rows {
		out = append(out, DeclaredItem{SubmissionID: r.ID, Number: int(r.Number), Title: r.Title})
	}
	return out, nil
}
