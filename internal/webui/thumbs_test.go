package webui_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app/apptest"
)

var thumbImg = regexp.MustCompile(`<img class="thumb[^"]*" src="(/submissions/\d+/thumbs/([0-9a-f]{64}))" alt="([^"]*)"`)

// thumbs lists the page pictures of a page: address, sha and alt text.
func thumbs(p page) [][]string {
	var out [][]string
	for _, m := range thumbImg.FindAllStringSubmatch(p.body, -1) {
		out = append(out, m[1:])
	}
	return out
}

func wantPNG(t *testing.T, b *browser, who, path string) {
	t.Helper()
	p := b.get(path)
	if p.status != http.StatusOK || p.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(p.body, "\x89PNG\r\n\x1a\n") {
		t.Fatalf("%s on %s: %d %s", who, path, p.status, p.header.Get("Content-Type"))
	}
	if cc := p.header.Get("Cache-Control"); cc != "private, max-age=86400" {
		t.Errorf("%s on %s: Cache-Control %q", who, path, cc)
	}
}

func want404(t *testing.T, b *browser, who, path string) {
	t.Helper()
	if p := b.get(path); p.status != http.StatusNotFound || strings.HasPrefix(p.body, "\x89PNG") {
		t.Errorf("%s on %s: %d, want 404", who, path, p.status)
	}
}

// TestPageThumbnails: the report shows each page's picture, marked with its
// part and whether it counts; the authors and the chairs get the pictures
// of the current file, the authors those of a refused one too, and nobody
// else any; the garbage collection keeps the current ones only.
func TestPageThumbnails(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	ada := newBrowser(t, s)
	ada.signIn("ada@uni.example", apptest.Password)
	p := ada.post("/venues/dlde-2023/submit", paperForm(ada.csrf()))
	m := submissionURL.FindStringSubmatch(p.location)
	if m == nil {
		t.Fatalf("create: %d %s", p.status, p.body)
	}
	id := m[1]

	// Refused, over the limit: its pages are shown with the refusal.
	p = ada.upload("/submissions/"+id+"/pdf", ada.csrf(), "sixpage.pdf")
	refused := thumbs(p)
	if p.status != http.StatusUnprocessableEntity || len(refused) != 7 {
		t.Fatalf("six pages: %d, %d thumbnails\n%s", p.status, len(refused), p.body)
	}
	for i, want := range map[int]string{0: "Page 1: body, counted", 5: "Page 6: body, counted, over the limit", 6: "Page 7: references, not counted"} {
		if refused[i][2] != want {
			t.Errorf("thumbnail %d: alt %q, want %q", i+1, refused[i][2], want)
		}
	}
	wantPNG(t, ada, "the author, a refused file", refused[0][0])

	// Accepted: the acknowledgement does not wait for the pictures; the
	// author's page shows them (drawn then, unless the background was
	// quicker), and they are stored and in the report from then on.
	if p = ada.upload("/submissions/"+id+"/pdf", ada.csrf(), "midpage4.pdf"); p.status != http.StatusSeeOther {
		t.Fatalf("four pages: %d %s", p.status, p.body)
	}
	current := thumbs(ada.get("/submissions/" + id))
	if len(current) != 4 {
		t.Fatalf("%d thumbnails on the submission page, want 4", len(current))
	}
	ctx := context.Background()
	sid, _ := strconv.ParseInt(id, 10, 64)
	adaID := userID(t, s, "ada@uni.example")
	sub, err := s.App.Services.Submissions.Get(ctx, sid, account.Principal{UserID: adaID})
	if err != nil || sub.Report == nil || len(sub.Report.Thumbnails) != 4 {
		t.Fatalf("the accepted report: %+v, %v", sub.Report, err)
	}
	revs, err := s.App.Services.Submissions.History(ctx, sid, account.Principal{UserID: adaID})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range revs {
		if r.Snapshot.PDFSHA == sub.PDF.SHA256 && r.Snapshot.Report != nil {
			found = slices.Equal(r.Snapshot.Report.Thumbnails, sub.Report.Thumbnails)
		}
	}
	if !found {
		t.Fatalf("the revision of the file has not got its pictures")
	}
	for _, sha := range sub.Report.Thumbnails {
		if ok, err := s.App.Services.Submissions.Blobs.Exists(ctx, sha); !ok || err != nil {
			t.Errorf("thumbnail %s is not stored: %v", sha, err)
		}
	}
	for i, th := range current {
		if th[1] != sub.Report.Thumbnails[i] {
			t.Errorf("page %d shows %s, the report has %s", i+1, th[1], sub.Report.Thumbnails[i])
		}
		wantPNG(t, ada, "the author", th[0])
	}
	base := "/submissions/" + id + "/thumbs/"
	want404(t, ada, "the author, the PDF itself", base+sub.PDF.SHA256)
	want404(t, ada, "the author, no such blob", base+strings.Repeat("ab", 32))
	want404(t, ada, "the author, not a sha", base+"..%2F..%2Fetc")

	chair := newBrowser(t, s)
	chair.signIn("chair@example.org", apptest.Password)
	wantPNG(t, chair, "the chair", current[0][0])
	// The refused file's last page (its references) is no page of the
	// accepted one.
	gone := refused[6]
	if strings.Contains(strings.Join(sub.Report.Thumbnails, " "), gone[1]) {
		t.Fatalf("page 7 of the refused file is in the accepted report")
	}
	want404(t, chair, "the chair, a refused file", gone[0])

	s.CreateUser(t, "eve@elsewhere.example", "Eve", false)
	eve := newBrowser(t, s)
	eve.signIn("eve@elsewhere.example", apptest.Password)
	rex := newBrowser(t, s)
	rexID := s.CreateUser(t, "rex@reviewers.example", "Rex Reviewer", false)
	if err := s.App.Services.Venues.Grant(ctx, s.App.Pool, sub.VenueID, rexID, "reviewer", nil); err != nil {
		t.Fatal(err)
	}
	rex.signIn("rex@reviewers.example", apptest.Password)
	for _, th := range [][]string{current[0], gone} {
		want404(t, eve, "a stranger", th[0])
		want404(t, rex, "a reviewer", th[0])
	}

	// The collection keeps what the report names and takes the rest.
	if _, err := s.App.Services.Submissions.CollectGarbage(ctx, 0); err != nil {
		t.Fatal(err)
	}
	wantPNG(t, ada, "the author after the collection", current[3][0])
	if ok, err := s.App.Services.Submissions.Blobs.Exists(ctx, gone[1]); ok || err != nil {
		t.Errorf("the refused file's last page outlived the collection: %v", err)
	}
	want404(t, ada, "the author after the collection, a refused file", gone[0])
}

func userID(t *testing.T, s *apptest.Server, email string) int64 {
	t.Helper()
	u, ok, err := s.App.Services.Accounts.ByEmail(context.Background(), s.App.Pool, email)
	if err != nil || !ok {
		t.Fatalf("%s: %v", email, err)
	}
	return u.ID
}
