package webui_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestChairFlowInChromium walks a chair through the pages with the script
// on: sign in, watch a run's progress move without a reload, propose and
// commit an assignment, read the plots once reviews are in, decide a paper
// and release. The main chair pages are checked for accessibility and for a
// phone's width.
func TestChairFlowInChromium(t *testing.T) {
	t.Parallel()
	s, ids := chairWorld(t)
	tb := newTab(t, s)
	base := "/venues/dlde-2023/chair"

	tb.open("/login?next=" + base)
	tb.do("signing in",
		chromedp.SendKeys(chromedp.CSS("#f-email"), "chair@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), apptest.Password),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	tb.see("main h1", "Chairing")
	tb.see("[data-stats]", "Submitted: 2", "0 of 6", "2 open")
	tb.checkAccessibility("the chair dashboard")

	// A run in progress, as a large venue has one: the script follows it
	// through the API and shows the result when it ends.
	ctx := context.Background()
	var runID int64
	if err := s.App.Pool.QueryRow(ctx, `INSERT INTO assignment_runs (venue_id, status, phase, progress, params, started_by, started_at)
		SELECT v.id, 'running', 'place', 0.4, '{}', u.id, now() FROM venues v, users u WHERE v.slug = 'dlde-2023' AND u.email = 'chair@example.org'
		RETURNING id`).Scan(&runID); err != nil {
		t.Fatal(err)
	}
	tb.open(base + "/assignment/runs/" + strconv.FormatInt(runID, 10))
	tb.see("[data-run-phase]", "Placing every review")
	tb.see("[data-run-percent]", "40%")
	tb.checkAccessibility("a running assignment run")
	if _, err := s.App.Pool.Exec(ctx, `UPDATE assignment_runs SET phase = 'optimise', progress = 0.7 WHERE id = $1`, runID); err != nil {
		t.Fatal(err)
	}
	tb.see("[data-run-phase]", "Improving the assignment")
	tb.see("[data-run-percent]", "70%")
	if v := tb.eval(`String(document.querySelector("[data-run-progress]").value)`); v != "70" {
		t.Errorf("the progress bar stands at %s", v)
	}
	if _, err := s.App.Pool.Exec(ctx, `UPDATE assignment_runs SET status = 'infeasible', explanation = 'Paper #7 has no reviewer left.' WHERE id = $1`, runID); err != nil {
		t.Fatal(err)
	}
	tb.see("[data-infeasible]", "No assignment is possible", "Paper #7 has no reviewer left.")

	// The real run.
	tb.open(base + "/assignment")
	tb.checkAccessibility("the assignment page")
	tb.do("proposing an assignment", chromedp.Click(chromedp.CSS("form[data-start-run] button[type=submit]")))
	tb.see("[data-run-summary]", "The proposal is ready.", "6 reviews in all")
	tb.see("table[data-reviewers]", "Rex Reviewer", "Fay Faraway", "Dan Distant")
	tb.checkAccessibility("the proposal")
	tb.do("committing", chromedp.Click(chromedp.CSS("form[data-commit] button")))
	tb.see(".notice", "The proposal is now the venue's assignment")

	chairReview(t, s, "rex@rev.example", ids[0], 5)
	chairReview(t, s, "fay@away.example", ids[0], 2)
	chairReview(t, s, "dan@far.example", ids[0], 4)
	tb.open(base + "/progress")
	tb.see("[data-progress-summary]", "3 of 6 reviews submitted")
	// A <title> is never visible: read it, and check the picture is drawn.
	for sel, want := range map[string]string{"figure[data-chart=scores-new-work] svg": "Overall recommendation in New work",
		"figure[data-chart=load] svg": "Reviews submitted and assigned"} {
		tb.do("waiting for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
		if got := tb.eval(`document.querySelector("` + sel + ` > title").textContent`); !strings.Contains(got, want) {
			t.Errorf("%s is titled %q", sel, got)
		}
	}
	if n := tb.eval(`String(document.querySelectorAll("figure[data-chart=scores-new-work] svg rect.bar").length)`); n != "5" {
		t.Errorf("the score chart has %s bars", n)
	}
	tb.see("table[data-papers] tbody tr:nth-child(1)", "Yes")
	tb.checkAccessibility("the progress page")

	tb.open(base + "/decisions")
	tb.see("[data-decisions-summary]", "2 submissions are still open")
	tb.checkAccessibility("the decisions page")
	row := `tr[data-row="1"]`
	tb.do("deciding #1",
		chromedp.SetValue(chromedp.CSS(row+" select"), "accept-poster"),
		chromedp.SendKeys(chromedp.CSS(row+` input[name=note]`), "Bring a poster."),
		chromedp.Click(chromedp.CSS(row+" button[type=submit]")))
	tb.see(".notice", "The decision on #1 was recorded.")
	tb.see(row+" [data-told]", "Not yet")
	tb.see("[data-preview]", "#1 to ada@uni.example", "is accepted (poster)")
	tb.do("releasing now", chromedp.Click(chromedp.CSS("form[data-release-now] button")))
	tb.see("[data-release-confirm]", "Release the decisions now?", "1 message to 1 author of 1 submission", "Accept as a poster: 1")
	tb.checkAccessibility("the release confirmation")
	tb.do("confirming", chromedp.Click(chromedp.CSS("form[data-release-confirmed] button")))
	tb.see(".notice", "The decisions are released")
	tb.see(row+" [data-told]", "Released")
	tb.see("[data-release-state]", "Released")

	for _, p := range []string{base, base + "/assignment", base + "/progress", base + "/decisions"} {
		tb.fitsPhone(p)
	}
}
