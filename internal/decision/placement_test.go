package decision

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/problem"
)

// accepted is n accepted papers #1..#n; those in spot ask for a talk, and
// odd numbers are about ODEs, even ones about PDEs.
func accepted(n int, spot ...int) []Paper {
	talk := map[int]bool{}
	for _, s := range spot {
		talk[s] = true
	}
	out := make([]Paper, n)
	for i := range out {
		x := Paper{SubmissionID: int64(100 + i + 1), Number: i + 1, Presentation: "poster", keywords: []string{"ODE"}}
		if (i+1)%2 == 0 {
			x.keywords = []string{"pde"}
		}
		if talk[i+1] {
			x.Presentation = "spotlight"
		}
		out[i] = x
	}
	return out
}

func byNumber(papers []Paper) map[int]Paper {
	m := map[int]Paper{}
	for _, x := range papers {
		m[x.Number] = x
	}
	return m
}

// checkBoards fails unless every paper is in session 1 or 2 and no two
// share a board.
func checkBoards(t *testing.T, papers []Paper) {
	t.Helper()
	seen := map[[2]int]int{}
	for _, x := range papers {
		if x.PosterSession != 1 && x.PosterSession != 2 || x.Board < 1 {
			t.Errorf("#%d is in session %d on board %d", x.Number, x.PosterSession, x.Board)
		}
		if n, ok := seen[[2]int{x.PosterSession, x.Board}]; ok {
			t.Errorf("#%d and #%d share board %d of session %d", n, x.Number, x.Board, x.PosterSession)
		}
		seen[[2]int{x.PosterSession, x.Board}] = x.Number
	}
}

// TestCompletePlacesEveryPaperNobodyPlaced: with nothing placed, the talks
// follow paper order, the posters split evenly (each topic over both
// sessions) with boards from 1 in paper order.
func TestCompletePlacesEveryPaperNobodyPlaced(t *testing.T) {
	t.Parallel()
	got := complete(accepted(7, 5, 2, 6))
	var talks []int
	var per [3][]int
	topic := map[string][3]int{}
	for _, x := range got {
		if x.Spotlight > 0 {
			talks = append(talks, x.Number)
			if x.Spotlight != len(talks) {
				t.Errorf("#%d is talk %d, want %d", x.Number, x.Spotlight, len(talks))
			}
		}
		per[x.PosterSession] = append(per[x.PosterSession], x.Number)
		c := topic[x.keywords[0]]
		c[x.PosterSession]++
		topic[x.keywords[0]] = c
	}
	if fmt.Sprint(talks) != "[2 5 6]" {
		t.Errorf("talks %v, want [2 5 6]", talks)
	}
	if len(per[1]) != 4 || len(per[2]) != 3 {
		t.Errorf("sessions %v and %v, want 4 and 3 papers", per[1], per[2])
	}
	for k, c := range topic {
		if d := c[1] - c[2]; d < -1 || d > 1 {
			t.Errorf("topic %s is split %d/%d", k, c[1], c[2])
		}
	}
	checkBoards(t, got)
	// Boards 1, 2, 3… in paper order within each session.
	for _, ses := range []int{1, 2} {
		var inOrder []int
		for _, x := range got {
			if x.PosterSession == ses {
				inOrder = append(inOrder, x.Number)
			}
		}
		sorted := append([]int(nil), inOrder...)
		sort.Ints(sorted)
		for i, n := range sorted {
			if byNumber(got)[n].Board != i+1 {
				t.Errorf("session %d: #%d is on board %d, want %d", ses, n, byNumber(got)[n].Board, i+1)
			}
		}
	}
}

// TestCompleteKeepsPlacedPapers: a placed paper never moves; a paper
// accepted later takes the next talk and a board after the last one of
// the smaller session.
func TestCompleteKeepsPlacedPapers(t *testing.T) {
	t.Parallel()
	papers := accepted(6, 1, 6)
	for i := range papers[:5] {
		papers[i].placed = true
	}
	b := byNumber(papers)
	set := func(n, talk, ses, board int) {
		x := b[n]
		x.Spotlight, x.PosterSession, x.Board = talk, ses, board
		papers[n-1] = x
	}
	set(1, 1, 2, 7) // the chair's numbering: boards need not start at 1
	set(2, 0, 1, 3)
	set(3, 0, 1, 1)
	set(4, 0, 2, 2)
	set(5, 2, 1, 2) // a poster paper the chair gave a talk
	got := byNumber(complete(papers))
	for n, want := range map[int][3]int{1: {1, 2, 7}, 2: {0, 1, 3}, 3: {0, 1, 1}, 4: {0, 2, 2}, 5: {2, 1, 2}, 6: {3, 2, 8}} {
		x := got[n]
		if [3]int{x.Spotlight, x.PosterSession, x.Board} != want {
			t.Errorf("#%d: talk %d, session %d, board %d; want %v", n, x.Spotlight, x.PosterSession, x.Board, want)
		}
	}
}

// TestArrangeAppliesTheChairsPlacement: talks in the chair's order,
// explicit boards kept, a poster moved without a board goes to the end of
// its new session, and one that stays keeps its board.
func TestArrangeAppliesTheChairsPlacement(t *testing.T) {
	t.Parallel()
	cur := complete(accepted(6, 1, 2))
	before := byNumber(cur)
	pl := Placement{Spotlights: []int{2, 1}, Posters: map[int]int{}, Boards: map[int]int{}}
	for _, x := range cur {
		pl.Posters[x.Number] = x.PosterSession
	}
	mover := 3
	pl.Posters[mover] = 3 - before[mover].PosterSession
	pl.Boards[4] = 40
	got, err := arrange(cur, nil, pl)
	if err != nil {
		t.Fatal(err)
	}
	checkBoards(t, got)
	after := byNumber(got)
	if after[2].Spotlight != 1 || after[1].Spotlight != 2 {
		t.Errorf("talks: #2 is %d, #1 is %d", after[2].Spotlight, after[1].Spotlight)
	}
	if after[4].Board != 40 {
		t.Errorf("#4 is on board %d, want 40", after[4].Board)
	}
	last := 0
	for _, x := range got {
		if x.PosterSession == after[mover].PosterSession && x.Number != mover {
			last = max(last, x.Board)
		}
	}
	if after[mover].PosterSession == before[mover].PosterSession || after[mover].Board != last+1 {
		t.Errorf("the moved poster is in session %d on board %d; want the other session, board %d", after[mover].PosterSession, after[mover].Board, last+1)
	}
	for _, n := range []int{1, 2, 5, 6} {
		if after[n].PosterSession != before[n].PosterSession || after[n].Board != before[n].Board {
			t.Errorf("#%d moved from %d/%d to %d/%d", n, before[n].PosterSession, before[n].Board, after[n].PosterSession, after[n].Board)
		}
	}
}

// TestArrangeRefusesAndHides: a taken board, a missing session and a
// paper hidden from the chair are refused, naming only what the chair
// may see; the hidden paper keeps its place and its talk's position.
func TestArrangeRefusesAndHides(t *testing.T) {
	t.Parallel()
	cur := complete(accepted(5, 1, 2, 3))
	hidden := map[int64]bool{102: true} // #2, talk 2
	h := byNumber(cur)[2]
	pl := Placement{Spotlights: []int{3, 1}, Posters: map[int]int{}, Boards: map[int]int{}}
	for _, x := range cur {
		if x.Number != 2 {
			pl.Posters[x.Number] = x.PosterSession
		}
	}
	got, err := arrange(cur, hidden, pl)
	if err != nil {
		t.Fatal(err)
	}
	after := byNumber(got)
	if after[3].Spotlight != 1 || after[2].Spotlight != 2 || after[1].Spotlight != 3 {
		t.Errorf("talks #3 %d, #2 %d, #1 %d; want 1, 2 (kept), 3", after[3].Spotlight, after[2].Spotlight, after[1].Spotlight)
	}
	if after[2].PosterSession != h.PosterSession || after[2].Board != h.Board {
		t.Errorf("the hidden paper moved to %d/%d", after[2].PosterSession, after[2].Board)
	}

	// #2 is hidden on board 1 of session 2; #4 is asked onto that board,
	// #3 is left without a session.
	if h.PosterSession != 2 || h.Board != 1 {
		t.Fatalf("the hidden paper is on %d/%d; the test expects 2/1", h.PosterSession, h.Board)
	}
	bad := Placement{Spotlights: []int{2, 9}, Posters: map[int]int{1: 1, 2: 1, 3: 3, 4: 2, 5: 1}, Boards: map[int]int{4: 1}}
	_, err = arrange(cur, hidden, bad)
	var pe *problem.Error
	if !errors.As(err, &pe) {
		t.Fatalf("a bad placement: %v", err)
	}
	msgs := map[string]string{}
	for _, f := range pe.Fields {
		msgs[f.Field] = f.Message
	}
	for field, want := range map[string]string{"spotlights[0]": "#2 is not an accepted paper", "spotlights[1]": "#9 is not an accepted paper",
		"posters.2": "#2 is not an accepted paper", "posters.3": "needs poster session 1 or 2"} {
		if !strings.Contains(msgs[field], want) {
			t.Errorf("%s: %q, want %q (all: %v)", field, msgs[field], want, msgs)
		}
	}
	taken := false
	for f, m := range msgs {
		if strings.HasPrefix(f, "boards.") && strings.Contains(m, "is taken") {
			taken = true
		}
		if strings.Contains(m, "#2's") {
			t.Errorf("a message names the hidden paper: %s: %s", f, m)
		}
	}
	if !taken {
		t.Errorf("the hidden paper's board was given away: %v", msgs)
	}
}
