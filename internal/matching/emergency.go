package matching

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/assignment"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/matching/matchingdb"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// A review falls through when its reviewer declines the paper, is found
// conflicted after the assignment, or lets the review deadline pass
// without submitting. Chairs then fill such papers from the emergency
// reviewers (those who said they review only in an emergency), with a
// deadline of the emergency's own.

// EmergencyDays is the default time an emergency reviewer gets.
const EmergencyDays = 5

// Dropped is a review that fell through, as chairs see it.
type Dropped struct {
	Reviewer string `json:"reviewer"`
	Why      string `json:"why"`
}

// ShortPaper is a paper with fewer reviews coming than its track needs.
type ShortPaper struct {
	SubmissionID int64     `json:"submission_id"`
	Number       int       `json:"number"`
	Title        string    `json:"title"`
	Needed       int       `json:"needed"`
	Coming       int       `json:"coming"`
	Dropped      []Dropped `json:"dropped"`
}

// Missing is how many reviews the paper lacks.
func (sp ShortPaper) Missing() int { return max(0, sp.Needed-sp.Coming) }

// EmergencyCandidate is an emergency reviewer with room left.
type EmergencyCandidate struct {
	ReviewerID int64  `json:"reviewer_id"`
	Name       string `json:"name"`
	Email      string `json:"email"`
	Free       int    `json:"free"`
}

// EmergencyPlan is what the chairs see: the papers short of reviews, the
// emergency pool, and the best way to fill them from it.
type EmergencyPlan struct {
	Papers     []ShortPaper         `json:"papers"`
	Candidates []EmergencyCandidate `json:"candidates"`
	// Proposal fills as many missing reviews as the pool allows, with the
	// best total affinity; Unfilled counts those it cannot.
	Proposal []ProposalPair `json:"proposal"`
	Unfilled int            `json:"unfilled"`
	// Due is the deadline the emergency reviewers get by default.
	Due time.Time `json:"due"`
}

// Emergency finds the papers short of reviews and proposes emergency
// reviewers for them (chairs). A chair conflicted with a paper sees
// nothing of it.
func (s *Service) Emergency(ctx context.Context, slug string, p account.Principal) (EmergencyPlan, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return EmergencyPlan{}, err
	}
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return EmergencyPlan{}, err
	}
	hidden, err := st.hiddenFrom(ctx, s.DB, p.UserID)
	if err != nil {
		return EmergencyPlan{}, err
	}
	submitted, err := q.SubmittedReviewPairs(ctx, s.DB, rec.ID)
	if err != nil {
		return EmergencyPlan{}, err
	}
	done := map[pair]bool{}
	for _, r := range submitted {
		done[pair{r.SubmissionID, r.ReviewerID}] = true
	}
	now := s.Clock.Now()
	plan := st.emergencyPlan(done, hidden, now)
	if err := st.proposeEmergency(ctx, &plan); err != nil {
		return EmergencyPlan{}, err
	}
	return plan, nil
}

// reviewOver says whether the review deadline (or the assignment's own)
// has passed for an assignment.
func (st *state) reviewOver(a matchingdb.Assignment, now time.Time) bool {
	if a.DueAt != nil {
		return !now.Before(a.DueAt.Add(time.Second))
	}
	d := st.rec.Settings.Deadlines.Review
	return d.IsSet() && !now.Before(d.End())
}

func (st *state) emergencyPlan(done map[pair]bool, hidden map[int64]bool, now time.Time) EmergencyPlan {
	plan := EmergencyPlan{Due: now.Add(EmergencyDays * 24 * time.Hour).Truncate(time.Hour), Papers: []ShortPaper{},
		Candidates: []EmergencyCandidate{}, Proposal: []ProposalPair{}}
	byPaper := map[int64]*ShortPaper{}
	for _, x := range st.papers {
		if hidden[x.ID] {
			continue
		}
		byPaper[x.ID] = &ShortPaper{SubmissionID: x.ID, Number: int(x.Number), Title: x.Title, Needed: st.needed(x.Track), Dropped: []Dropped{}}
	}
	active := map[int64]int{}
	for _, a := range st.assigned {
		sp := byPaper[a.SubmissionID]
		r, isReviewer := st.revByID[a.UserID]
		k := pair{a.SubmissionID, a.UserID}
		if a.DeclinedAt == nil && isReviewer {
			active[a.UserID]++
		}
		if sp == nil {
			continue
		}
		name := "a former reviewer"
		if isReviewer {
			name = r.Name
		}
		switch {
		case a.DeclinedAt != nil:
			why := "declined"
			if a.DeclineReason != "" {
				why += ": " + a.DeclineReason
			}
			sp.Dropped = append(sp.Dropped, Dropped{Reviewer: name, Why: why})
		case !isReviewer:
			sp.Dropped = append(sp.Dropped, Dropped{Reviewer: name, Why: "no longer a reviewer of the venue"})
		case st.conflicted(a.SubmissionID, a.UserID):
			sp.Dropped = append(sp.Dropped, Dropped{Reviewer: name, Why: "conflict of interest found after the assignment"})
		case done[k]:
			sp.Coming++
		case st.reviewOver(a, now):
			sp.Dropped = append(sp.Dropped, Dropped{Reviewer: name, Why: "no review by the deadline"})
		default:
			sp.Coming++
		}
	}
	for _, x := range st.papers {
		if sp := byPaper[x.ID]; sp != nil && sp.Missing() > 0 {
			plan.Papers = append(plan.Papers, *sp)
		}
	}
	for _, r := range st.reviewers {
		l, ok := st.loads[r.ID]
		if !ok || !l.EmergencyOnly {
			continue
		}
		if free := int(l.MaxLoad) - active[r.ID]; free > 0 {
			plan.Candidates = append(plan.Candidates, EmergencyCandidate{ReviewerID: r.ID, Name: r.Name, Email: r.Email, Free: free})
		}
	}
	return plan
}

// noOne is the cost of leaving a missing review unfilled: more than all
// the real pairs together, so the solver fills all it can first.
const noOne = 1_000_000_000

// proposeEmergency fills the plan's missing reviews from its candidates
// with the best total affinity, as a min-cost flow in which stand-in
// reviewers take, at a prohibitive cost, what nobody can.
func (st *state) proposeEmergency(ctx context.Context, plan *EmergencyPlan) error {
	if len(plan.Papers) == 0 {
		return nil
	}
	pr := &assignment.Problem{}
	assigned := map[pair]bool{}
	for _, a := range st.assigned {
		assigned[pair{a.SubmissionID, a.UserID}] = true // declined ones too: they said no
	}
	most, total := 0, 0
	for _, sp := range plan.Papers {
		pr.Demand = append(pr.Demand, int32(sp.Missing()))
		most, total = max(most, sp.Missing()), total+sp.Missing()
	}
	for _, c := range plan.Candidates {
		pr.MinLoad, pr.MaxLoad = append(pr.MinLoad, 0), append(pr.MaxLoad, int32(c.Free))
	}
	// One stand-in per review a paper may lack, each taking one of a paper's.
	firstStandIn := int32(len(plan.Candidates))
	for range most {
		pr.MinLoad, pr.MaxLoad = append(pr.MinLoad, 0), append(pr.MaxLoad, int32(total))
	}
	for i, sp := range plan.Papers {
		for j, c := range plan.Candidates {
			k := pair{sp.SubmissionID, c.ReviewerID}
			if assigned[k] || st.bids[k] == "not_willing" || st.conflicted(sp.SubmissionID, c.ReviewerID) {
				continue
			}
			cost := int64(1000 * (1 - st.affinity(sp.SubmissionID, c.ReviewerID, 0)))
			pr.Pairs = append(pr.Pairs, assignment.Pair{P: int32(i), R: int32(j), Cost: cost})
		}
		for k := range int32(most) {
			pr.Pairs = append(pr.Pairs, assignment.Pair{P: int32(i), R: firstStandIn + k, Cost: noOne})
		}
	}
	sol, err := assignment.Solve(ctx, pr, nil)
	if err != nil {
		return fmt.Errorf("matching: emergency proposal: %w", err)
	}
	for _, pp := range sol.Pairs {
		if pp.R >= firstStandIn {
			plan.Unfilled++
			continue
		}
		sp, c := plan.Papers[pp.P], plan.Candidates[pp.R]
		plan.Proposal = append(plan.Proposal, ProposalPair{SubmissionID: sp.SubmissionID, Number: sp.Number, ReviewerID: c.ReviewerID,
			Reviewer: c.Name, Email: c.Email, Affinity: st.affinity(sp.SubmissionID, c.ReviewerID, 0), Bid: st.bids[pair{sp.SubmissionID, c.ReviewerID}]})
	}
	sort.Slice(plan.Proposal, func(i, j int) bool { return plan.Proposal[i].Number < plan.Proposal[j].Number })
	return nil
}

// EmergencyPick is one emergency review a chair asks for.
type EmergencyPick struct {
	Number int
	Email  string
}

var errDuePast = problem.Invalid("the emergency deadline must be in the future",
	problem.FieldError{Field: "due", Message: "must be in the future"})

// AssignEmergency gives the picked papers to emergency reviewers, all or
// nothing, with their own deadline (extended past the venue's where it
// is later), and mails each reviewer. The checks are those of a manual
// assignment, and the reviewer's stated load holds.
func (s *Service) AssignEmergency(ctx context.Context, slug string, p account.Principal, picks []EmergencyPick, due time.Time, ip string) error {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	now := s.Clock.Now()
	if !due.After(now) {
		return errDuePast
	}
	if len(picks) == 0 {
		return problem.Invalid("choose at least one emergency review", problem.FieldError{Field: "picks", Message: "is empty"})
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		st, err := s.load(ctx, tx, rec)
		if err != nil {
			return err
		}
		hidden, err := st.hiddenFrom(ctx, tx, p.UserID)
		if err != nil {
			return err
		}
		active := map[int64]int{}
		for _, a := range st.assigned {
			if a.DeclinedAt == nil {
				active[a.UserID]++
			}
		}
		var fields []problem.FieldError
		type ok struct {
			paper matchingdb.VenuePapersRow
			rev   matchingdb.VenueReviewersRow
		}
		var good []ok
		for i, c := range picks {
			where := "picks[" + strconv.Itoa(i) + "]"
			paper, err := st.paperByNumber(c.Number)
			if err != nil || hidden[paper.ID] {
				fields = append(fields, problem.FieldError{Field: where, Message: "#" + strconv.Itoa(c.Number) + " is not a paper in review here"})
				continue
			}
			rev, err := st.reviewerByEmail(c.Email)
			if err != nil {
				fields = append(fields, problem.FieldError{Field: where, Message: c.Email + " is not a reviewer of this venue"})
				continue
			}
			if err := st.checkPair(paper.ID, rev.ID); err != nil {
				fields = append(fields, problem.FieldError{Field: where, Message: err.Error()})
				continue
			}
			_, hi := st.loadsOf(rev.ID)
			if active[rev.ID]++; active[rev.ID] > int(hi) {
				fields = append(fields, problem.FieldError{Field: where, Message: fmt.Sprintf("%s can review at most %d papers, as they said", rev.Name, hi)})
				continue
			}
			good = append(good, ok{paper, rev})
		}
		if len(fields) > 0 {
			return problem.Invalid("nothing was assigned: "+strconv.Itoa(len(fields))+" emergency review(s) cannot be given", fields...)
		}
		extended := map[int64]bool{}
		review := rec.Settings.Deadlines.Review
		for _, g := range good {
			if err := q.AssignEmergency(ctx, tx, matchingdb.AssignEmergencyParams{SubmissionID: g.paper.ID, UserID: g.rev.ID, AssignedBy: p.UserID, AssignedAt: now, DueAt: &due}); err != nil {
				return err
			}
			if review.IsSet() && due.After(review.At) && !extended[g.rev.ID] {
				extended[g.rev.ID] = true
				if err := q.ExtendReviewerUntil(ctx, tx, matchingdb.ExtendReviewerUntilParams{VenueID: rec.ID, ReviewerID: &g.rev.ID, Until: due,
					GrantedBy: p.UserID, Reason: "emergency review", GrantedAt: now}); err != nil {
					return err
				}
			}
			if err := s.Mail.Queue(ctx, tx, mail.TemplateNotice, fmt.Sprintf("emergency:%d:%d:%d", g.paper.ID, g.rev.ID, now.UnixNano()), g.rev.Email, mail.NoticeData{
				Name:    g.rev.Name,
				Subject: fmt.Sprintf("%s: an emergency review of #%d, due %s", rec.Name, g.paper.Number, venue.FormatAoE(due)),
				Body: fmt.Sprintf("A review of #%d, %q, fell through, and you said you would help in an emergency. Could you review it by %s? "+
					"If you cannot, decline it on your reviewing page with a word for the chairs, so they can ask someone else.",
					g.paper.Number, g.paper.Title, venue.FormatAoE(due)),
				Link: s.Link("/venues/"+rec.Slug+"/review/"+strconv.FormatInt(g.paper.ID, 10), nil),
			}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "assignment.emergency", Subject: strconv.Itoa(len(good)) + " emergency review(s)",
			Detail: map[string]any{"picks": picks, "due": due}, IP: ip, At: now})
	})
}

// LateConflicts are the venue's assignments whose reviewer has a conflict
// of interest with the paper now: a review nobody is to write, nor to be
// reminded of.
func (s *Service) LateConflicts(ctx context.Context, db matchingdb.DBTX, rec venue.Record) (map[Pair]bool, error) {
	st, err := s.load(ctx, db, rec)
	if err != nil {
		return nil, err
	}
	return st.lateConflicts(), nil
}

// lateConflicts are the assignments whose reviewer is conflicted now.
func (st *state) lateConflicts() map[Pair]bool {
	out := map[Pair]bool{}
	for _, a := range st.assigned {
		if st.conflicted(a.SubmissionID, a.UserID) {
			out[Pair{a.SubmissionID, a.UserID}] = true
		}
	}
	return out
}
