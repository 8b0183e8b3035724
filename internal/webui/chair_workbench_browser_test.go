package webui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestChairWorkbenchInChromium walks a chair through a review as an
// organiser would: a fair run read by name, one pair changed, committed;
// a paper opened from each list, its reviews read and its discussion
// joined; both papers decided at once from the table sorted by score; the
// release confirmed.
func TestChairWorkbenchInChromium(t *testing.T) {
	t.Parallel()
	s, ids := chairWorld(t)
	join(t, s, "val@vacant.example", "Val Vacant", "reviewer")
	tb := newTab(t, s)
	base := "/venues/dlde-2023/chair"
	tb.signIn("chair@example.org", base+"/assignment")
	tb.see("main h1", "Assignment")

	// A fair run, read by name and compared with the assignment now.
	tb.do("proposing a fair run", chromedp.Click(chromedp.CSS("#f-mode-fair")), chromedp.Click(chromedp.CSS("form[data-start-run] button[type=submit]")))
	tb.see("[data-run-summary]", "The proposal is ready.")
	tb.see("[data-diff-summary]", "6 pairs added", "0 pairs removed")
	tb.see(`table[data-papers] tr[data-paper="1"]`, "(")
	on1 := tb.text(`table[data-papers] tr[data-paper="1"]`)
	on2 := tb.text(`table[data-papers] tr[data-paper="2"]`)
	// Four reviewers, two papers of three: move one who reviews both (so
	// no minimum load breaks) off #1, for the one who is not on #1.
	from, to := "", ""
	for _, r := range []struct{ name, email string }{{"Rex Reviewer", "rex@rev.example"}, {"Fay Faraway", "fay@away.example"},
		{"Dan Distant", "dan@far.example"}, {"Val Vacant", "val@vacant.example"}} {
		switch {
		case !strings.Contains(on1, r.name):
			to = r.email
		case strings.Contains(on2, r.name) && from == "":
			from = r.email
		}
	}
	if from == "" || to == "" {
		t.Fatalf("#1 has %q and #2 %q; nobody to swap", on1, on2)
	}
	tb.checkAccessibility("a proposed run")
	tb.do("changing a pair",
		chromedp.SendKeys(chromedp.CSS("#f-number"), "1"),
		chromedp.SetValue(chromedp.CSS("#f-from"), from),
		chromedp.SetValue(chromedp.CSS("#f-to"), to),
		chromedp.Click(chromedp.CSS("form[data-change-form] button")))
	tb.see("[data-changes]", "#1: "+from+" → "+to)
	tb.see(`table[data-papers] tr[data-paper="1"]`, "your change")
	tb.checkAccessibility("a run with a change")
	tb.do("committing", chromedp.Click(chromedp.CSS("form[data-commit] button")))
	tb.see(".notice", "The proposal is now the venue's assignment")

	// Reviews come in from whoever is assigned now.
	csv := string(s.As(t, s.Login(t, "chair@example.org"), "GET", "/api/v1/venues/dlde-2023/assignments?format=csv", nil).Body)
	if !strings.Contains(csv, "1,review,"+to) || strings.Contains(csv, "1,review,"+from) {
		t.Fatalf("the change was not committed:\n%s", csv)
	}
	scores := map[int64]int{ids[0]: 5, ids[1]: 2}
	for _, line := range strings.Split(strings.TrimSpace(csv), "\n")[1:] {
		f := strings.Split(line, ",")
		id := ids[0]
		if f[0] == "2" {
			id = ids[1]
		}
		chairReview(t, s, f[2], id, scores[id])
	}

	// A paper from each list, with its reviews; a word in its discussion.
	paper := fmt.Sprintf("%s/papers/%d", base, ids[0])
	for _, list := range []string{"/submissions", "/progress", "/decisions"} {
		tb.open(base + list)
		tb.do("opening #1 from "+list, chromedp.Click(chromedp.CSS(`main a[href="`+paper+`"]`)))
		tb.see("main h1", "#1: Neural ODEs with Learned Step Sizes")
	}
	tb.see("[data-review-count]", "3 of 3 submitted", "5, 5, 5 (mean 5.00)")
	tb.see("[data-authors]", "Ada Author")
	tb.checkAccessibility("the paper page")
	tb.do("writing to the reviewers",
		chromedp.SendKeys(chromedp.CSS("#f-body"), "All three agree: accept?"),
		chromedp.Click(chromedp.CSS(`form[data-comment-form] button[value=discussion]`)))
	tb.see(".notice", "Your comment is posted.")
	tb.see("[data-comments]", "All three agree: accept?")
	tb.fitsPhone(paper)

	// Both papers decided at once, from the table sorted by score.
	tb.open(base + "/decisions")
	tb.do("sorting by mean", chromedp.Click(chromedp.CSS(`a[data-sort=mean]`)))
	tb.see(`th[aria-sort=descending]`, "Mean")
	if first := tb.eval(`document.querySelector("table[data-decision-table] tbody tr").dataset.row`); first != "1" {
		t.Errorf("the best paper is not first: #%s", first)
	}
	tb.checkAccessibility("the decision table")
	tb.do("deciding both",
		chromedp.Click(chromedp.CSS(`#f-n-1`)), chromedp.Click(chromedp.CSS(`#f-n-2`)),
		chromedp.SetValue(chromedp.CSS("#f-bulk-category"), "accept-poster"),
		chromedp.Click(chromedp.CSS("form[data-bulk] button")))
	tb.see(".notice", "The decisions on 2 papers were recorded.")
	tb.see("[data-decisions-summary]", "0")
	// The message the accepted authors get, rewritten and previewed first.
	poster := `details[data-mail-text="accept-poster"]`
	tb.do("writing the poster message",
		chromedp.Click(chromedp.CSS(poster+" summary")),
		chromedp.SetValue(chromedp.CSS("#f-text-accept-poster"), "Subject: {{.VenueName}}: bring a poster for #{{.Number}}\n\nDear {{.Name}},\n\n\"{{.Title}}\" is in the poster session.\n\n{{.Link}}\n"),
		chromedp.Click(chromedp.CSS(poster+` button[value=preview]`)))
	tb.see(poster+" [data-mail-preview]", "bring a poster for #7", "Dear Sam Sample")
	tb.checkAccessibility("a decision message's preview")
	tb.do("saving it", chromedp.Click(chromedp.CSS(poster+` button[value=save]`)))
	tb.see(".notice", "The message's text is saved")
	tb.see("[data-preview]", "bring a poster for #1", "bring a poster for #2")
	tb.do("releasing", chromedp.Click(chromedp.CSS("form[data-release-now] button")))
	tb.see("[data-release-confirm]", "2 messages to 1 author of 2 submissions", "Accept as a poster: 2")
	tb.checkAccessibility("the release confirmation")
	tb.do("confirming", chromedp.Click(chromedp.CSS("form[data-release-confirmed] button")))
	tb.see("[data-release-state]", "Released")
	if r := s.As(t, s.Login(t, "ada@uni.example"), "GET", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[1]), nil); r.StatusCode != http.StatusOK {
		t.Errorf("the author does not see the decision after the release: %d", r.StatusCode)
	}
	if m := s.WaitMail(t, "ada@uni.example", "bring a poster for #2"); !strings.Contains(m.Text, "Dear Ada Author,") {
		t.Errorf("the message sent is not the one written:\n%s", m.Text)
	}

	// The guide to the venue file, which the settings page links to.
	tb.open(base + "/settings")
	tb.do("opening the guide", chromedp.Click(chromedp.CSS(`main a[href="/docs/venue-file"]`)))
	tb.see("main h1", "Venues")
	tb.checkAccessibility("the venue file's guide")
	tb.fitsPhone("/docs/venue-file")
}
