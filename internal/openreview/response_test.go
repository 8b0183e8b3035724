package openreview_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/openreview"
	"github.com/quirehq/quire/internal/venue"
)

// TestAuthorsCommentsAreTheResponse: in a venue with a response phase the
// comments a paper's authors signed (their group, or a profile id among
// the paper's authors, replying to a review) are the paper's response,
// their texts in date order and the first one's time, by no chair; they
// go back out as they came, signed and read as on OpenReview, and once
// the response changes in Quire as one note with its text. A venue
// without the phase keeps them for the export only.
func TestAuthorsCommentsAreTheResponse(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "dlde-or")
	set, _, err := venue.Parse([]byte(orVenue(t, "dlde-resp")))
	if err != nil {
		t.Fatal(err)
	}
	set.Deadlines.AuthorResponse = venue.Deadline{At: set.Deadlines.Review.At.Add(3 * 24 * time.Hour)}
	b, err := venue.Export(set)
	if err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"dlde-resp", "dlde-resp-copy"} {
		y := strings.Replace(string(b), "slug: dlde-resp\n", "slug: "+slug+"\n", 1)
		if r := w.s.As(t, w.s.Login(t, "admin@example.org"), "POST", "/api/v1/venues", map[string]any{"settings_yaml": y, "chairs": []string{"chair@example.org"}}); r.StatusCode != http.StatusCreated {
			t.Fatalf("creating the venue: %s", r.Body)
		}
	}
	ws := makeWorkshop(t)
	var sub3, group, review openreview.Note
	for _, n := range ws.notes {
		switch {
		case n.Forum == n.ID && n.Number == 3:
			sub3 = n
		case sub3.ID != "" && n.Forum == sub3.ID && strings.HasSuffix(n.MainInvitation(), "/-/Official_Review") && review.ID == "":
			review = n
		case sub3.ID != "" && n.Forum == sub3.ID && len(n.Signatures) > 0 && strings.HasSuffix(n.Signatures[0], "/Authors"):
			group = n
		}
	}
	if group.ID == "" || review.ID == "" {
		t.Fatal("paper 3 has no authors' comment or no review")
	}
	// An author replies to the review under their profile id, before the
	// authors' general comment.
	byAuthor := openreview.Note{ID: "AuthReply1", Forum: sub3.ID, ReplyTo: review.ID, Domain: domain, Invitations: []string{domain + "/Submission3/-/Official_Comment"},
		CDate: review.CDate + 3600000, Signatures: []string{sub3.Content.Strings("authorids")[0]},
		Readers: []string{domain + "/Program_Chairs", domain + "/Submission3/Reviewers", domain + "/Submission3/Authors"},
		Content: openreview.Content{"title": "To the first reviewer", "comment": "We added the RK45 baseline; see the new table 2."}}
	// And a word for the chairs alone: the response is read by the
	// reviewers, so it must not go there.
	private := openreview.Note{ID: "AuthPriv1", Forum: sub3.ID, ReplyTo: sub3.ID, Domain: domain, Invitations: []string{domain + "/Submission3/-/Official_Comment"},
		CDate: review.CDate + 7200000, Signatures: []string{domain + "/Submission3/Authors"},
		Readers: []string{domain + "/Program_Chairs", domain + "/Submission3/Authors"},
		Content: openreview.Content{"comment": "Confidential: reviewer 2 works for our competitor."}}
	notes := append(append([]openreview.Note{}, ws.notes...), byAuthor, private)
	rep := w.importInto(t, "dlde-resp", ws, notesJSON(t, notes), "")
	if rep.Responses != 6 || rep.Comments != 19 {
		t.Fatalf("report: %d responses, %d comments", rep.Responses, rep.Comments)
	}
	reported := false
	for _, it := range rep.Unmapped {
		reported = reported || it.Note == private.ID && strings.Contains(it.Why, "not imported")
	}
	if !reported {
		t.Errorf("the authors' word to the chairs is not reported as left out: %+v", rep.Unmapped)
	}
	var id int64
	var body, status, by string
	var submitted time.Time
	if err := w.s.App.Pool.QueryRow(ctx, `SELECT r.submission_id, r.body, r.status, r.submitted_at, u.email FROM author_responses r
		JOIN openreview_notes n ON n.submission_id = r.submission_id JOIN users u ON u.id = r.updated_by
		WHERE n.note_id = $1 AND n.venue_id = (SELECT id FROM venues WHERE slug = 'dlde-resp')`, sub3.ID).Scan(&id, &body, &status, &submitted, &by); err != nil {
		t.Fatal(err)
	}
	want := "**To the first reviewer**\n\nWe added the RK45 baseline; see the new table 2.\n\n---\n\n" + group.Content.String("comment")
	if body != want || status != "submitted" || !submitted.Equal(time.UnixMilli(byAuthor.CDate)) {
		t.Fatalf("paper 3's response %q (%s, %v), want %q", body, status, submitted, want)
	}
	t.Logf("recorded as saved by %s (no author has an account)", by)
	p := w.papers(t, "dlde-resp")[sub3.Content.String("title")]
	for _, c := range p.Comments {
		if strings.Contains(c.Body, "RK45 baseline") || c.Body == group.Content.String("comment") {
			t.Errorf("an authors' comment is a comment by %s: %q", c.Author, c.Body)
		}
	}
	// The chair reads it as the response.
	r := w.s.As(t, w.s.Login(t, "chair@example.org"), "GET", "/api/v1/submissions/"+itoa(id)+"/response", nil)
	if r.StatusCode != http.StatusOK || !strings.Contains(string(r.Body), "RK45 baseline") {
		t.Fatalf("the chair reads the response: %d %s", r.StatusCode, r.Body)
	}
	// Again: nothing changes.
	if again := w.importInto(t, "dlde-resp", ws, notesJSON(t, notes), ""); again.Responses != 6 {
		t.Fatalf("the second import: %d responses", again.Responses)
	}
	exported := func(slug string) map[string]openreview.Note {
		ex, err := w.svc.Export(ctx, slug, w.chair.UserID)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]openreview.Note{}
		for _, n := range ex.Notes {
			out[n.ID] = n
		}
		return out
	}
	out := exported("dlde-resp")
	for _, in := range []openreview.Note{byAuthor, group} {
		n, ok := out[in.ID]
		if !ok {
			t.Fatalf("the authors' comment %s is not exported", in.ID)
		}
		if strings.Join(n.Signatures, " ") != strings.Join(in.Signatures, " ") || strings.Join(n.Readers, " ") != strings.Join(in.Readers, " ") ||
			n.ReplyTo != in.ReplyTo || n.Content.String("comment") != in.Content.String("comment") || n.CDate != in.CDate {
			t.Errorf("exported %+v\nimported %+v", n, in)
		}
	}
	// Changed in Quire: one note, in the first one's place.
	if _, err := w.s.App.Pool.Exec(ctx, `UPDATE author_responses SET body = 'Changed in Quire.' WHERE submission_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	out = exported("dlde-resp")
	if n := out[byAuthor.ID]; n.Content.String("comment") != "Changed in Quire." || n.Signatures[0] != byAuthor.Signatures[0] || n.ReplyTo != review.ID {
		t.Errorf("the changed response: %+v", n)
	}
	if _, ok := out[group.ID]; ok {
		t.Error("a part of the response as it was is exported beside the changed one")
	}
	// Export, import into another venue with responses, export: the same
	// notes, byte for byte.
	ex, err := w.svc.Export(ctx, "dlde-resp", w.chair.UserID)
	if err != nil {
		t.Fatal(err)
	}
	var prof bytes.Buffer
	if err := openreview.WriteProfiles(&prof, ex.ProfileIDs, ex.Profiles); err != nil {
		t.Fatal(err)
	}
	copyWS := ws
	copyWS.profiles = prof.String()
	if rep := w.importInto(t, "dlde-resp-copy", copyWS, notesJSON(t, ex.Notes), ""); rep.Responses != 6 {
		t.Fatalf("the copy: %d responses", rep.Responses)
	}
	ex2, err := w.svc.Export(ctx, "dlde-resp-copy", w.chair.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if j1, j2 := notesJSON(t, ex.Notes), notesJSON(t, ex2.Notes); !bytes.Equal(j1, j2) {
		l1, l2 := strings.Split(string(j1), "\n"), strings.Split(string(j2), "\n")
		for i := range min(len(l1), len(l2)) {
			if l1[i] != l2[i] {
				t.Fatalf("the exports differ at line %d:\n%s\n%s", i+1, l1[i], l2[i])
			}
		}
		t.Fatalf("the exports differ in length: %d, %d lines", len(l1), len(l2))
	}
	// A response written in Quire (paper 3's, once the notes it came from
	// are forgotten) is not replaced by the notes, on any later import.
	if _, err := w.s.App.Pool.Exec(ctx, `DELETE FROM openreview_notes WHERE note_id IN ($1, $2)`, byAuthor.ID, group.ID); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		rep := w.importInto(t, "dlde-resp", ws, notesJSON(t, notes), "")
		var body string
		if err := w.s.App.Pool.QueryRow(ctx, `SELECT body FROM author_responses WHERE submission_id = $1`, id).Scan(&body); err != nil || body != "Changed in Quire." {
			t.Fatalf("the response written in Quire: %q (%v)", body, err)
		}
		said := false
		for _, it := range rep.Unmapped {
			said = said || it.Note == group.ID && strings.Contains(it.Why, "a response written in Quire")
		}
		if rep.Responses != 5 || !said {
			t.Fatalf("%d responses; reported: %v", rep.Responses, said)
		}
	}
	// Without a response phase: not a comment, and exported as it came.
	w.importInto(t, "dlde-or", ws, notesJSON(t, notes), "")
	if n, ok := exported("dlde-or")[group.ID]; !ok || n.Content.String("comment") != group.Content.String("comment") || n.Signatures[0] != group.Signatures[0] {
		t.Errorf("the kept authors' comment: %+v", n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
