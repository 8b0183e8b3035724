// Package matching decides who reviews what in a venue: conflicts of
// interest (automatic, declared and chair-made), bidding, text affinity,
// the automatic assignment (an exact min-cost flow from package assignment)
// and manual changes. It loads a venue's whole state at once: even a large
// venue fits in memory, and every rule then sees the same snapshot.
package matching

import (
	"context"
	"strconv"
	"strings"

	"github.com/quirehq/quire/internal/affinity"
	"github.com/quirehq/quire/internal/conflict"
	"github.com/quirehq/quire/internal/expertise"
	"github.com/quirehq/quire/internal/matching/matchingdb"
	"github.com/quirehq/quire/internal/venue"
)

var q = matchingdb.New()

type pair struct{ paper, reviewer int64 }

// state is one venue's matching data.
type state struct {
	rec       venue.Record
	papers    []matchingdb.VenuePapersRow
	paperByID map[int64]matchingdb.VenuePapersRow
	reviewers []matchingdb.VenueReviewersRow
	revByID   map[int64]matchingdb.VenueReviewersRow
	authors   map[int64][]matchingdb.VenueAuthorsRow // by submission, all submissions
	declared  []matchingdb.DeclaredConflict
	waivers   map[pair]matchingdb.ConflictWaiver
	bids      map[pair]string
	external  map[pair]float64
	loads     map[int64]matchingdb.ReviewerLoad
	assigned  []matchingdb.Assignment
	conflicts map[pair][]Conflict // effective and waived alike; see Conflict.Waived
	derived   *derived
	// publications are what the reviewers gave as their expertise.
	publications []publication
}

// publication is a reviewer's publication with its author's address, as
// the affinity reads it.
type publication struct {
	email           string
	title, abstract string
	year            int
}

// Conflict is one reason a reviewer may not handle a paper.
type Conflict struct {
	Paper, Reviewer int64
	Source          string
	Detail          string
	Waived          bool
}

// loadState reads the venue's matching data; Service.load caches it.
func loadState(ctx context.Context, db matchingdb.DBTX, rec venue.Record) (*state, error) {
	st := &state{rec: rec, paperByID: map[int64]matchingdb.VenuePapersRow{}, revByID: map[int64]matchingdb.VenueReviewersRow{},
		authors: map[int64][]matchingdb.VenueAuthorsRow{}, waivers: map[pair]matchingdb.ConflictWaiver{}, bids: map[pair]string{},
		external: map[pair]float64{}, loads: map[int64]matchingdb.ReviewerLoad{}, derived: &derived{}}
	var err error
	if st.papers, err = q.VenuePapers(ctx, db, rec.ID); err != nil {
		return nil, err
	}
	for _, p := range st.papers {
		st.paperByID[p.ID] = p
	}
	if st.reviewers, err = q.VenueReviewers(ctx, db, rec.ID); err != nil {
		return nil, err
	}
	for _, r := range st.reviewers {
		st.revByID[r.ID] = r
	}
	authors, err := q.VenueAuthors(ctx, db, rec.ID)
	if err != nil {
		return nil, err
	}
	for _, a := range authors {
		st.authors[a.SubmissionID] = append(st.authors[a.SubmissionID], a)
	}
	if st.declared, err = q.DeclaredConflicts(ctx, db, rec.ID); err != nil {
		return nil, err
	}
	ws, err := q.Waivers(ctx, db, rec.ID)
	if err != nil {
		return nil, err
	}
	for _, w := range ws {
		st.waivers[pair{w.SubmissionID, w.UserID}] = w
	}
	bids, err := q.VenueBids(ctx, db, rec.ID)
	if err != nil {
		return nil, err
	}
	for _, b := range bids {
		st.bids[pair{b.SubmissionID, b.UserID}] = b.Bid
	}
	ext, err := q.ExternalAffinity(ctx, db, rec.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range ext {
		st.external[pair{e.SubmissionID, e.UserID}] = e.Score
	}
	loads, err := q.ReviewerLoads(ctx, db, rec.ID)
	if err != nil {
		return nil, err
	}
	for _, l := range loads {
		st.loads[l.UserID] = l
	}
	if st.assigned, err = q.VenueAssignments(ctx, db, rec.ID); err != nil {
		return nil, err
	}
	pubs, err := q.VenueReviewerPublications(ctx, db, rec.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range pubs {
		pub := publication{email: strings.ToLower(st.revByID[p.UserID].Email), title: p.Title, abstract: p.Abstract}
		if p.Year != nil {
			pub.year = int(*p.Year)
		}
		st.publications = append(st.publications, pub)
	}
	st.computeConflicts()
	return st, nil
}

// computeConflicts gathers every conflict: the automatic rules over all the
// venue's submissions, then the declared ones; chairs' waivers mark some
// as set aside.
func (st *state) computeConflicts() {
	st.conflicts = map[pair][]Conflict{}
	papers := st.conflictPapers()
	var revs []conflict.Person
	for _, r := range st.reviewers {
		revs = append(revs, conflict.Person{ID: r.ID, Email: r.Email, Affiliation: r.Affiliation, Name: r.Name})
	}
	add := func(c Conflict) {
		k := pair{c.Paper, c.Reviewer}
		_, c.Waived = st.waivers[k]
		st.conflicts[k] = append(st.conflicts[k], c)
	}
	for _, c := range conflict.Automatic(papers, revs) {
		add(Conflict{Paper: c.Paper, Reviewer: c.Reviewer, Source: string(c.Source), Detail: c.Detail})
	}
	for _, d := range st.declared {
		add(Conflict{Paper: d.SubmissionID, Reviewer: d.UserID, Source: d.Source, Detail: d.Note})
	}
}

// conflictPapers is every submission of the venue with its authors, as the
// conflict rules take them.
func (st *state) conflictPapers() []conflict.Paper {
	var papers []conflict.Paper
	for id, as := range st.authors {
		p := conflict.Paper{ID: id}
		for _, a := range as {
			p.Authors = append(p.Authors, conflict.Person{Email: a.Email, Affiliation: a.Affiliation, Name: a.Name})
		}
		papers = append(papers, p)
	}
	return papers
}

// conflicted reports whether a reviewer may not handle a paper. A
// reviewer who is an author of the paper stays conflicted whatever a chair
// waives.
func (st *state) conflicted(paper, reviewer int64) bool {
	for _, c := range st.conflicts[pair{paper, reviewer}] {
		if !c.Waived || c.Source == string(conflict.ReviewerIsAuthor) {
			return true
		}
	}
	return false
}

func sid(id int64) string { return strconv.FormatInt(id, 10) }

// computeAffinity scores every reviewer against every paper from the
// papers' text and the reviewers' expertise keywords and own abstracts.
func (st *state) computeAffinity() error {
	subs := make([]affinity.Submission, 0, len(st.papers))
	for _, p := range st.papers {
		subs = append(subs, affinity.Submission{ID: sid(p.ID), Title: p.Title, Abstract: p.Abstract, Keywords: p.Keywords})
	}
	own := map[string][]string{}
	for _, as := range st.authors {
		for _, a := range as {
			own[strings.ToLower(a.Email)] = append(own[strings.ToLower(a.Email)], a.Title+". "+a.Abstract)
		}
	}
	// The publications reviewers gave count too, recent ones (against the
	// venue's submission deadline) twice.
	ref := st.rec.Settings.Deadlines.Submission.At.Year()
	for _, p := range st.publications {
		for range expertise.Weight(p.year, ref) {
			own[p.email] = append(own[p.email], p.title+". "+p.abstract)
		}
	}
	revs := make([]affinity.Reviewer, 0, len(st.reviewers))
	for _, r := range st.reviewers {
		revs = append(revs, affinity.Reviewer{ID: sid(r.ID), Keywords: r.Keywords, Papers: own[strings.ToLower(r.Email)]})
	}
	d := st.derived
	d.scorer, d.scorerErr = affinity.NewScorer(subs, revs, affinity.Options{})
	return d.scorerErr
}

// affinity is the pair's score in [0,1]: the text score, or the chairs'
// uploaded score mixed in when there is one.
func (st *state) affinity(paper, reviewer int64, externalWeight float64) float64 {
	// Built on first use: most requests (visibility checks) never need it.
	d := st.derived
	d.scorerOnce.Do(func() { _ = st.computeAffinity() })
	if d.scorerErr != nil {
		return 0 // ids are unique database keys: NewScorer cannot refuse them
	}
	text := d.scorer.Score(sid(paper), sid(reviewer))
	ext, ok := st.external[pair{paper, reviewer}]
	return affinity.Mix(text, ext, ok, externalWeight)
}

func itoa(n int) string     { return strconv.Itoa(n) }
func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
