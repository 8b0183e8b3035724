package decision

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/decision/decisiondb"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// Placement is a chair's programme: spotlight talks in order, each
// poster's session and, optionally, its board.
type Placement struct {
	Spotlights []int       // submission numbers in talk order
	Posters    map[int]int // submission number -> session 1 or 2
	// Boards numbers posters within their session. A paper without one
	// keeps its board if it stays in its session, and otherwise takes the
	// next free board at the end of its new session.
	Boards map[int]int
}

// SetProgramme replaces the programme. Every accepted paper the chair may
// see must be placed in a poster session; spotlights are a subset of them.
// Papers the chair is conflicted with cannot be named and keep their place
// (and their talk's position in the order).
func (s *Service) SetProgramme(ctx context.Context, slug string, p account.Principal, pl Placement, ip string) error {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	hidden, err := s.Matching.HiddenFrom(ctx, s.DB, rec, p.UserID)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := q.LockProgramme(ctx, tx, int32(rec.ID)); err != nil {
			return err
		}
		papers, err := s.programme(ctx, tx, rec)
		if err != nil {
			return err
		}
		placed, err := arrange(papers, hidden, pl)
		if err != nil {
			return err
		}
		if err := q.ClearProgramme(ctx, tx, rec.ID); err != nil {
			return err
		}
		for _, x := range placed {
			if err := store(ctx, tx, rec.ID, x); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "programme.set", Subject: rec.Slug,
			Detail: map[string]any{"spotlights": pl.Spotlights}, IP: ip, At: s.Clock.Now()})
	})
}

func store(ctx context.Context, db decisiondb.DBTX, venueID int64, x Paper) error {
	var sp *int32
	if x.Spotlight > 0 {
		v := int32(x.Spotlight)
		sp = &v
	}
	return q.AddToProgramme(ctx, db, decisiondb.AddToProgrammeParams{SubmissionID: x.SubmissionID, VenueID: venueID, Spotlight: sp,
		PosterSession: int32(x.PosterSession), Board: int32(x.Board)})
}

// keepPlaces stores the place complete gave each accepted paper nobody
// placed, once decisions are released (SendDue runs it in the release's
// transaction, and again after a decision changes): from then on the
// public boards and talk order stay put, and a later acceptance only adds
// a board at the end of a session.
func (s *Service) keepPlaces(ctx context.Context, tx pgx.Tx, rec venue.Record) error {
	if err := q.LockProgramme(ctx, tx, int32(rec.ID)); err != nil {
		return err
	}
	papers, err := s.programme(ctx, tx, rec)
	if err != nil {
		return err
	}
	var kept []map[string]any
	for _, x := range papers {
		if x.placed {
			continue
		}
		if err := store(ctx, tx, rec.ID, x); err != nil {
			return err
		}
		kept = append(kept, map[string]any{"number": x.Number, "spotlight": x.Spotlight, "poster_session": x.PosterSession, "board": x.Board})
	}
	if len(kept) == 0 {
		return nil
	}
	return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, Action: "programme.placed", Subject: rec.Slug,
		Detail: map[string]any{"papers": kept}, At: s.Clock.Now()})
}

// AutoPlacement proposes a programme from scratch: spotlight talks for the
// papers whose decision asks for one (by number), and the posters split
// into two sessions so that each topic (first keyword) is spread over both
// and the sessions are the same size. Papers the chair is conflicted with
// are left out (saving the proposal keeps their place).
func (s *Service) AutoPlacement(ctx context.Context, slug string, p account.Principal) (Placement, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return Placement{}, err
	}
	papers, err := s.programme(ctx, s.DB, rec)
	if err != nil {
		return Placement{}, err
	}
	hidden, err := s.Matching.HiddenFrom(ctx, s.DB, rec, p.UserID)
	if err != nil {
		return Placement{}, err
	}
	pl := place(papers)
	for _, x := range papers {
		if hidden[x.SubmissionID] {
			delete(pl.Posters, x.Number)
			pl.Spotlights = without(pl.Spotlights, x.Number)
		}
	}
	return pl, nil
}

func without(ns []int, n int) []int {
	out := ns[:0:0]
	for _, m := range ns {
		if m != n {
			out = append(out, m)
		}
	}
	return out
}

// place is the programme complete makes when nothing is placed yet.
func place(papers []Paper) Placement {
	fresh := make([]Paper, len(papers))
	for i, x := range papers {
		fresh[i] = Paper{Number: x.Number, Presentation: x.Presentation, keywords: x.keywords}
	}
	pl := Placement{Posters: map[int]int{}, Boards: map[int]int{}}
	for _, x := range complete(fresh) {
		if x.Spotlight > 0 {
			pl.Spotlights = append(pl.Spotlights, x.Number)
		}
		pl.Posters[x.Number] = x.PosterSession
		pl.Boards[x.Number] = x.Board
	}
	return pl
}

// complete gives each accepted paper nobody placed a place, without moving
// any placed one: a paper whose decision asks for a spotlight talk the next
// talk after the placed ones, and every paper a poster session (the
// smaller one, spreading its topic, its first keyword, over both) and the
// next board there. The result depends only on the papers, never on when
// it is computed, so every page shows the same programme. The papers come
// back sorted: talks in order, then by session and board.
func complete(papers []Paper) []Paper {
	var size, lastBoard [3]int
	perTopic := map[string]*[3]int{}
	topicOf := func(x Paper) string {
		if len(x.keywords) > 0 {
			return strings.ToLower(strings.TrimSpace(x.keywords[0]))
		}
		return "other"
	}
	count := func(t string) *[3]int {
		if perTopic[t] == nil {
			perTopic[t] = &[3]int{}
		}
		return perTopic[t]
	}
	lastTalk := 0
	byTopic := map[string][]int{}
	var topics []string
	for i, x := range papers {
		if !x.placed {
			t := topicOf(x)
			if _, ok := byTopic[t]; !ok {
				topics = append(topics, t)
			}
			byTopic[t] = append(byTopic[t], i)
			continue
		}
		if ses := x.PosterSession; ses == 1 || ses == 2 {
			size[ses]++
			count(topicOf(x))[ses]++
			lastBoard[ses] = max(lastBoard[ses], x.Board)
		}
		lastTalk = max(lastTalk, x.Spotlight)
	}
	// Biggest topics first; each paper to the smaller session, on a tie
	// to the one with fewer of its topic: sessions end at most one apart
	// when nothing was placed, and each topic split evenly.
	sort.SliceStable(topics, func(i, j int) bool { return len(byTopic[topics[i]]) > len(byTopic[topics[j]]) })
	var newcomers []int
	for _, t := range topics {
		idx := byTopic[t]
		sort.Slice(idx, func(i, j int) bool { return papers[idx[i]].Number < papers[idx[j]].Number })
		c := count(t)
		for _, i := range idx {
			ses := 1
			if size[2] < size[1] || (size[2] == size[1] && c[2] < c[1]) {
				ses = 2
			}
			papers[i].PosterSession = ses
			size[ses]++
			c[ses]++
			newcomers = append(newcomers, i)
		}
	}
	// Boards and talks in paper order, after the placed ones.
	sort.Slice(newcomers, func(i, j int) bool { return papers[newcomers[i]].Number < papers[newcomers[j]].Number })
	for _, i := range newcomers {
		x := &papers[i]
		lastBoard[x.PosterSession]++
		x.Board = lastBoard[x.PosterSession]
		if x.Presentation == string(venue.PresentSpotlight) {
			lastTalk++
			x.Spotlight = lastTalk
		}
	}
	sortProgramme(papers)
	return papers
}

// sortProgramme orders papers as the programme lists them: the talks in
// order, then the posters by session and board.
func sortProgramme(papers []Paper) {
	sort.SliceStable(papers, func(i, j int) bool {
		a, b := papers[i], papers[j]
		switch {
		case (a.Spotlight > 0) != (b.Spotlight > 0):
			return a.Spotlight > 0
		case a.Spotlight != b.Spotlight:
			return a.Spotlight < b.Spotlight
		case a.PosterSession != b.PosterSession:
			return a.PosterSession < b.PosterSession
		case a.Board != b.Board:
			return a.Board < b.Board
		}
		return a.Number < b.Number
	})
}

// arrange applies a chair's placement to the programme papers (every
// accepted paper, in its current place), leaving the papers hidden from
// the chair where they are. Problems name only papers the chair may see.
func arrange(papers []Paper, hidden map[int64]bool, pl Placement) ([]Paper, error) {
	out := make([]Paper, len(papers))
	copy(out, papers)
	visible := map[int]int{} // number -> index
	for i, x := range out {
		if !hidden[x.SubmissionID] {
			visible[x.Number] = i
		}
	}
	var fields []problem.FieldError
	bad := func(field, msg string) { fields = append(fields, problem.FieldError{Field: field, Message: msg}) }

	// The talks: the chair's order, with the talks of hidden papers at
	// the positions they had.
	var current []int
	for i, x := range out {
		if x.Spotlight > 0 {
			current = append(current, i)
		}
	}
	sort.Slice(current, func(a, b int) bool { return out[current[a]].Spotlight < out[current[b]].Spotlight })
	hiddenAt := map[int]int{}
	for pos, i := range current {
		if hidden[out[i].SubmissionID] {
			hiddenAt[pos] = i
		}
	}
	var chosen []int
	talk := map[int]bool{}
	for k, n := range pl.Spotlights {
		i, ok := visible[n]
		switch {
		case !ok:
			bad(fmt.Sprintf("spotlights[%d]", k), fmt.Sprintf("#%d is not an accepted paper", n))
		case talk[n]:
			bad(fmt.Sprintf("spotlights[%d]", k), fmt.Sprintf("#%d is given two talks", n))
		default:
			talk[n] = true
			chosen = append(chosen, i)
		}
	}
	var order []int
	for len(chosen) > 0 || len(hiddenAt) > 0 {
		if i, ok := hiddenAt[len(order)]; ok {
			delete(hiddenAt, len(order))
			order = append(order, i)
			continue
		}
		if len(chosen) == 0 { // hidden talks past the end of the list, in their order
			next := -1
			for pos := range hiddenAt {
				if next < 0 || pos < next {
					next = pos
				}
			}
			order = append(order, hiddenAt[next])
			delete(hiddenAt, next)
			continue
		}
		order = append(order, chosen[0])
		chosen = chosen[1:]
	}
	for i := range out {
		out[i].Spotlight = 0
	}
	for k, i := range order {
		out[i].Spotlight = k + 1
	}

	// Sessions and boards.
	for n := range pl.Posters {
		if _, ok := visible[n]; !ok {
			bad(fmt.Sprintf("posters.%d", n), fmt.Sprintf("#%d is not an accepted paper", n))
		}
	}
	for n, b := range pl.Boards {
		if _, ok := visible[n]; !ok {
			bad(fmt.Sprintf("boards.%d", n), fmt.Sprintf("#%d is not an accepted paper", n))
		} else if b < 0 {
			bad(fmt.Sprintf("boards.%d", n), "a board is a number from 1")
		}
	}
	type slot struct{ session, board int }
	claims := map[slot][]int{}
	var moved []int
	for i := range out {
		x := &out[i]
		if hidden[x.SubmissionID] {
			claims[slot{x.PosterSession, x.Board}] = append(claims[slot{x.PosterSession, x.Board}], i)
			continue
		}
		ses := pl.Posters[x.Number]
		if ses != 1 && ses != 2 {
			bad(fmt.Sprintf("posters.%d", x.Number), "every accepted paper needs poster session 1 or 2")
			continue
		}
		switch b := pl.Boards[x.Number]; {
		case b > 0:
			x.Board = b
		case ses != x.PosterSession || x.Board <= 0:
			x.Board = 0
			moved = append(moved, i)
		}
		x.PosterSession = ses
		if x.Board > 0 {
			claims[slot{ses, x.Board}] = append(claims[slot{ses, x.Board}], i)
		}
	}
	for at, idx := range claims {
		if len(idx) < 2 {
			continue
		}
		for _, i := range idx {
			if hidden[out[i].SubmissionID] {
				continue
			}
			var others []string
			for _, j := range idx {
				if j != i && !hidden[out[j].SubmissionID] {
					others = append(others, fmt.Sprintf("#%d", out[j].Number))
				}
			}
			msg := fmt.Sprintf("board %d of poster session %d is taken", at.board, at.session)
			if len(others) > 0 {
				msg = fmt.Sprintf("board %d of poster session %d is also %s's", at.board, at.session, strings.Join(others, " and "))
			}
			bad(fmt.Sprintf("boards.%d", out[i].Number), msg)
		}
	}
	if len(fields) > 0 {
		sort.Slice(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
		return nil, problem.Invalid("the programme was not changed", fields...)
	}
	// A poster that moved takes the next board at the end of its session.
	var last [3]int
	for _, x := range out {
		if x.PosterSession == 1 || x.PosterSession == 2 {
			last[x.PosterSession] = max(last[x.PosterSession], x.Board)
		}
	}
	sort.Slice(moved, func(a, b int) bool { return out[moved[a]].Number < out[moved[b]].Number })
	for _, i := range moved {
		last[out[i].PosterSession]++
		out[i].Board = last[out[i].PosterSession]
	}
	sortProgramme(out)
	return out, nil
}
