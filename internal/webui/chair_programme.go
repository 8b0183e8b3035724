package webui

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/schedule"
	"github.com/quirehq/quire/internal/venue"
)

// registerChairProgramme adds the chairs' programme: the spotlight talks in
// order and each poster session's boards, as one form. Every button saves
// the whole form with its one change (a talk earlier or later, a poster to
// the other session, a session's boards numbered afresh); the form's first
// button only saves, so Enter in a board field never moves anything.
func (u *ui) registerChairProgramme(e *echo.Echo) error {
	if err := u.addPages([]string{"chair_programme"}, "chair_partials"); err != nil {
		return err
	}
	g := "/venues/:slug/chair/programme"
	e.GET(g, u.signedIn(u.chairProgramme))
	e.POST(g, u.form(u.chairSaveProgramme))
	return nil
}

type programmeTalk struct {
	Position     int
	Number       int
	SubmissionID int64
	Title        string
	// Slot is the schedule item the talk fills ("09:30 Spotlight"), or ""
	// when the schedule has no free spotlight slot for it.
	Slot        string
	First, Last bool
}

type programmePoster struct {
	Number       int
	SubmissionID int64
	Title        string
	Board        string // as typed, so a refused form shows it back
	Talk         bool
}

type programmeSession struct {
	Session    int
	Title      string
	When       string
	Other      int
	OtherTitle string
	Posters    []programmePoster
}

type programmePage struct {
	Head     chairHead
	Released bool
	Talks    []programmeTalk
	Sessions []programmeSession
	// FreeSlots counts the schedule's spotlight slots; Missing the talks
	// left without one.
	FreeSlots, Missing int
	Empty              bool
	Errors             *formErrors
}

// programmeModel builds the page from the papers in their places (boards
// as typed, for a refused form) and the day they fill.
func programmeModel(head chairHead, papers []decision.Paper, boards map[int]string, day schedule.Day, released bool) programmePage {
	p := programmePage{Head: head, Released: released, Empty: len(papers) == 0}
	slotOf := map[int]string{}
	sessionItem := map[int]schedule.Item{}
	for _, it := range day.Items {
		if it.Kind == venue.ItemSpotlight {
			p.FreeSlots++
		}
		if it.Paper != nil {
			slotOf[it.Paper.Number] = it.StartLocal + " " + it.Title
			if it.Kind == venue.ItemSpotlight {
				slotOf[it.Paper.Number] = it.StartLocal + " spotlight slot (" + it.ID + ")"
			}
		}
		if it.Kind == venue.ItemPosters && it.Session > 0 {
			sessionItem[it.Session] = it
		}
	}
	talks := make([]decision.Paper, 0, len(papers))
	for _, x := range papers {
		if x.Spotlight > 0 {
			talks = append(talks, x)
		}
	}
	sort.SliceStable(talks, func(i, j int) bool { return talks[i].Spotlight < talks[j].Spotlight })
	for i, x := range talks {
		t := programmeTalk{Position: i + 1, Number: x.Number, SubmissionID: x.SubmissionID, Title: x.Title, Slot: slotOf[x.Number],
			First: i == 0, Last: i == len(talks)-1}
		if t.Slot == "" {
			p.Missing++
		}
		p.Talks = append(p.Talks, t)
	}
	for ses := 1; ses <= 2; ses++ {
		s := programmeSession{Session: ses, Title: "Poster session " + strconv.Itoa(ses), Other: 3 - ses, OtherTitle: "poster session " + strconv.Itoa(3-ses)}
		if it, ok := sessionItem[ses]; ok {
			s.Title, s.When = it.Title, it.StartLocal+"–"+it.EndLocal+" ("+day.TimeZone+")"
		}
		if it, ok := sessionItem[3-ses]; ok {
			s.OtherTitle = it.Title
		}
		var here []decision.Paper
		for _, x := range papers {
			if x.PosterSession == ses {
				here = append(here, x)
			}
		}
		sort.SliceStable(here, func(i, j int) bool {
			if here[i].Board != here[j].Board {
				return here[i].Board < here[j].Board
			}
			return here[i].Number < here[j].Number
		})
		for _, x := range here {
			b, ok := boards[x.Number]
			if !ok {
				b = strconv.Itoa(x.Board)
			}
			s.Posters = append(s.Posters, programmePoster{Number: x.Number, SubmissionID: x.SubmissionID, Title: x.Title, Board: b, Talk: x.Spotlight > 0})
		}
		p.Sessions = append(p.Sessions, s)
	}
	return p
}

// programmeData is what the page shows: the papers the chair may see, in
// their places, and the day they fill.
func (u *ui) programmeData(c echo.Context, rec venue.Record, s *session) ([]decision.Paper, schedule.Day, bool, error) {
	ctx := c.Request().Context()
	papers, err := u.Decisions.Programme(ctx, rec, s.P.UserID)
	if err != nil {
		return nil, schedule.Day{}, false, err
	}
	day, err := u.Schedule.Get(ctx, rec.Slug, &s.P)
	if err != nil {
		return nil, schedule.Day{}, false, err
	}
	released, err := u.Decisions.Released(ctx, u.DB, rec.ID)
	return papers, day, released, err
}

func (u *ui) chairProgramme(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "programme")
	if err != nil {
		return err
	}
	papers, day, released, err := u.programmeData(c, rec, s)
	if err != nil {
		return err
	}
	notice := ""
	switch q := c.QueryParams(); {
	case q.Get("moved") != "":
		notice = "#" + q.Get("moved") + " moved to the other poster session, on the board after its last. The programme is saved."
	case q.Get("renumbered") != "":
		notice = "The boards of poster session " + q.Get("renumbered") + " are numbered 1, 2, 3… in their order. The programme is saved."
	case q.Get("talk") != "":
		notice = "The talk of #" + q.Get("talk") + " moved. The programme is saved."
	case q.Get("saved") != "":
		notice = "The programme is saved."
	}
	return u.render(c, http.StatusOK, "chair_programme", view{Title: "Programme · " + rec.Name, S: s, Notice: notice,
		Page: programmeModel(head, papers, nil, day, released)})
}

// postedProgramme is the form read back: the talks in order, each visible
// paper's session and board (a paper the form did not have, accepted
// meanwhile, keeps its place), with the one change its button asks for.
type postedProgramme struct {
	placement decision.Placement
	boards    map[int]string // as typed
	done      url.Values     // what the notice after saving says
	bad       []problem.FieldError
}

func readProgramme(c echo.Context, papers []decision.Paper) postedProgramme {
	form, _ := c.FormParams()
	out := postedProgramme{placement: decision.Placement{Posters: map[int]int{}, Boards: map[int]int{}}, boards: map[int]string{}, done: url.Values{"saved": {"1"}}}
	known := map[int]decision.Paper{}
	for _, x := range papers {
		known[x.Number] = x
	}
	var talks []int
	for _, v := range form["talk"] {
		if n, err := strconv.Atoi(v); err == nil {
			talks = append(talks, n)
		}
	}
	num := func(k string) int {
		n, _ := strconv.Atoi(form.Get(k))
		return n
	}
	for _, x := range papers {
		key := strconv.Itoa(x.Number)
		ses := num("session." + key)
		if _, posted := form["session."+key]; !posted {
			ses = x.PosterSession
			if x.Spotlight > 0 {
				talks = append(talks, x.Number) // accepted since the form was shown
			}
		}
		out.placement.Posters[x.Number] = ses
		raw, posted := form["board."+key]
		if !posted {
			out.placement.Boards[x.Number] = x.Board
			continue
		}
		b := strings.TrimSpace(raw[0])
		out.boards[x.Number] = b
		if b == "" {
			continue // the next free board
		}
		n, err := strconv.Atoi(b)
		if err != nil || n < 1 {
			out.bad = append(out.bad, problem.FieldError{Field: "boards." + key, Message: "a board is a whole number from 1"})
			continue
		}
		out.placement.Boards[x.Number] = n
	}
	swap := func(i, j int) {
		if i >= 0 && j >= 0 && i < len(talks) && j < len(talks) {
			talks[i], talks[j] = talks[j], talks[i]
		}
	}
	index := func(n int) int {
		for i, m := range talks {
			if m == n {
				return i
			}
		}
		return -1
	}
	switch {
	case form.Get("up") != "":
		if i := index(num("up")); i > 0 {
			swap(i, i-1)
			out.done = url.Values{"talk": {form.Get("up")}}
		}
	case form.Get("down") != "":
		if i := index(num("down")); i >= 0 {
			swap(i, i+1)
			out.done = url.Values{"talk": {form.Get("down")}}
		}
	case form.Get("move") != "":
		n := num("move")
		if ses := out.placement.Posters[n]; ses == 1 || ses == 2 {
			out.placement.Posters[n] = 3 - ses
			delete(out.placement.Boards, n)
			delete(out.boards, n)
			out.done = url.Values{"moved": {strconv.Itoa(n)}}
		}
	case form.Get("renumber") != "":
		ses := num("renumber")
		var here []int
		for n, s := range out.placement.Posters {
			if s == ses {
				here = append(here, n)
			}
		}
		sort.Slice(here, func(i, j int) bool {
			bi, bj := out.placement.Boards[here[i]], out.placement.Boards[here[j]]
			if bi == 0 {
				bi = int(^uint(0) >> 1) // a blank board goes last
			}
			if bj == 0 {
				bj = int(^uint(0) >> 1)
			}
			if bi != bj {
				return bi < bj
			}
			return here[i] < here[j]
		})
		for i, n := range here {
			out.placement.Boards[n] = i + 1
			delete(out.boards, n)
		}
		out.done = url.Values{"renumbered": {strconv.Itoa(ses)}}
	}
	out.placement.Spotlights = talks
	return out
}

func (u *ui) chairSaveProgramme(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "programme")
	if err != nil {
		return err
	}
	papers, day, released, err := u.programmeData(c, rec, s)
	if err != nil {
		return err
	}
	posted := readProgramme(c, papers)
	if len(posted.bad) == 0 {
		err = u.Decisions.SetProgramme(c.Request().Context(), rec.Slug, s.P, posted.placement, c.RealIP())
		if err == nil {
			return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "programme", posted.done))
		}
	} else {
		err = problem.Invalid("the programme was not changed", posted.bad...)
	}
	if !inputError(err) {
		return err
	}
	// Shown back as posted: the talks in the posted order, sessions and
	// boards as typed.
	shown := make([]decision.Paper, len(papers))
	copy(shown, papers)
	pos := map[int]int{}
	for i, n := range posted.placement.Spotlights {
		if _, seen := pos[n]; !seen {
			pos[n] = i + 1
		}
	}
	for i := range shown {
		x := &shown[i]
		x.Spotlight = pos[x.Number]
		if ses := posted.placement.Posters[x.Number]; ses == 1 || ses == 2 {
			x.PosterSession = ses
		}
		x.Board = posted.placement.Boards[x.Number]
	}
	p := programmeModel(head, shown, posted.boards, day, released)
	p.Errors = formErrorsOf(err, nil)
	return u.render(c, http.StatusBadRequest, "chair_programme", view{Title: "Programme · " + rec.Name, S: s, Page: p})
}
