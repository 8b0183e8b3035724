package webui

import (
	"errors"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
)

// runForm is the automatic assignment's form as typed (weights stay text,
// so a bad one is shown back as it was).
type runForm struct {
	Affinity, Bid, External string
	KeepExisting            bool
	// Mode is optimal or randomized; MaxProb and Seed belong to the latter.
	Mode, MaxProb, Seed string
}

// manualForm is one manual change as typed.
type manualForm struct {
	Number, Email, Action string
}

type assignmentPage struct {
	Head      chairHead
	Run       runForm
	Manual    manualForm
	RunErrors *formErrors
	ManErrors *formErrors
	// Modes compares the latest finished runs' score distributions.
	Modes      []modeRun
	ModesChart template.HTML
	// Capacity is the pool's stated loads against the papers' needs.
	Capacity *matching.PoolCapacity
}

func defaultRunForm() runForm { return runForm{Affinity: "1", Bid: "1", External: "0.5"} }

func (u *ui) chairAssignment(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "assignment")
	if err != nil {
		return err
	}
	runs, err := u.Matching.RecentScores(c.Request().Context(), rec.Slug, s.P, 6)
	if err != nil {
		return err
	}
	pc, err := u.Matching.PoolCapacity(c.Request().Context(), rec.Slug, s.P)
	if err != nil {
		return err
	}
	page := assignmentPage{Head: head, Run: defaultRunForm(), Manual: manualForm{Action: "assign"}, Modes: modeRuns(runs), Capacity: &pc}
	if len(page.Modes) > 0 {
		page.ModesChart = modesChart("modes-chart", page.Modes)
	}
	v := view{Title: "Assignment · " + rec.Name, S: s, Page: page}
	if c.QueryParam("changed") != "" {
		v.Notice = "The assignment was changed."
	}
	return u.render(c, http.StatusOK, "chair_assignment", v)
}

// parseWeights reads the run form, naming each bad weight.
func parseWeights(f runForm) (matching.Params, error) {
	p := matching.Params{KeepExisting: f.KeepExisting}
	var bad []problem.FieldError
	for _, w := range []struct {
		field, text string
		into        *float64
	}{{"affinity_weight", f.Affinity, &p.AffinityWeight}, {"bid_weight", f.Bid, &p.BidWeight}, {"external_weight", f.External, &p.ExternalWeight}} {
		t := strings.TrimSpace(w.text)
		if t == "" {
			continue
		}
		x, err := strconv.ParseFloat(t, 64)
		if err != nil || x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			bad = append(bad, problem.FieldError{Field: w.field, Message: "must be a number, 0 or more"})
			continue
		}
		*w.into = x
	}
	if p.ExternalWeight > 1 {
		bad = append(bad, problem.FieldError{Field: "external_weight", Message: "must be at most 1 (1: the uploaded scores alone)"})
	}
	if f.Mode == matching.ModeFair {
		p.Mode = matching.ModeFair
	}
	if f.Mode == matching.ModeRandomized {
		p.Mode = matching.ModeRandomized
		if t := strings.TrimSpace(f.MaxProb); t != "" {
			x, err := strconv.ParseFloat(t, 64)
			if err != nil || x <= 0 || x > 1 {
				bad = append(bad, problem.FieldError{Field: "max_probability", Message: "must be a probability above 0 and at most 1, such as 0.5"})
			}
			p.MaxProbability = x
		}
		if t := strings.TrimSpace(f.Seed); t != "" {
			s, err := strconv.ParseUint(t, 10, 53)
			if err != nil || s == 0 {
				bad = append(bad, problem.FieldError{Field: "seed", Message: "must be a whole number from 1, or empty for a new draw"})
			}
			p.Seed = s
		}
	}
	if len(bad) > 0 {
		return p, problem.Invalid("some weights are not usable", bad...)
	}
	return p, nil
}

func (u *ui) chairStartRun(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "assignment")
	if err != nil {
		return err
	}
	f := runForm{Affinity: c.FormValue("affinity_weight"), Bid: c.FormValue("bid_weight"), External: c.FormValue("external_weight"),
		KeepExisting: c.FormValue("keep_existing") != "", Mode: c.FormValue("mode"), MaxProb: c.FormValue("max_probability"), Seed: c.FormValue("seed")}
	params, err := parseWeights(f)
	var id int64
	if err == nil {
		id, err = u.Matching.StartRun(c.Request().Context(), rec.Slug, s.P, params)
	}
	if err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.render(c, status, "chair_assignment", view{Title: "Assignment · " + rec.Name, S: s,
			Page: assignmentPage{Head: head, Run: f, Manual: manualForm{Action: "assign"}, RunErrors: formErrorsOf(err, nil)}})
	}
	return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "assignment/runs/"+strconv.FormatInt(id, 10), nil))
}

// manualErrors puts what went wrong with a manual change next to its
// field: the service reports each change as "line 1", whatever was wrong.
func manualErrors(err error, email string) *formErrors {
	var pe *problem.Error
	if !errors.As(err, &pe) || len(pe.Fields) == 0 {
		return formErrorsOf(err, nil)
	}
	fields := make([]problem.FieldError, 0, len(pe.Fields))
	for _, f := range pe.Fields {
		if f.Field != "number" {
			f.Field = "email"
			if email != "" && strings.HasPrefix(f.Message, email+" ") {
				// Said next to the field, the address need not be repeated.
				f.Message = "this" + strings.TrimPrefix(f.Message, email)
			}
			if strings.HasPrefix(f.Message, "no submission") {
				f.Field = "number"
			}
		}
		fields = append(fields, f)
	}
	return formErrorsOf(problem.Invalid(pe.Detail, fields...), nil)
}

func (u *ui) chairManual(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "assignment")
	if err != nil {
		return err
	}
	f := manualForm{Number: strings.TrimSpace(c.FormValue("number")), Email: strings.TrimSpace(c.FormValue("email")), Action: c.FormValue("action")}
	n, err := strconv.Atoi(strings.TrimPrefix(f.Number, "#"))
	if err != nil || n <= 0 {
		err = problem.Invalid("the submission number is missing", problem.FieldError{Field: "number", Message: "must be a submission number, like 12"})
	} else {
		err = u.Matching.Apply(c.Request().Context(), rec.Slug, s.P, []matching.Change{{Number: n, Email: f.Email, Assign: f.Action != "unassign"}}, "manual", c.RealIP())
	}
	if err != nil {
		if !inputError(err) {
			return err
		}
		status, _, _ := describe(err)
		return u.render(c, status, "chair_assignment", view{Title: "Assignment · " + rec.Name, S: s,
			Page: assignmentPage{Head: head, Run: defaultRunForm(), Manual: f, ManErrors: manualErrors(err, f.Email)}})
	}
	return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "assignment", url.Values{"changed": {"1"}}))
}

type runPage struct {
	Head        chairHead
	ID          int64
	Status      string
	Phase       string
	Percent     int
	Running     bool
	Explanation string
	Poll        string
	Self        string
	Commit      string
	Proposal    *matching.Proposal
	Pairs       int
	Kept        int
	Seconds     string
	// The proposal by paper and by reviewer, with names, as it stands
	// after the chair's changes.
	ByPaper    map[int][]pairView
	ByReviewer map[int64][]int
	Diff       matching.Diff
	Changes    []changeView
	Change     manualChange
	Errors     *formErrors
	// Pool is every reviewer of the venue, for the change form's list.
	Pool []chairOption
}

type pairView struct {
	Reviewer, Email string
	Affinity        string
	Bid             string
	Kept, Changed   bool
}

// changeView is one of the chair's changes, carried from look to look in
// the address until the commit.
type changeView struct {
	matching.PairChange
	Value  string
	Remove string // the page without this change
	Error  string
}

// manualChange is the "change a pair" form as typed.
type manualChange struct{ Number, From, To string }

var bidLabels = map[string]string{"eager": "eager", "willing": "willing", "pinch": "in a pinch", "": "no bid"}

// runPhases say in words what the solver (assignment.Phase) is doing.
var runPhases = map[string]string{"": "Starting", "check": "Checking that an assignment exists", "place": "Placing every review",
	"optimise": "Improving the assignment", "done": "Done"}

func runID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("run"), 10, 64)
	if err != nil || id <= 0 {
		return 0, problem.New(problem.ErrNotFound, "run_not_found", "there is no such assignment run in this venue")
	}
	return id, nil
}

func (u *ui) chairRun(c echo.Context, s *session) error {
	rec, head, err := u.chairVenue(c, s, "assignment")
	if err != nil {
		return err
	}
	id, err := runID(c)
	if err != nil {
		return err
	}
	changes, typed := runChanges(c)
	run, editErr := u.Matching.EditRun(c.Request().Context(), rec.Slug, s.P, id, changes)
	if editErr != nil && !inputError(editErr) {
		return editErr
	}
	runBase := "assignment/runs/" + strconv.FormatInt(id, 10)
	p := runPage{Head: head, ID: id, Status: run.Status, Phase: run.Phase, Percent: int(run.Progress*100 + 0.5), Running: run.Status == "running",
		Explanation: run.Explanation, Proposal: run.Proposal, Self: chairPath(rec.Slug, runBase, nil), Commit: chairPath(rec.Slug, runBase+"/commit", nil),
		Poll: "/api/v1/venues/" + url.PathEscape(rec.Slug) + "/assignment-runs/" + strconv.FormatInt(id, 10), Diff: run.Diff, Change: typed}
	if l, ok := runPhases[run.Phase]; ok {
		p.Phase = l
	}
	if run.Proposal != nil {
		p.describe(run, editErr)
		pool, err := u.Matching.Pool(c.Request().Context(), rec.Slug, s.P)
		if err != nil {
			return err
		}
		for _, r := range pool {
			p.Pool = append(p.Pool, chairOption{Value: r.Email, Label: r.Name})
		}
	}
	v := view{Title: "Assignment run " + strconv.FormatInt(id, 10) + " · " + rec.Name, S: s, Page: p}
	if c.QueryParam("committed") != "" && run.Status == "committed" {
		v.Notice = "The proposal is now the venue's assignment; reviewers see their papers."
	}
	return u.render(c, http.StatusOK, "chair_run", v)
}

func (u *ui) chairCommitRun(c echo.Context, s *session) error {
	rec, _, err := u.chairVenue(c, s, "assignment")
	if err != nil {
		return err
	}
	id, err := runID(c)
	if err != nil {
		return err
	}
	changes, _ := runChanges(c)
	if err := u.Matching.CommitEditedRun(c.Request().Context(), rec.Slug, s.P, id, changes, c.RealIP()); err != nil {
		if !inputError(err) || len(changes) == 0 {
			return err
		}
		// A change that no longer holds: back to the run, which says why.
		q := url.Values{}
		for _, ch := range changes {
			q.Add("change", ch.String())
		}
		return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "assignment/runs/"+strconv.FormatInt(id, 10), q)+"#changes")
	}
	return c.Redirect(http.StatusSeeOther, chairPath(rec.Slug, "assignment/runs/"+strconv.FormatInt(id, 10), url.Values{"committed": {"1"}}))
}
