// Package apptest starts the real Quire (the same wiring as `quire serve`) on
// a fresh test database and a loopback port, so API tests go through the real
// router, middleware and error handler.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app"
	"github.com/quirehq/quire/internal/config"
	"github.com/quirehq/quire/internal/dbtest"
)

// Server is a running Quire for one test.
type Server struct {
	URL    string
	App    *app.App
	Client *http.Client
}

// Options adjust the configuration of a test server, as environment
// variables would.
type Options struct {
	Env map[string]string
}

// Start runs Quire for t and stops it when t ends.
func Start(t testing.TB, opts ...Options) *Server {
	t.Helper()
	env := map[string]string{
		"DATABASE_URL":       dbtest.URL(t),
		"QUIRE_DATA_DIR":     t.TempDir(),
		"QUIRE_AUTO_MIGRATE": "false", // the template is migrated already
		"QUIRE_LOG_LEVEL":    "warn",
	}
	for _, o := range opts {
		for k, v := range o.Env {
			env[k] = v
		}
	}
	cfg, err := config.Load(config.ModeServe, "serve", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	log := app.NewLogger("text", cfg.LogLevel)
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		cancel()
		t.Fatalf("starting Quire: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Error("server did not shut down")
		}
		a.Close()
	})
	return &Server{URL: "http://" + ln.Addr().String(), App: a, Client: &http.Client{Timeout: 60 * time.Second}}
}

// Response is a finished HTTP exchange with its body read.
type Response struct {
	*http.Response
	Body []byte
}

// JSON decodes the body into v, failing the test on bad JSON.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decoding %s response %q: %v", r.Status, r.Body, err)
	}
}

// Map decodes the body into a generic object.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.JSON(t, &m)
	return m
}

// Do sends a request. body may be nil, a []byte, an io.Reader or anything
// JSON-encodable; headers come in name, value pairs.
func (s *Server) Do(t testing.TB, method, path string, body any, headers ...string) *Response {
	t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case io.Reader:
		rd = b
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd, ct = bytes.NewReader(buf), "application/json"
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := s.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return &Response{Response: res, Body: b}
}
