package webui_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
)

const settingsPath = "/venues/dlde-2023/chair/settings"
const reviewersPath = "/venues/dlde-2023/chair/reviewers"

func TestChairAdminPagesAreForChairsOnly(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "eve@elsewhere.example", "Eve Stranger", false)
	eve := newBrowser(t, s)
	eve.signIn("eve@elsewhere.example", apptest.Password)
	chair := newBrowser(t, s)
	chair.signIn("chair@example.org", apptest.Password)
	posts := map[string]url.Values{
		settingsPath:                 {"settings_yaml": {string(venue.DemoYAML())}},
		settingsPath + "/overrides":  {"phase": {"submission"}, "kind": {"close"}, "reason": {"outage"}},
		settingsPath + "/extensions": {"action": {"submit"}, "submission": {"1"}, "until": {"2023-10-30 AoE"}, "reason": {"ill"}},
		reviewersPath + "/invite":    {"email": {"new@rev.example"}, "role": {"reviewer"}},
		reviewersPath + "/1/resend":  {},
		reviewersPath + "/1/revoke":  {},
		reviewersPath + "/upload":    {"role": {"reviewer"}},
	}
	for _, path := range []string{settingsPath, reviewersPath} {
		if got := eve.get(path); got.status != http.StatusForbidden || !strings.Contains(got.body, "This needs the chair role in this venue.") {
			t.Errorf("not a chair, GET %s: %d", path, got.status)
		}
		if got := newBrowser(t, s).get(path); got.status != http.StatusSeeOther {
			t.Errorf("signed out, GET %s: %d", path, got.status)
		}
	}
	for path, form := range posts {
		if got := chair.post(path, form); got.status != http.StatusForbidden || !strings.Contains(got.body, "This form is out of date") {
			t.Errorf("without CSRF, POST %s: %d", path, got.status)
		}
		withToken := url.Values{"csrf": {eve.csrf()}}
		for k, v := range form {
			withToken[k] = v
		}
		if got := eve.post(path, withToken); got.status != http.StatusForbidden {
			t.Errorf("not a chair, POST %s: %d", path, got.status)
		}
	}
	mustContain(t, chair.get(settingsPath), "No override is recorded", "No extension is granted")
	mustContain(t, chair.get(reviewersPath), "Nobody is invited yet.")
}

func TestChairSettingsForms(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)

	got := b.get(settingsPath)
	mustContain(t, got, `aria-current="page">Settings</a>`, "Submission deadline", "America/Chicago", "Grace",
		"New work", "Reviews per paper", "Overall recommendation", "Reviewer load", "slug: dlde-2023")

	demo := string(venue.DemoYAML())
	bad := strings.Replace(strings.Replace(demo, "time_zone: America/Chicago", "time_zone: Mars/Olympus", 1),
		"reviews_per_paper: 3", "reviews_per_paper: -1", 1)
	got = b.post(settingsPath, url.Values{"csrf": {b.csrf()}, "settings_yaml": {bad}})
	if got.status != http.StatusBadRequest {
		t.Fatalf("bad settings: %d", got.status)
	}
	mustContain(t, got, "Nothing was saved: the settings have 2 problems.", "Line 15, <code>time_zone</code>", "<code>tracks[0].reviews_per_paper</code>",
		"Mars/Olympus", `aria-invalid="true"`)
	if strings.Contains(b.get(settingsPath).body, "Mars/Olympus") {
		t.Error("a refused file was saved")
	}

	renamed := strings.Replace(demo, "name: The Symbiosis", "name: Renamed Symbiosis", 1)
	got = b.post(settingsPath, url.Values{"csrf": {b.csrf()}, "settings_yaml": {renamed}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("saving: %d %s", got.status, got.body)
	}
	mustContain(t, b.get(got.location), "Saved: the venue", "Renamed Symbiosis")

	got = b.post(settingsPath+"/overrides", url.Values{"csrf": {b.csrf()}, "phase": {"submission"}, "kind": {"close"}, "reason": {" "}})
	if got.status != http.StatusBadRequest {
		t.Errorf("an override without a reason: %d", got.status)
	}
	mustContain(t, got, "Bad phase override: a reason is required.")
	got = b.post(settingsPath+"/overrides", url.Values{"csrf": {b.csrf()}, "phase": {"submission"}, "kind": {"close"}, "reason": {"The server was down"}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("override: %d %s", got.status, got.body)
	}
	mustContain(t, b.get(got.location), "The phase override is recorded.", "<td>submission</td><td>close</td><td>Chair</td><td>The server was down</td>")

	got = b.post(settingsPath+"/extensions", url.Values{"csrf": {b.csrf()}, "action": {"review"}, "reviewer": {"nobody@rev.example"},
		"until": {"2023-10-30 AoE"}, "reason": {"ill"}})
	if got.status != http.StatusBadRequest {
		t.Errorf("an extension for a stranger: %d", got.status)
	}
	mustContain(t, got, `id="f-reviewer-error">Must be a reviewer of this venue.`, `value="nobody@rev.example"`)
	got = b.post(settingsPath+"/extensions", url.Values{"csrf": {b.csrf()}, "action": {"submit"}, "submission": {"#7"},
		"until": {"2023-10-30 AoE"}, "reason": {"Family emergency"}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("extension: %d %s", got.status, got.body)
	}
	mustContain(t, b.get(got.location), "The extension is granted.", "submission #7", "2023-10-30", "Family emergency")
}

// postCSV sends the CSV form as a browser does: multipart, CSRF first.
func postCSV(b *browser, csrf, role, csv string) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("csrf", csrf)
	_ = mw.WriteField("role", role)
	fw, err := mw.CreateFormFile("file", "pool.csv")
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = fw.Write([]byte(csv))
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.s.URL+reviewersPath+"/upload", &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func TestChairInvitationForms(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)

	got := b.post(reviewersPath+"/invite", url.Values{"csrf": {b.csrf()}, "email": {"not-an-email"}, "name": {"Nora"}, "role": {"reviewer"}})
	if got.status != http.StatusBadRequest {
		t.Errorf("a bad email: %d", got.status)
	}
	mustContain(t, got, `id="f-email-error">Must be an email address.`, `value="Nora"`)

	got = b.post(reviewersPath+"/invite", url.Values{"csrf": {b.csrf()}, "email": {"rex@rev.example"}, "name": {"Rex Reviewer"},
		"affiliation": {"Rev Lab"}, "keywords": {"ODEs, control"}, "role": {"reviewer"}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("inviting: %d %s", got.status, got.body)
	}
	mustContain(t, b.get(got.location), "1 invitation sent", "Rex Reviewer", "rex@rev.example", "Rev Lab", "<td data-state>pending</td>", "1 time, last")
	s.WaitMail(t, "rex@rev.example", "nvit")

	got = postCSV(b, b.csrf(), "reviewer", "name,email,affiliation,keywords\nFay Faraway,fay@away.example,Away U,ODEs;PDEs\nBroken Row,not-an-email,X,\nOne Column\n")
	if got.status != http.StatusBadRequest {
		t.Fatalf("a CSV with bad lines: %d", got.status)
	}
	mustContain(t, got, "Nobody was invited: the file has 2 problems.", "Line 3 (email): &#34;not-an-email&#34; is not an email address.",
		"Line 4: Needs 2 to 4 columns")
	if strings.Contains(b.get(reviewersPath).body, "fay@away.example") {
		t.Error("a refused file invited someone")
	}
	if got := postCSV(b, "", "reviewer", "Fay,fay@away.example\n"); got.status != http.StatusForbidden {
		t.Errorf("a CSV without CSRF: %d", got.status)
	}
	got = postCSV(b, b.csrf(), "reviewer", "Fay Faraway,fay@away.example,Away U,ODEs;PDEs\nDan Distant,dan@far.example,,\n")
	if got.status != http.StatusSeeOther {
		t.Fatalf("a good CSV: %d %s", got.status, got.body)
	}
	mustContain(t, b.get(got.location), "2 invitations sent", "Fay Faraway", "Away U", "dan@far.example", "Pending 3")

	id := invitationID(t, b.get(reviewersPath).body, "rex@rev.example")
	got = b.post(reviewersPath+"/"+id+"/resend", url.Values{"csrf": {b.csrf()}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("resend: %d %s", got.status, got.body)
	}
	mustContain(t, b.get(got.location), "The invitation was sent again.", "2 times, last")
	got = b.post(reviewersPath+"/"+id+"/revoke", url.Values{"csrf": {b.csrf()}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("revoke: %d %s", got.status, got.body)
	}
	after := b.get(got.location)
	mustContain(t, after, "The invitation was revoked", "<td data-state>revoked</td>", "Pending 2", "Revoked 1")
	if got := b.post(reviewersPath+"/"+id+"/resend", url.Values{"csrf": {b.csrf()}}); got.status != http.StatusConflict {
		t.Errorf("resending a revoked invitation: %d", got.status)
	}
}

// invitationID finds the id in the resend form of the invitation to email.
func invitationID(t *testing.T, body, email string) string {
	t.Helper()
	_, row, ok := strings.Cut(body, `data-invitation="`+email+`"`)
	if !ok {
		t.Fatalf("no invitation to %s", email)
	}
	_, rest, ok := strings.Cut(row, "/chair/reviewers/")
	if !ok {
		t.Fatalf("no resend form for %s", email)
	}
	id, _, _ := strings.Cut(rest, "/")
	if _, err := strconv.Atoi(id); err != nil {
		t.Fatalf("id %q: %v", id, err)
	}
	return id
}

// TestReviewTimelineOnTheProgressPage submits reviews and finds them in the plot.
func TestReviewTimelineOnTheProgressPage(t *testing.T) {
	t.Parallel()
	s, ids := chairWorld(t)
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	mustContain(t, b.get("/venues/dlde-2023/chair/progress"), "No review is submitted yet.")
	for _, email := range chairReviewers {
		if got := b.post("/venues/dlde-2023/chair/assignment/manual", url.Values{"csrf": {b.csrf()}, "number": {"1"}, "email": {email}, "action": {"assign"}}); got.status != http.StatusSeeOther {
			t.Fatalf("assigning %s: %d %s", email, got.status, got.body)
		}
	}
	chairReview(t, s, "rex@rev.example", ids[0], 5)
	chairReview(t, s, "fay@away.example", ids[0], 3)
	got := b.get("/venues/dlde-2023/chair/progress")
	mustContain(t, got, `data-chart="timeline"`, `<title id="timeline-title">Reviews submitted over time, of 3 needed</title>`,
		`class="line"`, "needed: 3", `class="due"`, "<tr><th scope=\"row\">2023-10-14</th><td>2</td></tr>")
}

// TestChairAdminPagesInChromium checks the settings and reviewer pages for
// accessibility, with a form's errors shown, and at a phone's width.
func TestChairAdminPagesInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	tb := newTab(t, s)
	tb.open("/login?next=" + settingsPath)
	tb.do("signing in",
		chromedp.SendKeys(chromedp.CSS("#f-email"), "chair@example.org"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), apptest.Password),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
	tb.see("main h1", "Venue settings")
	tb.checkAccessibility("the settings page")
	tb.do("granting an extension to a stranger",
		chromedp.SendKeys(chromedp.CSS("#f-reviewer"), "nobody@rev.example"),
		chromedp.SendKeys(chromedp.CSS("#f-until"), "2023-10-30 AoE"),
		chromedp.Click(chromedp.CSS("form[data-extension-form] button")))
	tb.see("#f-reviewer-error", "Must be a reviewer of this venue.")
	tb.checkAccessibility("the settings page with an error")
	tb.open(reviewersPath)
	tb.do("inviting",
		chromedp.SendKeys(chromedp.CSS("#f-email"), "rex@rev.example"),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Rex Reviewer"),
		chromedp.Click(chromedp.CSS("form[data-invite-form] button")))
	tb.see(".notice", "1 invitation sent")
	tb.see("table[data-invitations]", "Rex Reviewer", "pending")
	tb.checkAccessibility("the reviewers page")
	tb.fitsPhone(settingsPath)
	tb.fitsPhone(reviewersPath)
}
