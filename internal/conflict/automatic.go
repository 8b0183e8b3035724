package conflict

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Automatic applies every automatic rule to a venue and returns one
// conflict per (paper, reviewer, source), ordered by paper id, reviewer id
// and source, so recomputing an unchanged venue yields an identical list:
//
//   - same_email_domain: the reviewer's email domain is an author's, unless
//     it is a public provider;
//   - same_affiliation: the normalised affiliations are equal and not empty;
//   - reviewer_is_author: the reviewer is an author (same email or same
//     non-zero account id);
//   - coauthor: the reviewer and an author of this paper are both authors of
//     another paper in the venue.
//
// The reviewer's own entry in an author list never makes a domain or an
// affiliation conflict: that case is reviewer_is_author. Every rule looks
// reviewers up in an index keyed by domain, affiliation or identity, so the
// work grows with the number of conflicts found, not with papers x reviewers.
func Automatic(papers []Paper, reviewers []Person) []Conflict {
	v := index(papers, reviewers)
	out := make([]Conflict, 0, v.bound())
	var buf []candidate
	for g := 0; g < len(v.order); {
		end := g + 1
		for end < len(v.order) && papers[v.order[end]].ID == papers[v.order[g]].ID {
			end++
		}
		buf = buf[:0]
		for _, pi := range v.order[g:end] {
			buf = v.shared(buf, pi, v.authDomain, v.revByDomain, SameEmailDomain)
			buf = v.shared(buf, pi, v.authAff, v.revByAff, SameAffiliation)
			buf = v.ownPaper(buf, pi)
			buf = v.coauthored(buf, pi)
		}
		out = v.flush(out, buf)
		g = end
	}
	return out
}

// venue holds the indexes Automatic looks reviewers up in. Authors of all
// papers are stored in one flat slice; paper pi owns [start[pi], start[pi+1]).
type venue struct {
	papers    []Paper
	reviewers []Person
	order     []int32 // paper indices by paper id
	orderPos  []int32 // position of each paper index in order

	start      []int32
	authNode   []int32
	authDomain []string // "" when public, malformed or no reviewer shares it
	authAff    []string // "" when empty or no reviewer shares it

	revNode     []int32
	revByDomain map[string][]int32
	revByAff    map[string][]int32
	revByNode   map[int32][]int32
	domainText  []string // detail of a same_email_domain conflict, by reviewer
	affText     []string // detail of a same_affiliation conflict, by reviewer

	// co[pi] lists every (reviewer, other paper, author position) that makes
	// a co-authorship conflict with paper pi.
	co map[int32][]coauthorship
}

type coauthorship struct {
	reviewer int32
	via      int32 // the other paper
	pos      int32 // position in pi's author list of the shared co-author
}

// candidate is a conflict before deduplication, kept small because each
// paper's candidates are sorted. key orders the candidates of one reviewer:
// by source, then by the evidence to show when there are several (the
// lowest other paper id, then the lowest author position); ri picks the
// first reviewer entry when ids repeat.
type candidate struct {
	reviewer int64
	key      uint64
	ri       int32
	pi       int32
	via      int32
}

func candidateKey(src Source, viaPos, authorPos int32) uint64 {
	return uint64(src.rank())<<56 | uint64(viaPos)<<24 | uint64(authorPos)
}

func (c candidate) source() Source { return sources[c.key>>56] }

func (c candidate) authorPos() int { return int(c.key & (1<<24 - 1)) }

func index(papers []Paper, reviewers []Person) *venue {
	v := &venue{
		papers:      papers,
		reviewers:   reviewers,
		order:       make([]int32, len(papers)),
		orderPos:    make([]int32, len(papers)),
		start:       make([]int32, len(papers)+1),
		revNode:     make([]int32, len(reviewers)),
		revByDomain: make(map[string][]int32),
		revByAff:    make(map[string][]int32),
		revByNode:   make(map[int32][]int32, len(reviewers)),
		domainText:  make([]string, len(reviewers)),
		affText:     make([]string, len(reviewers)),
		co:          make(map[int32][]coauthorship),
	}
	nAuthors := 0
	for pi, p := range papers {
		v.order[pi] = int32(pi)
		v.start[pi] = int32(nAuthors)
		nAuthors += len(p.Authors)
	}
	v.start[len(papers)] = int32(nAuthors)
	slices.SortStableFunc(v.order, func(a, b int32) int { return cmp.Compare(papers[a].ID, papers[b].ID) })
	for pos, pi := range v.order {
		v.orderPos[pi] = int32(pos)
	}

	ids := newIdentities(len(reviewers) + nAuthors)
	for ri, r := range reviewers {
		v.revNode[ri] = ids.add(r)
	}
	v.authNode = make([]int32, 0, nAuthors)
	for _, p := range papers {
		for _, a := range p.Authors {
			v.authNode = append(v.authNode, ids.add(a))
		}
	}
	for i, n := range v.revNode {
		v.revNode[i] = ids.find(n)
	}
	for i, n := range v.authNode {
		v.authNode[i] = ids.find(n)
	}

	for ri, r := range reviewers {
		if d, public := EmailDomain(r.Email); d != "" && !public {
			v.revByDomain[d] = append(v.revByDomain[d], int32(ri))
			v.domainText[ri] = "both at " + d
		}
		if a := NormalizeAffiliation(r.Affiliation); a != "" {
			v.revByAff[a] = append(v.revByAff[a], int32(ri))
			v.affText[ri] = "both at " + strings.Join(strings.Fields(r.Affiliation), " ")
		}
		v.revByNode[v.revNode[ri]] = append(v.revByNode[v.revNode[ri]], int32(ri))
	}
	// Lists in reviewer id order leave each paper's candidates nearly
	// sorted already.
	byReviewer := func(a, b int32) int { return cmp.Compare(reviewers[a].ID, reviewers[b].ID) }
	for _, l := range v.revByDomain {
		slices.SortStableFunc(l, byReviewer)
	}
	for _, l := range v.revByAff {
		slices.SortStableFunc(l, byReviewer)
	}

	v.authDomain = make([]string, nAuthors)
	v.authAff = make([]string, nAuthors)
	k := 0
	for _, p := range papers {
		for _, a := range p.Authors {
			if d, public := EmailDomain(a.Email); !public && v.revByDomain[d] != nil {
				v.authDomain[k] = d
			}
			if aff := NormalizeAffiliation(a.Affiliation); v.revByAff[aff] != nil {
				v.authAff[k] = aff
			}
			k++
		}
	}
	v.indexCoauthors()
	return v
}

// indexCoauthors walks, for each reviewer, their papers, the co-authors on
// them and those co-authors' papers; the walk is as long as the
// co-authorship neighbourhood of the reviewers, which is small.
func (v *venue) indexCoauthors() {
	papersOf := make(map[int32][]int32)
	for _, pi := range v.order {
		for _, n := range v.authNode[v.start[pi]:v.start[pi+1]] {
			if l := papersOf[n]; len(l) == 0 || l[len(l)-1] != pi {
				papersOf[n] = append(l, pi)
			}
		}
	}
	for ri, r := range v.revNode {
		for _, qi := range papersOf[r] {
			for _, c := range v.authNode[v.start[qi]:v.start[qi+1]] {
				if c == r {
					continue
				}
				for _, pi := range papersOf[c] {
					if pi == qi {
						continue
					}
					pos := int32(slices.Index(v.authNode[v.start[pi]:v.start[pi+1]], c))
					v.co[pi] = append(v.co[pi], coauthorship{reviewer: int32(ri), via: qi, pos: pos})
				}
			}
		}
	}
}

// shared emits the reviewers who share attribute attr (domain or normalised
// affiliation) with an author of paper pi other than themselves.
func (v *venue) shared(buf []candidate, pi int32, attr []string, byAttr map[string][]int32, src Source) []candidate {
	lo, hi := v.start[pi], v.start[pi+1]
	ck := candidateKey(src, 0, 0)
	for k := lo; k < hi; k++ {
		key := attr[k]
		if key == "" || slices.Contains(attr[lo:k], key) {
			continue
		}
		// Reviewers must share the attribute with someone other than
		// themselves: if every author carrying it is one person, that
		// person is exempt.
		only, several := v.authNode[k], false
		for j := k + 1; j < hi && !several; j++ {
			several = attr[j] == key && v.authNode[j] != only
		}
		for _, ri := range byAttr[key] {
			if !several && v.revNode[ri] == only {
				continue
			}
			buf = append(buf, candidate{reviewer: v.reviewers[ri].ID, key: ck, ri: ri, pi: pi})
		}
	}
	return buf
}

// bound counts the candidates every rule will produce, an upper bound on
// the conflicts that is exact unless entries repeat. Sizing the result once
// avoids copying a list of a million conflicts as it grows.
func (v *venue) bound() int {
	n := 0
	for pi := range int32(len(v.papers)) {
		lo, hi := v.start[pi], v.start[pi+1]
		for k := lo; k < hi; k++ {
			if d := v.authDomain[k]; d != "" && !slices.Contains(v.authDomain[lo:k], d) {
				n += len(v.revByDomain[d])
			}
			if a := v.authAff[k]; a != "" && !slices.Contains(v.authAff[lo:k], a) {
				n += len(v.revByAff[a])
			}
			n += len(v.revByNode[v.authNode[k]])
		}
		n += len(v.co[pi])
	}
	return n
}

func (v *venue) ownPaper(buf []candidate, pi int32) []candidate {
	lo, hi := v.start[pi], v.start[pi+1]
	for k := lo; k < hi; k++ {
		for _, ri := range v.revByNode[v.authNode[k]] {
			buf = append(buf, candidate{
				reviewer: v.reviewers[ri].ID, key: candidateKey(ReviewerIsAuthor, 0, k-lo), ri: ri, pi: pi,
			})
		}
	}
	return buf
}

func (v *venue) coauthored(buf []candidate, pi int32) []candidate {
	for _, c := range v.co[pi] {
		buf = append(buf, candidate{
			reviewer: v.reviewers[c.reviewer].ID, key: candidateKey(Coauthor, v.orderPos[c.via], c.pos),
			ri: c.reviewer, pi: pi, via: c.via,
		})
	}
	return buf
}

// flush sorts one paper's candidates, keeps the first of each (reviewer,
// source) and writes the detail of the evidence kept.
func (v *venue) flush(out []Conflict, buf []candidate) []Conflict {
	slices.SortFunc(buf, func(a, b candidate) int {
		if a.reviewer != b.reviewer {
			return cmp.Compare(a.reviewer, b.reviewer)
		}
		if a.key != b.key {
			return cmp.Compare(a.key, b.key)
		}
		if a.ri != b.ri {
			return cmp.Compare(a.ri, b.ri)
		}
		return cmp.Compare(a.pi, b.pi)
	})
	for i, c := range buf {
		src := c.source()
		if i > 0 && buf[i-1].reviewer == c.reviewer && buf[i-1].source() == src {
			continue
		}
		var detail string
		switch src {
		case SameEmailDomain:
			detail = v.domainText[c.ri]
		case SameAffiliation:
			detail = v.affText[c.ri]
		case ReviewerIsAuthor:
			detail = v.authorDetail(c)
		case Coauthor:
			detail = v.coauthorDetail(c)
		}
		out = append(out, Conflict{Paper: v.papers[c.pi].ID, Reviewer: c.reviewer, Source: src, Detail: detail})
	}
	return out
}

func (v *venue) authorDetail(c candidate) string {
	pos := c.authorPos()
	a := v.papers[c.pi].Authors[pos]
	if e := strings.TrimSpace(a.Email); e != "" {
		return fmt.Sprintf("listed as author %d (%s)", pos+1, e)
	}
	return fmt.Sprintf("listed as author %d", pos+1)
}

func (v *venue) coauthorDetail(c candidate) string {
	pos := c.authorPos()
	a := v.papers[c.pi].Authors[pos]
	who := strings.Join(strings.Fields(a.Name), " ")
	if who == "" {
		who = strings.TrimSpace(a.Email)
	}
	if who == "" {
		who = fmt.Sprintf("author %d", pos+1)
	}
	via := v.papers[c.via]
	if t := shortTitle(via.Title); t != "" {
		return fmt.Sprintf("co-authors with %s on #%d (%s)", who, via.ID, t)
	}
	return fmt.Sprintf("co-authors with %s on #%d", who, via.ID)
}

// shortTitle keeps a detail to one readable line.
func shortTitle(t string) string {
	const limit = 60
	t = strings.Join(strings.Fields(t), " ")
	if r := []rune(t); len(r) > limit {
		return string(r[:limit-1]) + "…"
	}
	return t
}
