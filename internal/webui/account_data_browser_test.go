package webui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestExportDataInChromium: from her profile Ada follows the export link
// (fetched by the page, as the download would be) and gets a ZIP whose
// first entry is account.json.
func TestExportDataInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	tb := newTab(t, s)
	tb.signIn("ada@uni.example", "/profile")
	tb.see("main", "Download your data")
	tb.checkAccessibility("/profile")
	got := tb.eval(`(() => {
		const a = document.querySelector('a[data-export]');
		const x = new XMLHttpRequest();
		x.open('GET', a.href, false);
		x.overrideMimeType('text/plain; charset=x-user-defined');
		x.send();
		const b = x.responseText;
		return [x.status, x.getResponseHeader('Content-Type'), b.slice(0, 2), b.indexOf('account.json') > 0, a.hasAttribute('download')].join(' ');
	})()`)
	if got != "200 application/zip PK true true" {
		t.Fatalf("the export link gave %q, not a ZIP with account.json", got)
	}
}

// TestDeleteAccountInChromium: Rex, who submitted a review, deletes his
// account from the page; he is signed out, and the chair still sees the
// review under its pseudonym, no longer under his name.
func TestDeleteAccountInChromium(t *testing.T) {
	t.Parallel()
	w := newRvWorld(t)
	w.assign(t)
	w.s.Clock.Set(rvReviewingAt)
	fields := map[string]any{"overall": 4, "confidence": 4, "summary": "A neat idea.", "strengths": "Clear.", "weaknesses": "Small experiments.", "confidential": "Possibly a resubmission."}
	if r := w.s.As(t, w.s.Login(t, rexEmail), "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", w.ids[0]), map[string]any{"fields": fields, "submit": true}); r.StatusCode != http.StatusOK {
		t.Fatalf("review: %s", r.Body)
	}
	tb := newTab(t, w.s)
	tb.signIn(rexEmail, "/account/delete")
	tb.see("main h1", "Delete your account")
	tb.see("main", "What the venues keep", "Reviewer 2")
	tb.checkAccessibility("/account/delete")
	tb.do("deleting the account",
		chromedp.SendKeys(chromedp.CSS("#f-password"), apptest.Password),
		chromedp.Click(chromedp.CSS("input[name=confirm]")),
		chromedp.Click(chromedp.CSS("form[data-delete] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-deleted]")))
	tb.see("main h1", "Your account is deleted")
	tb.open("/profile")
	tb.see("main h1", "Sign in")

	chair := newTab(t, w.s)
	chair.signIn("chair@example.org", fmt.Sprintf("/venues/dlde-2023/chair/papers/%d", w.ids[0]))
	chair.see("main", "Reviewer 1: Deleted user", "A neat idea.")
	if body := chair.text("main"); strings.Contains(body, "Rex Reviewer") {
		t.Error("the chair's paper page still names the deleted reviewer")
	}
}
