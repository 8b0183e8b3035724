package conflict

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// reference applies the rules by their definitions, pair by pair, with no
// index: the indexed Automatic must agree with it on every venue.
func reference(papers []Paper, reviewers []Person) []Conflict {
	// One entry per reviewer and per author, labelled by person: entries
	// sharing an email or a non-zero id are the same person, transitively.
	all := slices.Clone(reviewers)
	for _, p := range papers {
		all = append(all, p.Authors...)
	}
	label := make([]int, len(all))
	for i := range label {
		label[i] = i
	}
	same := func(a, b Person) bool {
		ea, eb := strings.ToLower(strings.TrimSpace(a.Email)), strings.ToLower(strings.TrimSpace(b.Email))
		return (ea != "" && ea == eb) || (a.ID != 0 && a.ID == b.ID)
	}
	for changed := true; changed; {
		changed = false
		for i := range all {
			for j := i + 1; j < len(all); j++ {
				if label[i] != label[j] && same(all[i], all[j]) {
					m := min(label[i], label[j])
					label[i], label[j] = m, m
					changed = true
				}
			}
		}
	}
	revLabel := label[:len(reviewers)]
	authLabel := make([][]int, len(papers))
	k := len(reviewers)
	for pi, p := range papers {
		authLabel[pi] = label[k : k+len(p.Authors)]
		k += len(p.Authors)
	}

	byID := make([]int, len(papers))
	for i := range byID {
		byID[i] = i
	}
	slices.SortStableFunc(byID, func(a, b int) int { return cmp.Compare(papers[a].ID, papers[b].ID) })
	revOrder := make([]int, len(reviewers))
	for i := range revOrder {
		revOrder[i] = i
	}
	slices.SortStableFunc(revOrder, func(a, b int) int { return cmp.Compare(reviewers[a].ID, reviewers[b].ID) })

	var out []Conflict
	for _, pi := range byID {
		p := papers[pi]
		for _, ri := range revOrder {
			r := reviewers[ri]
			rl := revLabel[ri]
			emit := func(src Source, detail string) {
				out = append(out, Conflict{Paper: p.ID, Reviewer: r.ID, Source: src, Detail: detail})
			}
			if pos := slices.Index(authLabel[pi], rl); pos >= 0 {
				a := p.Authors[pos]
				if a.Email != "" {
					emit(ReviewerIsAuthor, fmt.Sprintf("listed as author %d (%s)", pos+1, strings.TrimSpace(a.Email)))
				} else {
					emit(ReviewerIsAuthor, fmt.Sprintf("listed as author %d", pos+1))
				}
			}
		coauthor:
			for _, qi := range byID {
				if qi == pi || !slices.Contains(authLabel[qi], rl) {
					continue
				}
				for pos, al := range authLabel[pi] {
					if al != rl && slices.Contains(authLabel[qi], al) {
						q := papers[qi]
						emit(Coauthor, fmt.Sprintf("co-authors with %s on #%d (%s)", p.Authors[pos].Name, q.ID, q.Title))
						break coauthor
					}
				}
			}
			if d, public := EmailDomain(r.Email); d != "" && !public {
				for pos, a := range p.Authors {
					if ad, _ := EmailDomain(a.Email); ad == d && authLabel[pi][pos] != rl {
						emit(SameEmailDomain, "both at "+d)
						break
					}
				}
			}
			if aff := NormalizeAffiliation(r.Affiliation); aff != "" {
				for pos, a := range p.Authors {
					if NormalizeAffiliation(a.Affiliation) == aff && authLabel[pi][pos] != rl {
						emit(SameAffiliation, "both at "+strings.Join(strings.Fields(r.Affiliation), " "))
						break
					}
				}
			}
		}
	}
	return out
}

func TestAutomaticMatchesReference(t *testing.T) {
	t.Parallel()
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			papers, reviewers := synthVenue(synthConfig{Papers: 150, Reviewers: 120, People: 400, Institutions: 25, Seed: seed})
			got, want := Automatic(papers, reviewers), reference(papers, reviewers)
			perSource := map[Source]int{}
			for _, c := range want {
				perSource[c.Source]++
			}
			for _, src := range []Source{SameEmailDomain, SameAffiliation, ReviewerIsAuthor, Coauthor} {
				if perSource[src] == 0 {
					t.Errorf("venue has no %s conflict, so the comparison does not cover that rule", src)
				}
			}
			if !slices.Equal(got, want) {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Fatalf("%d conflicts, reference %d; first difference at %d:\n got %+v\nwant %+v",
							len(got), len(want), i, got[i], want[i])
					}
				}
				t.Fatalf("%d conflicts, reference %d", len(got), len(want))
			}
		})
	}
}
