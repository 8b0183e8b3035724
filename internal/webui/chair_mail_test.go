package webui_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/groupmail"
	"github.com/quirehq/quire/internal/mail/smtptest"
	"github.com/quirehq/quire/internal/outbox"
)

// mailWorld is chairWorld with a third paper, by Bob in the other track,
// and Cora, a second chair conflicted with Ada's two papers (she shares
// Ada's domain). Rex reviews #1 and #2 and has submitted #1; Fay has #1
// and #3 and Dan #1, none submitted.
func mailWorld(t *testing.T) (*apptest.Server, []int64) {
	t.Helper()
	s, ids := chairWorld(t)
	s.CreateUser(t, "bob@lab.example", "Bob Builder", false)
	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	s.Clock.Set(chairReviewingTime.AddDate(0, 0, -10)) // back in the submission period
	bob := s.Login(t, "bob@lab.example")
	r := s.As(t, bob, "POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{
		"title": "Score Matching on Manifolds", "abstract": "A published paper about diffusion.",
		"authors":  []map[string]string{{"name": "Bob Builder", "email": "bob@lab.example", "affiliation": "Lab of Examples"}},
		"keywords": []string{"diffusion"}, "track": "recently-published", "declaration": true,
		"fields": map[string]any{"published_venue": "ICML 2023", "published_year": 2023, "published_link": "https://proceedings.example.org/score23"},
	})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("creating Bob's paper: %s", r.Body)
	}
	id := int64(r.Map(t)["id"].(float64))
	if r := s.As(t, bob, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
		t.Fatalf("uploading Bob's paper: %s", r.Body)
	}
	s.Clock.Set(chairReviewingTime)
	ids = append(ids, id)
	var changes []map[string]any
	for _, pair := range []struct {
		number int
		email  string
	}{{1, "rex@rev.example"}, {1, "fay@away.example"}, {1, "dan@far.example"}, {2, "rex@rev.example"}, {3, "fay@away.example"}} {
		changes = append(changes, map[string]any{"number": pair.number, "email": pair.email, "assign": true})
	}
	if r := s.As(t, s.Login(t, "chair@example.org"), "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": changes}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("assigning: %s", r.Body)
	}
	chairReview(t, s, "rex@rev.example", ids[0], 5)
	join(t, s, "cora@uni.example", "Cora Colleague", "chair")
	return s, ids
}

// groupMail is the service as the app wires it, to read the groups as a
// chair would without going through a page.
func groupMail(s *apptest.Server) *groupmail.Service {
	sv := s.App.Services
	return &groupmail.Service{DB: s.App.Pool, Clock: s.App.Clock, Venues: sv.Venues, Matching: sv.Matching, Decisions: sv.Decisions,
		Mail: outbox.Mailer{Clock: s.App.Clock}, Link: func(p string, _ map[string]string) string { return s.URL + p }}
}

// members writes a group as "Name: #1 #3; Name: #2", to compare in one line.
func members(gs []groupmail.Group, key string) string {
	for _, g := range gs {
		if g.Key != key {
			continue
		}
		if g.Closed != "" {
			return "closed"
		}
		var out []string
		for _, r := range g.Recipients {
			var ps []string
			for _, p := range r.Papers {
				ps = append(ps, fmt.Sprintf("#%d", p.Number))
			}
			out = append(out, r.Name+": "+strings.Join(ps, " "))
		}
		return strings.Join(out, "; ")
	}
	return "no such group"
}

// TestGroupMailGroups checks who is in each group, for a chair free of
// conflict and for Cora, from whom Ada's papers are hidden; and that the
// groups by decision open only with the release.
func TestGroupMailGroups(t *testing.T) {
	t.Parallel()
	s, ids := mailWorld(t)
	gm, ctx := groupMail(s), context.Background()
	chair, cora := account.Principal{UserID: userID(t, s, "chair@example.org")}, account.Principal{UserID: userID(t, s, "cora@uni.example")}

	gs, err := gm.Groups(ctx, "dlde-2023", chair)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		groupmail.GroupMissingReviews: "Dan Distant: #1; Fay Faraway: #1 #3; Rex Reviewer: #2",
		groupmail.GroupReviewers:      "Dan Distant: #1; Fay Faraway: #1 #3; Rex Reviewer: #1 #2",
		groupmail.GroupAuthors:        "Ada Author: #1 #2; Bob Builder: #3",
		"track:new-work":              "Ada Author: #1 #2",
		"track:recently-published":    "Bob Builder: #3",
		"decision:accept-poster":      "closed",
	} {
		if got := members(gs, key); got != want {
			t.Errorf("%s: %q, want %q", key, got, want)
		}
	}

	// Cora reaches nobody through Ada's papers and learns nothing of them.
	gs, err = gm.Groups(ctx, "dlde-2023", cora)
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		groupmail.GroupMissingReviews: "Fay Faraway: #3",
		groupmail.GroupReviewers:      "Dan Distant: ; Fay Faraway: #3; Rex Reviewer: ",
		groupmail.GroupAuthors:        "Bob Builder: #3",
		"track:new-work":              "",
	} {
		if got := members(gs, key); got != want {
			t.Errorf("Cora's %s: %q, want %q", key, got, want)
		}
	}
	if _, err := gm.Preview(ctx, "dlde-2023", cora, groupmail.Draft{Group: "track:new-work", Subject: "Hi", Body: "Hello {{name}}"}); err == nil || !strings.Contains(err.Error(), "nobody") {
		t.Errorf("Cora writing to a track of hidden papers: %v", err)
	}

	// A conflict declared after the assignment: #3 is no longer Fay's to
	// review, nor to be reminded of.
	if r := s.As(t, s.Login(t, "chair@example.org"), "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 3, "reviewer": "fay@away.example", "note": "a late conflict"}); r.StatusCode != 204 {
		t.Fatalf("a late conflict: %s", r.Body)
	}
	gs, err = gm.Groups(ctx, "dlde-2023", chair)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := members(gs, groupmail.GroupMissingReviews), "Dan Distant: #1; Fay Faraway: #1; Rex Reviewer: #2"; got != want {
		t.Errorf("after a late conflict, missing reviews: %q, want %q", got, want)
	}
	if _, err := gm.Groups(ctx, "dlde-2023", account.Principal{UserID: userID(t, s, "rex@rev.example")}); err == nil {
		t.Error("a reviewer listed the groups")
	}

	// After the release, each category's authors.
	token := s.Login(t, "chair@example.org")
	for i, cat := range []string{"accept-poster", "reject", "accept-poster"} {
		if r := s.As(t, token, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[i]), map[string]string{"category": cat}); r.StatusCode != http.StatusNoContent {
			t.Fatalf("deciding: %s", r.Body)
		}
	}
	if gs, _ = gm.Groups(ctx, "dlde-2023", chair); members(gs, "decision:accept-poster") != "closed" {
		t.Error("a decision's group opened before the release")
	}
	if r := s.As(t, token, "PUT", "/api/v1/venues/dlde-2023/release", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("releasing: %s", r.Body)
	}
	if gs, err = gm.Groups(ctx, "dlde-2023", chair); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"decision:accept-poster": "Ada Author: #1; Bob Builder: #3", "decision:reject": "Ada Author: #2", "decision:accept-spotlight": ""} {
		if got := members(gs, key); got != want {
			t.Errorf("after the release, %s: %q, want %q", key, got, want)
		}
	}
	if gs, _ = gm.Groups(ctx, "dlde-2023", cora); members(gs, "decision:accept-poster") != "Bob Builder: #3" {
		t.Errorf("Cora's accepted authors: %q", members(gs, "decision:accept-poster"))
	}
}

func groupMailQueued(t *testing.T, s *apptest.Server) map[string]string {
	t.Helper()
	rows, err := s.App.Pool.Query(context.Background(), "SELECT to_addr, body FROM outbox WHERE dedupe_key LIKE 'groupmail:%'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var to, body string
		if err := rows.Scan(&to, &body); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[to]; dup {
			t.Errorf("two messages to %s", to)
		}
		out[to] = body
	}
	return out
}

var hiddenField = regexp.MustCompile(`<input type="hidden" name="(key|fingerprint)" value="([^"]*)">`)

// sendForm is the form a preview page's Send button posts.
func sendForm(t *testing.T, b *browser, p page, d url.Values) url.Values {
	t.Helper()
	form := url.Values{"csrf": {b.csrf()}, "group": d["group"], "subject": d["subject"], "body": d["body"]}
	for _, m := range hiddenField.FindAllStringSubmatch(p.body, -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	if form.Get("key") == "" || form.Get("fingerprint") == "" {
		t.Fatalf("the preview has no send form:\n%s", p.body)
	}
	return form
}

// TestChairMailWithoutScript writes to reviewers with missing reviews
// before the review deadline, as a browser without script: the preview
// shows each copy filled for its reader and sends nothing; Send queues one
// message per reviewer, and sending again (a double submit) queues none.
func TestChairMailWithoutScript(t *testing.T) {
	t.Parallel()
	s, _ := mailWorld(t)
	base := "/venues/dlde-2023/chair/mail"

	// Only chairs.
	s.CreateUser(t, "eve@elsewhere.example", "Eve Stranger", false)
	eve := newBrowser(t, s)
	eve.signIn("eve@elsewhere.example", apptest.Password)
	rex := newBrowser(t, s)
	rex.signIn("rex@rev.example", apptest.Password)
	if got := eve.get(base); got.status != http.StatusForbidden {
		t.Errorf("a stranger opening the page: %d", got.status)
	}
	for _, b := range []*browser{eve, rex} {
		if got := b.post(base+"/preview", url.Values{"csrf": {b.csrf()}, "group": {"authors"}, "subject": {"x"}, "body": {"y"}}); got.status != http.StatusForbidden {
			t.Errorf("a non-chair previewing: %d", got.status)
		}
		if got := b.post(base+"/send", url.Values{"csrf": {b.csrf()}, "group": {"authors"}, "subject": {"x"}, "body": {"y"},
			"key": {"6f1c1b8e-7d0c-4a51-9c39-0c2b4c3c2a11"}, "fingerprint": {"x"}}); got.status != http.StatusForbidden {
			t.Errorf("a non-chair sending: %d", got.status)
		}
	}

	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	mustContain(t, b.get("/venues/dlde-2023/chair/progress"), "3 reviewers have reviews still to submit", `href="/venues/dlde-2023/chair/mail?template=reminder"`, "Nobody is late.")
	form := b.get(base + "?template=reminder")
	mustContain(t, form, `aria-current="page">Mail</a>`, `<option value="missing-reviews" selected>Reviewers with missing reviews (3)</option>`,
		`value="{{venue}}: reviews due {{deadline}}"`, "<code>{{papers}}</code>", `<option value="decision:accept-poster" disabled>`,
		"Nothing has been sent to a group yet.")

	// A typo in a placeholder is caught; a decision's group is closed before the release.
	bad := b.post(base+"/preview", url.Values{"csrf": {b.csrf()}, "group": {"missing-reviews"}, "subject": {"Hi {{authors}}"}, "body": {"x"}})
	if bad.status != http.StatusBadRequest {
		t.Errorf("an unknown placeholder: %d", bad.status)
	}
	mustContain(t, bad, `id="f-subject-error">There is no placeholder {{authors}}`, `value="Hi {{authors}}"`)
	closed := b.post(base+"/preview", url.Values{"csrf": {b.csrf()}, "group": {"decision:accept-poster"}, "subject": {"x"}, "body": {"y"}})
	mustContain(t, closed, `id="f-group-error">The decisions are not released yet`, `<p class="hint" data-mail-closed>The decisions are not released yet`)

	before := len(groupMailQueued(t, s))
	d := url.Values{"group": {"missing-reviews"}, "subject": {groupmail.Reminder.Subject}, "body": {"Dear {{name}},\n" + groupmail.Reminder.Body}}
	pv := b.post(base+"/preview", url.Values{"csrf": {b.csrf()}, "group": d["group"], "subject": d["subject"], "body": d["body"]})
	if pv.status != http.StatusOK {
		t.Fatalf("preview: %d %s", pv.status, pv.body)
	}
	mustContain(t, pv, "This message goes to <strong>3 recipients</strong>", "Every copy is shown exactly",
		"dan@far.example", "Dear Dan Distant,", "Hello Fay Faraway,", "#1 Neural ODEs with Learned Step Sizes\n#3 Score Matching on Manifolds",
		"#2 Fourier Operators for Turbulence", "The Symbiosis of Deep Learning and Differential Equations (DLDE III): reviews due 2023-10-18 23:59:59 AoE", "Send to 3 recipients")
	if n := len(groupMailQueued(t, s)); n != before {
		t.Fatalf("the preview queued %d messages", n-before)
	}

	send := sendForm(t, b, pv, d)
	got := b.post(base+"/send", send)
	if got.status != http.StatusSeeOther || got.location != base+"?sent=3#log" {
		t.Fatalf("send: %d %q %s", got.status, got.location, got.body)
	}
	queued := groupMailQueued(t, s)
	if len(queued) != 3 {
		t.Fatalf("%d messages queued, want 3: %v", len(queued), queued)
	}
	// A second click, or a retried request, sends nothing.
	again := b.post(base+"/send", send)
	if again.location != base+"?again=1&sent=3#log" {
		t.Errorf("sending twice: %d %q", again.status, again.location)
	}
	if n := len(groupMailQueued(t, s)); n != 3 {
		t.Errorf("a second send queued %d messages", n-3)
	}
	mustContain(t, b.get("/venues/dlde-2023/chair/mail?again=1&sent=3"), "This message was already sent; nothing was sent again.")
	log := b.get(base + "?sent=3")
	mustContain(t, log, "The message is queued for 3 recipients", "<table data-mail-log>", "<td>Chair</td><td>Reviewers with missing reviews</td><th scope=\"row\">{{venue}}: reviews due {{deadline}}</th><td>3</td>")

	// Each reviewer's copy, delivered: their own missing papers, and never
	// an author.
	for addr, want := range map[string][]string{
		"fay@away.example": {"Dear Fay Faraway,", "#1 Neural ODEs with Learned Step Sizes", "#3 Score Matching on Manifolds", "/venues/dlde-2023/review"},
		"dan@far.example":  {"Dear Dan Distant,", "#1 Neural ODEs with Learned Step Sizes"},
		"rex@rev.example":  {"Dear Rex Reviewer,", "#2 Fourier Operators for Turbulence"},
	} {
		m := s.WaitMail(t, addr, "reviews due 2023-10-18 23:59:59 AoE")
		for _, w := range want {
			if !strings.Contains(m.Text, w) {
				t.Errorf("the mail to %s lacks %q:\n%s", addr, w, m.Text)
			}
		}
		for _, leak := range []string{"Ada", "ada@uni.example", "Bob", "bob@lab.example", "Examples"} {
			if strings.Contains(m.Text, leak) || strings.Contains(m.Subject, leak) {
				t.Errorf("the mail to reviewer %s names an author (%q):\n%s", addr, leak, m.Text)
			}
		}
	}
	if strings.Contains(queued["rex@rev.example"], "#1 ") {
		t.Error("Rex is reminded of the review he submitted")
	}

	// The group changed since the preview: nothing goes, the new preview is shown.
	pv = b.post(base+"/preview", url.Values{"csrf": {b.csrf()}, "group": d["group"], "subject": d["subject"], "body": d["body"]})
	chairReview(t, s, "dan@far.example", mustID(t, s, 1), 3)
	stale := b.post(base+"/send", sendForm(t, b, pv, d))
	if stale.status != http.StatusConflict {
		t.Errorf("sending a stale preview: %d", stale.status)
	}
	mustContain(t, stale, "changed since the preview", "This message goes to <strong>2 recipients</strong>")
	if n := len(groupMailQueued(t, s)); n != 3 {
		t.Errorf("a stale preview queued %d messages", n-3)
	}
}

func mustID(t *testing.T, s *apptest.Server, number int) int64 {
	t.Helper()
	var id int64
	if err := s.App.Pool.QueryRow(context.Background(), "SELECT s.id FROM submissions s JOIN venues v ON v.id = s.venue_id WHERE v.slug = 'dlde-2023' AND s.number = $1", number).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestChairMailToAuthors writes to authors: each gets their own papers and
// never a reviewer's name; Cora, conflicted with Ada's papers, reaches only
// Bob and sees nothing of Ada's papers.
func TestChairMailToAuthors(t *testing.T) {
	t.Parallel()
	s, _ := mailWorld(t)
	base := "/venues/dlde-2023/chair/mail"
	d := url.Values{"group": {"authors"}, "subject": {"{{venue}}: the programme"}, "body": {"Your papers:\n{{papers}}\nThe submission deadline was set."}}

	cora := newBrowser(t, s)
	cora.signIn("cora@uni.example", apptest.Password)
	pv := cora.post(base+"/preview", url.Values{"csrf": {cora.csrf()}, "group": d["group"], "subject": d["subject"], "body": d["body"]})
	mustContain(t, pv, "This message goes to <strong>1 recipient</strong>", "bob@lab.example", "#3 Score Matching on Manifolds")
	for _, hidden := range []string{"Ada", "Neural ODEs", "Fourier"} {
		if strings.Contains(pv.body, hidden) {
			t.Errorf("Cora's preview shows %q", hidden)
		}
	}
	mustContain(t, cora.post(base+"/preview", url.Values{"csrf": {cora.csrf()}, "group": {"track:new-work"}, "subject": {"x"}, "body": {"y"}}),
		`id="f-group-error">Nobody is in this group now.`)
	// {{deadline}} for authors after the submission deadline: none is ahead.
	mustContain(t, cora.post(base+"/preview", url.Values{"csrf": {cora.csrf()}, "group": {"authors"}, "subject": {"x"}, "body": {"by {{deadline}}"}}),
		`id="f-body-error">This group has no deadline ahead for {{deadline}}.`)

	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	pv = b.post(base+"/preview", url.Values{"csrf": {b.csrf()}, "group": d["group"], "subject": d["subject"], "body": d["body"]})
	mustContain(t, pv, "This message goes to <strong>2 recipients</strong>", "Hello Ada Author,", "#1 Neural ODEs with Learned Step Sizes\n#2 Fourier Operators for Turbulence")
	if got := b.post(base+"/send", sendForm(t, b, pv, d)); got.location != base+"?sent=2#log" {
		t.Fatalf("send: %d %q", got.status, got.location)
	}
	m := s.WaitMail(t, "ada@uni.example", "(DLDE III): the programme")
	for _, leak := range []string{"Rex", "Fay", "Dan", "rev.example", "away.example", "far.example", "Bob", "Score Matching"} {
		if strings.Contains(m.Text, leak) {
			t.Errorf("the mail to Ada names %q:\n%s", leak, m.Text)
		}
	}
	if !strings.Contains(s.WaitMail(t, "bob@lab.example", "the programme").Text, "#3 Score Matching on Manifolds") {
		t.Error("Bob's copy lacks his paper")
	}
	// Cora sees the log too: the venue's chairs share it.
	mustContain(t, cora.get(base), "Authors of all submitted papers", "{{venue}}: the programme")
}

// TestRemindersLinkToTheReviewersPage follows the link in both reminders,
// the late one after the deadline and the group mail's, to the page where
// the reviewer finds the reviews to write.
func TestRemindersLinkToTheReviewersPage(t *testing.T) {
	t.Parallel()
	s, _ := mailWorld(t)
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	d := url.Values{"group": {"missing-reviews"}, "subject": {"Reviews for {{venue}}"}, "body": {"{{papers}}"}}
	pv := b.post("/venues/dlde-2023/chair/mail/preview", url.Values{"csrf": {b.csrf()}, "group": d["group"], "subject": d["subject"], "body": d["body"]})
	if got := b.post("/venues/dlde-2023/chair/mail/send", sendForm(t, b, pv, d)); got.status != http.StatusSeeOther {
		t.Fatalf("send: %d %s", got.status, got.body)
	}
	group := s.WaitMail(t, "rex@rev.example", "Reviews for")

	s.Clock.Set(time.Date(2023, 10, 20, 12, 0, 0, 0, time.UTC))
	b.signIn("chair@example.org", apptest.Password)
	if got := b.post("/venues/dlde-2023/chair/progress/remind", url.Values{"csrf": {b.csrf()}}); got.location != "/venues/dlde-2023/chair/progress?reminded=3" {
		t.Fatalf("remind late: %d %q", got.status, got.location)
	}
	late := s.WaitMail(t, "rex@rev.example", "overdue")
	rex := newBrowser(t, s)
	rex.signIn("rex@rev.example", apptest.Password)
	for what, m := range map[string]smtptest.Message{"the group mail": group, "the late reminder": late} {
		link, err := url.Parse(apptest.LinkIn(t, m, "/venues/dlde-2023/"))
		if err != nil {
			t.Fatal(err)
		}
		if link.Path != "/venues/dlde-2023/review" {
			t.Errorf("%s links to %s", what, link.Path)
		}
		mustContain(t, rex.get(link.Path), "Fourier Operators for Turbulence")
	}
}
