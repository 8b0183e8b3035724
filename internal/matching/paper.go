package matching

import (
	"context"
	"sort"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/problem"
)

// PaperBid is one reviewer's bid on a paper, as chairs see it.
type PaperBid struct {
	ReviewerName, ReviewerEmail string
	Bid                         string
}

// PaperMatch is what the matching knows of one paper, for its chairs'
// page: the bids on it and its conflicts, with their sources.
type PaperMatch struct {
	Bids      []PaperBid
	Conflicts []ConflictView
}

// Paper gathers the bids and conflicts of one submission (chairs free of
// conflict with it; to others it is not found).
func (s *Service) Paper(ctx context.Context, slug string, p account.Principal, submissionID int64) (PaperMatch, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return PaperMatch{}, err
	}
	st, err := s.load(ctx, s.DB, rec)
	if err != nil {
		return PaperMatch{}, err
	}
	hidden, err := st.hiddenFrom(ctx, s.DB, p.UserID)
	if err != nil {
		return PaperMatch{}, err
	}
	paper, ok := st.paperByID[submissionID]
	if !ok || hidden[submissionID] {
		return PaperMatch{}, problem.New(problem.ErrNotFound, "submission_not_found", "there is no such submission in review at this venue")
	}
	var out PaperMatch
	for _, r := range st.reviewers {
		if bid, ok := st.bids[pair{submissionID, r.ID}]; ok {
			out.Bids = append(out.Bids, PaperBid{ReviewerName: r.Name, ReviewerEmail: r.Email, Bid: bid})
		}
		for _, c := range st.conflicts[pair{submissionID, r.ID}] {
			out.Conflicts = append(out.Conflicts, ConflictView{Conflict: c, Number: int(paper.Number), Title: paper.Title, ReviewerName: r.Name, ReviewerEmail: r.Email})
		}
	}
	sort.SliceStable(out.Bids, func(i, j int) bool { return bidRank[out.Bids[i].Bid] < bidRank[out.Bids[j].Bid] })
	return out, nil
}

// bidRank orders bids from the keenest.
var bidRank = map[string]int{"eager": 0, "willing": 1, "pinch": 2, "not_willing": 3}
