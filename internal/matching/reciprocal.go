package matching

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/quirehq/quire/internal/assignment"
	"github.com/quirehq/quire/internal/matching/matchingdb"
)

// The reciprocal rule (venue.Reciprocal) in a run: the authors the papers
// name review as many papers as named them, and no two authors review
// each other's papers (A reviews B's paper while B reviews A's).
//
// The second is not a flow constraint: it ties two pairs' choices. A run
// solves, finds the mutual pairs in the solution (the pairs kept from
// earlier assignments count), forbids one side of each (the one with the
// lower affinity, i.e. the higher cost; never a kept pair), and solves
// again until none is left. Each round forbids at least one pair, so it
// ends. The result is optimal (or fair, or a lottery sample) over the
// pairs that remain, not over every mutual-free assignment: finding that
// is a harder problem than a flow, and the rounds rarely forbid more than
// a handful of pairs.

// nominations counts, by reviewer, the papers in review that name them.
func (s *Service) nominations(ctx context.Context, st *state) (map[int64]int, error) {
	r := st.rec.Settings.ReciprocalReviewing
	if !r.On() {
		return nil, nil
	}
	rows, err := q.Nominees(ctx, s.DB, matchingdb.NomineesParams{Field: r.Field, VenueID: st.rec.ID})
	if err != nil {
		return nil, err
	}
	inReview := map[int64]bool{}
	for _, p := range st.papers {
		inReview[p.ID] = true
	}
	out := map[int64]int{}
	for _, n := range rows {
		if inReview[n.SubmissionID] {
			out[n.UserID]++
		}
	}
	return out, nil
}

// applyNominations gives each nominee in the pool who stated no load of
// their own the rule's load for the papers that named them.
func (st *state) applyNominations(b *built, nominated map[int64]int) {
	kept := map[int64]int32{}
	for _, k := range b.kept {
		kept[k.reviewer]++
	}
	for i, r := range b.reviewers {
		n := nominated[r.ID]
		if _, stated := st.loads[r.ID]; n == 0 || stated {
			continue
		}
		hi := int32(st.rec.Settings.ReciprocalReviewing.Load(n))
		lo := min(b.minLoad[i], hi)
		b.minLoad[i], b.maxLoad[i] = lo, hi
		b.problem.MinLoad[i] = max(0, lo-kept[r.ID])
		b.problem.MaxLoad[i] = max(0, hi-kept[r.ID])
	}
}

// authorship is who of the pool wrote which paper in review, by the
// problem's indexes: byReviewer[r] the papers reviewer r wrote, byPaper[p]
// the reviewers who wrote paper p.
type authorship struct {
	byReviewer map[int32][]int32
	byPaper    map[int32][]int32
}

func (st *state) authorshipOf(b *built) authorship {
	a := authorship{byReviewer: map[int32][]int32{}, byPaper: map[int32][]int32{}}
	rev := map[string]int32{}
	for i, r := range b.reviewers {
		rev[strings.ToLower(r.Email)] = int32(i)
	}
	for p, x := range b.papers {
		for _, au := range st.authors[x.ID] {
			if r, ok := rev[strings.ToLower(au.Email)]; ok && !slices.Contains(a.byPaper[int32(p)], r) {
				a.byPaper[int32(p)] = append(a.byPaper[int32(p)], r)
				a.byReviewer[r] = append(a.byReviewer[r], int32(p))
			}
		}
	}
	return a
}

// keptIndexes are the kept pairs by the problem's indexes.
func keptIndexes(b *built) [][2]int32 {
	paperIdx, revIdx := map[int64]int32{}, map[int64]int32{}
	for i, p := range b.papers {
		paperIdx[p.ID] = int32(i)
	}
	for i, r := range b.reviewers {
		revIdx[r.ID] = int32(i)
	}
	out := make([][2]int32, 0, len(b.kept))
	for _, k := range b.kept {
		p, okP := paperIdx[k.paper]
		r, okR := revIdx[k.reviewer]
		if okP && okR {
			out = append(out, [2]int32{p, r})
		}
	}
	return out
}

// maxMutualRounds bounds the rounds; each forbids at least one pair, so
// only a venue with thousands of author-reviewers could reach it.
const maxMutualRounds = 200

// withoutMutualReviews solves pr with solve until the solution, with the
// kept pairs, has no mutual pair, removing from pr.Pairs the side of each
// that costs more; when that leaves the problem infeasible, the round is
// tried again with the other sides. It returns the solution and the pairs
// it forbade.
func withoutMutualReviews(pr *assignment.Problem, kept [][2]int32, a authorship, solve func(*assignment.Problem) (*assignment.Solution, error)) (*assignment.Solution, [][2]int32, error) {
	var forbidden [][2]int32
	sol, err := solve(pr)
	for round := 0; err == nil && len(a.byReviewer) > 0 && round < maxMutualRounds; round++ {
		drop, other := mutualPairs(sol, kept, a)
		if len(drop) == 0 {
			break
		}
		all := pr.Pairs
		pr.Pairs = without(all, drop)
		next, nextErr := solve(pr)
		if errors.Is(nextErr, assignment.ErrInfeasible) && len(other) > 0 {
			pr.Pairs, drop = without(all, other), other
			next, nextErr = solve(pr)
		}
		sol, err = next, nextErr
		for k := range drop {
			forbidden = append(forbidden, k)
		}
	}
	return sol, forbidden, err
}

func without(pairs []assignment.Pair, drop map[[2]int32]bool) []assignment.Pair {
	out := make([]assignment.Pair, 0, len(pairs))
	for _, x := range pairs {
		if !drop[[2]int32{x.P, x.R}] {
			out = append(out, x)
		}
	}
	return out
}

// mutualPairs finds each mutual pair of sol and the kept pairs and
// returns, for each, the side to forbid (the costlier of the two the
// solver chose; a kept pair is the chairs' and stays) and the other side
// where it may be forbidden instead.
func mutualPairs(sol *assignment.Solution, kept [][2]int32, a authorship) (drop, other map[[2]int32]bool) {
	cost := map[[2]int32]int64{}
	for _, x := range sol.Pairs {
		cost[[2]int32{x.P, x.R}] = x.Cost
	}
	in := map[[2]int32]bool{}
	for k := range cost {
		in[k] = true
	}
	isKept := map[[2]int32]bool{}
	for _, k := range kept {
		in[k], isKept[k] = true, true
	}
	drop, other = map[[2]int32]bool{}, map[[2]int32]bool{}
	seen := map[[2]int32]bool{}
	for _, x := range append(slices.Clone(sol.Pairs), keptPairs(kept)...) {
		one := [2]int32{x.P, x.R}
		for _, p2 := range a.byReviewer[x.R] { // papers the reviewer wrote
			for _, r2 := range a.byPaper[x.P] { // reviewers who wrote this paper
				two := [2]int32{p2, r2}
				if !in[two] || seen[one] || seen[two] {
					continue
				}
				seen[one], seen[two] = true, true
				switch {
				case isKept[one] && isKept[two]:
					// Both the chairs' choice: theirs to see.
				case isKept[one]: // its partner goes either way
					drop[two], other[two] = true, true
				case isKept[two]:
					drop[one], other[one] = true, true
				case cost[one] > cost[two] || (cost[one] == cost[two] && (one[0] > two[0] || (one[0] == two[0] && one[1] > two[1]))):
					drop[one], other[two] = true, true
				default:
					drop[two], other[one] = true, true
				}
			}
		}
	}
	return drop, other
}

func keptPairs(kept [][2]int32) []assignment.Pair {
	out := make([]assignment.Pair, len(kept))
	for i, k := range kept {
		out[i] = assignment.Pair{P: k[0], R: k[1]}
	}
	return out
}

// reciprocalSolve is once, the run's solver, under the venue's reciprocal
// rule when it has one: the nominees' loads, then rounds until no two
// authors review each other's papers.
func (s *Service) reciprocalSolve(ctx context.Context, st *state, b *built, once func(*assignment.Problem) (*assignment.Solution, error)) (*assignment.Solution, error) {
	if !st.rec.Settings.ReciprocalReviewing.On() {
		return once(b.problem)
	}
	nominated, err := s.nominations(ctx, st)
	if err != nil {
		return nil, err
	}
	st.applyNominations(b, nominated)
	sol, _, err := withoutMutualReviews(b.problem, keptIndexes(b), st.authorshipOf(b), once)
	return sol, err
}
