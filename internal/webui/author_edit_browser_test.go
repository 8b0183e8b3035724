package webui_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAuthorEditsAndAddsFilesInChromium: an author whose submission exists
// changes its title and keywords, adds supplementary material and opens
// her PDF, in a real browser with its script on; each page is checked for
// accessibility and for a phone's width.
func TestAuthorEditsAndAddsFilesInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b, sub := newPaper(t, s)
	if p := b.upload(sub+"/pdf", b.csrf(), "midpage4.pdf"); p.status != 303 {
		t.Fatalf("upload: %d %s", p.status, p.body)
	}
	archive := filepath.Join(t.TempDir(), "proofs.zip")
	if err := os.WriteFile(archive, zipOf(t, "proof.txt", "The full proof of Theorem 2."), 0o644); err != nil {
		t.Fatal(err)
	}

	tb := newTab(t, s)
	tb.signIn("ada@uni.example", "/")
	tb.see("header nav", "Signed in as Ada Author")
	tb.open(sub)
	tb.see("[data-status]", "Submitted")

	tb.do("opening the edit form", chromedp.Click(chromedp.CSS("a[data-edit]")), chromedp.WaitVisible(chromedp.CSS("#f-title")))
	tb.see("main h1", "Edit the details of submission #1")
	tb.checkAccessibility("the edit form")
	tb.do("changing the title and keywords",
		chromedp.Clear(chromedp.CSS("#f-title")),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Learned Step Sizes for Neural ODEs"),
		chromedp.Clear(chromedp.CSS("#f-keywords")),
		chromedp.SendKeys(chromedp.CSS("#f-keywords"), "neural ODEs, adaptive solvers"),
		chromedp.Click(chromedp.CSS("#f-declaration")),
		chromedp.Click(chromedp.CSS(`main form button[type=submit]`)))
	tb.see(".notice", "The details were saved.")
	tb.see("main h1", "Learned Step Sizes for Neural ODEs")
	tb.see("main", "neural ODEs, adaptive solvers", "Bob Coauthor")

	tb.do("uploading supplementary material",
		chromedp.SetUploadFiles(chromedp.CSS("#f-supplementary"), []string{archive}),
		chromedp.Click(chromedp.CSS(`form[action$="/supplementary"] button[type=submit]`)))
	tb.see(".notice", "Your supplementary material was accepted")
	tb.see("[data-supp-current]", "ZIP archive", "The check found no names of the authors in it.")
	tb.see("[data-files]", "Your PDF", "Supplementary material")
	tb.checkAccessibility("the submission with its files")

	// The link is the API's, answered from the browser's own cookies.
	href := tb.eval(`document.querySelector("[data-pdf-link]").getAttribute("href")`)
	if want := "/api/v1/" + sub[1:] + "/pdf"; href != want {
		t.Errorf("the PDF link goes to %q, not %q", href, want)
	}
	got, err := chromedp.Run(tb.step(), chromedp.Evaluate[string](fmt.Sprintf(`fetch(%q).then(r => r.blob().then(b =>
		r.status + " " + r.headers.get("Content-Type") + " " + b.size))`, href), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("200 application/pdf %d", len(pdf)); got != want {
		t.Errorf("fetching the PDF link: %q, want %q", got, want)
	}
	supp, err := chromedp.Run(tb.step(), chromedp.Evaluate[string](`fetch(document.querySelector("[data-supp-link]").href).then(r => String(r.status))`, chromedp.EvalAwaitPromise))
	if err != nil || supp != "200" {
		t.Errorf("fetching the supplementary link: %q %v", supp, err)
	}

	for _, p := range []string{sub, sub + "/edit"} {
		tb.fitsPhone(p)
	}
}
