package webui

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/web"
)

// The content security policy allows scripts from our own files only, so a
// template must never carry an inline script or an event handler attribute.
var (
	inlineScript = regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]`)
	scriptTag    = regexp.MustCompile(`(?i)<script\b[^>]*>`)
	handlerAttr  = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)
	jsURL        = regexp.MustCompile(`(?i)(href|src|action)\s*=\s*"\s*javascript:`)
)

// TestEveryPageRenders renders each page with representative data, as a
// signed-in person and anonymously, and checks what every page must have.
func TestEveryPageRenders(t *testing.T) {
	t.Parallel()
	pages, err := parseTemplates(web.FS(""))
	if err != nil {
		t.Fatal(err)
	}
	set := demoSettings(t)
	now := time.Date(2023, 10, 1, 12, 0, 0, 0, time.UTC)
	u := &ui{Deps: Deps{Clock: clock.NewFake(now)}, pages: pages}
	rows := deadlineRows(set, now)
	sess := &session{User: account.User{Name: "Ada <Author>", Email: "ada@uni.example"}, CSRF: "tok"}
	rep := newReportView(&pdfcheck.Report{Verdict: "over_limit", BodyPages: 6, PageLimit: 4, TotalPages: 7,
		Pages:    []pdfcheck.PageInfo{{Number: 1, Kind: "body"}, {Number: 6, Kind: "body"}, {Number: 7, Kind: "references"}},
		Sections: []pdfcheck.SectionStart{{Kind: "references", Heading: "References", Page: 6, Y: 624}},
		Leaks:    []pdfcheck.Finding{{Code: "author_name", Message: "the name <Ada Author> appears", Where: "page 1, the first lines"}},
		Warnings: []pdfcheck.Finding{{Code: "attachment", Message: "an attachment"}}})
	fe := formErrorsOf(problem.Invalid("x", problem.FieldError{Field: "title", Message: "must not be empty"},
		problem.FieldError{Field: "authors[0].email", Message: "must be an email address"}), nil)
	sub := submissionPage{ID: 7, Number: 3, Title: "Neural ODEs", Authors: []submission.Author{{Name: "Ada", Email: "ada@uni.example"}},
		Status: "submitted", HasPDF: true, PDFSize: 123456, Deadline: &rows[1], Report: rep,
		Refused: &refusalView{Code: "over_page_limit", Detail: "Over the page limit.", Report: rep}}
	cases := []struct {
		page    string
		v       view
		must    []string
		hasForm bool
	}{
		{"home", view{Title: "Welcome", Page: homePage{}}, []string{"Create an account"}, false},
		{"home", view{Title: "Your venues", S: sess, Page: homePage{Venues: []homeVenue{{Slug: "dlde-2023", Name: "DLDE", Roles: []string{"author"}}}}},
			[]string{`href="/venues/dlde-2023"`, "Ada &lt;Author&gt;"}, true},
		{"login", view{Title: "Sign in", Page: loginPage{Next: "/submissions", Errors: formErrorsOf(problem.New(problem.ErrUnauthorized, "x", "the email or the password is wrong"), nil)}},
			[]string{`value="/submissions"`, "The email or the password is wrong."}, true},
		{"register", view{Title: "Create an account", Page: registerPage{MinPassword: 10, Errors: fe}}, []string{`minlength="10"`}, true},
		{"verify", view{Title: "Confirm", Page: verifyPage{Token: "abc"}}, []string{`value="abc"`}, true},
		{"message", view{Title: "Done", Page: messagePage{Heading: "Done", Body: "ok", Link: "/login", LinkText: "Sign in"}}, []string{"Done"}, false},
		{"error", view{Title: "Not found", Page: errorPage{Status: 404, Title: "Not found", Detail: "No such thing."}}, []string{"No such thing."}, false},
		{"venue", view{Title: "DLDE", Page: venuePage{Slug: "dlde-2023", Name: "DLDE", Deadlines: rows, Next: nextDeadline(rows), CanSubmit: true,
			PageLimit: 4, Excluded: set.Pages.Excluded, Tracks: set.Tracks, PhaseLabel: "Open for submissions"}},
			[]string{`data-countdown="2023-10-09T12:00:00Z"`, "2023-10-08 23:59:59 AoE", `/venues/dlde-2023/submit`, "America/Chicago"}, false},
		{"submissions", view{Title: "Mine", S: sess, Page: submissionsPage{Rows: []subRow{{ID: 7, Title: "Neural ODEs", Status: "submitted", VerdictLabel: "Over", Deadline: &rows[1]}}}},
			[]string{`href="/submissions/7"`}, true},
		{"submit", view{Title: "Submit", S: sess, Page: submitPage{VenueSlug: "dlde-2023", Tracks: set.Tracks, Authors: padAuthors(nil), Errors: fe}},
			[]string{`id="f-authors-5-affiliation"`, `aria-describedby="f-authors-0-email-error"`, `href="#f-title"`, `name="csrf" value="tok"`}, true},
		{"submission", view{Title: "Neural ODEs", S: sess, Page: sub},
			[]string{"Upload refused", "Your previous version is unchanged", `enctype="multipart/form-data"`, "Yes: over the limit", "Found in: page 1"}, true},
		{"history", view{Title: "History", S: sess, Page: historyPage{ID: 7, Title: "Neural ODEs", Revisions: []revisionRow{{Seq: 1, Kind: "New PDF", Current: true}}}},
			[]string{"Revision 1: New PDF"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.page, func(t *testing.T) {
			t.Parallel()
			e := echo.New()
			rec := httptest.NewRecorder()
			c := e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec)
			if err := u.render(c, http.StatusOK, tc.page, tc.v); err != nil {
				t.Fatal(err)
			}
			html := rec.Body.String()
			for _, want := range append(tc.must, "<title>", "<main id=\"main\"", `lang="en"`, `name="viewport"`, `data-server-now="2023-10-01T12:00:00Z"`) {
				if !strings.Contains(html, want) {
					t.Errorf("missing %q", want)
				}
			}
			if inlineScript.MatchString(html) || handlerAttr.MatchString(html) || jsURL.MatchString(html) {
				t.Error("inline script, event handler or javascript: URL: the CSP forbids them")
			}
			if n := len(scriptTag.FindAllString(html, -1)); n != 1 {
				t.Errorf("%d script tags, want only /static/ui.js", n)
			}
			if tc.hasForm && strings.Contains(html, `method="post"`) && !strings.Contains(html, `name="csrf"`) && tc.page != "login" && tc.page != "register" && tc.page != "verify" {
				t.Error("a signed-in form without the CSRF field")
			}
			if rec.Header().Get("Cache-Control") != "no-store" {
				t.Error("pages must not be cached")
			}
		})
	}
}

// axe-core is for the tests: the binary must not carry it, so it cannot
// be served to people.
func TestTheBinaryCarriesNoTestAssets(t *testing.T) {
	t.Parallel()
	embedded := web.FS("")
	if _, err := fs.Stat(embedded, "vendor/axe-core/axe.min.js"); err == nil {
		t.Error("axe-core is embedded in the binary")
	}
	for _, f := range []string{"templates/layout.html", "static/ui.js", "static/ui.css", "vendor/swagger-ui/swagger-ui-bundle.js"} {
		if _, err := fs.Stat(embedded, f); err != nil {
			t.Errorf("%s is not embedded: %v", f, err)
		}
	}
}
