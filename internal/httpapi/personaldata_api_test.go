package httpapi_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
)

// exportOf downloads the caller's export and returns its entries by name.
func exportOf(t *testing.T, w *world, token string) map[string][]byte {
	t.Helper()
	r := w.s.As(t, token, "GET", "/api/v1/me/export", nil)
	if r.StatusCode != 200 {
		t.Fatalf("export: %d %s", r.StatusCode, r.Body)
	}
	if ct, cd := r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"); ct != "application/zip" || !strings.HasPrefix(cd, "attachment;") {
		t.Fatalf("export headers: %q %q", ct, cd)
	}
	z, err := zip.NewReader(bytes.NewReader(r.Body), int64(len(r.Body)))
	if err != nil {
		t.Fatalf("not a ZIP: %v", err)
	}
	out := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	for _, name := range []string{"account.json", "submissions.json", "reviews.json", "bids.json", "conflicts.json", "comments.json", "publication.json", "reviewing.json", "audit.json"} {
		if !json.Valid(out[name]) {
			t.Fatalf("%s missing or not JSON: %q", name, out[name])
		}
	}
	return out
}

func TestExportHoldsOwnThingsAndNothingHidden(t *testing.T) {
	t.Parallel()
	w, ids, tok := reviewWorld(t)
	rex := tok["rev@example.org"]
	if r := w.s.As(t, rex, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[0]), map[string]any{"fields": goodReview(3), "submit": true}); r.StatusCode != 200 {
		t.Fatalf("submit: %s", r.Body)
	}
	if r := w.s.As(t, rex, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[1]), map[string]any{"fields": map[string]any{"summary": "half-written thought"}}); r.StatusCode != 200 {
		t.Fatalf("draft: %s", r.Body)
	}
	if r := w.s.As(t, rex, "POST", fmt.Sprintf("/api/v1/submissions/%d/comments", ids[0]), map[string]string{"kind": "discussion", "body": "rex says the proof holds"}); r.StatusCode != 201 {
		t.Fatalf("comment: %d %s", r.StatusCode, r.Body)
	}

	// The author gets their paper, its author list and its PDF, and no reviewer.
	ada := exportOf(t, w, w.author)
	var acct map[string]any
	if err := json.Unmarshal(ada["account.json"], &acct); err != nil || acct["email"] != "ada@uni.example" || acct["two_factor"] != false {
		t.Fatalf("account.json: %s", ada["account.json"])
	}
	if _, ok := acct["sessions"].([]any); !ok {
		t.Fatalf("no sessions in account.json: %s", ada["account.json"])
	}
	if !bytes.Contains(ada["submissions.json"], []byte("bob@lab.example")) || !bytes.Contains(ada["submissions.json"], []byte(`"revisions"`)) {
		t.Fatalf("submissions.json lacks the author list or revisions: %s", ada["submissions.json"])
	}
	if pdf := ada["files/dlde-2023-1.pdf"]; !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("the paper's PDF is not in the export; entries: %v", keys(ada))
	}
	if _, ok := ada["files/dlde-2023-2.pdf"]; ok {
		t.Fatal("another author's paper is in the export")
	}
	for name, b := range ada {
		for _, hidden := range []string{"rev@example.org", "Rex Reviewer", "fay@away.example", "rex says", "password", "secret"} {
			if bytes.Contains(b, []byte(hidden)) {
				t.Errorf("%s in the author's export names %q", name, hidden)
			}
		}
	}

	// The reviewer gets both reviews, the draft too, and their comment, and
	// no author of the papers they review.
	rx := exportOf(t, w, rex)
	var reviews []map[string]any
	if err := json.Unmarshal(rx["reviews.json"], &reviews); err != nil || len(reviews) != 2 {
		t.Fatalf("reviews.json: %s", rx["reviews.json"])
	}
	if !bytes.Contains(rx["reviews.json"], []byte("half-written thought")) || !bytes.Contains(rx["reviews.json"], []byte(`"draft"`)) {
		t.Fatalf("the draft is missing: %s", rx["reviews.json"])
	}
	if !bytes.Contains(rx["comments.json"], []byte("rex says the proof holds")) {
		t.Fatalf("comments.json: %s", rx["comments.json"])
	}
	if !bytes.Contains(rx["account.json"], []byte(`"reviewer"`)) {
		t.Fatalf("roles missing: %s", rx["account.json"])
	}
	for name, b := range rx {
		if strings.HasPrefix(name, "files/") {
			t.Errorf("a reviewer's export holds %s", name)
		}
		for _, hidden := range []string{"ada@uni.example", "Ada Author", "eve@elsewhere.example", "Eve Stranger", "bob@lab.example", "Fay"} {
			if bytes.Contains(b, []byte(hidden)) {
				t.Errorf("%s in the reviewer's export names %q", name, hidden)
			}
		}
	}

	if r := w.s.As(t, "", "GET", "/api/v1/me/export", nil); r.StatusCode != 401 {
		t.Fatalf("anonymous export: %d", r.StatusCode)
	}
}

// The word an author gave on publishing their papers is theirs to take
// away, and so is what a reviewer gave as their expertise.
func TestExportHoldsPublicationConsentAndReviewingChoices(t *testing.T) {
	t.Parallel()
	w, ids := publicationWorld(t)
	ada := exportOf(t, w, w.author)
	var consent []map[string]any
	if err := json.Unmarshal(ada["publication.json"], &consent); err != nil || len(consent) != 2 {
		t.Fatalf("publication.json: %s", ada["publication.json"])
	}
	got := map[float64]map[string]any{}
	for _, c := range consent {
		got[c["submission"].(float64)] = c
	}
	if c := got[1]; c["consent"] != true || c["licence"] != "cc-by-4.0" || c["given_by_you"] != true || c["given_at"] == nil {
		t.Fatalf("paper 1's consent: %v", c)
	}
	if c := got[3]; c["licence"] != "all-rights-reserved" || c["title"] != publicationTitles[3] {
		t.Fatalf("paper 3's request: %v", c)
	}
	if r := w.s.As(t, w.chair, "GET", fmt.Sprintf("/api/v1/submissions/%d", ids[1]), nil); r.StatusCode != 200 {
		t.Fatalf("chair reads the paper: %d", r.StatusCode)
	}
	// The chair is no author: no consent of theirs, an empty list.
	if b := exportOf(t, w, w.chair)["publication.json"]; string(b) != "[]" {
		t.Fatalf("the chair's publication.json: %s", b)
	}

	rex := w.s.Login(t, "rev@example.org") // the clock has moved past the world's sign-in
	if r := w.s.As(t, rex, "POST", "/api/v1/me/publications", map[string]any{"format": "bibtex", "content": turbulenceBib}); r.StatusCode != 200 {
		t.Fatalf("add publications: %d %s", r.StatusCode, r.Body)
	}
	var reviewing struct {
		Publications []struct {
			Title, Source string
			Year          int
		}
		Loads          []any
		ReminderDigest bool `json:"reminder_digest"`
		Reminders      []any
	}
	rx := exportOf(t, w, rex)
	if err := json.Unmarshal(rx["reviewing.json"], &reviewing); err != nil || len(reviewing.Publications) == 0 || reviewing.Loads == nil || reviewing.Reminders == nil {
		t.Fatalf("reviewing.json: %v %s", err, rx["reviewing.json"])
	}
	for _, p := range reviewing.Publications {
		if p.Title == "" || p.Source != "bibtex" || p.Year == 0 {
			t.Fatalf("a publication lost its fields: %+v in %s", p, rx["reviewing.json"])
		}
	}
	if b := ada["reviewing.json"]; bytes.Contains(b, []byte("bibtex")) {
		t.Fatalf("another person's publications in the author's export: %s", b)
	}
}

func keys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Reminders are sent to an address; an account that has not confirmed the
// address may be someone else's, so its export holds none of them.
func TestExportHoldsRemindersOnlyForAConfirmedAddress(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if _, err := w.s.App.Pool.Exec(t.Context(), `INSERT INTO reminders_sent (venue_id, kind, step, recipient, name, subject, lines, link, created_at, digest)
		SELECT id, 'review', '-1d', 'rev@example.org', 'Rex', 'Your reviews are due tomorrow', '#1 A private title', '/x', now(), false FROM venues WHERE slug = 'dlde-2023'`); err != nil {
		t.Fatal(err)
	}
	reminders := func() string {
		var doc struct{ Reminders []map[string]any }
		b := exportOf(t, w, w.s.Session(t, "rev@example.org").Access)["reviewing.json"]
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(doc.Reminders)
	}
	if got := reminders(); !strings.Contains(got, "Your reviews are due tomorrow") {
		t.Fatalf("a confirmed address's reminders: %s", got)
	}
	if _, err := w.s.App.Pool.Exec(t.Context(), `UPDATE users SET email_verified_at = NULL WHERE email = 'rev@example.org'`); err != nil {
		t.Fatal(err)
	}
	if got := reminders(); got != "[]" {
		t.Fatalf("an unconfirmed address's export holds reminders: %s", got)
	}
}
