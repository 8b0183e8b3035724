package httpapi_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

func corpus(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// world is a DLDE III venue with a chair, an author, a co-author, an unrelated
// author, a reviewer and the chair of another venue.
type world struct {
	s                                                  *apptest.Server
	chair, author, coauthor, stranger, reviewer, other string
}

func newWorld(t *testing.T, opts ...apptest.Options) *world {
	t.Helper()
	s := apptest.Start(t, opts...)
	w := &world{s: s}
	s.CreateUser(t, "admin@example.org", "Admin", true)
	for _, u := range []struct{ email, name string }{
		{"chair@example.org", "Chair"}, {"ada@uni.example", "Ada Author"}, {"bob@lab.example", "Bob Coauthor"},
		{"eve@elsewhere.example", "Eve Stranger"}, {"rev@example.org", "Rex Reviewer"}, {"other.chair@example.org", "Other Chair"},
	} {
		s.CreateUser(t, u.email, u.name, false)
	}
	admin := s.Login(t, "admin@example.org")
	for _, v := range []struct{ slug, chair string }{{"dlde-2023", "chair@example.org"}, {"other-2023", "other.chair@example.org"}} {
		if r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": venueYAML(t, v.slug), "chairs": []string{v.chair}}); r.StatusCode != 201 {
			t.Fatalf("venue: %s", r.Body)
		}
	}
	w.chair, w.author, w.coauthor = s.Login(t, "chair@example.org"), s.Login(t, "ada@uni.example"), s.Login(t, "bob@lab.example")
	w.stranger, w.reviewer, w.other = s.Login(t, "eve@elsewhere.example"), s.Login(t, "rev@example.org"), s.Login(t, "other.chair@example.org")
	s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": "rev@example.org", "role": "reviewer"})
	link := apptest.LinkIn(t, s.WaitMail(t, "rev@example.org", ""), "/invitations/")
	if r := s.As(t, w.reviewer, "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != 200 {
		t.Fatalf("reviewer: %s", r.Body)
	}
	return w
}

func paper() map[string]any {
	return map[string]any{
		"title":    "Neural ODEs with  Learned Step Sizes",
		"abstract": "We learn adaptive step sizes for neural ordinary differential equations.",
		"authors": []map[string]string{
			{"name": "Ada Author", "email": "ada@uni.example", "affiliation": "University of Examples"},
			{"name": "Bob Coauthor", "email": "bob@lab.example", "affiliation": "Example Lab"},
		},
		"keywords":    []string{"neural differential equations", "hypersolvers"},
		"track":       "new-work",
		"declaration": true,
	}
}

func (w *world) create(t *testing.T) int64 {
	t.Helper()
	r := w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", paper())
	if r.StatusCode != 201 {
		t.Fatalf("create: %s %s", r.Status, r.Body)
	}
	return int64(r.Map(t)["id"].(float64))
}

func (w *world) upload(t *testing.T, id int64, body []byte, headers ...string) *apptest.Response {
	t.Helper()
	return w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), body, append([]string{"Content-Type", "application/pdf"}, headers...)...)
}

func TestCreateValidatesEverything(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	bad := paper()
	bad["declaration"] = false
	bad["track"] = "posters"
	bad["abstract"] = strings.Repeat("word ", 500)
	bad["authors"] = []map[string]string{{"name": "Bob", "email": "bob@lab.example"}}
	m := expectProblem(t, w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", bad), 400, "invalid_request")
	fields := string(mustJSON(t, m["errors"]))
	for _, f := range []string{`"declaration"`, `"track"`, `"abstract"`, `"authors"`} {
		if !strings.Contains(fields, f) {
			t.Errorf("%s not reported: %s", f, fields)
		}
	}
	// Unverified accounts cannot submit.
	w.s.Do(t, "POST", "/api/v1/auth/register", map[string]any{"email": "new@uni.example", "name": "New", "password": "a long enough password"})
	fresh := w.s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "new@uni.example", "password": "a long enough password"}).Map(t)["access_token"].(string)
	p := paper()
	p["authors"] = []map[string]string{{"name": "New", "email": "new@uni.example"}}
	expectProblem(t, w.s.As(t, fresh, "POST", "/api/v1/venues/dlde-2023/submissions", p), 403, "email_unverified")

	// A good one gets the next number and starts incomplete, title tidied.
	r := w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", paper())
	sub := r.Map(t)
	if r.StatusCode != 201 || sub["number"] != float64(1) || sub["status"] != "incomplete" || sub["title"] != "Neural ODEs with Learned Step Sizes" {
		t.Fatalf("create: %s", r.Body)
	}
	if sub["deadline"].(map[string]any)["aoe"] != "2023-10-08 23:59:59 AoE" || sub["time_left"] == "" {
		t.Fatalf("deadline shown: %v", sub["deadline"])
	}
	if _, ok := sub["late"]; ok {
		t.Fatal("authors must not see the late flag")
	}
	// The co-author is told by mail.
	w.s.WaitMail(t, "bob@lab.example", "#1")
}

func TestIdempotentCreateAndUpload(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	key := []string{"Idempotency-Key", "create-7f3a"}
	r1 := w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", paper(), key...)
	r2 := w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", paper(), key...)
	if r1.StatusCode != 201 || r2.StatusCode != 201 || r1.Map(t)["id"] != r2.Map(t)["id"] || r2.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retried create: %s / %s", r1.Body, r2.Body)
	}
	mine := w.s.As(t, w.author, "GET", "/api/v1/me/submissions", nil)
	var list []map[string]any
	mine.JSON(t, &list)
	if len(list) != 1 {
		t.Fatalf("a retried create made %d submissions", len(list))
	}
	// The same key on another request is refused.
	expectProblem(t, w.s.As(t, w.author, "POST", "/api/v1/venues/other-2023/submissions", paper(), key...), 422, "idempotency_key_reused")

	id := int64(r1.Map(t)["id"].(float64))
	pdf := corpus(t, "midpage4.pdf")
	u1 := w.upload(t, id, pdf, "Idempotency-Key", "upload-1")
	u2 := w.upload(t, id, pdf, "Idempotency-Key", "upload-1")
	if u1.StatusCode != 200 || string(u1.Body) != string(u2.Body) {
		t.Fatalf("retried upload: %s / %s", u1.Body, u2.Body)
	}
	var revs []map[string]any
	w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/revisions", id), nil).JSON(t, &revs)
	if len(revs) != 2 {
		t.Fatalf("a retried upload made %d revisions", len(revs))
	}
}

func TestUploadAcceptsAndRefusesKeepingThePrevious(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	good := corpus(t, "midpage4.pdf")
	r := w.upload(t, id, good)
	if r.StatusCode != 200 {
		t.Fatalf("good upload: %s %s", r.Status, r.Body)
	}
	res := r.Map(t)
	sub := res["submission"].(map[string]any)
	if sub["status"] != "submitted" || sub["verdict"] != "ok" || sub["body_pages"] != float64(4) || sub["pdf"].(map[string]any)["sha256"] != sha(good) {
		t.Fatalf("after a good upload: %s", r.Body)
	}
	if res["report"].(map[string]any)["body_pages"] != float64(4) {
		t.Fatalf("report: %v", res["report"])
	}
	cases := []struct {
		name   string
		body   []byte
		status int
		code   string
	}{
		{"over the page limit", corpus(t, "sixpage.pdf"), 422, "over_page_limit"},
		{"not a PDF", corpus(t, "notpdf.pdf"), 422, "not_pdf"},
		{"encrypted", corpus(t, "encrypted.pdf"), 422, "encrypted"},
		{"truncated", corpus(t, "truncated.pdf"), 422, ""},
		{"larger than the venue allows", bytes.Repeat([]byte("%PDF-1.4\n"), 11<<20/9+1), 413, "too_large"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := w.upload(t, id, c.body)
			if r.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", r.StatusCode, c.status, r.Body)
			}
			m := r.Map(t)
			if c.code != "" && m["code"] != c.code {
				t.Fatalf("code %v, want %s", m["code"], c.code)
			}
			if c.code == "over_page_limit" {
				rep, _ := m["report"].(map[string]any)
				if rep == nil || rep["body_pages"] != float64(6) {
					t.Fatalf("the refusal must carry the report: %s", r.Body)
				}
			}
		})
	}
	// Every refusal left the accepted version current.
	cur := w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil).Map(t)
	if cur["pdf"].(map[string]any)["sha256"] != sha(good) || cur["revision"] != float64(1) {
		t.Fatalf("the previous revision was disturbed: %v", cur)
	}
	got := w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), nil)
	if got.StatusCode != 200 || !bytes.Equal(got.Body, good) {
		t.Fatalf("original download: %s", got.Status)
	}
	anon := w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d/pdf?copy=anonymised", id), nil)
	if anon.StatusCode != 200 || !bytes.HasPrefix(anon.Body, []byte("%PDF")) || bytes.Equal(anon.Body, good) {
		t.Fatalf("anonymised download: %s", anon.Status)
	}

	// The browser's multipart form does the same.
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "paper.pdf")
	_, _ = fw.Write(corpus(t, "exact4.pdf"))
	_ = mw.Close()
	fr := w.s.As(t, w.author, "POST", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), form.Bytes(), "Content-Type", mw.FormDataContentType())
	if fr.StatusCode != 200 || fr.Map(t)["submission"].(map[string]any)["revision"] != float64(2) {
		t.Fatalf("form upload: %s %s", fr.Status, fr.Body)
	}

	// Leaks are warnings: accepted, counted, shown.
	lr := w.upload(t, id, corpus(t, "authorblock.pdf"))
	if lr.StatusCode != 200 {
		t.Fatalf("leaky upload: %s", lr.Body)
	}
	if rep := lr.Map(t)["report"].(map[string]any); rep["leaks"] == nil && rep["warnings"] == nil {
		t.Fatalf("no findings on an author block: %s", lr.Body)
	}
}

func TestSupplementaryMaterial(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	f, _ := zw.Create("code/train.py")
	_, _ = f.Write([]byte("print('hello')\n"))
	_ = zw.Close()
	r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), z.Bytes(), "Content-Type", "application/zip")
	if r.StatusCode != 200 || r.Map(t)["submission"].(map[string]any)["supplementary"].(map[string]any)["type"] != "zip" {
		t.Fatalf("zip: %s %s", r.Status, r.Body)
	}
	// A long PDF is fine as supplementary: it never counts against the limit.
	r = w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), corpus(t, "sixpage.pdf"), "Content-Type", "application/pdf")
	if r.StatusCode != 200 {
		t.Fatalf("pdf supplementary: %s %s", r.Status, r.Body)
	}
	sub := r.Map(t)["submission"].(map[string]any)
	if sub["status"] != "incomplete" || sub["supplementary"].(map[string]any)["type"] != "pdf" {
		t.Fatalf("supplementary must not stand in for the paper: %v", sub)
	}
	expectProblem(t, w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), []byte("just text"), "Content-Type", "application/octet-stream"), 422, "unsupported_type")
	d := w.s.As(t, w.coauthor, "GET", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), nil)
	if d.StatusCode != 200 || !bytes.Equal(d.Body, corpus(t, "sixpage.pdf")) {
		t.Fatalf("download: %s", d.Status)
	}
}

func TestWhoSeesASubmission(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	path := fmt.Sprintf("/api/v1/submissions/%d", id)
	for name, tok := range map[string]string{"author": w.author, "co-author": w.coauthor, "chair": w.chair} {
		if r := w.s.As(t, tok, "GET", path, nil); r.StatusCode != 200 {
			t.Errorf("%s: %s", name, r.Status)
		}
	}
	for name, tok := range map[string]string{"another author": w.stranger, "a reviewer of the venue": w.reviewer, "a chair of another venue": w.other} {
		for _, p := range []string{path, path + "/pdf", path + "/revisions"} {
			expectProblem(t, w.s.As(t, tok, "GET", p, nil), 404, "submission_not_found")
		}
		expectProblem(t, w.s.As(t, tok, "PUT", path+"/pdf", corpus(t, "midpage4.pdf"), "Content-Type", "application/pdf"), 404, "submission_not_found")
		_ = name
	}
	expectProblem(t, w.s.As(t, w.reviewer, "GET", "/api/v1/venues/dlde-2023/submissions", nil), 403, "not_chair")
	var mine []map[string]any
	w.s.As(t, w.coauthor, "GET", "/api/v1/me/submissions", nil).JSON(t, &mine)
	if len(mine) != 1 {
		t.Fatalf("co-author's list: %v", mine)
	}
	w.s.As(t, w.stranger, "GET", "/api/v1/me/submissions", nil).JSON(t, &mine)
	if len(mine) != 0 {
		t.Fatalf("stranger's list: %v", mine)
	}
}

func TestHistoryWithdrawRestore(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	base := fmt.Sprintf("/api/v1/submissions/%d", id)
	first := corpus(t, "midpage4.pdf")
	w.upload(t, id, first)
	p := paper()
	p["title"] = "Learned Step Sizes for Neural ODEs"
	if r := w.s.As(t, w.coauthor, "PATCH", base, p); r.StatusCode != 200 || r.Map(t)["title"] != "Learned Step Sizes for Neural ODEs" {
		t.Fatalf("edit: %s", r.Body)
	}
	w.upload(t, id, corpus(t, "exact4.pdf"))
	var revs []map[string]any
	w.s.As(t, w.author, "GET", base+"/revisions", nil).JSON(t, &revs)
	kinds := []string{}
	for _, r := range revs {
		kinds = append(kinds, r["kind"].(string))
	}
	if strings.Join(kinds, ",") != "created,pdf,metadata,pdf" || revs[3]["current"] != true || revs[3]["by"] != "Ada Author" {
		t.Fatalf("history: %v", revs)
	}
	expectProblem(t, w.s.As(t, w.author, "POST", base+"/revisions/1/restore", nil), 403, "not_chair")
	r := w.s.As(t, w.chair, "POST", base+"/revisions/1/restore", nil)
	if r.StatusCode != 200 || r.Map(t)["pdf"].(map[string]any)["sha256"] != sha(first) || r.Map(t)["title"] != "Neural ODEs with Learned Step Sizes" {
		t.Fatalf("restore: %s", r.Body)
	}

	if r := w.s.As(t, w.author, "POST", base+"/withdraw", nil); r.StatusCode != 200 || r.Map(t)["status"] != "withdrawn" {
		t.Fatalf("withdraw: %s", r.Body)
	}
	expectProblem(t, w.upload(t, id, first), 409, "submission_withdrawn")
	expectProblem(t, w.s.As(t, w.author, "POST", base+"/reinstate", nil), 403, "not_chair")
	if r := w.s.As(t, w.chair, "POST", base+"/reinstate", nil); r.StatusCode != 200 || r.Map(t)["status"] != "submitted" {
		t.Fatalf("reinstate: %s", r.Body)
	}
	w.s.As(t, w.author, "GET", base+"/revisions", nil).JSON(t, &revs)
	if len(revs) != 7 {
		t.Fatalf("history must keep everything: %d revisions", len(revs))
	}
}

func TestDeadlineGraceAndExtensions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	pdf := corpus(t, "midpage4.pdf")
	last := time.Date(2023, 10, 9, 11, 59, 59, 0, time.UTC)

	// Access tokens live 15 minutes by the server's clock: sign in again
	// after each jump.
	jump := func(to time.Time) {
		w.s.Clock.Set(to)
		w.author, w.chair = w.s.Login(t, "ada@uni.example"), w.s.Login(t, "chair@example.org")
	}
	jump(last)
	if r := w.upload(t, id, pdf); r.StatusCode != 200 {
		t.Fatalf("at 11:59:59Z: %s", r.Body)
	}
	// One second later is in the hidden grace window: accepted, marked late for chairs only.
	jump(last.Add(time.Second))
	r := w.upload(t, id, corpus(t, "exact4.pdf"))
	if r.StatusCode != 200 {
		t.Fatalf("in grace: %s", r.Body)
	}
	// (As a word: the report's "template" is no reveal.)
	if regexp.MustCompile(`\blate\b|grace`).Match(r.Body) {
		t.Fatalf("the author's answer reveals the grace window: %s", r.Body)
	}
	if late := w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil).Map(t)["late"]; late != true {
		t.Fatalf("chair sees late = %v", late)
	}
	// After the grace window everything is refused with the deadline stated.
	jump(last.Add(31 * time.Minute))
	m := expectProblem(t, w.upload(t, id, pdf), 403, "deadline_passed")
	if m["deadline_aoe"] != "2023-10-08 23:59:59 AoE" || !strings.Contains(m["detail"].(string), "2023-10-09 11:59:59 UTC") {
		t.Fatalf("refusal: %v", m)
	}
	p := paper()
	expectProblem(t, w.s.As(t, w.author, "PATCH", fmt.Sprintf("/api/v1/submissions/%d", id), p), 403, "deadline_passed")
	expectProblem(t, w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", p), 403, "deadline_passed")

	// A chair's extension opens this one submission again.
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/extensions", map[string]string{"action": "submit", "submission": "1", "until": "2023-10-10 AoE", "reason": "power cut"}); r.StatusCode != 201 {
		t.Fatalf("extension: %s", r.Body)
	}
	if r := w.upload(t, id, pdf); r.StatusCode != 200 {
		t.Fatalf("with the extension: %s", r.Body)
	}
	jump(time.Date(2023, 10, 11, 12, 0, 0, 0, time.UTC))
	expectProblem(t, w.upload(t, id, pdf), 403, "deadline_passed")
}

func TestWaiverAndChairList(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	w.upload(t, id, corpus(t, "midpage4.pdf"))
	id2 := w.create(t)
	long := corpus(t, "sixpage.pdf")
	expectProblem(t, w.upload(t, id2, long), 422, "over_page_limit")
	expectProblem(t, w.s.As(t, w.author, "POST", fmt.Sprintf("/api/v1/submissions/%d/waiver", id2), map[string]string{"reason": "please"}), 403, "not_chair")
	if r := w.s.As(t, w.chair, "POST", fmt.Sprintf("/api/v1/submissions/%d/waiver", id2), map[string]string{"reason": "appendix counted by mistake"}); r.StatusCode != 200 {
		t.Fatalf("waive: %s", r.Body)
	}
	if r := w.upload(t, id2, long); r.StatusCode != 200 {
		t.Fatalf("after the waiver: %s", r.Body)
	}
	var all []map[string]any
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/submissions", nil).JSON(t, &all)
	if len(all) != 2 {
		t.Fatalf("chair list: %d", len(all))
	}
	id3 := w.create(t)
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/submissions?status=submitted&track=new-work&verdict=ok", nil).JSON(t, &all)
	if len(all) != 2 {
		t.Fatalf("filtered: %v", all)
	}
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/submissions?status=incomplete", nil).JSON(t, &all)
	if len(all) != 1 || all[0]["id"] != float64(id3) {
		t.Fatalf("filtered: %v", all)
	}
	c := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/submissions?format=csv", nil)
	rows, err := csv.NewReader(bytes.NewReader(c.Body)).ReadAll()
	if err != nil || len(rows) != 4 || rows[0][0] != "number" || !strings.Contains(rows[1][9], "ada@uni.example") {
		t.Fatalf("csv: %v %q", err, c.Body)
	}
}

func TestGarbageCollectionKeepsReferencedFiles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	w.upload(t, id, corpus(t, "midpage4.pdf"))
	w.upload(t, id, corpus(t, "exact4.pdf")) // the first stays referenced by its revision
	// The page pictures are drawn after the acknowledgement, then named by
	// the reports: wait for them, as the day's grace does in production.
	if err := w.s.App.Services.Submissions.ThumbnailsIdle(t.Context()); err != nil {
		t.Fatal(err)
	}
	stray, err := w.s.App.Services.Submissions.Blobs.Put(t.Context(), bytes.NewReader([]byte("an upload whose row never committed")), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	// File times are the OS clock's, and a coarse one: a cutoff a minute
	// ahead makes the stray file old enough without waiting for the clock.
	n, err := w.s.App.Services.Submissions.CollectGarbage(t.Context(), -time.Minute)
	if err != nil || n != 1 {
		t.Fatalf("collected %d, %v; want the one stray file", n, err)
	}
	if ok, _ := w.s.App.Services.Submissions.Blobs.Exists(t.Context(), stray.SHA256); ok {
		t.Fatal("stray file kept")
	}
	for _, f := range []string{"midpage4.pdf", "exact4.pdf"} {
		if ok, _ := w.s.App.Services.Submissions.Blobs.Exists(t.Context(), sha(corpus(t, f))); !ok {
			t.Fatalf("%s deleted while a revision names it", f)
		}
	}
	// Young files are never collected, whatever names them.
	young, _ := w.s.App.Services.Submissions.Blobs.Put(t.Context(), bytes.NewReader([]byte("in flight")), 1<<20)
	if n, _ := w.s.App.Services.Submissions.CollectGarbage(t.Context(), time.Hour); n != 0 {
		t.Fatalf("collected %d young files", n)
	}
	if ok, _ := w.s.App.Services.Submissions.Blobs.Exists(t.Context(), young.SHA256); !ok {
		t.Fatal("young file deleted")
	}
}

// A refused upload leaves nothing behind in the store's work folder: not
// the staged file, not the reviewers' copy the check may have begun.
func TestRefusedUploadLeavesNoWorkFiles(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	probe, err := w.s.App.Services.Submissions.Blobs.TempPath("probe")
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Dir(probe)
	if err := os.Remove(probe); err != nil {
		t.Fatal(err)
	}
	expectProblem(t, w.upload(t, id, corpus(t, "sixpage.pdf")), 422, "over_page_limit")
	expectProblem(t, w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), []byte("PK\x03\x04 not a zip at all"), "Content-Type", "application/zip"), 422, "invalid_zip")
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("left in %s: %s", tmp, e.Name())
	}
}
