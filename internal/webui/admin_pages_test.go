package webui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
)

// TestAdminConsoleWithoutScript: an administrator sees every venue with
// its counts, creates one from its settings file (a bad file is refused
// with its problems, the text kept), and archives one, which leaves the
// public list; people who are not administrators get no console.
func TestAdminConsoleWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b := newBrowser(t, s)
	b.signIn("admin@example.org", apptest.Password)
	p := b.get("/admin")
	if p.status != http.StatusOK {
		t.Fatalf("console: %d", p.status)
	}
	mustContain(t, p, `data-venue="dlde-2023"`, "Open for submissions", `<td>0</td><td>0</td><td>1</td>`, "Create the venue")

	bad := b.post("/admin/venues", url.Values{"csrf": {b.csrf()}, "settings_yaml": {"slug: Bad Slug\nname: x\n"}, "chairs": {"chair@example.org"}})
	if bad.status != http.StatusBadRequest {
		t.Fatalf("a bad file: %d", bad.status)
	}
	mustContain(t, bad, "slug", "Bad Slug")
	ws := strings.Replace(string(venue.DemoYAML()), "slug: dlde-2023", "slug: ws-2024", 1)
	ws = strings.ReplaceAll(ws, "2023-", "2024-")
	ok := b.post("/admin/venues", url.Values{"csrf": {b.csrf()}, "settings_yaml": {ws}, "chairs": {"chair@example.org, new.chair@example.org"}})
	if ok.status != http.StatusOK {
		t.Fatalf("create: %d %s", ok.status, ok.body)
	}
	mustContain(t, ok, "(ws-2024) is created", `data-venue="ws-2024"`)
	s.WaitMail(t, "new.chair@example.org", "nvit")

	mustContain(t, newBrowser(t, s).get("/venues"), `data-venue="dlde-2023"`, `data-venue="ws-2024"`, "8 October 2023, Anywhere on Earth")
	mustContain(t, newBrowser(t, s).get("/venues"), "All venues, open or not.", `<a href="/venues?open=1">Show only the open calls</a>`)
	mustContain(t, newBrowser(t, s).get("/venues?open=1"), "Only the venues taking submissions now.")
	// The console's form leads to the venue file's guide, served by Quire.
	mustContain(t, p, `<a href="/docs/venue-file">the guide to the venue file</a>`)
	mustContain(t, newBrowser(t, s).get("/docs/venue-file"), "<h1", "Venues</h1>", "<table>", "2023-10-09T11:59:59Z")
	if p := b.post("/admin/venues/ws-2024/archive", url.Values{"csrf": {b.csrf()}, "archived": {"true"}}); p.status != http.StatusOK || !strings.Contains(p.body, "archived") {
		t.Fatalf("archive: %d", p.status)
	}
	if list := newBrowser(t, s).get("/venues"); strings.Contains(list.body, `data-venue="ws-2024"`) {
		t.Fatal("an archived venue is on the public list")
	}
	mustContain(t, newBrowser(t, s).get("/venues?open=1"), "Open calls for papers", `data-venue="dlde-2023"`)

	chair := newBrowser(t, s)
	chair.signIn("chair@example.org", apptest.Password)
	if p := chair.get("/admin"); p.status != http.StatusForbidden {
		t.Fatalf("a chair got the console: %d", p.status)
	}
	if strings.Contains(chair.get("/venues").body, `href="/admin"`) {
		t.Fatal("a chair's menu links to the console")
	}
}
