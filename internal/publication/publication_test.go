package publication_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/publication"
	"github.com/quirehq/quire/internal/venue"
)

func TestMain(m *testing.M) { apptest.Main(m) }

// world is DLDE III after its release: #1 accepted as a spotlight, #2 and
// #3 as posters, #4 and #5 rejected, each by Ada (and #1 with Bob too);
// #1 has its camera-ready version.
type world struct {
	s          *apptest.Server
	chair, ada account.Principal
	bob        account.Principal
	ids        map[int]int64
}

var ctx = context.Background()

func corpus(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newWorld(t *testing.T) *world {
	t.Helper()
	return newWorldWith(t, string(venue.DemoYAML()))
}

func newWorldWith(t *testing.T, settings string) *world {
	t.Helper()
	s := apptest.Start(t)
	s.CreateUser(t, "admin@example.org", "Admin", true)
	w := &world{s: s, ids: map[int]int64{}}
	w.chair = account.Principal{UserID: s.CreateUser(t, "chair@example.org", "Chair", false)}
	w.ada = account.Principal{UserID: s.CreateUser(t, "ada@uni.example", "Ada Author", false)}
	w.bob = account.Principal{UserID: s.CreateUser(t, "bob@lab.example", "Bob Coauthor", false)}
	admin := s.Login(t, "admin@example.org")
	if r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": settings, "chairs": []string{"chair@example.org"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("creating the venue: %s", r.Body)
	}
	ada := s.Login(t, "ada@uni.example")
	titles := []string{"Neural ODEs & {friends}: 100% solved?", "Poster two", "Poster three", "Rejected four", "Rejected five"}
	for i, title := range titles {
		authors := []map[string]string{{"name": "Ada Author", "email": "ada@uni.example", "affiliation": "Université de Sherbrooke"}}
		if i == 0 {
			authors = append(authors, map[string]string{"name": "Bob Coauthor", "email": "bob@lab.example"})
		}
		r := s.As(t, ada, "POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{
			"title": title, "abstract": "About differential equations, $x^2$ and #hashes.", "keywords": []string{"neural ODEs"},
			"authors": authors, "track": "new-work", "declaration": true})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("creating %q: %s", title, r.Body)
		}
		m := r.Map(t)
		id := int64(m["id"].(float64))
		if r := s.As(t, ada, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), corpus(t, "midpage4.pdf"), "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
			t.Fatalf("uploading: %s", r.Body)
		}
		w.ids[int(m["number"].(float64))] = id
	}
	s.Clock.Set(time.Date(2023, 10, 20, 12, 0, 0, 0, time.UTC))
	for n, cat := range map[int]string{1: "accept-spotlight", 2: "accept-poster", 3: "accept-poster", 4: "reject", 5: "reject"} {
		if err := s.App.Services.Decisions.Decide(ctx, w.ids[n], w.chair, cat, "", "127.0.0.1"); err != nil {
			t.Fatalf("deciding #%d: %v", n, err)
		}
	}
	at := time.Date(2023, 10, 27, 12, 0, 0, 0, time.UTC)
	if _, err := s.App.Services.Decisions.Release(ctx, "dlde-2023", w.chair, &at, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	s.Clock.Set(at.Add(time.Hour))
	if _, err := s.App.Services.Decisions.UploadCameraReady(ctx, w.ids[1], w.ada, bytes.NewReader(corpus(t, "midpage4.pdf"))); err != nil {
		t.Fatalf("camera-ready: %v", err)
	}
	return w
}

func (w *world) consent(t *testing.T, who account.Principal, n int, yes bool, licence string) (publication.Consent, error) {
	t.Helper()
	return w.s.App.Services.Publication.SetConsent(ctx, w.ids[n], who, yes, licence, "127.0.0.1")
}

func code(err error) string {
	var pe *problem.Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return fmt.Sprint(err)
}

func numbers(v publication.Venue) string {
	var out []string
	for _, p := range v.Papers {
		out = append(out, fmt.Sprint(p.Number))
	}
	return strings.Join(out, ",")
}

// TestNothingPublicWithoutConsent: released and accepted is not enough; a
// paper is public once an author consents, under the licence they chose,
// and leaves when consent is withdrawn. A rejected paper is public only
// when its authors ask.
func TestNothingPublicWithoutConsent(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	pub := w.s.App.Services.Publication
	v, err := pub.Published(ctx, "dlde-2023")
	if err != nil || len(v.Papers) != 0 {
		t.Fatalf("before any consent: %v %v", numbers(v), err)
	}
	if _, _, err := pub.PDF(ctx, "dlde-2023", 1); code(err) != "not_found" {
		t.Fatalf("a PDF without consent: %v", err)
	}
	c, err := pub.ConsentOf(ctx, w.ids[1], w.ada)
	if err != nil || !c.Offered || c.Consent || len(c.Licences) != 3 || c.Archival != venue.NonArchival {
		t.Fatalf("consent before: %+v %v", c, err)
	}
	// Refusals: a licence the venue does not offer, a chair consenting for
	// the authors, a stranger asking.
	if _, err := w.consent(t, w.ada, 1, true, "cc0-1.0"); code(err) != "licence_not_offered" {
		t.Errorf("unoffered licence: %v", err)
	}
	if _, err := w.consent(t, w.chair, 1, true, "cc-by-4.0"); code(err) != "not_author" {
		t.Errorf("a chair: %v", err)
	}
	stranger := account.Principal{UserID: w.s.CreateUser(t, "eve@elsewhere.example", "Eve", false)}
	if _, err := pub.ConsentOf(ctx, w.ids[1], stranger); err == nil {
		t.Error("a stranger reads the consent")
	}
	c, err = w.consent(t, w.bob, 1, true, "cc-by-nc-4.0")
	if err != nil || !c.Consent || c.Licence != "cc-by-nc-4.0" || !strings.HasSuffix(c.Page, "/venues/dlde-2023/papers/1") {
		t.Fatalf("consent: %+v %v", c, err)
	}
	if _, err := w.consent(t, w.ada, 2, true, "cc-by-4.0"); err != nil {
		t.Fatal(err)
	}
	if _, err := w.consent(t, w.ada, 4, true, "all-rights-reserved"); err != nil {
		t.Fatalf("a rejected paper's authors opt in: %v", err)
	}
	v, err = pub.Published(ctx, "dlde-2023")
	if err != nil || numbers(v) != "1,2,4" {
		t.Fatalf("published: %s %v", numbers(v), err)
	}
	one := v.Papers[0]
	if one.Licence.Name != "CC BY-NC 4.0" || one.Archival != venue.NonArchival || one.Spotlight != 1 || !one.Accepted ||
		!strings.HasPrefix(one.Status, "Non-archival report, The Symbiosis") || one.PDF == "" || len(one.Authors) != 2 ||
		one.Authors[0].Affiliation != "Université de Sherbrooke" || one.Date.Format(time.DateOnly) != "2023-12-16" {
		t.Fatalf("paper 1: %+v", one)
	}
	if two := v.Papers[1]; two.PDF != "" || two.PosterSession == 0 {
		t.Errorf("#2 has no final version yet, and a poster session: %+v", two)
	}
	if four := v.Papers[2]; four.Accepted || !strings.Contains(four.Status, "not accepted") || four.PDF == "" {
		t.Errorf("#4: %+v", four)
	}
	if got := v.AcceptedOnly(); len(got) != 2 {
		t.Errorf("exports list accepted papers only: %d", len(got))
	}
	// #5 was never offered up: it is nowhere.
	if _, _, err := pub.Paper(ctx, "dlde-2023", 5); code(err) != "not_found" {
		t.Errorf("#5: %v", err)
	}
	// Withdrawing consent takes the paper down at once.
	if _, err := w.consent(t, w.ada, 2, false, ""); err != nil {
		t.Fatal(err)
	}
	if v, _ := pub.Published(ctx, "dlde-2023"); numbers(v) != "1,4" {
		t.Errorf("after withdrawal: %s", numbers(v))
	}
	// The programme keeps every accepted paper's title and authors, but a
	// paper without consent shows no abstract and no file.
	prog, _, err := w.s.App.Services.Decisions.Accepted(ctx, "dlde-2023")
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range prog {
		if x.Number != 1 && (x.Abstract != "" || x.PDF != "") {
			t.Errorf("#%d without consent shows %q %q in the programme", x.Number, x.Abstract, x.PDF)
		}
	}
}

// TestConsentNeedsAPolicy: a venue that publishes nothing offers nothing,
// and a rejected paper has nothing to opt into where the venue says so.
func TestConsentNeedsAPolicy(t *testing.T) {
	t.Parallel()
	yaml := string(venue.DemoYAML())
	yaml = strings.Replace(yaml, "  rejected_opt_in: true\n", "", 1)
	yaml = strings.Replace(yaml, "archival: non-archival", "archival: archival", 1)
	w := newWorldWith(t, yaml)
	if _, err := w.consent(t, w.ada, 4, true, "cc-by-4.0"); code(err) != "not_offered" {
		t.Errorf("a rejected paper where the venue does not publish them: %v", err)
	}
	if _, err := w.consent(t, w.ada, 4, false, "gpl-3.0"); err != nil {
		t.Errorf("saying no is always possible: %v", err)
	}
	if _, err := w.consent(t, w.ada, 1, true, "cc-by-4.0"); err != nil {
		t.Fatal(err)
	}
	v, _ := w.s.App.Services.Publication.Published(ctx, "dlde-2023")
	if len(v.Papers) != 1 || v.Papers[0].Status != "Archival report, The Symbiosis of Deep Learning and Differential Equations (DLDE III)" {
		t.Fatalf("archival: %+v", v.Papers)
	}
}

// TestPublicPDFSaysWhatItIs: the public file is the paper behind a cover
// page that carries the status and the licence, in its text and in its
// document information.
func TestPublicPDFSaysWhatItIs(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"qpdf", "pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (apt-get install qpdf poppler-utils): %v", tool, err)
		}
	}
	w := newWorld(t)
	if _, err := w.consent(t, w.ada, 1, true, "cc-by-4.0"); err != nil {
		t.Fatal(err)
	}
	f, n, err := w.s.App.Services.Publication.PDF(ctx, "dlde-2023", 1)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(f)
	f.Close()
	if err != nil || int64(len(body)) != n {
		t.Fatalf("read %d of %d: %v", len(body), n, err)
	}
	path := filepath.Join(t.TempDir(), "public.pdf")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command("pdfinfo", "-enc", "UTF-8", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Title:           Neural ODEs & {friends}: 100% solved?", "Author:          Ada Author; Bob Coauthor",
		"Subject:         Non-archival report, The Symbiosis", "Licence: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)", "Pages:           5"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	first, err := exec.Command("pdftotext", "-l", "1", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Non-archival report", "Licence: CC BY 4.0", "Neural ODEs & {friends}", "/venues/dlde-2023/papers/1"} {
		if !strings.Contains(string(first), want) {
			t.Errorf("the cover page lacks %q:\n%s", want, first)
		}
	}
	// The same in the XMP metadata, as reference managers read it.
	meta, err := exec.Command("pdfinfo", "-meta", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	x := readXMP(t, meta)
	if x.Title != "Neural ODEs & {friends}: 100% solved?" || strings.Join(x.Creators, "; ") != "Ada Author; Bob Coauthor" ||
		!strings.HasPrefix(x.Type, "Non-archival report") || x.Marked != "True" ||
		x.WebStatement != "https://creativecommons.org/licenses/by/4.0/" || x.License.Resource != x.WebStatement ||
		!strings.Contains(x.Rights, "CC BY 4.0") || !strings.HasSuffix(x.URL, "/venues/dlde-2023/papers/1") {
		t.Errorf("XMP: %+v\n%s", x, meta)
	}
}

// xmpFields are the XMP properties the public PDF sets, as encoding/xml
// reads them by namespace.
type xmpFields struct {
	Title        string   `xml:"RDF>Description>title>Alt>li"`
	Creators     []string `xml:"RDF>Description>creator>Seq>li"`
	Type         string   `xml:"RDF>Description>type>Bag>li"`
	Rights       string   `xml:"RDF>Description>rights>Alt>li"`
	Marked       string   `xml:"http://ns.adobe.com/xap/1.0/rights/ RDF>Description>Marked"`
	WebStatement string   `xml:"RDF>Description>WebStatement"`
	License      struct {
		Resource string `xml:"http://www.w3.org/1999/02/22-rdf-syntax-ns# resource,attr"`
	} `xml:"RDF>Description>license"`
	Keywords string `xml:"RDF>Description>Keywords"`
	URL      string `xml:"RDF>Description>url"`
}

func readXMP(t *testing.T, packet []byte) xmpFields {
	t.Helper()
	var x xmpFields
	if err := xml.Unmarshal(packet, &x); err != nil {
		t.Fatalf("the XMP packet is not XML: %v\n%s", err, packet)
	}
	return x
}

// The XMP packet stays well-formed XML whatever the title or names hold.
func TestXMPIsWellFormed(t *testing.T) {
	t.Parallel()
	c := publication.Cover{Title: "a <b> & \"c\" ]]> \x01 漢", Authors: []string{"Zoë </rdf:li>", "O'Brien & Co"}, Status: "Non-archival report",
		Licence: "CC BY 4.0", LicenceURL: `https://example.org/?a=1&b="2"`, Keywords: []string{"<kw>"}, Page: "https://q.example/p/1"}
	x := readXMP(t, []byte(publication.XMP(c)))
	if x.Title != "a <b> & \"c\" ]]> \uFFFD 漢" || len(x.Creators) != 2 || x.Creators[0] != "Zoë </rdf:li>" || x.License.Resource != c.LicenceURL || x.Keywords != "<kw>" {
		t.Fatalf("%+v", x)
	}
	pdf := publication.CoverPDF(c)
	if !bytes.Contains(pdf, []byte("/Metadata 8 0 R")) || !bytes.Contains(pdf, []byte("/Type /Metadata /Subtype /XML")) {
		t.Fatalf("the cover's catalog does not name its XMP:\n%s", pdf)
	}
}

func TestCoverTextIsSafe(t *testing.T) {
	t.Parallel()
	pdf := publication.CoverPDF(publication.Cover{Title: `a (b) \c ünï 漢`, Status: "Non-archival", Licence: "CC BY 4.0"})
	if !bytes.Contains(pdf, []byte(`(a \(b\) \\c \374n\357 ?) Tj`)) {
		t.Errorf("escaping: %s", pdf)
	}
}

// tempIn reserves work files in dir, as the blob store does in its own.
func tempIn(dir string) publication.TempFile {
	return func(prefix string) (string, error) {
		f, err := os.CreateTemp(dir, prefix+"-*")
		if err != nil {
			return "", err
		}
		return f.Name(), f.Close()
	}
}

func TestStamperWithoutQpdf(t *testing.T) {
	t.Parallel()
	st := &publication.Stamper{}
	if _, _, err := st.Stamp(ctx, tempIn(t.TempDir()), strings.NewReader("%PDF-1.4"), publication.Cover{}); code(err) != "publishing_unavailable" {
		t.Fatalf("no qpdf: %v", err)
	}
	st = publication.NewStamper(t.TempDir())
	st.Prlimit = ""
	if st.Qpdf == "" {
		t.Skip("qpdf not installed")
	}
	dir := t.TempDir()
	left := func() int {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	if _, _, err := st.Stamp(ctx, tempIn(dir), strings.NewReader("not a pdf"), publication.Cover{}); code(err) != "publishing_unavailable" {
		t.Fatalf("a file qpdf cannot read: %v", err)
	}
	if n := left(); n != 0 {
		t.Errorf("a failed stamp leaves %d files", n)
	}
	f, _, err := st.Stamp(ctx, tempIn(dir), bytes.NewReader(corpus(t, "midpage4.pdf")), publication.Cover{Title: "T"})
	if err != nil {
		t.Fatal(err)
	}
	if n := left(); n != 3 {
		t.Errorf("%d work files while the result is open, want 3", n)
	}
	f.Close()
	if n := left(); n != 0 {
		t.Errorf("closing the result leaves %d files", n)
	}
}

// TestPublishedReviewsAreAnonymised: where the venue publishes reviews and
// meta-reviews, a published paper carries its submitted reviews' fields
// that the authors were shown, under pseudonyms, never the confidential
// comment, nor who wrote them; an unpublished paper's reviews are nowhere.
func TestPublishedReviewsAreAnonymised(t *testing.T) {
	t.Parallel()
	yaml := strings.Replace(string(venue.DemoYAML()), "  archival: non-archival\n", "  archival: non-archival\n  reviews: true\n  meta_reviews: true\n", 1)
	w := newWorldWith(t, yaml)
	rec, err := w.s.App.Services.Venues.BySlug(ctx, w.s.App.Pool, "dlde-2023")
	if err != nil {
		t.Fatal(err)
	}
	rex := w.s.CreateUser(t, "rex@rev.example", "Rex Reviewer", false)
	fields := map[string]any{"overall": 4.0, "confidence": 3.0, "summary": "Learns step sizes.", "strengths": "Clear.", "weaknesses": "Small experiments.",
		"confidential": "Rex's private note to the chairs"}
	for _, n := range []int{1, 2} {
		if err := w.s.App.Services.Reviews.Seed(ctx, rec, w.ids[n], rex, fields, true, time.Date(2023, 10, 15, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.s.App.Services.Decisions.SetMetaReview(ctx, w.ids[1], w.chair, "accept-spotlight", "A clear contribution.", "127.0.0.1"); err != nil {
		t.Fatalf("meta-review: %v", err)
	}
	if _, err := w.consent(t, w.ada, 1, true, "cc-by-4.0"); err != nil {
		t.Fatal(err)
	}
	_, p, err := w.s.App.Services.Publication.Paper(ctx, "dlde-2023", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Reviews) != 1 || p.Reviews[0].Label != "Reviewer 1" || p.MetaReview != "A clear contribution." {
		t.Fatalf("reviews: %+v meta %q", p.Reviews, p.MetaReview)
	}
	got := fmt.Sprint(p.Reviews)
	for _, want := range []string{"4: Accept", "Small experiments."} {
		if !strings.Contains(got, want) {
			t.Errorf("the review lacks %q: %s", want, got)
		}
	}
	for _, never := range []string{"private note", "Rex", "rex@"} {
		if strings.Contains(got, never) {
			t.Errorf("the published review shows %q: %s", never, got)
		}
	}
	v, _ := w.s.App.Services.Publication.Published(ctx, "dlde-2023")
	if len(v.Papers) != 1 {
		t.Errorf("#2's review made it public: %+v", v.Papers)
	}
}

// TestProceedingsBundle: the chairs' ZIP holds each published accepted
// paper's PDF behind its cover, the metadata, BibTeX that parses, CSL-JSON
// and an index page linking them; authors cannot take it.
func TestProceedingsBundle(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, n := range []int{1, 2} {
		if _, err := w.consent(t, w.ada, n, true, "cc-by-4.0"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.s.App.Services.Publication.Proceedings(ctx, "dlde-2023", w.ada); code(err) != "not_chair" && !errors.Is(err, problem.ErrForbidden) {
		t.Errorf("an author takes the proceedings: %v", err)
	}
	pr, err := w.s.App.Services.Publication.Proceedings(ctx, "dlde-2023", w.chair)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := pr.WriteTo(ctx, &buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = string(b)
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	if strings.Join(names, " ") != "index.html metadata.json papers.bib papers.json papers/dlde-2023-1.pdf" {
		t.Fatalf("the bundle holds %v", names)
	}
	if !strings.HasPrefix(files["papers/dlde-2023-1.pdf"], "%PDF") {
		t.Error("the PDF is not one")
	}
	entries, err := parseBibTeX(files["papers.bib"])
	if err != nil || len(entries) != 2 || entries[1].Fields["note"] != "Non-archival" {
		t.Errorf("papers.bib: %v %+v", err, entries)
	}
	var meta struct {
		Archival string
		Papers   []struct{ Key, File, Title string }
	}
	if err := json.Unmarshal([]byte(files["metadata.json"]), &meta); err != nil || meta.Archival != "non-archival" || len(meta.Papers) != 2 ||
		meta.Papers[0].File != "papers/dlde-2023-1.pdf" || meta.Papers[1].File != "" {
		t.Errorf("metadata.json: %v %+v", err, meta)
	}
	if !strings.Contains(files["index.html"], `<a href="papers/dlde-2023-1.pdf">PDF</a>`) || !strings.Contains(files["index.html"], "Poster two") {
		t.Errorf("index.html:\n%s", files["index.html"])
	}
}
