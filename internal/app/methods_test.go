package app_test

import (
	"net/http"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

// TestHeadAndWrongMethods: HEAD answers wherever GET does, with GET's
// status and headers and no body; a method an address does not have is
// 405 with the methods it has in Allow, in the API as in the pages.
func TestHeadAndWrongMethods(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	for _, path := range []string{"/", "/login", "/venues", "/healthz", "/static/ui.css", "/api/v1/venues", "/api/openapi.yaml", "/docs/venue-file", "/nope"} {
		get := s.Do(t, "GET", path, nil)
		head := s.Do(t, "HEAD", path, nil)
		if head.StatusCode != get.StatusCode || len(head.Body) != 0 || head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: %s with %d bytes (%q); GET: %s (%q)", path, head.Status, len(head.Body), head.Header.Get("Content-Type"), get.Status, get.Header.Get("Content-Type"))
		}
	}
	for _, c := range []struct{ method, path, allow string }{
		{"DELETE", "/api/v1/venues", "GET, HEAD, POST"},
		{"PATCH", "/api/v1/auth/login", "POST"},
		{"DELETE", "/venues", "OPTIONS, GET"},
		{"POST", "/healthz", "OPTIONS, GET"},
	} {
		r := s.Do(t, c.method, c.path, nil)
		if r.StatusCode != http.StatusMethodNotAllowed || r.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %s, Allow %q (want %q)", c.method, c.path, r.Status, r.Header.Get("Allow"), c.allow)
		}
	}
}
