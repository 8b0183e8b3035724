package webui_test

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// orNotes are two submissions of an OpenReview workshop as openreview-py's
// Note.to_json() writes them (API v2), with two reviews, a decision and a
// comment Quire does not keep.
const orNotes = `[
 {"id": "aBcD1234xy", "forum": "aBcD1234xy", "number": 1, "cdate": 1696464000000, "domain": "NeurIPS.cc/2023/Workshop/DLDE",
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/-/Submission"],
  "content": {"title": {"value": "Stiff neural ODEs"}, "authors": {"value": ["Zoë Ångström", "José Núñez"]},
   "authorids": {"value": ["zoe@kth.example", "~José_Núñez1"]}, "keywords": {"value": ["neural ODEs"]},
   "abstract": {"value": "We solve stiff systems."}, "pdf": {"value": "/pdf/1f2e3d.pdf"}}},
 {"id": "Q9wErTy5uI", "forum": "Q9wErTy5uI", "number": 2, "cdate": 1696467600000,
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/-/Submission"],
  "content": {"title": {"value": "Fourier operators for PINNs"}, "authors": {"value": ["Li Lei"]}, "authorids": {"value": ["lei@pku.example"]},
   "abstract": {"value": "Operators."}, "keywords": {"value": ["neural operators"]}}},
 {"id": "Rv1aaaaaaa", "forum": "aBcD1234xy", "replyto": "aBcD1234xy", "cdate": 1697328000000,
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/Submission1/-/Official_Review"],
  "signatures": ["NeurIPS.cc/2023/Workshop/DLDE/Submission1/Reviewer_Abc1"],
  "content": {"rating": {"value": "8: Top 50% of accepted papers, clear accept"}, "confidence": {"value": "3: The reviewer is fairly confident that the evaluation is correct"},
   "summary": {"value": "A stiff solver."}, "strengths": {"value": "Fast."}, "weaknesses": {"value": "Few baselines."}}},
 {"id": "Rv2bbbbbbb", "forum": "Q9wErTy5uI", "replyto": "Q9wErTy5uI", "cdate": 1697328000000,
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/Submission2/-/Official_Review"],
  "signatures": ["NeurIPS.cc/2023/Workshop/DLDE/Submission2/Reviewer_Xyz9"],
  "content": {"rating": {"value": 4}, "confidence": {"value": 2}, "summary": {"value": "Operators."}, "strengths": {"value": "Idea."}, "weaknesses": {"value": "Proofs."}}},
 {"id": "Dc1ccccccc", "forum": "aBcD1234xy", "replyto": "aBcD1234xy", "cdate": 1698100000000,
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/Submission1/-/Decision"], "content": {"decision": {"value": "Accept (Poster)"}}},
 {"id": "Cm1ddddddd", "forum": "aBcD1234xy", "replyto": "Rv1aaaaaaa",
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/Submission1/-/Official_Comment"], "content": {"comment": {"value": "Thanks"}}}
]`

func writeTemp(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// pdfZip is a ZIP with the first paper's PDF, named by its number.
func pdfZip(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pdfs.zip")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, err := zw.Create("1.pdf")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(corpusFile(t, "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAdminImportsFromOpenReviewInChromium: an administrator uploads a file
// that is not the notes and is told so, with nothing imported; then the
// notes, a ZIP of PDFs and the profile map, and reads the report: what
// came in, and each thing that did not, with why.
func TestAdminImportsFromOpenReviewInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "r1@example.org", "Reviewer One", false)
	s.CreateUser(t, "r2@example.org", "Reviewer Two", false)
	notes := writeTemp(t, "notes.json", orNotes)
	profiles := writeTemp(t, "profiles.csv", "openreview_id,email\nNeurIPS.cc/2023/Workshop/DLDE/Submission1/Reviewer_Abc1,r1@example.org\nNeurIPS.cc/2023/Workshop/DLDE/Submission2/Reviewer_Xyz9,r2@example.org\n")

	tb := newTab(t, s)
	tb.signIn("admin@example.org", "/admin")
	tb.do("sending a CSV as the notes",
		chromedp.WaitVisible(chromedp.CSS("#f-or-notes")),
		chromedp.SetUploadFiles(chromedp.CSS("#f-or-notes"), []string{profiles}),
		chromedp.Click(chromedp.CSS("[data-openreview-import] button[type=submit]")))
	tb.see("[data-openreview-import] [data-error-summary]", "Nothing was imported", "not JSON")
	tb.checkAccessibility("a refused OpenReview import")

	tb.do("importing the notes with their PDFs and the profile map",
		chromedp.WaitVisible(chromedp.CSS("#f-or-notes")),
		chromedp.SetUploadFiles(chromedp.CSS("#f-or-notes"), []string{notes}),
		chromedp.SetUploadFiles(chromedp.CSS("#f-or-pdfs"), []string{pdfZip(t)}),
		chromedp.SetUploadFiles(chromedp.CSS("#f-or-profiles"), []string{profiles}),
		chromedp.Click(chromedp.CSS("[data-openreview-import] button[type=submit]")))
	tb.see(".notice", "Imported 2 submissions, 2 reviews and 1 decision into dlde-2023")
	tb.see(`[data-count="submissions"]`, "2 (2 new, 0 updated")
	tb.see(`[data-count="pdfs"]`, "1")
	tb.see("[data-openreview-unmapped]", "~José_Núñez1", "has no email", "Official_Comment", "rating 8 is not on the form's scale 1–5: rescaled from 1–10 to 4")
	tb.checkAccessibility("the OpenReview import's report")

	var n int
	if err := s.App.Pool.QueryRow(context.Background(), `SELECT count(*) FROM submissions s JOIN venues v ON v.id = s.venue_id WHERE v.slug = 'dlde-2023'`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d submissions (%v)", n, err)
	}

	// And back out: the venue's row links the three files an import takes.
	tb.open("/admin")
	got := tb.eval(`(() => {
		const links = [...document.querySelectorAll('tr[data-venue="dlde-2023"] [data-openreview-export] a')];
		return links.map(a => {
			const x = new XMLHttpRequest();
			x.open('GET', a.href, false);
			x.overrideMimeType('text/plain; charset=x-user-defined');
			x.send();
			return [a.textContent, x.status, x.getResponseHeader('Content-Type'), x.responseText.slice(0, 2), a.hasAttribute('download')].join(' ');
		}).join(' | ');
	})()`)
	if want := "notes 200 application/json [\n true | PDFs 200 application/zip PK true | profile map 200 text/csv; charset=utf-8 op true"; got != want {
		t.Fatalf("the export links gave %q, want %q", got, want)
	}
}
