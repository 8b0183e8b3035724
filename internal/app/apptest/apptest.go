// Package apptest starts the real Quire (the same wiring as `quire serve`) on
// a fresh test database and a loopback port, so API tests go through the real
// router, middleware and error handler.
package apptest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/config"
	"github.com/quirehq/quire/internal/dbtest"
	"github.com/quirehq/quire/internal/mail/smtptest"
	"github.com/quirehq/quire/internal/outbox/outboxdb"
	"github.com/quirehq/quire/internal/pdfcheck"
)

// Start is the instant the test clock starts at: a week before the DLDE III
// submission deadline.
var Epoch = time.Date(2023, 10, 1, 12, 0, 0, 0, time.UTC)

// cheap keeps argon2id fast in tests; production parameters are tested in
// the auth package.
var cheap = auth.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// workerEnv turns a test binary into the PDF checker's worker.
const workerEnv = "QUIRE_APPTEST_PDF_WORKER"

// Main runs a package's API tests: the test binary doubles as the PDF
// checker's sandboxed worker (as `quire pdfcheck-worker` does in
// production), and the shared test database is torn down at the end. Call it
// from TestMain.
func Main(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		os.Exit(pdfcheck.RunWorker(os.Stdin, os.Stdout))
	}
	dbtest.Main(m)
}

// Server is a running Quire for one test.
type Server struct {
	URL    string
	App    *app.App
	Client *http.Client
	Clock  *clock.Fake
	// Mail is a real SMTP server on loopback that receives everything Quire sends.
	Mail *smtptest.Server
}

// Options adjust the configuration of a test server, as environment
// variables would.
type Options struct {
	Env map[string]string
}

// Start runs Quire for t and stops it when t ends.
func Start(t testing.TB, opts ...Options) *Server {
	t.Helper()
	mailSrv := smtptest.New(t)
	env := map[string]string{
		"QUIRE_SMTP_URL":     fmt.Sprintf("smtp://%s:%d?tls=none", mailSrv.Host(), mailSrv.Port()),
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
	clk := clock.NewFake(Epoch)
	a, err := app.New(ctx, cfg, log, app.Options{Clock: clk, Passwords: &cheap, OutboxPoll: 100 * time.Millisecond, ReleasePoll: 100 * time.Millisecond,
		PDFWorker: []string{os.Args[0]}, PDFWorkerEnv: []string{workerEnv + "=1"}})
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
		case err := <-done:
			if err != nil {
				t.Errorf("server: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("server did not shut down")
		}
		a.Close()
	})
	return &Server{URL: "http://" + ln.Addr().String(), App: a, Client: &http.Client{Timeout: 60 * time.Second}, Clock: clk, Mail: mailSrv}
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

// Password is what CreateUser gives every account.
const Password = "correct horse battery staple"

// CreateUser makes a verified account directly (as `quire user create` would).
func (s *Server) CreateUser(t testing.TB, email, name string, admin bool) int64 {
	t.Helper()
	var id int64
	err := pgx.BeginFunc(context.Background(), s.App.Pool, func(tx pgx.Tx) error {
		u, err := s.App.Services.Accounts.Create(context.Background(), tx, account.NewAccount{Email: email, Name: name, Password: Password, Admin: admin})
		id = u.ID
		return err
	})
	if err != nil {
		t.Fatalf("creating %s: %v", email, err)
	}
	return id
}

// Login signs in and returns the access token.
func (s *Server) Login(t testing.TB, email string) string {
	t.Helper()
	r := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": Password})
	if r.StatusCode != 200 {
		t.Fatalf("login %s: %s %s", email, r.Status, r.Body)
	}
	return r.Map(t)["access_token"].(string)
}

// Session starts a session for an account whose password the test does
// not know (the demo's are random), as a sign-in would.
func (s *Server) Session(t testing.TB, email string) account.Tokens {
	t.Helper()
	ctx := context.Background()
	u, ok, err := s.App.Services.Accounts.ByEmail(ctx, s.App.Pool, email)
	if err != nil || !ok {
		t.Fatalf("%s: %v %v", email, ok, err)
	}
	var tok account.Tokens
	err = pgx.BeginFunc(ctx, s.App.Pool, func(tx pgx.Tx) error {
		tok, err = s.App.Services.Accounts.StartSession(ctx, tx, u.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Bearer is the header pair for an access token.
func Bearer(token string) []string { return []string{"Authorization", "Bearer " + token} }

// As sends a request with an access token.
func (s *Server) As(t testing.TB, token, method, path string, body any, headers ...string) *Response {
	t.Helper()
	return s.Do(t, method, path, body, append(Bearer(token), headers...)...)
}

// waitBound is how long a test waits for the background workers (mail,
// releases): not a speed budget, only a bound that turns a lost message into
// a failure on however busy a machine.
const waitBound = time.Minute

// WaitMail waits for a message to addr whose subject contains subject and
// returns it; mail is delivered by the real outbox worker over SMTP.
func (s *Server) WaitMail(t testing.TB, addr, subject string) smtptest.Message {
	t.Helper()
	return s.WaitMailWhere(t, fmt.Sprintf("mail to %s about %q", addr, subject), func(m smtptest.Message) bool {
		return m.SentTo(addr) && strings.Contains(m.Subject, subject)
	})
}

// WaitMailWhere waits for the first message, received before or after the
// call, for which match is true; what names it in the failure.
func (s *Server) WaitMailWhere(t testing.TB, what string, match func(smtptest.Message) bool) smtptest.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitBound)
	defer cancel()
	m, err := s.Mail.WaitFor(ctx, match)
	if err != nil {
		t.Fatalf("no %s: %v (got %d messages)", what, err, len(s.Mail.Messages()))
	}
	return m
}

// WaitOutboxSettled waits until every message queued so far has been sent
// or has failed for good, so a test can count what arrived without racing
// the outbox worker.
func (s *Server) WaitOutboxSettled(t testing.TB) {
	t.Helper()
	bound := time.NewTimer(waitBound)
	defer bound.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		rows, err := outboxdb.New().ListMessages(context.Background(), s.App.Pool)
		if err != nil {
			t.Fatal(err)
		}
		pending := 0
		for _, r := range rows {
			if r.SentAt == nil && r.FailedAt == nil {
				pending++
			}
		}
		if pending == 0 {
			return
		}
		select {
		case <-bound.C:
			t.Fatalf("%d messages still in the outbox after %v", pending, waitBound)
		case <-tick.C:
		}
	}
}

// LinkIn returns the first link in a message that contains part.
func LinkIn(t testing.TB, m smtptest.Message, part string) string {
	t.Helper()
	for _, l := range smtptest.ExtractLinks(m.Text) {
		if strings.Contains(l, part) {
			return l
		}
	}
	t.Fatalf("no link with %q in %q", part, m.Text)
	return ""
}
