package assignment

import (
	"fmt"
	"slices"
	"strings"
)

// Reason classifies why an assignment request cannot be met.
type Reason string

const (
	// ReasonPaperCandidates: a paper has fewer allowed reviewers than reviews.
	ReasonPaperCandidates Reason = "paper-candidates"
	// ReasonReviewerCandidates: a reviewer's minimum load exceeds the papers
	// they may review.
	ReasonReviewerCandidates Reason = "reviewer-candidates"
	// ReasonCapacity: the maximum loads and conflicts leave too few slots.
	ReasonCapacity Reason = "capacity"
	// ReasonMinLoadTotal: the minimum loads add up to more than is needed.
	ReasonMinLoadTotal Reason = "min-load-total"
	// ReasonMinLoad: the minimum loads cannot all be met at once.
	ReasonMinLoad Reason = "min-load"
)

// InfeasibleError explains an impossible request in numbers. Every
// suggestion is computed for this instance: RaiseMaxLoadTo and
// LowerMinLoadTo are verified with a maximum-flow run, Invite is the number
// of conflict-free reviewers with load InviteLoad that would close the gap
// on top of a maximum placement.
type InfeasibleError struct {
	Reason    Reason
	Needed    int64   // reviews needed in total
	Available int64   // most reviews that can be placed (ReasonCapacity, ReasonMinLoad)
	Reserved  int64   // sum of minimum loads
	Deficit   int64   // reviews missing
	Papers    []int32 // papers concerned (too few candidates, or left short)
	Reviewers []int32 // reviewers concerned (minimum load out of reach)

	RaiseMaxLoadTo int32 // smallest uniform maximum load that suffices; 0 if none does
	Invite         int32 // conflict-free reviewers to invite (ReasonCapacity)
	InviteLoad     int32
	LowerMinLoadTo int32 // largest uniform minimum load that works; -1 if not applicable

	Explanation string
}

func (e *InfeasibleError) Error() string { return e.Explanation }

func (e *InfeasibleError) Unwrap() error { return ErrInfeasible }

// CheckFeasible returns nil when an assignment exists, an *InfeasibleError
// explaining why not, or an error wrapping ErrInvalidProblem.
func CheckFeasible(pr *Problem) error {
	if err := pr.Validate(); err != nil {
		return err
	}
	deg := degrees(pr)
	if err := checkCounts(pr, deg); err != nil {
		return err
	}
	return checkFlow(pr, deg)
}

// checkCounts runs the checks that need no flow computation and that the
// solver's int32 arithmetic relies on (sum of demands and of minimum loads
// bounded by the number of pairs).
func checkCounts(pr *Problem, deg []int32) error {
	np := len(pr.Demand)
	needed := sum(pr.Demand)
	e := &InfeasibleError{Needed: needed, Reserved: sum(pr.MinLoad), LowerMinLoadTo: -1}
	var notes []string
	for p, d := range pr.Demand {
		if deg[p] < d {
			e.Papers = append(e.Papers, int32(p))
			e.Deficit += int64(d - deg[p])
			notes = append(notes, fmt.Sprintf("paper %d needs %d but only %d reviewers may review it", p, d, deg[p]))
		}
	}
	if len(e.Papers) > 0 {
		e.Reason = ReasonPaperCandidates
		e.Explanation = fmt.Sprintf("%s; allow more reviewers for %s (fewer conflicts or 'not willing' bids) or ask for fewer reviews: %d reviews cannot be placed at all",
			listNotes(notes), plural(len(e.Papers), "this paper", "these papers"), e.Deficit)
		return e
	}
	for r, lo := range pr.MinLoad {
		if d := deg[np+r]; lo > d {
			e.Reviewers = append(e.Reviewers, int32(r))
			e.Deficit += int64(lo - d)
			notes = append(notes, fmt.Sprintf("reviewer %d must take at least %d papers but may review only %d", r, lo, d))
		}
	}
	if len(e.Reviewers) > 0 {
		e.Reason = ReasonReviewerCandidates
		e.Explanation = fmt.Sprintf("%s; lower %s minimum load to the number of papers allowed",
			listNotes(notes), plural(len(e.Reviewers), "this reviewer's", "these reviewers'"))
		return e
	}
	return nil
}

// checkFlow decides feasibility with maximum flows once the counting checks
// pass: first ignoring minimum loads (are there enough slots?), then with
// them.
func checkFlow(pr *Problem, deg []int32) error {
	np, nr := len(pr.Demand), len(pr.MinLoad)
	needed, reserved := sum(pr.Demand), sum(pr.MinLoad)
	hi := make([]int32, nr)
	for r := range nr {
		hi[r] = min(pr.MaxLoad[r], deg[np+r])
	}
	// One flow with minimum loads settles every feasible request; the
	// flow without them is needed only to say what is wrong.
	var full placement
	if reserved <= needed {
		full = place(pr, pr.MinLoad, hi, true)
		if full.placed == needed {
			return nil
		}
	}
	upper := place(pr, pr.MinLoad, hi, false)
	if upper.placed < needed {
		return capacityError(pr, deg, upper)
	}
	if reserved > needed {
		full = upper
	}
	e := &InfeasibleError{Needed: needed, Reserved: reserved, Available: full.placed, Reviewers: full.minShort}
	e.LowerMinLoadTo = lowerMinLoad(pr, hi)
	if reserved > needed {
		e.Reason = ReasonMinLoadTotal
		e.Deficit = reserved - needed
		e.Explanation = fmt.Sprintf("minimum loads add up to %d reviews but only %d are needed; lower the minimum load to %d",
			reserved, needed, e.LowerMinLoadTo)
		return e
	}
	e.Reason = ReasonMinLoad
	e.Deficit = needed - full.placed
	e.Explanation = fmt.Sprintf("the minimum loads (%d reviews in total) cannot all be met with these conflicts: respecting them, at most %d of %d reviews can be placed (%s cannot reach the minimum); lower the minimum load to %d",
		reserved, full.placed, needed, ids("reviewer", full.minShort), e.LowerMinLoadTo)
	return e
}

func capacityError(pr *Problem, deg []int32, upper placement) error {
	np, nr := len(pr.Demand), len(pr.MinLoad)
	needed := sum(pr.Demand)
	e := &InfeasibleError{
		Reason: ReasonCapacity, Needed: needed, Reserved: sum(pr.MinLoad), Available: upper.placed,
		Deficit: needed - upper.placed, Papers: upper.paperShort, LowerMinLoadTo: -1,
	}
	// Smallest uniform maximum load m (raising every reviewer below m to m)
	// that places everything, if any does.
	var maxDeg int32
	for r := range nr {
		maxDeg = max(maxDeg, deg[np+r])
	}
	fits := func(m int32) bool {
		hi := make([]int32, nr)
		for r := range nr {
			hi[r] = min(max(pr.MaxLoad[r], m), deg[np+r])
		}
		return place(pr, pr.MinLoad, hi, false).placed == needed
	}
	if maxDeg > 0 && fits(maxDeg) {
		lo, hi := int32(0), maxDeg // fits(hi) holds, find the smallest
		for lo < hi {
			mid := lo + (hi-lo)/2
			if fits(mid) {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		e.RaiseMaxLoadTo = lo
	}
	// Invite reviewers with the median maximum load who may review any paper:
	// n of them add min(n*k, sum over short papers of min(short, n)) reviews.
	e.InviteLoad = max(median(pr.MaxLoad), 1)
	var most int32
	for _, s := range upper.shortBy {
		most = max(most, s)
	}
	e.Invite = max(int32((e.Deficit+int64(e.InviteLoad)-1)/int64(e.InviteLoad)), most)
	invite := fmt.Sprintf("invite %d reviewers (each taking up to %d papers, without conflicts)", e.Invite, e.InviteLoad)
	head := fmt.Sprintf("%d reviews needed, at most %d available with these loads and conflicts", needed, upper.placed)
	short := fmt.Sprintf("%s would stay short", ids("paper", upper.paperShort))
	if e.RaiseMaxLoadTo > 0 {
		e.Explanation = fmt.Sprintf("%s; raise the maximum load to %d or %s (%s)", head, e.RaiseMaxLoadTo, invite, short)
	} else {
		e.Explanation = fmt.Sprintf("%s; raising maximum loads cannot help because conflicts limit these papers; %s (%s)", head, invite, short)
	}
	return e
}

// lowerMinLoad is the largest m such that capping every minimum load at m
// makes the request feasible, given that m = 0 is.
func lowerMinLoad(pr *Problem, hi []int32) int32 {
	needed := sum(pr.Demand)
	var maxLo int32
	for _, lo := range pr.MinLoad {
		maxLo = max(maxLo, lo)
	}
	works := func(m int32) bool {
		lo := make([]int32, len(pr.MinLoad))
		var reserved int64
		for r, l := range pr.MinLoad {
			lo[r] = min(l, m)
			reserved += int64(lo[r])
		}
		return reserved <= needed && place(pr, lo, hi, true).placed == needed
	}
	lo, up := int32(0), maxLo // works(lo) holds; find the largest
	for lo < up {
		mid := lo + (up-lo+1)/2
		if works(mid) {
			lo = mid
		} else {
			up = mid - 1
		}
	}
	return lo
}

func sum(xs []int32) int64 {
	var t int64
	for _, x := range xs {
		t += int64(x)
	}
	return t
}

func median(xs []int32) int32 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

const listed = 5

func listNotes(notes []string) string {
	if len(notes) <= listed {
		return strings.Join(notes, "; ")
	}
	return fmt.Sprintf("%s; and %d more like them", strings.Join(notes[:listed], "; "), len(notes)-listed)
}

// ids names up to five ids, e.g. "papers 3, 17 and 4 more".
func ids(noun string, xs []int32) string {
	if len(xs) == 0 {
		return "some " + noun + "s"
	}
	if len(xs) == 1 {
		return fmt.Sprintf("%s %d", noun, xs[0])
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d %ss (", len(xs), noun)
	for i, x := range xs[:min(len(xs), listed)] {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, x)
	}
	if len(xs) > listed {
		b.WriteString(", ...")
	}
	b.WriteString(")")
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
