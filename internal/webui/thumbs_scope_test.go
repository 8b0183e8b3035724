package webui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
)

// paperWith creates a paper in venue by the holder of token and uploads
// file to it, returning its id.
func paperWith(t *testing.T, s *apptest.Server, token, venueSlug, email, file string) int64 {
	t.Helper()
	r := s.As(t, token, "POST", "/api/v1/venues/"+venueSlug+"/submissions", map[string]any{
		"title": "A paper from " + email, "abstract": "About neural differential equations.",
		"authors":  []map[string]string{{"name": "Someone", "email": email, "affiliation": "Somewhere"}},
		"keywords": []string{"neural differential equations"}, "track": "new-work", "declaration": true,
	})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("creating a paper in %s: %s", venueSlug, r.Body)
	}
	id := int64(r.Map(t)["id"].(float64))
	pdf, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	if r := s.As(t, token, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), pdf, "Content-Type", "application/pdf"); r.StatusCode != http.StatusOK {
		t.Fatalf("uploading %s: %s", file, r.Body)
	}
	return id
}

// sessionBrowser is a browser signed in as email, with the cookies a
// sign-in sets, without going through the sign-in limit.
func sessionBrowser(t *testing.T, s *apptest.Server, email string) *browser {
	t.Helper()
	b := newBrowser(t, s)
	tok := s.Session(t, email)
	b.client.Jar.SetCookies(b.base, []*http.Cookie{{Name: "quire_access", Value: tok.Access, Path: "/"},
		{Name: "quire_refresh", Value: tok.Refresh, Path: "/"}, {Name: "quire_csrf", Value: tok.CSRF, Path: "/"}})
	return b
}

// under is an address in the folder path (which ends in a slash).
func under(t *testing.T, s *apptest.Server, path string) *url.URL {
	t.Helper()
	u, err := url.Parse(s.URL + path + "x")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func reportThumbs(t *testing.T, s *apptest.Server, id int64, email string) []string {
	t.Helper()
	sub, err := s.App.Services.Submissions.Get(context.Background(), id, account.Principal{UserID: userID(t, s, email)})
	// Drawn after the acknowledgement: as when the report is opened.
	sub = s.App.Services.Submissions.WithThumbnails(context.Background(), sub)
	if err != nil || sub.Report == nil || len(sub.Report.Thumbnails) == 0 {
		t.Fatalf("the report of #%d: %+v %v", id, sub.Report, err)
	}
	return sub.Report.Thumbnails
}

// TestThumbnailsOnlyOfOnesOwnPaper: asking for a picture by its sha
// through one's own paper gives only that paper's pictures: not those of
// another paper of the venue, of a paper held for its author block, or of
// another venue's paper. Its authors do get the pictures of its earlier
// revisions and of a file refused a moment ago, and a forged or borrowed
// note of a refused file gets nothing.
func TestThumbnailsOnlyOfOnesOwnPaper(t *testing.T) {
	t.Parallel()
	s, ids := heldWorld(t) // #1 (ids[0]) held for its author block
	s.Clock.Set(apptest.Epoch)
	held := reportThumbs(t, s, ids[0], "ada@uni.example")
	second := reportThumbs(t, s, ids[1], "ada@uni.example")

	// Another venue, its own author and paper.
	// Sessions started directly: the sign-in limit counts from the later
	// time heldWorld left the clock at.
	admin := s.Session(t, "admin@example.org").Access
	yaml := strings.ReplaceAll(string(venue.DemoYAML()), "dlde-2023", "other-2024")
	if r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": yaml, "chairs": []string{"chair@example.org"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("the second venue: %s", r.Body)
	}
	s.CreateUser(t, "carl@else.example", "Carl", false)
	carlPaper := paperWith(t, s, s.Session(t, "carl@else.example").Access, "other-2024", "carl@else.example", "twocol.pdf")
	elsewhere := reportThumbs(t, s, carlPaper, "carl@else.example")

	// Eve's own paper in the first venue.
	s.CreateUser(t, "eve@uni.example", "Eve", false)
	evePaper := paperWith(t, s, s.Session(t, "eve@uni.example").Access, "dlde-2023", "eve@uni.example", "exact4.pdf")
	own := reportThumbs(t, s, evePaper, "eve@uni.example")
	eve := sessionBrowser(t, s, "eve@uni.example")
	base := fmt.Sprintf("/submissions/%d/thumbs/", evePaper)
	wantPNG(t, eve, "eve, her own page", base+own[0])
	for name, shas := range map[string][]string{"a held paper's": held, "another paper's": second, "another venue's": elsewhere} {
		for _, sha := range shas {
			if strings.Contains(strings.Join(own, " "), sha) {
				continue // the same page in both files: it is hers too
			}
			want404(t, eve, "eve, "+name+" page through her paper", base+sha)
		}
	}

	// Ada's #1 was midpage4.pdf before the author block build: its
	// revision's pages are hers to see, on #1 only.
	ada := sessionBrowser(t, s, "ada@uni.example")
	wantPNG(t, ada, "ada, a page of #1 as it was", fmt.Sprintf("/submissions/%d/thumbs/%s", ids[0], second[0]))
	wantPNG(t, ada, "ada, #1's current page", fmt.Sprintf("/submissions/%d/thumbs/%s", ids[0], held[0]))
	want404(t, ada, "ada, carl's page through #1", fmt.Sprintf("/submissions/%d/thumbs/%s", ids[0], elsewhere[0]))

	// A refused file's pages: to Eve, on her paper, from her refusal page.
	p := eve.upload(fmt.Sprintf("/submissions/%d/pdf", evePaper), eve.csrf(), "sixpage.pdf")
	refused := thumbs(p)
	if p.status != http.StatusUnprocessableEntity || len(refused) == 0 {
		t.Fatalf("the refused upload: %d, %d thumbnails", p.status, len(refused))
	}
	// A page of the refused file that no report has (its first ones are
	// like those of other test papers).
	known := strings.Join(append(append(append(append([]string{}, held...), second...), elsewhere...), own...), " ")
	var fresh []string
	for _, th := range refused {
		if !strings.Contains(known, th[1]) {
			fresh = th
			break
		}
	}
	if fresh == nil {
		t.Fatal("every page of the refused file is in some report")
	}
	wantPNG(t, eve, "eve, her refused file", fresh[0])
	var note *http.Cookie
	for _, c := range eve.client.Jar.Cookies(under(t, s, base)) {
		if c.Name == "quire_refused" {
			note = c
		}
	}
	if note == nil {
		t.Fatalf("no note of the refused file: %q", p.header.Values("Set-Cookie"))
	}
	// Ada, with Eve's note, through Eve's paper or her own: nothing.
	thief := sessionBrowser(t, s, "ada@uni.example")
	mine := fmt.Sprintf("/submissions/%d/thumbs/", ids[1])
	for _, path := range []string{base, mine} {
		thief.client.Jar.SetCookies(under(t, s, path), []*http.Cookie{{Name: "quire_refused", Value: note.Value, Path: path}})
		want404(t, thief, "ada with eve's note", path+fresh[1])
	}
	// Eve's note rewritten to name Ada's pages.
	parts := strings.Split(note.Value, "~")
	forged := parts[0] + "~" + strings.Join(second, "-") + "~" + parts[2]
	eve.client.Jar.SetCookies(under(t, s, base), []*http.Cookie{{Name: "quire_refused", Value: forged, Path: base}})
	want404(t, eve, "eve with a rewritten note", base+second[len(second)-1])
	// And it lapses after an hour.
	eve.client.Jar.SetCookies(under(t, s, base), []*http.Cookie{{Name: "quire_refused", Value: note.Value, Path: base}})
	wantPNG(t, eve, "eve, her refused file again", fresh[0])
	s.Clock.Advance(61 * time.Minute)
	want404(t, eve, "eve, her refused file an hour later", fresh[0])
}
