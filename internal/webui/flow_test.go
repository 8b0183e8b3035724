package webui_test

import (
	"context"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
)

func corpusFile(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "pdfcheck", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The countdown runs from the server's clock (a fake one, in 2023) rather
// than the browser's: eight days before the deadline, give or take the
// seconds the test takes.
var countdown = regexp.MustCompile(`^(8 days 0 hours 0 minutes|7 days 23 hours 59 minutes) \d+ seconds? left$`)

// TestAuthorFlowInChromium walks an author through the pages in a real
// browser with its script on: sign up, confirm the address, sign in, find
// the venue, submit, upload a PDF over the limit and read why it was
// refused, fix it, and see the refused upload leave the good one alone.
// Every main page is checked for accessibility and for a phone's width.
func TestAuthorFlowInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	tb := newTab(t, s)
	const email, password = "ada@uni.example", "a long and unguessable passphrase"

	tb.open("/")
	tb.checkAccessibility("the start page")
	tb.do("following the sign-up link", chromedp.Click(chromedp.CSS(`main a[href="/register"]`)), chromedp.WaitVisible(chromedp.CSS("#f-name")))
	tb.checkAccessibility("the sign-up page")
	tb.do("signing up",
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Ada Author"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-affiliation"), "University of Examples"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	tb.see("main h1", "Check your inbox")

	link, err := url.Parse(apptest.LinkIn(t, s.WaitMail(t, email, ""), "/verify"))
	if err != nil {
		t.Fatal(err)
	}
	tb.open(link.RequestURI())
	tb.checkAccessibility("the confirmation page")
	tb.do("confirming", chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	tb.see("main h1", "Your email address is confirmed")

	tb.do("signing in",
		chromedp.Click(chromedp.CSS(`main a[href="/login"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-email")))
	tb.checkAccessibility("the sign-in page")
	tb.do("signing in",
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	tb.see("main h1", "Your venues")
	tb.see("header nav", "Signed in as Ada Author")

	tb.open("/venues/dlde-2023")
	tb.see("[data-next-deadline]", "Submission deadline")
	// Written by the script, in the browser's zone: 11:59:59 UTC is 20:59:59 in Tokyo.
	tb.see(`[data-deadline="submission"] .local`, "Your time (Asia/Tokyo)", "Oct 9, 2023", "8:59:59")
	if got := tb.text("[data-next-deadline] .countdown"); !countdown.MatchString(got) {
		t.Errorf("the countdown says %q", got)
	}
	tb.checkAccessibility("the venue page")

	tb.do("opening the submission form", chromedp.Click(chromedp.CSS(`a[href="/venues/dlde-2023/submit"]`)), chromedp.WaitVisible(chromedp.CSS("#f-title")))
	if v, _ := chromedp.Run(tb.step(), chromedp.Value(chromedp.CSS("#f-authors-0-email"))); v != email {
		t.Errorf("the first author row holds %q, not the author", v)
	}
	tb.checkAccessibility("the submission form")
	tb.do("filling in the form",
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Neural ODEs with Learned Step Sizes"),
		chromedp.SendKeys(chromedp.CSS("#f-abstract"), "We learn adaptive step sizes for neural ODEs."),
		chromedp.SendKeys(chromedp.CSS("#f-authors-1-name"), "Bob Coauthor"),
		chromedp.SendKeys(chromedp.CSS("#f-authors-1-email"), "bob@lab.example"),
		chromedp.SendKeys(chromedp.CSS("#f-keywords"), "neural differential equations, hypersolvers"),
		chromedp.SetValue(chromedp.CSS("#f-track"), "new-work"),
		chromedp.Click(chromedp.CSS("#f-declaration")),
		// The script offers a seventh row; a blank one is ignored.
		chromedp.Click(chromedp.CSS("[data-add-author]")),
		chromedp.WaitVisible(chromedp.CSS("#f-authors-6-name")),
		chromedp.Click(chromedp.CSS(`main form > button[type=submit]`)))
	tb.see(".notice", "Your submission was created")
	subPath := tb.location()
	if !regexp.MustCompile(`^/submissions/\d+\?created=1$`).MatchString(subPath) {
		t.Fatalf("after creating: %s", subPath)
	}
	subPath = strings.TrimSuffix(subPath, "?created=1")
	tb.see("[data-status]", "Incomplete")
	tb.checkAccessibility("the new submission")

	upload := func(file string) {
		tb.do("uploading "+file,
			chromedp.SetUploadFiles(chromedp.CSS("#f-pdf"), []string{corpusFile(t, file)}),
			chromedp.Click(chromedp.CSS("form[data-upload] button[type=submit]")))
	}

	// Six pages against a limit of four: refused, and the report says where
	// the body ends. The script swapped the report in without leaving the page.
	upload("sixpage.pdf")
	tb.see("[data-refused]", "Upload refused", "6 body pages, the limit is 4", "Nothing was stored")
	tb.see("[data-refused] [data-body-pages]", "6")
	tb.see("[data-refused] [data-page-limit]", "4")
	tb.see("[data-refused] tbody tr.over:nth-child(6)", "6", "Body", "Yes: over the limit")
	tb.see("[data-refused] tbody tr:nth-child(7)", "7", "References", "No")
	tb.see("[data-refused]", "Over the page limit.", "Body ends on page 6")
	if loc, _, _ := strings.Cut(tb.location(), "?"); loc != subPath {
		t.Errorf("after a refused upload the tab is at %s, not %s", loc, subPath)
	}
	tb.checkAccessibility("the refused upload's report")

	// Fixed: accepted, and the page says so.
	upload("midpage4.pdf")
	tb.see(".notice", "Your new PDF was accepted")
	tb.see("[data-status]", "Submitted")
	tb.see("[data-current-report]", "The body has 4 pages, within the limit of 4.")
	tb.checkAccessibility("the accepted upload")

	// Over the limit again: refused, and the accepted version stands.
	upload("sixpage.pdf")
	tb.see("[data-refused]", "Upload refused", "Your previous version is unchanged")
	tb.see("[data-current-report]", "The body has 4 pages, within the limit of 4.")
	tb.see("[data-status]", "Submitted")

	tb.open("/submissions")
	tb.see("main .submissions", "Neural ODEs with Learned Step Sizes", "4 body pages of 4")
	tb.checkAccessibility("my submissions")
	tb.open(subPath + "/history")
	tb.see("main .history", "Revision 1: New PDF", "Revision 0: Created")
	tb.checkAccessibility("the history")

	for _, p := range []string{"/", "/venues/dlde-2023", "/venues/dlde-2023/submit", subPath, "/submissions", subPath + "/history"} {
		tb.fitsPhone(p)
	}

	// An access token lives 15 minutes. When its cookie is gone the pages
	// send the person to sign in, and there the script renews the session
	// through the API and comes straight back.
	csrfCookie := `document.cookie.split("; ").find(c => c.startsWith("quire_csrf=")) || ""`
	before := tb.eval(csrfCookie)
	tb.do("letting the access cookie expire", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.DeleteCookies, network.DeleteCookiesParams{Name: "quire_access", URL: s.URL + "/"})
		return err
	}))
	tb.open("/submissions")
	tb.see("main h1", "My submissions")
	if loc := tb.location(); loc != "/submissions" {
		t.Errorf("after a silent refresh the tab is at %s", loc)
	}
	if after := tb.eval(csrfCookie); after == before || after == "" {
		t.Errorf("the session was not renewed: the CSRF cookie went from %q to %q", before, after)
	}

	// Signing out revokes the session through the API, then forgets it.
	tb.do("signing out", chromedp.Click(chromedp.CSS("form[data-logout] button")), chromedp.WaitVisible(chromedp.CSS("#f-email")))
	tb.open("/submissions")
	if loc := tb.location(); loc != "/login?next=%2Fsubmissions" {
		t.Errorf("signed out, /submissions went to %s", loc)
	}
}
