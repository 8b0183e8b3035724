package matching

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/problem"
)

// PairChange replaces one reviewer of a paper in a proposal by another,
// both named by email, as a chair types them.
type PairChange struct {
	Number   int
	From, To string
}

// String is the change as the run page carries it from one look to the
// next: "12:old@example.org:new@example.org".
func (c PairChange) String() string { return strconv.Itoa(c.Number) + ":" + c.From + ":" + c.To }

// ParsePairChange reads what String wrote.
func ParsePairChange(s string) (PairChange, bool) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) != 3 {
		return PairChange{}, false
	}
	n, err := strconv.Atoi(parts[0])
	if err != nil || n <= 0 || parts[1] == "" || parts[2] == "" {
		return PairChange{}, false
	}
	return PairChange{Number: n, From: strings.TrimSpace(parts[1]), To: strings.TrimSpace(parts[2])}, true
}

// LoadChange is how many papers a reviewer has now and would have after
// the commit.
type LoadChange struct {
	ReviewerID    int64
	Name          string
	Before, After int
	Min, Max      int
}

// Diff is what committing a proposal would change in the venue's
// assignment: pairs added and removed, and the loads that move.
type Diff struct {
	Added, Removed []ProposalPair
	Loads          []LoadChange
}

// EditedRun is a run as a chair may see it, with their changes applied
// and checked, and compared with the assignment now.
type EditedRun struct {
	Run
	Changes []PairChange
	// Changed marks the pairs a change brought in, by submission and
	// reviewer id.
	Changed map[[2]int64]bool
	Diff    Diff
}

// EditRun applies changes to a finished run's proposal, without storing
// anything: each is checked as a manual assignment would be (a reviewer of
// the venue, no conflict, no decline, no "not willing" bid, not on the
// paper already) and against the reviewers' loads. A refused change is a
// field error on "change.N" (N counting from 0); the run is returned as the
// chair may see it in every case.
func (s *Service) EditRun(ctx context.Context, slug string, p account.Principal, id int64, changes []PairChange) (EditedRun, error) {
	e, err := s.edit(ctx, slug, p, id, changes)
	if err != nil || e.full.Proposal == nil {
		return EditedRun{Run: e.full}, err
	}
	// The venue is loaded once: the run as this chair sees it comes from
	// the edit's own reading of it.
	shown := e.full.seenWith(e.hidden)
	out := EditedRun{Run: shown, Changes: changes, Changed: e.changed, Diff: e.st.diff(e.full.Proposal.Params.KeepExisting, e.pairs, e.hidden)}
	prop := *shown.Proposal
	prop.Pairs = slices.DeleteFunc(slices.Clone(e.pairs), func(pp ProposalPair) bool { return e.hidden[pp.SubmissionID] })
	prop.Papers, prop.Reviewers = slices.Clone(prop.Papers), slices.Clone(prop.Reviewers)
	prop.summarise()
	out.Proposal = &prop
	return out, e.refused
}

// CommitEditedRun commits a run with the chair's changes; without changes
// it commits the proposal as it stands.
func (s *Service) CommitEditedRun(ctx context.Context, slug string, p account.Principal, id int64, changes []PairChange, ip string) error {
	if len(changes) == 0 {
		return s.CommitRun(ctx, slug, p, id, nil, ip)
	}
	e, err := s.edit(ctx, slug, p, id, changes)
	switch {
	case err != nil:
		return err
	case e.full.Proposal == nil:
		return problem.New(problem.ErrConflict, "run_not_committable", "only a finished run that has not been committed can be committed (this one is "+e.full.Status+")")
	case e.refused != nil:
		return e.refused
	}
	return s.CommitRun(ctx, slug, p, id, e.pairs, ip)
}

// edited is a run's whole proposal with changes applied, and what it took.
type edited struct {
	full    Run
	st      *state
	hidden  map[int64]bool
	pairs   []ProposalPair
	changed map[[2]int64]bool
	refused error // the changes that cannot be made
}

// edit loads the run and the venue as the chair may see them and applies
// the changes; a run without a proposal comes back as it is.
func (s *Service) edit(ctx context.Context, slug string, p account.Principal, id int64, changes []PairChange) (edited, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return edited{}, err
	}
	var e edited
	if e.full, err = s.GetRun(ctx, slug, p, id); err != nil || e.full.Proposal == nil {
		return e, err
	}
	if e.st, err = s.load(ctx, s.DB, rec); err != nil {
		return e, err
	}
	if e.hidden, err = e.st.hiddenFrom(ctx, s.DB, p.UserID); err != nil {
		return e, err
	}
	e.pairs, e.changed, e.refused = e.st.applyChanges(e.full.Proposal, changes, e.hidden)
	return e, nil
}

// applyChanges returns the proposal's pairs with the changes made, in
// order. Papers hidden from the chair cannot be changed: to them such a
// paper does not exist.
func (st *state) applyChanges(prop *Proposal, changes []PairChange, hidden map[int64]bool) ([]ProposalPair, map[[2]int64]bool, error) {
	pairs := slices.Clone(prop.Pairs)
	changed := map[[2]int64]bool{}
	declined := map[pair]bool{}
	for _, a := range st.assigned {
		if a.DeclinedAt != nil {
			declined[pair{a.SubmissionID, a.UserID}] = true
		}
	}
	var bad []problem.FieldError
	refuse := func(i int, msg string) {
		bad = append(bad, problem.FieldError{Field: "change." + strconv.Itoa(i), Message: msg})
	}
	for i, c := range changes {
		x, err := st.paperByNumber(c.Number)
		if err != nil || hidden[x.ID] {
			refuse(i, "there is no submission #"+strconv.Itoa(c.Number)+" in this run")
			continue
		}
		from, err := st.reviewerByEmail(c.From)
		if err != nil {
			refuse(i, c.From+" is not a reviewer of this venue")
			continue
		}
		to, err := st.reviewerByEmail(c.To)
		if err != nil {
			refuse(i, c.To+" is not a reviewer of this venue")
			continue
		}
		at := slices.IndexFunc(pairs, func(pp ProposalPair) bool { return pp.SubmissionID == x.ID && pp.ReviewerID == from.ID })
		k := pair{x.ID, to.ID}
		switch {
		case at < 0:
			refuse(i, from.Name+" does not review #"+strconv.Itoa(c.Number)+" in this proposal")
		case pairs[at].Kept:
			refuse(i, from.Name+" reviews #"+strconv.Itoa(c.Number)+" already, outside this run: change it under Assignment")
		case slices.ContainsFunc(pairs, func(pp ProposalPair) bool { return pp.SubmissionID == x.ID && pp.ReviewerID == to.ID }):
			refuse(i, to.Name+" reviews #"+strconv.Itoa(c.Number)+" already")
		case st.conflicted(x.ID, to.ID):
			refuse(i, to.Name+" has a conflict of interest with #"+strconv.Itoa(c.Number))
		case declined[k]:
			refuse(i, to.Name+" declined #"+strconv.Itoa(c.Number))
		case st.bids[k] == "not_willing":
			refuse(i, to.Name+" bid not willing on #"+strconv.Itoa(c.Number))
		default:
			pairs[at] = ProposalPair{SubmissionID: x.ID, Number: c.Number, ReviewerID: to.ID, Reviewer: to.Name, Email: to.Email,
				Affinity: math.Round(st.affinity(x.ID, to.ID, prop.Params.ExternalWeight)*1000) / 1000, Bid: st.bids[k]}
			delete(changed, [2]int64{x.ID, from.ID})
			changed[[2]int64{x.ID, to.ID}] = true
		}
	}
	// Loads: only where a change moved them, and only past a limit the
	// proposal itself kept.
	before, after := map[int64]int{}, map[int64]int{}
	for _, pp := range prop.Pairs {
		before[pp.ReviewerID]++
	}
	for _, pp := range pairs {
		after[pp.ReviewerID]++
	}
	for i, c := range changes {
		for _, who := range []string{c.From, c.To} {
			r, err := st.reviewerByEmail(who)
			if err != nil {
				continue
			}
			lo, hi := st.loadsOf(r.ID)
			switch {
			case after[r.ID] > int(hi) && after[r.ID] > before[r.ID]:
				refuse(i, r.Name+" would review "+strconv.Itoa(after[r.ID])+" papers, more than their maximum of "+strconv.Itoa(int(hi)))
			case after[r.ID] < int(lo) && after[r.ID] < before[r.ID]:
				refuse(i, r.Name+" would review "+strconv.Itoa(after[r.ID])+" papers, fewer than their minimum of "+strconv.Itoa(int(lo)))
			}
		}
	}
	if len(bad) > 0 {
		return prop.Pairs, nil, problem.Invalid("some changes cannot be made: "+bad[0].Message, bad...)
	}
	return pairs, changed, nil
}

// diff compares the assignment a commit of pairs would leave with the
// assignment now: a commit replaces the automatic assignments (unless the
// run kept them) and leaves the manual ones.
func (st *state) diff(keepExisting bool, pairs []ProposalPair, hidden map[int64]bool) Diff {
	now, next := map[pair]bool{}, map[pair]bool{}
	for _, a := range st.assigned {
		if a.DeclinedAt != nil || hidden[a.SubmissionID] {
			continue
		}
		now[pair{a.SubmissionID, a.UserID}] = true
		if keepExisting || a.Source != "auto" {
			next[pair{a.SubmissionID, a.UserID}] = true
		}
	}
	var d Diff
	for _, pp := range pairs {
		k := pair{pp.SubmissionID, pp.ReviewerID}
		if hidden[pp.SubmissionID] || next[k] {
			continue
		}
		next[k] = true
		if !now[k] {
			d.Added = append(d.Added, pp)
		}
	}
	for _, a := range st.assigned {
		k := pair{a.SubmissionID, a.UserID}
		if now[k] && !next[k] {
			x, r := st.paperByID[a.SubmissionID], st.revByID[a.UserID]
			d.Removed = append(d.Removed, ProposalPair{SubmissionID: a.SubmissionID, Number: int(x.Number), ReviewerID: a.UserID, Reviewer: r.Name, Email: r.Email})
		}
	}
	count := func(set map[pair]bool) map[int64]int {
		n := map[int64]int{}
		for k := range set {
			n[k.reviewer]++
		}
		return n
	}
	b, a := count(now), count(next)
	for _, r := range st.reviewers {
		if b[r.ID] != a[r.ID] {
			lo, hi := st.loadsOf(r.ID)
			d.Loads = append(d.Loads, LoadChange{ReviewerID: r.ID, Name: r.Name, Before: b[r.ID], After: a[r.ID], Min: int(lo), Max: int(hi)})
		}
	}
	byNumber := func(x, y ProposalPair) int {
		if x.Number != y.Number {
			return x.Number - y.Number
		}
		return strings.Compare(x.Reviewer, y.Reviewer)
	}
	slices.SortFunc(d.Added, byNumber)
	slices.SortFunc(d.Removed, byNumber)
	return d
}
