package main

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/blob/s3test"
	"github.com/quirehq/quire/internal/dbtest"
)

// TestOutagesAcrossReplicas runs two `quire serve` processes on one
// PostgreSQL and one SeaweedFS bucket, each reached through a proxy the test
// can cut, and takes each away in turn. During an outage every answer is
// 503 with Retry-After and a stable code, from the API and the pages; no
// session cookie is cleared and nobody is sent to sign in; /readyz is 503.
// Once the dependency is back, /readyz is 200 again and a retry with the
// same Idempotency-Key makes the upload once.
func TestOutagesAcrossReplicas(t *testing.T) {
	t.Parallel()
	db, dbURL := apptest.NewDBProxy(t, dbtest.URL(t))
	srv := s3test.Start(t)
	blobURL := srv.Bucket(t, "outage")
	u, err := url.Parse(srv.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	store, storeAddr := apptest.NewTCPProxy(t, u.Host)
	blobURL = strings.Replace(blobURL, u.Host, storeAddr, 1)
	c := newCluster(t, 2, "DATABASE_URL="+dbURL, "QUIRE_BLOB_URL="+blobURL)
	clients := []*client{c.client(0), c.client(1)}
	ids := openVenue(t, clients[0], 1)
	pdf := testPDFs(t)[0]
	upload := func(cl *client, key string) (int, http.Header, []byte) {
		t.Helper()
		st, h, out, err := cl.doWith("PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", ids[0]), pdf, "application/pdf", "Idempotency-Key", key)
		if err != nil {
			t.Fatalf("upload %s: %v", key, err)
		}
		return st, h, out
	}
	if st, _, out := upload(clients[0], "before"); st != http.StatusOK {
		t.Fatalf("an upload before the outages: %d %s", st, out)
	}
	// A browser's session: the access cookie a sign-in sets.
	page := func(cl *client, path string) (int, http.Header) {
		t.Helper()
		req, _ := http.NewRequest("GET", cl.base+path, nil)
		req.AddCookie(&http.Cookie{Name: "quire_access", Value: cl.token})
		res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		res.Body.Close()
		return res.StatusCode, res.Header
	}
	ready := func(cl *client) int {
		st, _, _ := cl.do("GET", "/readyz", nil, "")
		return st
	}
	waitReady := func(what string) {
		t.Helper()
		for _, cl := range clients {
			for deadline := time.Now().Add(time.Minute); ready(cl) != http.StatusOK; time.Sleep(100 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatalf("/readyz is not 200 a minute after %s came back", what)
				}
			}
		}
	}
	revisions := func() int {
		_, n := clients[1].revisionDigests(ids[0])
		return n
	}
	outage := func(what, code string, cut, restore func()) {
		n := revisions()
		cut()
		for i, cl := range clients {
			st, h, out := upload(cl, "during-"+what)
			if st != http.StatusServiceUnavailable || h.Get("Retry-After") == "" || !strings.Contains(string(out), `"code":"`+code+`"`) {
				t.Errorf("replica %d, an upload while %s is down: %d (Retry-After %q) %.200s", i, what, st, h.Get("Retry-After"), out)
			}
			if st := ready(cl); st != http.StatusServiceUnavailable {
				t.Errorf("replica %d, /readyz while %s is down: %d", i, what, st)
			}
			pst, ph := page(cl, fmt.Sprintf("/submissions/%d", ids[0]))
			if code == "database_unavailable" && (pst != http.StatusServiceUnavailable || ph.Get("Retry-After") == "") {
				t.Errorf("replica %d, a signed-in page while %s is down: %d", i, what, pst)
			}
			if strings.HasPrefix(ph.Get("Location"), "/login") || strings.Contains(strings.Join(ph.Values("Set-Cookie"), ";"), "Max-Age=0") {
				t.Errorf("replica %d, while %s is down, a page signs the person out: %v", i, what, ph)
			}
		}
		restore()
		waitReady(what)
		st, h, out := upload(clients[1], "during-"+what)
		again, _, _ := upload(clients[0], "during-"+what)
		if st != http.StatusOK || h.Get("Idempotent-Replayed") == "true" || again != http.StatusOK || revisions() != n+1 {
			t.Errorf("after %s came back, the retried upload: %d %.200s, again %d; %d revisions, %d before", what, st, out, again, revisions(), n)
		}
		if pst, _ := page(clients[0], fmt.Sprintf("/submissions/%d", ids[0])); pst != http.StatusOK {
			t.Errorf("after %s came back, the same session's page: %d", what, pst)
		}
	}
	outage("the database", "database_unavailable", db.Cut, db.Restore)
	outage("the object store", "storage_unavailable", store.Cut, store.Restore)
}
