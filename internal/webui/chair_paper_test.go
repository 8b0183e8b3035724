package webui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

// paperWorld is chairWorld with the three reviewers assigned to paper 1,
// Rex's (5) and Fay's (2) reviews in and Dan's missing, and a second chair,
// Cora, whose address shares Ada's domain: conflicted with both papers.
func paperWorld(t *testing.T) (*apptest.Server, []int64) {
	t.Helper()
	s, ids := chairWorld(t)
	chair := s.Login(t, "chair@example.org")
	var changes []map[string]any
	for _, email := range chairReviewers {
		changes = append(changes, map[string]any{"number": 1, "email": email, "assign": true})
	}
	if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": changes}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("assigning: %s", r.Body)
	}
	chairReview(t, s, "rex@rev.example", ids[0], 5)
	chairReview(t, s, "fay@away.example", ids[0], 2)
	join(t, s, "cora@uni.example", "Cora Colleague", "chair")
	return s, ids
}

// join makes a new account that accepts the chair's invitation to role.
func join(t *testing.T, s *apptest.Server, email, name, role string) {
	t.Helper()
	s.CreateUser(t, email, name, false)
	if r := s.As(t, s.Login(t, "chair@example.org"), "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": email, "role": role}); r.StatusCode >= 300 {
		t.Fatalf("inviting %s: %s", email, r.Body)
	}
	link := apptest.LinkIn(t, s.WaitMail(t, email, "nvit"), "/invitations/")
	if r := s.As(t, s.Login(t, email), "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("%s accepting: %s", email, r.Body)
	}
}

// TestChairPaperPageWithoutScript opens a paper from each chair list and
// uses every form on it, as a browser without script does.
func TestChairPaperPageWithoutScript(t *testing.T) {
	t.Parallel()
	s, ids := paperWorld(t)
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	base := "/venues/dlde-2023/chair"
	paper := fmt.Sprintf("%s/papers/%d", base, ids[0])

	// Every chair list links the paper to its page.
	for _, list := range []string{"/submissions", "/progress", "/decisions"} {
		mustContain(t, b.get(base+list), `href="`+paper+`"`)
	}

	p := b.get(paper)
	if p.status != http.StatusOK {
		t.Fatalf("the paper page: %d\n%s", p.status, p.body)
	}
	mustContain(t, p, "#1: Neural ODEs with Learned Step Sizes",
		"Ada Author &lt;ada@uni.example&gt;, University of Examples", // authors, for chairs
		"2 of 3 submitted; overall 5, 2 (mean 3.50)",
		"Rex Reviewer", "Fay Faraway", "Dan Distant", `<span class="badge late">missing</span>`,
		"Reviewer 1: Rex Reviewer", "Reviewer 2: Fay Faraway", "A neat idea.", "5 (", "2 (",
		fmt.Sprintf(`href="/api/v1/submissions/%d/pdf?copy=anonymised"`, ids[0]), fmt.Sprintf(`href="/api/v1/submissions/%d/pdf"`, ids[0]),
		"Within the page limit: 4/4 body pages.", "Not decided")

	// The discussion: a post to the reviewers, and a note for chairs only.
	if got := b.post(paper+"/comments", url.Values{"csrf": {b.csrf()}, "kind": {"discussion"}, "body": {"  "}}); got.status != http.StatusBadRequest {
		t.Errorf("an empty comment: %d", got.status)
	} else {
		mustContain(t, got, `id="f-body-error"`)
	}
	got := b.post(paper+"/comments", url.Values{"csrf": {b.csrf()}, "kind": {"discussion"}, "body": {"Rex and Fay: please settle the score."}})
	if got.status != http.StatusSeeOther || !strings.HasPrefix(got.location, paper+"?done=commented") {
		t.Fatalf("posting: %d %q", got.status, got.location)
	}
	b.post(paper+"/comments", url.Values{"csrf": {b.csrf()}, "kind": {"chair_note"}, "body": {"Fay reviewed for us last year too."}})
	mustContain(t, b.get(got.location), "Your comment is posted.", "Rex and Fay: please settle the score.", "Chairs' notes", "Fay reviewed for us last year too.")
	rex := newBrowser(t, s)
	rex.signIn("rex@rev.example", apptest.Password)
	rexPage := rex.get(fmt.Sprintf("/venues/dlde-2023/review/%d", ids[0]))
	mustContain(t, rexPage, "Rex and Fay: please settle the score.", "<strong>Chair</strong>")
	for _, leak := range []string{"Fay reviewed for us", "Ada Author", "ada@uni.example", "Chair Person"} {
		if strings.Contains(rexPage.body, leak) {
			t.Errorf("the reviewer's page shows %q", leak)
		}
	}

	// The decision with its meta-review, in place.
	if got := b.post(paper+"/decision", url.Values{"csrf": {b.csrf()}, "category": {""}, "meta": {"Keep this text."}}); got.status != http.StatusBadRequest {
		t.Errorf("no category: %d", got.status)
	} else {
		mustContain(t, got, `id="f-category-error"`, "Keep this text.")
	}
	got = b.post(paper+"/decision", url.Values{"csrf": {b.csrf()}, "category": {"accept-poster"}, "note": {"Bring a poster."}, "meta": {"Strong but small."}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("deciding: %d %s", got.status, got.body)
	}
	mustContain(t, b.get(got.location), "The decision is recorded.", "Accept as a poster, decided", "(on time)", "Strong but small.", `value="Bring a poster."`)
	mustContain(t, b.get(base+"/decisions"), "Strong but small.")

	// The page limit waived, with a reason.
	if got := b.post(paper+"/waive", url.Values{"csrf": {b.csrf()}, "reason": {""}}); got.status != http.StatusBadRequest {
		t.Errorf("a waiver without a reason: %d", got.status)
	}
	got = b.post(paper+"/waive", url.Values{"csrf": {b.csrf()}, "reason": {"the figure page is an appendix"}})
	mustContain(t, b.get(got.location), "The page limit is waived for this submission", "the figure page is an appendix")
	mustContain(t, b.get(base+"/submissions"), "Page limit waived: 4/4 pages")

	// Reviewers taken off and put on in place; a conflict refuses one.
	got = b.post(paper+"/reviewers", url.Values{"csrf": {b.csrf()}, "email": {"dan@far.example"}, "action": {"unassign"}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("taking Dan off: %d %s", got.status, got.body)
	}
	if p := b.get(got.location); !strings.Contains(p.body, "The reviewer is taken off this paper.") || strings.Contains(p.body, "Dan Distant <span") {
		t.Error("Dan is still listed after being taken off")
	}
	got = b.post(paper+"/reviewers", url.Values{"csrf": {b.csrf()}, "email": {"dan@far.example"}, "action": {"assign"}})
	mustContain(t, b.get(got.location), "The reviewer is assigned", "Dan Distant <span class=\"muted\">dan@far.example</span>")
	if r := s.As(t, s.Login(t, "chair@example.org"), "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 2, "reviewer": "fay@away.example", "note": "same lab"}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("a conflict: %s", r.Body)
	}
	// A conflict after the assignment: the reviewer stays listed, marked for
	// the chair to replace.
	if r := s.As(t, s.Login(t, "chair@example.org"), "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 1, "reviewer": "dan@far.example", "note": "same project"}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("a late conflict: %s", r.Body)
	}
	mustContain(t, b.get(paper), "conflict of interest: replace", "Dan Distant: added by a chair (same project)")
	paper2 := fmt.Sprintf("%s/papers/%d", base, ids[1])
	mustContain(t, b.get(paper2), "Bids (0) and conflicts (1)", "Fay Faraway: added by a chair (same lab)", "Nobody is assigned yet.")
	refused := b.post(paper2+"/reviewers", url.Values{"csrf": {b.csrf()}, "email": {"fay@away.example"}, "action": {"assign"}})
	if refused.status < 400 || !strings.Contains(refused.body, "conflict") {
		t.Errorf("assigning a conflicted reviewer: %d", refused.status)
	}

	// The history page leads a chair back here.
	mustContain(t, b.get(fmt.Sprintf("/submissions/%d/history", ids[0])), `href="`+paper+`"`)
}

// TestChairPaperPageFollowsThePolicy: only chairs free of conflict open a
// paper's page; the others learn nothing of it, not even its title.
func TestChairPaperPageFollowsThePolicy(t *testing.T) {
	t.Parallel()
	s, ids := paperWorld(t)
	paper := fmt.Sprintf("/venues/dlde-2023/chair/papers/%d", ids[0])
	for _, who := range []struct {
		email  string
		status int
	}{{"rex@rev.example", http.StatusForbidden}, {"ada@uni.example", http.StatusForbidden}, {"cora@uni.example", http.StatusNotFound}} {
		b := newBrowser(t, s)
		b.signIn(who.email, apptest.Password)
		for _, got := range []page{b.get(paper), b.post(paper+"/comments", url.Values{"csrf": {b.csrf()}, "body": {"hello"}}),
			b.post(paper+"/decision", url.Values{"csrf": {b.csrf()}, "category": {"reject"}})} {
			if got.status != who.status {
				t.Errorf("%s on the paper page: %d, want %d", who.email, got.status, who.status)
			}
			if strings.Contains(got.body, "Neural ODEs with Learned Step Sizes") {
				t.Errorf("%s is shown the paper's title", who.email)
			}
		}
	}
	cora := newBrowser(t, s)
	cora.signIn("cora@uni.example", apptest.Password)
	if got := cora.get("/venues/dlde-2023/chair/submissions"); got.status != http.StatusOK || strings.Contains(got.body, "Neural ODEs") {
		t.Errorf("the conflicted chair's submission list: %d, shows the paper: %v", got.status, strings.Contains(got.body, "Neural ODEs"))
	}
	chair := newBrowser(t, s)
	chair.signIn("chair@example.org", apptest.Password)
	if got := chair.get("/venues/dlde-2023/chair/papers/99999"); got.status != http.StatusNotFound {
		t.Errorf("an unknown paper: %d", got.status)
	}
	// Nothing changed through the refused posts.
	if got := chair.get(paper); strings.Contains(got.body, "hello") || !strings.Contains(got.body, "Not decided") {
		t.Error("a refused post changed the paper")
	}
}

// TestDecisionTableWithoutScript: scores beside the decisions, sorted and
// filtered by links, many papers decided at once, and a release that asks
// before it sends anything.
func TestDecisionTableWithoutScript(t *testing.T) {
	t.Parallel()
	s, ids := paperWorld(t)
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	base := "/venues/dlde-2023/chair/decisions"

	table := b.get(base)
	if !regexp.MustCompile(`<td data-scores>(5, 2|2, 5)</td>`).MatchString(table.body) {
		t.Error("the table lacks paper 1's two scores")
	}
	mustContain(t, table, `<td data-mean>3.50</td>`, "1.50 <span class=\"badge late\">disagree</span>",
		`<td data-confidences>4, 4</td>`, "<td>2 of 3</td>", `href="/venues/dlde-2023/chair/decisions?order=desc&amp;sort=mean#table"`)
	// Best mean first, then the other way round; unreviewed papers below the scored.
	order := func(p page) string {
		var got []string
		for _, m := range regexp.MustCompile(`data-row="(\d+)"`).FindAllStringSubmatch(p.body, -1) {
			got = append(got, m[1])
		}
		return strings.Join(got, ",")
	}
	if got := order(b.get(base + "?sort=mean&order=desc")); got != "1,2" {
		t.Errorf("by mean, best first: %s", got)
	}
	if got := order(b.get(base + "?sort=mean&order=asc")); got != "2,1" {
		t.Errorf("by mean, worst first: %s", got)
	}
	mustContain(t, b.get(base+"?sort=mean&order=desc"), `aria-sort="descending"`, `href="/venues/dlde-2023/chair/decisions?order=asc&amp;sort=mean#table"`)
	if got := order(b.get(base + "?show=disagreement")); got != "1" {
		t.Errorf("only disagreements: %s", got)
	}
	mustContain(t, b.get(base+"?show=disagreement"), "1 paper of 2, matching the filters")

	// Many at once, all or nothing; each paper keeps its own note.
	b.post(fmt.Sprintf("%s/%d", base, ids[1]), url.Values{"csrf": {b.csrf()}, "number": {"2"}, "category": {"accept-poster"}, "note": {"Paper two's note."}})
	if got := b.post(base+"/bulk", url.Values{"csrf": {b.csrf()}, "n": {"1", "2"}}); got.status != http.StatusBadRequest {
		t.Errorf("no decision chosen: %d", got.status)
	} else {
		mustContain(t, got, `id="f-bulk-category-error"`)
	}
	if got := b.post(base+"/bulk", url.Values{"csrf": {b.csrf()}, "category": {"reject"}}); got.status != http.StatusBadRequest {
		t.Errorf("no paper ticked: %d", got.status)
	} else {
		mustContain(t, got, `id="f-n-error"`)
	}
	if got := b.post(base+"/bulk", url.Values{"csrf": {b.csrf()}, "category": {"reject"}, "n": {"1", "2", "77"}}); got.status != http.StatusBadRequest {
		t.Errorf("an unknown paper among them: %d", got.status)
	}
	mustContain(t, b.get(base), "<strong>1</strong> submission is still open")
	got := b.post(base+"/bulk", url.Values{"csrf": {b.csrf()}, "category": {"reject"}, "n": {"1", "2"}})
	if got.status != http.StatusSeeOther {
		t.Fatalf("deciding two: %d %s", got.status, got.body)
	}
	after := b.get(got.location)
	mustContain(t, after, "The decisions on 2 papers were recorded.", "<strong>0</strong> submissions are still open", `value="Paper two&#39;s note."`)

	// Release: first the question, with what will be sent; nothing goes yet.
	ask := b.post("/venues/dlde-2023/chair/release", url.Values{"csrf": {b.csrf()}, "now": {"1"}})
	mustContain(t, ask, "Release the decisions now?", "<strong>2 messages</strong> to <strong>1 author</strong> of 2 submissions", "<li>Reject: 2</li>",
		`name="confirm" value="1"`)
	mustContain(t, b.get(base), "Not released: authors see nothing yet.")
	rel := b.post("/venues/dlde-2023/chair/release", url.Values{"csrf": {b.csrf()}, "now": {"1"}, "confirm": {"1"}})
	if rel.location != base+"?released=1#release" {
		t.Fatalf("release: %d %q", rel.status, rel.location)
	}
	s.WaitMail(t, "ada@uni.example", "the decision on #2")
}

// TestDecisionMailTextWithoutScript: a chair previews, saves and resets the
// venue's own text of a decision's message, and the authors get it.
func TestDecisionMailTextWithoutScript(t *testing.T) {
	t.Parallel()
	s, ids := paperWorld(t)
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	base := "/venues/dlde-2023/chair/decisions"
	b.post(fmt.Sprintf("%s/%d", base, ids[0]), url.Values{"csrf": {b.csrf()}, "number": {"1"}, "category": {"accept-poster"}, "note": {"Board A."}})
	mustContain(t, b.get(base), "Accept as a poster (built-in text)", "We are glad to tell you that your submission")

	form := func(action, text string) url.Values {
		return url.Values{"csrf": {b.csrf()}, "category": {"accept-poster"}, "action": {action}, "text": {text}}
	}
	bad := b.post(base+"/mail", form("preview", "Subject: Hello {{.Nme}}\n\nBody."))
	if bad.status != http.StatusBadRequest {
		t.Errorf("a misspelt placeholder: %d", bad.status)
	}
	mustContain(t, bad, "here is no placeholder .Nme", "Hello {{.Nme}}")
	if got := b.post(base+"/mail", form("save", "No subject line\n\nBody.")); got.status != http.StatusBadRequest {
		t.Errorf("a text without a subject saved: %d", got.status)
	}
	own := "Subject: {{.VenueName}}: #{{.Number}} will be a poster\n\nDear {{.Name}},\n\nsee you at the poster session.{{if .Note}} {{.Note}}{{end}}\n\n{{.Link}}\n"
	prev := b.post(base+"/mail", form("preview", own))
	mustContain(t, prev, "Preview, for an example paper (not saved yet)", "#7 will be a poster", "see you at the poster session. A note from the chairs.")
	mustContain(t, b.get(base), "Accept as a poster (built-in text)") // a preview stores nothing

	saved := b.post(base+"/mail", form("save", own))
	if saved.status != http.StatusSeeOther {
		t.Fatalf("saving: %d %s", saved.status, saved.body)
	}
	page := b.get(saved.location)
	mustContain(t, page, "The message&#39;s text is saved", "Accept as a poster (the venue's own text)", "#1 will be a poster", "see you at the poster session. Board A.")
	rex := newBrowser(t, s)
	rex.signIn("rex@rev.example", apptest.Password)
	if got := rex.post(base+"/mail", url.Values{"csrf": {rex.csrf()}, "category": {"accept-poster"}, "action": {"save"}, "text": {own}}); got.status != http.StatusForbidden {
		t.Errorf("a reviewer changing the text: %d", got.status)
	}
	if rel := b.post("/venues/dlde-2023/chair/release", url.Values{"csrf": {b.csrf()}, "now": {"1"}, "confirm": {"1"}}); rel.status != http.StatusSeeOther {
		t.Fatalf("release: %d %s", rel.status, rel.body)
	}
	m := s.WaitMail(t, "ada@uni.example", "#1 will be a poster")
	if !strings.Contains(m.Text, "Dear Ada Author,") || !strings.Contains(m.Text, "Board A.") {
		t.Errorf("the authors' message:\n%s", m.Text)
	}
	back := b.post(base+"/mail", form("default", ""))
	mustContain(t, b.get(back.location), "The message is back to the built-in text.", "Accept as a poster (built-in text)")
}
