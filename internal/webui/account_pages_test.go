package webui_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
)

// releaseReviewTime is during the review period of DLDE III, before the
// decision deadline.
var releaseReviewTime = time.Date(2023, 10, 14, 12, 0, 0, 0, time.UTC)

// releaseCameraTime is after the decision deadline, when camera-ready
// versions are due.
var releaseCameraTime = time.Date(2023, 10, 26, 12, 0, 0, 0, time.UTC)

// releasedWorld sets up, through the API, Ada's paper reviewed by Rex and
// decided as category, with the decisions released. It returns the
// submission's id; the clock stands in the camera-ready period.
func releasedWorld(t *testing.T, s *apptest.Server, category string) int64 {
	t.Helper()
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	s.CreateUser(t, "rev@example.org", "Rex Reviewer", false)
	chair, ada, rex := s.Login(t, "chair@example.org"), s.Login(t, "ada@uni.example"), s.Login(t, "rev@example.org")
	s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": "rev@example.org", "role": "reviewer"})
	link := apptest.LinkIn(t, s.WaitMail(t, "rev@example.org", "nvit"), "/invitations/")
	if r := s.As(t, rex, "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != http.StatusOK {
		t.Fatalf("rex joins: %s", r.Body)
	}
	r := s.As(t, ada, "POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{
		"title": "Neural ODEs with Learned Step Sizes", "abstract": "We learn step sizes.", "track": "new-work", "declaration": true,
		"authors": []map[string]string{{"name": "Ada Author", "email": "ada@uni.example", "affiliation": "University of Examples"}},
	})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create: %s", r.Body)
	}
	id := int64(r.Map(t)["id"].(float64))
	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if r := s.As(t, ada, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
		t.Fatalf("upload: %s", r.Body)
	}
	changes := []map[string]any{{"number": 1, "email": "rev@example.org", "assign": true}}
	if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": changes}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("assign: %s", r.Body)
	}
	s.Clock.Set(releaseReviewTime)
	chair, rex = s.Login(t, "chair@example.org"), s.Login(t, "rev@example.org")
	review := map[string]any{"overall": 5, "confidence": 4, "summary": "A neat idea, clearly told.", "strengths": "Clear.",
		"weaknesses": "Small experiments.", "confidential": "Possibly a resubmission."}
	if r := s.As(t, rex, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", id), map[string]any{"fields": review, "submit": true}); r.StatusCode != http.StatusOK {
		t.Fatalf("review: %s", r.Body)
	}
	if r := s.As(t, chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", id), map[string]string{"category": category, "note": "Please keep the talk to 12 minutes."}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("decide: %s", r.Body)
	}
	if r := s.As(t, chair, "PUT", "/api/v1/venues/dlde-2023/release", map[string]string{}); r.StatusCode != http.StatusOK {
		t.Fatalf("release: %s", r.Body)
	}
	// The camera-ready window opens after the decision deadline.
	s.Clock.Set(releaseCameraTime)
	return id
}

func TestPasswordResetWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	b := newBrowser(t, s)

	mustContain(t, b.get("/login"), `href="/reset-password"`, "Forgot your password?")
	mustContain(t, b.get("/reset-password"), `name="email"`, "Send the link")
	if p := b.post("/reset-password", url.Values{"email": {" "}}); p.status != http.StatusBadRequest || !strings.Contains(p.body, `id="f-email-error"`) {
		t.Errorf("no email: %d", p.status)
	}
	// An unknown address gets the same answer as a known one.
	known, unknown := b.post("/reset-password", url.Values{"email": {"ada@uni.example"}}), b.post("/reset-password", url.Values{"email": {"nobody@uni.example"}})
	if known.status != http.StatusOK || unknown.status != http.StatusOK ||
		strings.ReplaceAll(known.body, "ada@uni.example", "X") != strings.ReplaceAll(unknown.body, "nobody@uni.example", "X") {
		t.Errorf("the answers differ: %d %d", known.status, unknown.status)
	}
	mustContain(t, known, "If an account uses ada@uni.example")

	link, err := url.Parse(apptest.LinkIn(t, s.WaitMail(t, "ada@uni.example", ""), "/reset-password"))
	if err != nil {
		t.Fatal(err)
	}
	token := link.Query().Get("token")
	if link.Path != "/reset-password" || token == "" {
		t.Fatalf("the mailed link is %s", link)
	}
	mustContain(t, b.get(link.RequestURI()), `name="token" value="`+token+`"`, `autocomplete="new-password"`)
	tests := []struct {
		name, token, password string
		status                int
		want                  string
	}{
		{"a short password", token, "short", http.StatusBadRequest, `id="f-password-error"`},
		{"a forged token", "forged", "a brand new passphrase", http.StatusBadRequest, "This reset link is unknown, already used or expired"},
		{"the real thing", token, "a brand new passphrase", http.StatusOK, "Your password is changed"},
		{"the link again", token, "another new passphrase", http.StatusBadRequest, "already used"},
	}
	for _, tt := range tests {
		p := b.post("/reset-password", url.Values{"token": {tt.token}, "password": {tt.password}})
		if p.status != tt.status || !strings.Contains(p.body, tt.want) {
			t.Errorf("%s: %d, want %d with %q\n%s", tt.name, p.status, tt.status, tt.want, p.body)
		}
	}
	if p := b.post("/login", url.Values{"email": {"ada@uni.example"}, "password": {apptest.Password}}); p.status != http.StatusUnauthorized {
		t.Errorf("the old password still works: %d", p.status)
	}
	b.signIn("ada@uni.example", "a brand new passphrase")
}

func TestProfileWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b := newBrowser(t, s)
	if p := b.get("/profile"); p.status != http.StatusSeeOther || p.location != "/login?next=%2Fprofile" {
		t.Errorf("signed out: %d %q", p.status, p.location)
	}
	if p := b.post("/register", url.Values{"name": {"Nia"}, "email": {"nia@uni.example"}, "password": {"a good long passphrase"}}); p.status != http.StatusOK {
		t.Fatalf("register: %d", p.status)
	}
	s.WaitMail(t, "nia@uni.example", "")
	b.signIn("nia@uni.example", "a good long passphrase")

	p := b.get("/profile")
	mustContain(t, p, "nia@uni.example", `data-verified="false"`, "Send the confirmation link again", `href="/profile"`, `value="Nia"`)
	if p := b.post("/profile", url.Values{"name": {"Nia"}}); p.status != http.StatusForbidden {
		t.Errorf("no CSRF: %d", p.status)
	}
	bad := b.post("/profile", url.Values{"csrf": {b.csrf()}, "name": {"Nia Newton"}, "orcid": {"0000-0002-1825-0098"}, "keywords": {"optimal transport"}})
	if bad.status != http.StatusBadRequest {
		t.Errorf("bad ORCID: %d", bad.status)
	}
	mustContain(t, bad, `id="f-orcid-error"`, `value="0000-0002-1825-0098"`, `value="Nia Newton"`, "optimal transport")
	ok := b.post("/profile", url.Values{"csrf": {b.csrf()}, "name": {"Nia Newton"}, "affiliation": {"Uni"}, "orcid": {"https://orcid.org/0000-0002-1825-0097"},
		"keywords": {"optimal transport\nneural ODEs, Optimal Transport"}})
	if ok.status != http.StatusSeeOther || ok.location != "/profile?saved=1" {
		t.Fatalf("save: %d %q %s", ok.status, ok.location, ok.body)
	}
	mustContain(t, b.get(ok.location), "Your profile was saved.", `value="Nia Newton"`, `value="0000-0002-1825-0097"`, ">optimal transport\nneural ODEs</textarea>")

	// The confirmation link, again: a second mail, and its link confirms.
	if p := b.post("/profile/verification", url.Values{"csrf": {b.csrf()}}); p.status != http.StatusSeeOther || p.location != "/profile?sent=1" {
		t.Fatalf("resend: %d %q", p.status, p.location)
	}
	deadline := time.Now().Add(time.Minute)
	for n := 0; n < 2; {
		n = 0
		for _, m := range s.Mail.Messages() {
			if m.SentTo("nia@uni.example") && strings.Contains(m.Text, "/verify?token=") {
				n++
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d confirmation mails, want 2", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestInvitationsWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	chair := s.Login(t, "chair@example.org")
	s.CreateUser(t, "rex@example.org", "Rex Reviewer", false)
	invite := func(email string) string {
		t.Helper()
		if r := s.As(t, chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": email, "name": "Invited Person", "role": "reviewer"}); r.StatusCode >= 300 {
			t.Fatalf("invite %s: %s", email, r.Body)
		}
		link, err := url.Parse(apptest.LinkIn(t, s.WaitMail(t, email, "nvit"), "/invitations/"))
		if err != nil {
			t.Fatal(err)
		}
		return link.Path
	}

	// A newcomer chooses a password and is signed in.
	newcomer := newBrowser(t, s)
	path := invite("nia@uni.example")
	mustContain(t, newcomer.get(path), "DLDE III", "reviewer", "nia@uni.example", `value="Invited Person"`, "Accept and create the account", "Decline the invitation")
	bad := newcomer.post(path+"/accept", url.Values{"name": {"Nia"}, "password": {"short"}})
	if bad.status != http.StatusBadRequest || newcomer.cookie("quire_access") != nil {
		t.Errorf("a short password: %d", bad.status)
	}
	mustContain(t, bad, `id="f-password-error"`, `value="Nia"`)
	p := newcomer.post(path+"/accept", url.Values{"name": {"Nia Newton"}, "password": {"a good long passphrase"}})
	if p.status != http.StatusSeeOther || p.location != path || newcomer.cookie("quire_access") == nil || newcomer.csrf() == "" {
		t.Fatalf("accept: %d %q", p.status, p.location)
	}
	mustContain(t, newcomer.get(path), `data-invitation-state="accepted"`, "You are a reviewer of The Symbiosis", "Signed in as Nia Newton",
		`href="/venues/dlde-2023/review"`, `href="/profile"`)
	mustContain(t, newcomer.get("/"), `href="/venues/dlde-2023/review"`)
	if p := newcomer.post(path+"/accept", url.Values{"csrf": {newcomer.csrf()}}); p.status != http.StatusConflict {
		t.Errorf("accepting twice: %d", p.status)
	}

	// An existing account signs in first, then accepts with a click.
	rex := newBrowser(t, s)
	path = invite("rex@example.org")
	mustContain(t, rex.get(path), "Sign in first", `href="/login?next=`+url.QueryEscape(path)+`"`)
	rex.signIn("rex@example.org", apptest.Password)
	mustContain(t, rex.get(path), "Accept: become a reviewer", `name="csrf" value="`+rex.csrf()+`"`)
	if p := rex.post(path+"/accept", url.Values{}); p.status != http.StatusForbidden {
		t.Errorf("accept without CSRF: %d", p.status)
	}
	if p := rex.post(path+"/accept", url.Values{"csrf": {rex.csrf()}}); p.status != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", p.status, p.body)
	}
	mustContain(t, rex.get(path), "You are a reviewer of The Symbiosis")

	// Declining needs no account, and takes a reason.
	other := newBrowser(t, s)
	path = invite("dan@far.example")
	if p := other.post(path+"/decline", url.Values{"reason": {"On leave this autumn."}}); p.status != http.StatusSeeOther {
		t.Fatalf("decline: %d", p.status)
	}
	mustContain(t, other.get(path), `data-invitation-state="declined"`)
	var list []map[string]any
	s.As(t, s.Login(t, "chair@example.org"), "GET", "/api/v1/venues/dlde-2023/invitations", nil).JSON(t, &list)
	found := false
	for _, inv := range list {
		if inv["email"] == "dan@far.example" && inv["state"] == "declined" {
			found = true
		}
	}
	if !found {
		t.Errorf("the chairs do not see the refusal: %v", list)
	}
	if p := other.get("/invitations/not-a-token"); p.status != http.StatusNotFound {
		t.Errorf("an unknown link: %d", p.status)
	}
}

func TestTheAuthorSeesTheDecisionAfterTheRelease(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	id := releasedWorld(t, s, "accept-spotlight")
	sub := fmt.Sprintf("/submissions/%d", id)
	b := newBrowser(t, s)
	b.signIn("ada@uni.example", apptest.Password)
	p := b.get(sub)
	mustContain(t, p, "data-decision", "Please keep the talk to 12 minutes.", "Reviewer 1", "A neat idea, clearly told.", "Small experiments.",
		"Camera-ready version", `action="`+sub+`/camera-ready"`, `id="f-authors-0-name"`, `value="Ada Author"`)
	for _, secret := range []string{"Possibly a resubmission.", "Rex", "rev@example.org"} {
		if strings.Contains(p.body, secret) {
			t.Errorf("the author's page shows %q", secret)
		}
	}
	// The reviewer's page for the same submission is not this one.
	rex := newBrowser(t, s)
	rex.signIn("rev@example.org", apptest.Password)
	if p := rex.get(sub); p.status != http.StatusNotFound {
		t.Errorf("the reviewer on the author's page: %d", p.status)
	}

	// The final author list: errors by the row, then saved.
	form := url.Values{"csrf": {b.csrf()}}
	for _, r := range [][3]string{{"Ada Author", "ada@uni.example", "University of Examples"}, {"", "zoe@uni.example", ""}, {}, {}, {}, {}} {
		form.Add("author_name", r[0])
		form.Add("author_email", r[1])
		form.Add("author_affiliation", r[2])
	}
	bad := b.post(sub+"/final-authors", form)
	if bad.status != http.StatusBadRequest {
		t.Errorf("a nameless author: %d", bad.status)
	}
	mustContain(t, bad, `id="f-authors-1-name-error"`, `value="zoe@uni.example"`)
	form["author_name"][1] = "Zoe Newcomer"
	if p := b.post(sub+"/final-authors", form); p.status != http.StatusSeeOther {
		t.Fatalf("final authors: %d %s", p.status, p.body)
	}
	// Confirming needs the camera-ready PDF first; then it is accepted.
	form.Set("confirm", "yes")
	if p := b.post(sub+"/final-authors", form); p.status != http.StatusConflict || !strings.Contains(p.body, "Upload the camera-ready PDF before confirming") {
		t.Errorf("confirm without the PDF: %d", p.status)
	}
	if p := b.uploadField(sub+"/camera-ready", "camera_ready", "", "authorblock.pdf"); p.status != http.StatusForbidden {
		t.Errorf("camera-ready without CSRF: %d", p.status)
	}
	up := b.uploadField(sub+"/camera-ready", "camera_ready", b.csrf(), "authorblock.pdf")
	if up.status != http.StatusSeeOther || !strings.Contains(up.location, "camera_ready=1") {
		t.Fatalf("camera-ready: %d %s", up.status, up.body)
	}
	mustContain(t, b.get(up.location), "Your camera-ready PDF was accepted.")
	if p := b.post(sub+"/final-authors", form); p.status != http.StatusSeeOther {
		t.Errorf("confirm: %d %s", p.status, p.body)
	}

	// Withdrawing asks first, then withdraws.
	mustContain(t, b.get(sub+"/withdraw"), "Yes, withdraw the submission", `action="`+sub+`/withdraw"`)
	if p := b.post(sub+"/withdraw", url.Values{}); p.status != http.StatusForbidden {
		t.Errorf("withdraw without CSRF: %d", p.status)
	}
	w := b.post(sub+"/withdraw", url.Values{"csrf": {b.csrf()}})
	if w.status != http.StatusSeeOther {
		t.Fatalf("withdraw: %d %s", w.status, w.body)
	}
	after := b.get(w.location)
	mustContain(t, after, "Your submission is withdrawn.", "Withdrawn")
	if strings.Contains(after.body, "Withdraw this submission") {
		t.Error("a withdrawn submission offers to withdraw again")
	}
}

func TestNothingShowsBeforeTheRelease(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	b := newBrowser(t, s)
	b.signIn("ada@uni.example", apptest.Password)
	p := b.post("/venues/dlde-2023/submit", paperForm(b.csrf()))
	m := submissionURL.FindStringSubmatch(p.location)
	if m == nil {
		t.Fatalf("create: %d %s", p.status, p.body)
	}
	page := b.get("/submissions/" + m[1])
	mustContain(t, page, "Upload the PDF", "Withdraw this submission")
	for _, absent := range []string{"data-decision", "data-reviews", "data-camera-ready"} {
		if strings.Contains(page.body, absent) {
			t.Errorf("before the release the page has %s", absent)
		}
	}
	if p := b.upload("/submissions/"+m[1]+"/camera-ready", b.csrf(), ""); p.status != http.StatusBadRequest {
		t.Errorf("an empty camera-ready form: %d", p.status)
	}
	if p := b.uploadField("/submissions/"+m[1]+"/camera-ready", "camera_ready", b.csrf(), "midpage4.pdf"); p.status != http.StatusConflict {
		t.Errorf("camera-ready before any decision: %d", p.status)
	}
}

// uploadField sends a one-file form as a browser without script does: the
// CSRF field first, then the file in the named field.
func (b *browser) uploadField(path, field, csrf, file string) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		_ = mw.WriteField("csrf", csrf)
	}
	data, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", file))
	if err != nil {
		b.t.Fatal(err)
	}
	fw, err := mw.CreateFormFile(field, file)
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.s.URL+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// TestAuthorsSeeTheMetaReviewWhereTheVenueSaysSo: after the release the
// authors' page shows the chairs' meta-review with the decision only once
// the venue's settings say authors see it.
func TestAuthorsSeeTheMetaReviewWhereTheVenueSaysSo(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	id := releasedWorld(t, s, "accept-poster")
	chair := s.Login(t, "chair@example.org")
	if r := s.As(t, chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/meta-review", id), map[string]string{"recommendation": "accept-poster", "body": "The reviewers liked the clear story."}); r.StatusCode != http.StatusNoContent {
		t.Fatalf("meta-review: %s", r.Body)
	}
	b := newBrowser(t, s)
	b.signIn("ada@uni.example", apptest.Password)
	page := fmt.Sprintf("/submissions/%d", id)
	if p := b.get(page); !strings.Contains(p.body, "data-decision") || strings.Contains(p.body, "data-meta-review") {
		t.Fatalf("before the venue shows it: %d, meta-review shown: %v", p.status, strings.Contains(p.body, "data-meta-review"))
	}
	y := strings.ReplaceAll(string(venue.DemoYAML()), "reviews_per_paper: 3", "reviews_per_paper: 1") + "\nmeta_reviews:\n  authors_see: true\n"
	if r := s.As(t, chair, "PATCH", "/api/v1/venues/dlde-2023", map[string]string{"settings_yaml": y}); r.StatusCode != http.StatusOK {
		t.Fatalf("settings: %s", r.Body)
	}
	mustContain(t, b.get(page), "data-meta-review", "meta-review</h3>", "Recommendation: Accept as a poster", "The reviewers liked the clear story.")
}
