package webui_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/quirehq/quire/internal/app/apptest"
)

// publishedWorld is programmeWorld after the release (27 October 2023), with
// #1's camera-ready version uploaded by Ada.
func publishedWorld(t *testing.T) (*apptest.Server, map[int]int64) {
	t.Helper()
	s, ids := programmeWorld(t)
	at := time.Date(2023, 10, 27, 12, 0, 0, 0, time.UTC)
	if _, err := s.App.Services.Decisions.Release(context.Background(), "dlde-2023", chairPrincipal(t, s), &at, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	s.Clock.Set(at.Add(time.Hour))
	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	ada := s.Login(t, "ada@uni.example")
	if r := s.As(t, ada, "PUT", fmt.Sprintf("/api/v1/submissions/%d/camera-ready", ids[1]), pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
		t.Fatalf("camera-ready: %s", r.Body)
	}
	return s, ids
}

// metaTags reads a page's <meta> tags as an indexer does: name (or
// property) to every content, in order.
func metaTags(t *testing.T, body string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return out
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if tok.Data != "meta" {
				continue
			}
			var key, content string
			for _, a := range tok.Attr {
				switch a.Key {
				case "name", "property":
					key = a.Val
				case "content":
					content = a.Val
				}
			}
			if key != "" {
				out[key] = append(out[key], content)
			}
		}
	}
}

// TestPublicPaperPageCarriesCitationTags: once Ada consents, paper #1 has
// its public page with the Highwire Press tags indexers read and Open
// Graph tags; the venue page links it and offers the citations; accepted
// #2 without consent and rejected #5 have no page.
func TestPublicPaperPageCarriesCitationTags(t *testing.T) {
	t.Parallel()
	s, ids := publishedWorld(t)
	anon := newBrowser(t, s)
	if p := anon.get("/venues/dlde-2023/papers/1"); p.status != http.StatusNotFound {
		t.Fatalf("a page before consent: %d", p.status)
	}
	b := newBrowser(t, s)
	b.signIn("ada@uni.example", apptest.Password)
	sub := b.get(fmt.Sprintf("/submissions/%d", ids[1]))
	if !strings.Contains(sub.body, `data-publication`) || !strings.Contains(sub.body, "<strong>Non-archival</strong> reports") {
		t.Fatalf("the consent form is missing:\n%s", sub.body)
	}
	p := b.post(fmt.Sprintf("/submissions/%d/publication", ids[1]), url.Values{"csrf": {b.csrf()}, "consent": {"yes"}, "licence": {"cc-by-nc-4.0"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("consent: %d %s", p.status, p.body)
	}
	if p := b.post(fmt.Sprintf("/submissions/%d/publication", ids[2]), url.Values{"csrf": {b.csrf()}, "consent": {"yes"}, "licence": {"gpl-3.0"}}); p.status != http.StatusBadRequest && p.status != http.StatusUnprocessableEntity {
		t.Errorf("a licence the venue does not offer: %d", p.status)
	}

	page := anon.get("/venues/dlde-2023/papers/1")
	if page.status != http.StatusOK {
		t.Fatalf("public page: %d %s", page.status, page.body)
	}
	tags := metaTags(t, page.body)
	base := strings.TrimSuffix(s.App.Config.BaseURL.String(), "/") // absolute links use the configured public address
	want := map[string][]string{
		"citation_title":            {"Neural ODEs with Learned Step Sizes"},
		"citation_author":           {"Ada Author"},
		"citation_publication_date": {"2023/12/16"},
		"citation_conference_title": {"The Symbiosis of Deep Learning and Differential Equations (DLDE III)"},
		"citation_pdf_url":          {base + "/api/v1/venues/dlde-2023/papers/1/pdf"},
		"og:title":                  {"Neural ODEs with Learned Step Sizes"},
		"og:type":                   {"article"},
		"og:url":                    {base + "/venues/dlde-2023/papers/1"},
		"dc.rights":                 {"CC BY-NC 4.0"},
	}
	for k, w := range want {
		if got := tags[k]; fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("%s = %q, want %q", k, got, w)
		}
	}
	for _, w := range []string{`data-status>Non-archival report, The Symbiosis`, `>CC BY-NC 4.0</a>`, `data-slot>Spotlight talk, Saturday 16 December, 09:30–09:45 CST`, `@inproceedings{dlde-2023-1,`, `note = {Non-archival}`} {
		if !strings.Contains(page.body, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
	// The tags' PDF is the stamped file.
	pdf := anon.get("/api/v1/venues/dlde-2023/papers/1/pdf")
	if pdf.status != http.StatusOK || !bytes.HasPrefix([]byte(pdf.body), []byte("%PDF")) {
		t.Errorf("citation_pdf_url: %d", pdf.status)
	}
	venuePage := anon.get("/venues/dlde-2023")
	for _, w := range []string{`href="/venues/dlde-2023/papers/1" data-paper-link`, `papers?format=bibtex`, "Published here as Non-archival reports"} {
		if !strings.Contains(venuePage.body, w) {
			t.Errorf("the venue page lacks %q", w)
		}
	}
	for _, n := range []int{2, 5} {
		if p := anon.get(fmt.Sprintf("/venues/dlde-2023/papers/%d", n)); p.status != http.StatusNotFound {
			t.Errorf("#%d: %d", n, p.status)
		}
	}
	if strings.Contains(venuePage.body, "Programme paper 5") || strings.Contains(venuePage.body, "More about neural differential equations") {
		t.Error("the venue page shows the rejected paper, or an abstract without consent")
	}
	// The chairs' programme page links the proceedings, which the chair's
	// browser downloads with its session.
	chair := newBrowser(t, s)
	chair.signIn("chair@example.org", apptest.Password)
	prog := chair.get("/venues/dlde-2023/chair/programme")
	if !strings.Contains(prog.body, `href="/api/v1/venues/dlde-2023/proceedings"`) {
		t.Error("the programme page does not link the proceedings")
	}
	if z := chair.get("/api/v1/venues/dlde-2023/proceedings"); z.status != http.StatusOK || !strings.HasPrefix(z.body, "PK") ||
		!strings.Contains(z.header.Get("Content-Disposition"), "dlde-2023-proceedings.zip") {
		t.Errorf("the proceedings in the chair's browser: %d %q", z.status, z.header.Get("Content-Disposition"))
	}
	if z := anon.get("/api/v1/venues/dlde-2023/proceedings"); z.status == http.StatusOK {
		t.Error("the proceedings without signing in")
	}
	// Withdrawn consent: the page is gone.
	if p := b.post(fmt.Sprintf("/submissions/%d/publication", ids[1]), url.Values{"csrf": {b.csrf()}}); p.status != http.StatusSeeOther {
		t.Fatalf("withdrawing: %d", p.status)
	}
	if p := anon.get("/venues/dlde-2023/papers/1"); p.status != http.StatusNotFound {
		t.Errorf("after withdrawal: %d", p.status)
	}
}
