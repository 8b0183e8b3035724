package webui

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
)

// A proposed assignment is looked at before it is committed: who reviews
// what, by name, with affinity and bid; what changes from the assignment
// now; and pairs the chair changes. The changes live in the page's address
// (change=N:from:to, repeated) until the commit form carries them, so
// looking changes nothing and the back button works.

// runChanges reads the changes carried so far and the one the "change a
// pair" form adds, if it is complete.
func runChanges(c echo.Context) ([]matching.PairChange, manualChange) {
	var out []matching.PairChange
	form, _ := c.FormParams() // a body that cannot be read has no changes
	for _, raw := range form["change"] {
		if ch, ok := matching.ParsePairChange(raw); ok && !slices.Contains(out, ch) {
			out = append(out, ch)
		}
	}
	typed := manualChange{Number: strings.TrimSpace(form.Get("number")), From: strings.TrimSpace(form.Get("from")), To: strings.TrimSpace(form.Get("to"))}
	if typed.Number == "" && typed.From == "" && typed.To == "" {
		return out, typed
	}
	if ch, ok := matching.ParsePairChange(strings.TrimPrefix(typed.Number, "#") + ":" + typed.From + ":" + typed.To); ok {
		if !slices.Contains(out, ch) {
			out = append(out, ch)
		}
		return out, manualChange{}
	}
	return out, typed
}

// describe lays the run's proposal out for the page.
func (p *runPage) describe(run matching.EditedRun, editErr error) {
	prop := run.Proposal
	p.Pairs = len(prop.Pairs)
	p.Seconds = fmt.Sprintf("%.2f", prop.Seconds)
	p.ByPaper, p.ByReviewer = map[int][]pairView{}, map[int64][]int{}
	for _, x := range prop.Pairs {
		if x.Kept {
			p.Kept++
		}
		p.ByPaper[x.Number] = append(p.ByPaper[x.Number], pairView{Reviewer: x.Reviewer, Email: x.Email, Affinity: strconv.FormatFloat(x.Affinity, 'f', 2, 64),
			Bid: bidLabels[x.Bid], Kept: x.Kept, Changed: run.Changed[[2]int64{x.SubmissionID, x.ReviewerID}]})
		p.ByReviewer[x.ReviewerID] = append(p.ByReviewer[x.ReviewerID], x.Number)
	}
	perChange := map[string]string{}
	if editErr != nil {
		p.Errors = formErrorsOf(editErr, nil)
		var pe *problem.Error
		if errors.As(editErr, &pe) {
			for _, f := range pe.Fields {
				perChange[f.Field] = f.Message
			}
		}
	}
	for i, ch := range run.Changes {
		q := url.Values{}
		for j, other := range run.Changes {
			if j != i {
				q.Add("change", other.String())
			}
		}
		rm := p.Self
		if len(q) > 0 {
			rm += "?" + q.Encode()
		}
		p.Changes = append(p.Changes, changeView{PairChange: ch, Value: ch.String(), Remove: rm + "#changes", Error: perChange["change."+strconv.Itoa(i)]})
	}
}
