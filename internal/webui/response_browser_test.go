package webui_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
)

// TestAuthorWritesAResponseInChromium: in the author response phase an
// author reads the review on their submission's page, writes a response,
// saves a draft, then submits it; the reviewer is told by mail and reads it
// on their review page.
func TestAuthorWritesAResponseInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	chair := s.Login(t, "chair@example.org")
	y := strings.ReplaceAll(string(venue.DemoYAML()), "reviews_per_paper: 3", "reviews_per_paper: 1")
	y = strings.Replace(y, "  review: 2023-10-18 AoE\n", "  review: 2023-10-18 AoE\n  author_response: 2023-10-21 AoE\n", 1)
	if r := s.As(t, chair, "PATCH", "/api/v1/venues/dlde-2023", map[string]string{"settings_yaml": y}); r.StatusCode != http.StatusOK {
		t.Fatalf("settings: %s", r.Body)
	}
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	s.CreateUser(t, "rex@rev.example", "Rex Reviewer", false)
	ada, rex := s.Login(t, "ada@uni.example"), s.Login(t, "rex@rev.example")
	r := s.As(t, ada, "POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{"title": "Neural ODEs with Learned Step Sizes", "abstract": "About step sizes.",
		"track": "new-work", "declaration": true, "authors": []map[string]string{{"name": "Ada Author", "email": "ada@uni.example"}}})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("submission: %s", r.Body)
	}
	id := int64(r.Map(t)["id"].(float64))
	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if r := s.As(t, ada, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
		t.Fatalf("upload: %s", r.Body)
	}
	s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": "rex@rev.example", "role": "reviewer"})
	link := apptest.LinkIn(t, s.WaitMail(t, "rex@rev.example", "nvit"), "/invitations/")
	if r := s.As(t, rex, "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("accept: %s", r.Body)
	}
	if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": []map[string]any{{"number": 1, "email": "rex@rev.example", "assign": true}}}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("assign: %s", r.Body)
	}
	s.Clock.Set(time.Date(2023, 10, 14, 12, 0, 0, 0, time.UTC))
	rex = s.Login(t, "rex@rev.example")
	review := map[string]any{"overall": 3, "confidence": 4, "summary": "Promising.", "strengths": "Clear.", "weaknesses": "The experiments are small.", "confidential": "-"}
	if r := s.As(t, rex, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", id), map[string]any{"fields": review, "submit": true}); r.StatusCode != http.StatusOK {
		t.Fatalf("review: %s", r.Body)
	}
	s.Clock.Set(time.Date(2023, 10, 19, 12, 0, 0, 0, time.UTC)) // the response phase

	tb := newTab(t, s)
	page := fmt.Sprintf("/submissions/%d", id)
	tb.rvSignIn("ada@uni.example", page)
	tb.see(`[data-reviews]`, "The experiments are small.")
	tb.see(`[data-response]`, "21 October 2023, Anywhere on Earth")
	tb.do("writing a draft", chromedp.SendKeys(chromedp.CSS("#f-body"), "We ran the larger experiment."),
		chromedp.Click(chromedp.CSS(`[data-response-form] button[name=save]`)))
	tb.see(`.notice`, "saved as a draft")
	tb.do("finishing and submitting", chromedp.SetValue(chromedp.CSS("#f-body"), "We ran the larger experiment. See table 2."),
		chromedp.Click(chromedp.CSS(`[data-response-form] button[name=submit]`)))
	tb.see(`.notice`, "submitted: the reviewers are told")
	tb.see(`#f-body`)
	if got := tb.eval(`document.querySelector("#f-body").value`); got != "We ran the larger experiment. See table 2." {
		t.Fatalf("the response reads %q", got)
	}
	tb.checkAccessibility("the author's response form")
	s.WaitMail(t, "rex@rev.example", "responded to the reviews")

	tb.rvSignIn("rex@rev.example", fmt.Sprintf("/venues/dlde-2023/review/%d", id))
	tb.see(`[data-author-response]`, "We ran the larger experiment. See table 2.")
}
