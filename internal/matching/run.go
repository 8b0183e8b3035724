package matching

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/assignment"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/matching/matchingdb"
	"github.com/quirehq/quire/internal/problem"
)

// Params are a chair's choices for an automatic assignment.
type Params struct {
	// AffinityWeight and BidWeight scale the two parts of a pair's cost.
	AffinityWeight float64 `json:"affinity_weight"`
	BidWeight      float64 `json:"bid_weight"`
	// ExternalWeight mixes uploaded scores into the text affinity (1: use them alone).
	ExternalWeight float64 `json:"external_weight"`
	// KeepExisting keeps current assignments and fills the gaps; otherwise
	// automatic assignments are replaced (manual ones are always kept).
	KeepExisting bool `json:"keep_existing"`
	// Mode is "optimal" (least total cost), "fair" (the worst pair as good
	// as possible, then the least total) or "randomized" (Jecmen et al.:
	// the least expected cost with no pair above MaxProbability, then one
	// draw from Seed, recorded so that the draw can be reproduced).
	Mode           string  `json:"mode"`
	MaxProbability float64 `json:"max_probability,omitempty"`
	Seed           uint64  `json:"seed,omitempty"`
}

// Modes of an assignment run.
const (
	ModeOptimal    = "optimal"
	ModeFair       = "fair"
	ModeRandomized = "randomized"
)

func (p *Params) defaults() {
	if p.AffinityWeight == 0 && p.BidWeight == 0 {
		p.AffinityWeight, p.BidWeight = 1, 1
	}
	if p.ExternalWeight == 0 {
		p.ExternalWeight = 0.5
	}
	if p.Mode == "" {
		p.Mode = ModeOptimal
	}
	if p.Mode == ModeRandomized && p.MaxProbability == 0 {
		p.MaxProbability = 0.5
	}
}

// probability checks the randomized mode's parameters and draws a seed
// when none was given.
func (p *Params) probability() (assignment.Probability, error) {
	switch p.Mode {
	case ModeOptimal, ModeFair:
		if p.MaxProbability != 0 || p.Seed != 0 {
			return assignment.Probability{}, problem.Invalid("max_probability and seed belong to the randomized mode",
				problem.FieldError{Field: "mode", Message: "set mode to randomized to use max_probability and seed"})
		}
		return assignment.Probability{}, nil
	case ModeRandomized:
	default:
		return assignment.Probability{}, problem.Invalid("unknown mode "+strconv.Quote(p.Mode), problem.FieldError{Field: "mode", Message: "must be optimal, fair or randomized"})
	}
	q, err := assignment.ParseProbability(strconv.FormatFloat(p.MaxProbability, 'f', -1, 64))
	if err != nil {
		return q, problem.Invalid(err.Error(), problem.FieldError{Field: "max_probability", Message: "a probability in (0, 1] with at most three decimals, such as 0.5"})
	}
	if p.Seed == 0 {
		p.Seed = rand.Uint64N(1<<53) + 1 // stays exact in JSON numbers
	}
	return q, nil
}

// bidCost is how much a bid costs a pair: eager pairs are the cheapest.
var bidCost = map[string]float64{"eager": 0, "willing": 0.25, "": 0.4, "pinch": 0.6}

// built is a solver problem with the ids behind its indices.
type built struct {
	problem   *assignment.Problem
	papers    []matchingdb.VenuePapersRow
	reviewers []matchingdb.VenueReviewersRow
	minLoad   []int32
	maxLoad   []int32
	kept      []pair // existing assignments that stay
}

// needed is how many reviews a paper of track needs.
func (st *state) needed(track string) int {
	if t, ok := st.rec.Settings.Track(track); ok {
		return t.ReviewsPerPaper
	}
	return 1
}

func (st *state) loadsOf(r int64) (int32, int32) {
	if l, ok := st.loads[r]; ok {
		return l.MinLoad, l.MaxLoad
	}
	return int32(st.rec.Settings.ReviewerLoad.Min), int32(st.rec.Settings.ReviewerLoad.Max)
}

// build turns the venue's state into a min-cost-flow problem: each paper
// needs its track's reviews, each reviewer takes between their loads, and
// only pairs without conflicts, "not willing" bids or declines are allowed.
func (st *state) build(p Params) *built {
	b := &built{papers: st.papers, reviewers: st.reviewers}
	pr := &assignment.Problem{}
	paperIdx := map[int64]int32{}
	revIdx := map[int64]int32{}
	existing := map[pair]bool{}
	declined := map[pair]bool{}
	keptLoad := map[int64]int32{}
	keptPer := map[int64]int32{}
	for _, a := range st.assigned {
		k := pair{a.SubmissionID, a.UserID}
		if a.DeclinedAt != nil {
			declined[k] = true
			continue
		}
		if st.conflicted(a.SubmissionID, a.UserID) {
			continue // kept for the chairs to see, but it reviews nothing: the paper needs another reviewer
		}
		if p.KeepExisting || a.Source != "auto" {
			existing[k] = true
			keptLoad[a.UserID]++
			keptPer[a.SubmissionID]++
			b.kept = append(b.kept, k)
		}
	}
	for i, x := range st.papers {
		paperIdx[x.ID] = int32(i)
		pr.Demand = append(pr.Demand, max(0, int32(st.needed(x.Track))-keptPer[x.ID]))
	}
	for i, r := range st.reviewers {
		revIdx[r.ID] = int32(i)
		lo, hi := st.runLoadsOf(r.ID)
		b.minLoad, b.maxLoad = append(b.minLoad, lo), append(b.maxLoad, hi)
		pr.MinLoad = append(pr.MinLoad, max(0, lo-keptLoad[r.ID]))
		pr.MaxLoad = append(pr.MaxLoad, max(0, hi-keptLoad[r.ID]))
	}
	for _, x := range st.papers {
		for _, r := range st.reviewers {
			k := pair{x.ID, r.ID}
			bid := st.bids[k]
			if existing[k] || declined[k] || bid == "not_willing" || st.conflicted(x.ID, r.ID) {
				continue
			}
			aff := st.affinity(x.ID, r.ID, p.ExternalWeight)
			cost := 1000 * (p.AffinityWeight*(1-aff) + p.BidWeight*bidCost[bid])
			pr.Pairs = append(pr.Pairs, assignment.Pair{P: paperIdx[x.ID], R: revIdx[r.ID], Cost: int64(math.Round(cost))})
		}
	}
	b.problem = pr
	return b
}

// ProposalPair is one proposed (or kept) review.
type ProposalPair struct {
	SubmissionID int64   `json:"submission_id"`
	Number       int     `json:"number"`
	ReviewerID   int64   `json:"reviewer_id"`
	Reviewer     string  `json:"reviewer"`
	Email        string  `json:"email"`
	Affinity     float64 `json:"affinity"`
	Bid          string  `json:"bid"`
	Kept         bool    `json:"kept"`
}

// PaperSummary tells a chair how a paper fares in a proposal.
type PaperSummary struct {
	Number       int     `json:"number"`
	Title        string  `json:"title"`
	Needed       int     `json:"needed"`
	Assigned     int     `json:"assigned"`
	MeanAffinity float64 `json:"mean_affinity"`
	Eager        int     `json:"eager"`
	Willing      int     `json:"willing"`
}

// ReviewerSummary tells a chair how a reviewer fares in a proposal.
type ReviewerSummary struct {
	ReviewerID   int64   `json:"reviewer_id"`
	Name         string  `json:"name"`
	Load         int     `json:"load"`
	MinLoad      int     `json:"min_load"`
	MaxLoad      int     `json:"max_load"`
	Eager        int     `json:"eager"`
	Willing      int     `json:"willing"`
	Pinch        int     `json:"pinch"`
	NoBid        int     `json:"no_bid"`
	MeanAffinity float64 `json:"mean_affinity"`
}

// Proposal is the result of a run, before a chair commits it.
type Proposal struct {
	Params    Params            `json:"params"`
	Cost      int64             `json:"cost"`
	Pairs     []ProposalPair    `json:"pairs"`
	Papers    []PaperSummary    `json:"papers"`
	Reviewers []ReviewerSummary `json:"reviewers"`
	Seconds   float64           `json:"seconds"`
	// Scores is the distribution of the papers' total affinity.
	Scores Distribution `json:"scores"`
	// Randomized runs: every pair's probability, the expected cost of the
	// lottery against the optimum's, and what that difference is worth.
	Marginals         []MarginalPair `json:"marginals,omitempty"`
	ExpectedCost      float64        `json:"expected_cost,omitempty"`
	OptimalCost       int64          `json:"optimal_cost,omitempty"`
	RandomisationCost string         `json:"randomisation_cost,omitempty"`
}

// MarginalPair is a pair's probability in a randomized run.
type MarginalPair struct {
	SubmissionID int64   `json:"submission_id"`
	Number       int     `json:"number"`
	ReviewerID   int64   `json:"reviewer_id"`
	Reviewer     string  `json:"reviewer"`
	Probability  float64 `json:"probability"`
	Affinity     float64 `json:"affinity"`
}

// Distribution summarises the papers' scores: the minimum, the deciles
// (10% to 90%) and the maximum.
type Distribution struct {
	Min     float64   `json:"min"`
	Deciles []float64 `json:"deciles"`
	Max     float64   `json:"max"`
	Mean    float64   `json:"mean"`
}

// distribution of xs (nearest-rank deciles), rounded to three decimals.
func distribution(xs []float64) Distribution {
	if len(xs) == 0 {
		return Distribution{Deciles: []float64{}}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	r := func(v float64) float64 { return math.Round(v*1000) / 1000 }
	d := Distribution{Min: r(s[0]), Max: r(s[len(s)-1])}
	var sum float64
	for _, v := range s {
		sum += v
	}
	d.Mean = r(sum / float64(len(s)))
	for k := 1; k <= 9; k++ {
		i := int(math.Ceil(float64(k)*float64(len(s))/10)) - 1
		d.Deciles = append(d.Deciles, r(s[max(i, 0)]))
	}
	return d
}

func (st *state) proposal(b *built, sol *assignment.Solution, p Params) Proposal {
	out := Proposal{Params: p, Pairs: []ProposalPair{}}
	if sol != nil {
		out.Cost = sol.Cost
	}
	add := func(paper, rev int64, kept bool) {
		x, r := st.paperByID[paper], st.revByID[rev]
		out.Pairs = append(out.Pairs, ProposalPair{SubmissionID: paper, Number: int(x.Number), ReviewerID: rev, Reviewer: r.Name, Email: r.Email,
			Affinity: math.Round(st.affinity(paper, rev, p.ExternalWeight)*1000) / 1000, Bid: st.bids[pair{paper, rev}], Kept: kept})
	}
	for _, k := range b.kept {
		if _, ok := st.paperByID[k.paper]; ok {
			if _, ok := st.revByID[k.reviewer]; ok {
				add(k.paper, k.reviewer, true)
			}
		}
	}
	if sol != nil {
		for _, pp := range sol.Pairs {
			add(b.papers[pp.P].ID, b.reviewers[pp.R].ID, false)
		}
	}
	sort.Slice(out.Pairs, func(i, j int) bool {
		if out.Pairs[i].Number != out.Pairs[j].Number {
			return out.Pairs[i].Number < out.Pairs[j].Number
		}
		return out.Pairs[i].Email < out.Pairs[j].Email
	})
	for _, x := range st.papers {
		out.Papers = append(out.Papers, PaperSummary{Number: int(x.Number), Title: x.Title, Needed: st.needed(x.Track)})
	}
	for i, r := range st.reviewers {
		out.Reviewers = append(out.Reviewers, ReviewerSummary{ReviewerID: r.ID, Name: r.Name, MinLoad: int(b.minLoad[i]), MaxLoad: int(b.maxLoad[i])})
	}
	out.summarise()
	return out
}

// summarise counts, from the pairs, what each paper and reviewer gets and
// the distribution of the papers' total affinity; the papers, reviewers and
// their limits are those already listed.
func (prop *Proposal) summarise() {
	perPaper := map[int][]ProposalPair{}
	perRev := map[int64][]ProposalPair{}
	for _, pp := range prop.Pairs {
		perPaper[pp.Number] = append(perPaper[pp.Number], pp)
		perRev[pp.ReviewerID] = append(perRev[pp.ReviewerID], pp)
	}
	scores := make([]float64, 0, len(prop.Papers))
	for i := range prop.Papers {
		ps := &prop.Papers[i]
		pairs := perPaper[ps.Number]
		ps.Assigned, ps.MeanAffinity, ps.Eager, ps.Willing = len(pairs), 0, 0, 0
		for _, pp := range pairs {
			ps.MeanAffinity += pp.Affinity / float64(len(pairs))
			switch pp.Bid {
			case "eager":
				ps.Eager++
			case "willing":
				ps.Willing++
			}
		}
		scores = append(scores, ps.MeanAffinity*float64(len(pairs)))
		ps.MeanAffinity = math.Round(ps.MeanAffinity*1000) / 1000
	}
	prop.Scores = distribution(scores)
	for i := range prop.Reviewers {
		rs := &prop.Reviewers[i]
		pairs := perRev[rs.ReviewerID]
		rs.Load, rs.MeanAffinity, rs.Eager, rs.Willing, rs.Pinch, rs.NoBid = len(pairs), 0, 0, 0, 0, 0
		for _, pp := range pairs {
			rs.MeanAffinity += pp.Affinity / float64(len(pairs))
			switch pp.Bid {
			case "eager":
				rs.Eager++
			case "willing":
				rs.Willing++
			case "pinch":
				rs.Pinch++
			default:
				rs.NoBid++
			}
		}
		rs.MeanAffinity = math.Round(rs.MeanAffinity*1000) / 1000
	}
}

// explain rewrites the solver's explanation of an infeasible problem in the
// venue's terms (paper numbers and reviewer names instead of indices).
func (b *built) explain(e *assignment.InfeasibleError) string {
	text := paperIndex.ReplaceAllStringFunc(e.Explanation, func(m string) string {
		i, err := strconv.Atoi(paperIndex.FindStringSubmatch(m)[1])
		if err != nil || i >= len(b.papers) {
			return m
		}
		return fmt.Sprintf("paper #%d", b.papers[i].Number)
	})
	text = paperList.ReplaceAllStringFunc(text, func(m string) string {
		inner := paperList.FindStringSubmatch(m)[1]
		return "papers (" + number.ReplaceAllStringFunc(inner, func(d string) string {
			i, err := strconv.Atoi(d)
			if err != nil || i >= len(b.papers) {
				return d
			}
			return fmt.Sprintf("#%d", b.papers[i].Number)
		}) + ")"
	})
	var extra []string
	if len(e.Papers) > 0 {
		var ns []string
		for _, i := range e.Papers {
			if int(i) < len(b.papers) {
				ns = append(ns, fmt.Sprintf("#%d", b.papers[i].Number))
			}
		}
		extra = append(extra, "papers concerned: "+strings.Join(ns, ", "))
	}
	if len(e.Reviewers) > 0 {
		var ns []string
		for _, i := range e.Reviewers {
			if int(i) < len(b.reviewers) {
				ns = append(ns, b.reviewers[i].Name)
			}
		}
		extra = append(extra, "reviewers concerned: "+strings.Join(ns, ", "))
	}
	if len(extra) == 0 {
		return text
	}
	return text + " (" + strings.Join(extra, "; ") + ")"
}

// The solver names papers by 0-based index in its explanations: "paper 3"
// and "papers (3, 7, ...)".
var (
	paperIndex = regexp.MustCompile(`\bpaper (\d+)\b`)
	paperList  = regexp.MustCompile(`papers \(([\d, .]+)\)`)
	number     = regexp.MustCompile(`\d+`)
)

// Run is an assignment run as chairs see it.
type Run struct {
	ID          int64
	Status      string
	Phase       string
	Progress    float64
	Proposal    *Proposal
	Explanation string
	StartedAt   time.Time
	FinishedAt  *time.Time
}

// StartRun checks the request and solves it in the background; the run's
// status and progress can be read while it works. Small venues finish
// before the first look.
func (s *Service) StartRun(ctx context.Context, slug string, p account.Principal, params Params) (int64, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return 0, err
	}
	params.defaults()
	if params.AffinityWeight < 0 || params.BidWeight < 0 || params.ExternalWeight < 0 || params.ExternalWeight > 1 {
		return 0, problem.Invalid("weights must not be negative, and the external weight is at most 1")
	}
	if _, err := params.probability(); err != nil {
		return 0, err
	}
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return 0, err
	}
	raw, _ := json.Marshal(params)
	id, err := q.CreateRun(ctx, s.DB, matchingdb.CreateRunParams{VenueID: rec.ID, Params: raw, StartedBy: p.UserID, StartedAt: s.Clock.Now()})
	if err != nil {
		return 0, err
	}
	go s.solve(context.WithoutCancel(ctx), id, st, params)
	return id, nil
}

func (s *Service) solve(ctx context.Context, id int64, st *state, params Params) {
	start := time.Now()
	b := st.build(params)
	last := time.Now()
	progress := func(pr assignment.Progress) {
		if time.Since(last) < 250*time.Millisecond {
			return
		}
		last = time.Now()
		_ = q.RunProgress(ctx, s.DB, matchingdb.RunProgressParams{ID: id, Phase: string(pr.Phase), Progress: pr.Fraction})
	}
	var rnd *assignment.Randomized
	var opt *assignment.Solution
	once := func(pr *assignment.Problem) (*assignment.Solution, error) {
		switch params.Mode {
		case ModeRandomized:
			qp, _ := params.probability() // checked by StartRun, seed set there
			r, err := assignment.SolveRandomized(ctx, pr, qp, params.Seed, progress)
			if err != nil {
				return nil, err
			}
			rnd = r
			return r.Sample, nil
		case ModeFair:
			fair, err := assignment.SolveFair(ctx, pr, progress)
			if err != nil {
				return nil, err
			}
			return fair.Solution, nil
		}
		return assignment.Solve(ctx, pr, progress)
	}
	// The venue's reciprocal rule may solve more than once (reciprocal.go).
	sol, err := s.reciprocalSolve(ctx, st, b, once)
	if err == nil && rnd != nil {
		opt, err = assignment.Solve(ctx, b.problem, nil)
	}
	now := s.Clock.Now()
	var ie *assignment.InfeasibleError
	switch {
	case errors.As(err, &ie):
		_ = q.FinishRun(ctx, s.DB, matchingdb.FinishRunParams{ID: id, Status: "infeasible", Explanation: b.explain(ie), FinishedAt: &now})
	case err != nil:
		s.Log.Error("assignment run failed", "run", id, "err", err)
		_ = q.FinishRun(ctx, s.DB, matchingdb.FinishRunParams{ID: id, Status: "failed", Explanation: "the solver failed; the error is logged", FinishedAt: &now})
	default:
		prop := st.proposal(b, sol, params)
		if rnd != nil {
			st.addMarginals(&prop, b, rnd, opt, params)
		}
		prop.Seconds = math.Round(time.Since(start).Seconds()*1000) / 1000
		raw, _ := json.Marshal(prop)
		_ = q.FinishRun(ctx, s.DB, matchingdb.FinishRunParams{ID: id, Status: "done", Proposal: raw, FinishedAt: &now})
	}
}

// GetRun reports a run's progress or result.
func (s *Service) GetRun(ctx context.Context, slug string, p account.Principal, id int64) (Run, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return Run{}, err
	}
	r, err := q.GetRun(ctx, s.DB, matchingdb.GetRunParams{ID: id, VenueID: rec.ID})
	if errors.Is(err, pgx.ErrNoRows) {
		return Run{}, problem.New(problem.ErrNotFound, "run_not_found", "there is no such assignment run in this venue")
	}
	if err != nil {
		return Run{}, err
	}
	out := Run{ID: r.ID, Status: r.Status, Phase: r.Phase, Progress: r.Progress, Explanation: r.Explanation, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt}
	if len(r.Proposal) > 0 {
		var prop Proposal
		if err := json.Unmarshal(r.Proposal, &prop); err != nil {
			return Run{}, err
		}
		out.Proposal = &prop
	}
	return out, nil
}

// RunFor is GetRun as a chair may see it: the pairs and summaries of
// submissions they are conflicted with or wrote are left out.
func (s *Service) RunFor(ctx context.Context, slug string, p account.Principal, id int64) (Run, error) {
	run, err := s.GetRun(ctx, slug, p, id)
	if err != nil || run.Proposal == nil {
		return run, err
	}
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return run, err
	}
	hidden, err := s.HiddenFrom(ctx, s.DB, rec, p.UserID)
	if err != nil {
		return run, err
	}
	return run.seenWith(hidden), nil
}

// seenWith is a run as a chair who may not see the hidden papers sees it:
// their pairs, summaries and probabilities left out, the rest counted anew.
func (run Run) seenWith(hidden map[int64]bool) Run {
	if run.Proposal == nil || len(hidden) == 0 {
		return run
	}
	prop := *run.Proposal
	prop.Pairs, prop.Papers = nil, nil
	hiddenNumbers := map[int]bool{}
	for _, pp := range run.Proposal.Pairs {
		if hidden[pp.SubmissionID] {
			hiddenNumbers[pp.Number] = true
			continue
		}
		prop.Pairs = append(prop.Pairs, pp)
	}
	for _, ps := range run.Proposal.Papers {
		if !hiddenNumbers[ps.Number] {
			prop.Papers = append(prop.Papers, ps)
		}
	}
	// A randomized run's probabilities would name who may review a hidden
	// paper; the summaries count only the papers this chair sees.
	prop.Marginals = nil
	for _, m := range run.Proposal.Marginals {
		if !hidden[m.SubmissionID] {
			prop.Marginals = append(prop.Marginals, m)
		}
	}
	// Reviewers stay listed (the pool is no secret) but their loads count
	// only what this chair may see.
	prop.Reviewers = slices.Clone(run.Proposal.Reviewers)
	prop.summarise()
	run.Proposal = &prop
	return run
}

// CommitRun makes a proposal (as the chair edited it, when pairs are given)
// the venue's assignment, in one transaction. Every pair is checked for
// conflicts again: the state may have moved since the run.
func (s *Service) CommitRun(ctx context.Context, slug string, p account.Principal, id int64, edited []ProposalPair, ip string) error {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	run, err := s.GetRun(ctx, slug, p, id)
	if err != nil {
		return err
	}
	if run.Status != "done" || run.Proposal == nil {
		return problem.New(problem.ErrConflict, "run_not_committable", "only a finished run that has not been committed can be committed (this one is "+run.Status+")")
	}
	pairs := run.Proposal.Pairs
	if edited != nil {
		pairs = edited
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		st, err := s.load(ctx, tx, rec)
		if err != nil {
			return err
		}
		n, err := q.MarkRunCommitted(ctx, tx, matchingdb.MarkRunCommittedParams{ID: id, CommittedAt: ptr(s.Clock.Now())})
		if err != nil {
			return err
		}
		if n == 0 {
			return problem.New(problem.ErrConflict, "run_not_committable", "this run was committed already")
		}
		if !run.Proposal.Params.KeepExisting {
			if err := q.DeleteAutoAssignments(ctx, tx, rec.ID); err != nil {
				return err
			}
		}
		now := s.Clock.Now()
		for _, pp := range pairs {
			if pp.Kept {
				continue
			}
			if err := st.checkPair(pp.SubmissionID, pp.ReviewerID); err != nil {
				return err
			}
			if err := q.Assign(ctx, tx, matchingdb.AssignParams{SubmissionID: pp.SubmissionID, UserID: pp.ReviewerID, Source: "auto", AssignedBy: p.UserID, AssignedAt: now}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "assignment.commit", Subject: "run " + itoa64(id),
			Detail: map[string]any{"pairs": len(pairs), "edited": edited != nil, "params": run.Proposal.Params}, IP: ip, At: now})
	})
}

func (st *state) checkPair(paper, reviewer int64) error {
	x, ok := st.paperByID[paper]
	if !ok {
		return problem.New(problem.ErrUnprocessable, "submission_not_found", "submission "+itoa64(paper)+" is not in review at this venue")
	}
	r, ok := st.revByID[reviewer]
	if !ok {
		return problem.New(problem.ErrUnprocessable, "not_reviewer", "user "+itoa64(reviewer)+" is not a reviewer of this venue")
	}
	if st.conflicted(paper, reviewer) {
		return problem.New(problem.ErrConflict, "conflict_of_interest", fmt.Sprintf("%s has a conflict of interest with #%d", r.Name, x.Number))
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

// addMarginals puts a randomized run's probabilities and its price against
// the optimum into the proposal.
func (st *state) addMarginals(prop *Proposal, b *built, rnd *assignment.Randomized, opt *assignment.Solution, p Params) {
	prop.ExpectedCost = math.Round(rnd.ExpectedCost()*1000) / 1000
	prop.OptimalCost = opt.Cost
	prop.RandomisationCost = assignment.RandomisationCost(rnd.ExpectedCost(), opt.Cost)
	for _, m := range rnd.Marginals {
		paper, rev := b.papers[m.P].ID, b.reviewers[m.R].ID
		prop.Marginals = append(prop.Marginals, MarginalPair{SubmissionID: paper, Number: int(st.paperByID[paper].Number), ReviewerID: rev,
			Reviewer: st.revByID[rev].Name, Probability: math.Round(float64(m.Num)/float64(rnd.Q.Den)*10000) / 10000,
			Affinity: math.Round(st.affinity(paper, rev, p.ExternalWeight)*1000) / 1000})
	}
}

// RunScores is one finished run's parameters and its papers' scores, to
// compare modes on one venue.
type RunScores struct {
	ID     int64
	Params Params
	Scores Distribution
}

// RecentScores lists the venue's last few finished runs, newest first, for
// its chairs.
func (s *Service) RecentScores(ctx context.Context, slug string, p account.Principal, n int) ([]RunScores, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	// The distributions cover every paper; a chair kept from some of them
	// does not get them (a run's own page recomputes them for that chair).
	hidden, err := s.HiddenFrom(ctx, s.DB, rec, p.UserID)
	if err != nil || len(hidden) > 0 {
		return nil, err
	}
	rows, err := q.RecentRunScores(ctx, s.DB, matchingdb.RecentRunScoresParams{VenueID: rec.ID, Limit: int32(n)})
	if err != nil {
		return nil, err
	}
	out := make([]RunScores, 0, len(rows))
	for _, r := range rows {
		rs := RunScores{ID: r.ID}
		if json.Unmarshal(r.Params, &rs.Params) != nil || json.Unmarshal(r.Scores, &rs.Scores) != nil || len(rs.Scores.Deciles) != 9 {
			continue
		}
		rs.Params.defaults()
		out = append(out, rs)
	}
	return out, nil
}
