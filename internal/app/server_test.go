package app_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/app/apptest"
)

func TestMain(m *testing.M) { apptest.Main(m) }

func TestHealthAndReadiness(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	if r := s.Do(t, "GET", "/healthz", nil); r.StatusCode != 200 {
		t.Fatalf("healthz: %s", r.Status)
	}
	r := s.Do(t, "GET", "/readyz", nil)
	if r.StatusCode != 200 || r.Map(t)["status"] != "ready" {
		t.Fatalf("readyz: %s %s", r.Status, r.Body)
	}
	for _, h := range []string{"X-Request-Id", "X-Content-Type-Options", "Content-Security-Policy", "X-Frame-Options"} {
		if r.Header.Get(h) == "" {
			t.Errorf("response lacks %s", h)
		}
	}
}

func TestReadinessFailsWhenSchemaIsNewer(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	if _, err := s.App.Pool.Exec(t.Context(), `INSERT INTO goose_db_version (version_id, is_applied) VALUES (999999, true)`); err != nil {
		t.Fatal(err)
	}
	r := s.Do(t, "GET", "/readyz", nil)
	if r.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(r.Body), "newer") {
		t.Fatalf("readyz with a too-new schema: %s %s", r.Status, r.Body)
	}
}

func TestMetricsCountRequestsByRoute(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.Do(t, "GET", "/healthz", nil)
	r := s.Do(t, "GET", "/metrics", nil)
	body := string(r.Body)
	for _, want := range []string{
		`quire_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`quire_http_request_duration_seconds_bucket{method="GET",route="/healthz"`,
		"quire_db_pool_max_conns",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

// problemShape checks an RFC 9457 document as Quire promises it.
func problemShape(t *testing.T, r *apptest.Response, status int, code string) map[string]any {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d: %s", r.StatusCode, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q", ct)
	}
	m := r.Map(t)
	if m["code"] != code || m["type"] != "urn:quire:problem:"+code || m["status"] != float64(status) {
		t.Fatalf("problem %v, want code %s", m, code)
	}
	if d, _ := m["detail"].(string); d == "" {
		t.Fatalf("problem without a human detail: %v", m)
	}
	if m["request_id"] != r.Header.Get("X-Request-Id") || m["title"] == "" {
		t.Fatalf("problem lacks request id or title: %v", m)
	}
	return m
}

func TestProblemDocuments(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t, apptest.Options{Env: map[string]string{"QUIRE_MAX_BODY": "1KiB"}})
	// A route that fails the way a bug would, to prove internals stay hidden.
	s.App.Echo.GET("/test/boom", func(echo.Context) error { return errors.New("pq: secret internal detail") })
	s.App.Echo.GET("/test/panic", func(echo.Context) error { panic("secret panic detail") })

	problemShape(t, s.Do(t, "GET", "/no/such/page", nil), 404, "not_found")
	problemShape(t, s.Do(t, "DELETE", "/healthz", nil), 405, "method_not_allowed")
	problemShape(t, s.Do(t, "POST", "/api/v1/auth/login", strings.Repeat("x", 4096), "Content-Type", "application/json"), 413, "payload_too_large")
	for _, p := range []string{"/test/boom", "/test/panic"} {
		r := s.Do(t, "GET", p, nil)
		problemShape(t, r, 500, "internal_error")
		if strings.Contains(string(r.Body), "secret") {
			t.Fatalf("500 leaks internals: %s", r.Body)
		}
	}
}

func TestContractIsServed(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	r := s.Do(t, "GET", "/api/openapi.yaml", nil)
	if r.StatusCode != 200 || !strings.Contains(string(r.Body), "openapi: 3.") {
		t.Fatalf("spec: %s", r.Status)
	}
	r = s.Do(t, "GET", "/api/docs", nil)
	if r.StatusCode != 200 || !strings.Contains(string(r.Body), "/static/vendor/swagger-ui/swagger-ui-bundle.js") {
		t.Fatalf("docs page: %s", r.Status)
	}
	for _, asset := range []string{"/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/vendor/swagger-ui/swagger-ui.css", "/static/api-docs.js"} {
		if r := s.Do(t, "GET", asset, nil); r.StatusCode != 200 || len(r.Body) == 0 {
			t.Errorf("%s: %s", asset, r.Status)
		}
	}
}
