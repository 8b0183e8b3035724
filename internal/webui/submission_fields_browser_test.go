package webui_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestSubmissionFieldsInChromium: an author submits recently published
// work, answering where and when it appeared; a link that is not a web
// address is refused with the field named, the fixed form goes through;
// the chair reads every answer on the paper's page, the reviewer assigned
// to it only the reviewers' ones.
func TestSubmissionFieldsInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	s.CreateUser(t, "rex@rev.example", "Rex Reviewer", false)
	chair := s.Login(t, "chair@example.org")
	if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": "rex@rev.example", "role": "reviewer"}); r.StatusCode >= 300 {
		t.Fatalf("inviting: %s", r.Body)
	}
	link := apptest.LinkIn(t, s.WaitMail(t, "rex@rev.example", "nvit"), "/invitations/")
	if r := s.As(t, s.Login(t, "rex@rev.example"), "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("accepting: %s", r.Body)
	}

	tb := newTab(t, s)
	tb.signIn("ada@uni.example", "/venues/dlde-2023/submit")
	tb.see("main h1", "Submit to")
	tb.see(`[data-submission-field="published_link"]`, "Link to the published paper", "Recently published work only.", "Seen by the chairs only.")
	// With the script, the form asks only the chosen track's questions.
	tb.do("choosing new work", chromedp.SetValue(chromedp.CSS("#f-track"), "new-work"))
	hidden := `(sel) => { document.querySelector("#f-track").dispatchEvent(new Event("change")); return String(document.querySelector(sel).hidden) }`
	if got := tb.eval("(" + hidden + `)('[data-submission-field="published_link"]')`); got != "true" {
		t.Errorf("new work shows the published link's question (hidden: %s)", got)
	}
	if got := tb.eval("(" + hidden + `)('[data-submission-field="tldr"]')`); got != "false" {
		t.Errorf("new work hides the TL;DR (hidden: %s)", got)
	}
	tb.do("choosing recently published work", chromedp.SetValue(chromedp.CSS("#f-track"), "recently-published"))
	if got := tb.eval("(" + hidden + `)('[data-submission-field="published_link"]')`); got != "false" {
		t.Errorf("recently published work hides the published link's question (hidden: %s)", got)
	}
	tb.do("filling in a published paper with a bad link",
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Learned Step Sizes, Published"),
		chromedp.SendKeys(chromedp.CSS("#f-abstract"), "We learn step sizes for neural ODEs."),
		chromedp.SetValue(chromedp.CSS("#f-track"), "recently-published"),
		chromedp.SendKeys(chromedp.CSS("#f-fields-published_venue"), "Journal of Computational Physics 489"),
		chromedp.SendKeys(chromedp.CSS("#f-fields-published_year"), "2023"),
		chromedp.SendKeys(chromedp.CSS("#f-fields-published_link"), "doi.example.org/10.5555/jcp"),
		chromedp.SetValue(chromedp.CSS("#f-fields-topic_group"), "Deep learning to create or solve differential equations"),
		chromedp.SendKeys(chromedp.CSS("#f-fields-tldr"), "Step sizes learned per sample."),
		chromedp.SendKeys(chromedp.CSS("#f-fields-code"), "https://code.example.org/steps"),
		chromedp.Click(chromedp.CSS("#f-declaration")),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	tb.see("#f-fields-published_link-error", "is not a web address")
	if got := tb.eval(`String(document.querySelector('[data-submission-field="published_link"]').hidden)`); got != "false" {
		t.Errorf("the refused published paper's form hides its link (hidden: %s)", got)
	}
	if got := tb.eval(`document.querySelector("#f-fields-published_venue").value`); got != "Journal of Computational Physics 489" {
		t.Errorf("the refused form lost an answer: %q", got)
	}
	tb.checkAccessibility("the submit form with a refused answer")
	tb.do("fixing the link",
		chromedp.Clear(chromedp.CSS("#f-fields-published_link")),
		chromedp.SendKeys(chromedp.CSS("#f-fields-published_link"), "https://doi.example.org/10.5555/jcp"),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	tb.see("main h1", "Learned Step Sizes, Published")
	m := submissionURL.FindStringSubmatch(tb.location())
	if m == nil {
		t.Fatalf("the created submission is at %q", tb.location())
	}
	id := m[1]

	tb.see("[data-field-answers]", "Journal of Computational Physics 489", "https://doi.example.org/10.5555/jcp", "Step sizes learned per sample.")
	// The paper names no reviewing author yet: the chair sees it missing.
	ct := newTab(t, s)
	ct.rvSignIn("chair@example.org", "/venues/dlde-2023/chair")
	ct.see("[data-reciprocal]", "Reviewing authors", "0 of 1", "1 paper without one yet")
	ct.do("opening the reviewing authors", chromedp.Click(chromedp.CSS("[data-reciprocal] a")), chromedp.WaitVisible(chromedp.CSS("[data-reciprocal-state]")))
	ct.see("[data-missing]", "Learned Step Sizes, Published")
	ct.checkAccessibility("the reviewing authors")
	// The edit form keeps the answers; Ada names herself, the first
	// author, to review for the workshop.
	tb.open("/submissions/" + id + "/edit")
	if got := tb.eval(`document.querySelector("#f-fields-published_link").value`); got != "https://doi.example.org/10.5555/jcp" {
		t.Errorf("the edit form shows the link as %q", got)
	}
	tb.do("naming the reviewing author",
		chromedp.SetValue(chromedp.CSS("#f-fields-reviewing_author"), "author:0"),
		chromedp.Click(chromedp.CSS("#f-declaration")),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	tb.see(".notice", "The details were saved.")
	tb.see("[data-field-answers]", "Which of you reviews for the workshop", "ada@uni.example")
	ct.open("/venues/dlde-2023/chair/reciprocal")
	ct.see("[data-missing-none]", "every paper names its reviewing author")
	ct.see("[data-nominees]", "Ada Author", "#1", "Yes")

	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if r := s.As(t, s.Login(t, "ada@uni.example"), "PUT", "/api/v1/submissions/"+id+"/pdf", pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
		t.Fatalf("uploading: %s", r.Body)
	}
	s.Clock.Set(chairReviewingTime)
	chair = s.Login(t, "chair@example.org")
	if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": []map[string]any{{"number": 1, "email": "rex@rev.example", "assign": true}}}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("assigning: %s", r.Body)
	}

	ct.rvSignIn("chair@example.org", "/venues/dlde-2023/chair/papers/"+id)
	ct.see("[data-field-answers]", "Journal of Computational Physics 489", "2023", "https://doi.example.org/10.5555/jcp",
		"Deep learning to create or solve differential equations", "Step sizes learned per sample.", "https://code.example.org/steps")

	rt := newTab(t, s)
	rt.rvSignIn("rex@rev.example", "/venues/dlde-2023/review/"+id)
	rt.see("[data-field-answers]", "Where was it published?", "Journal of Computational Physics 489", "2023", "Deep learning to create or solve")
	page := rt.text("main")
	for _, hidden := range []string{"doi.example.org", "Step sizes learned per sample.", "code.example.org", "Ada Author"} {
		if strings.Contains(page, hidden) {
			t.Errorf("the reviewer's page shows %q", hidden)
		}
	}
	rt.checkAccessibility("the review page with the authors' answers")
}
