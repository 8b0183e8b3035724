// Package smtptest runs a real SMTP server on loopback for tests: it records
// every message it accepts, can be stopped and restarted on the same port to
// play an outage, and lets a test wait for a message instead of sleeping.
package smtptest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// ErrStopped is returned by Stop when the server is not running, and
// ErrRunning by Restart when it is.
var (
	ErrStopped = errors.New("smtptest: server is stopped")
	ErrRunning = errors.New("smtptest: server is running")
)

// Server is the test SMTP server. Its zero value is not usable; call Start.
type Server struct {
	addr      string
	username  string
	password  string
	wantTLS   bool
	serverTLS *tls.Config
	roots     *x509.CertPool

	mu       sync.Mutex
	srv      *smtp.Server
	listener net.Listener
	served   chan struct{} // closed when the current Serve returns
	messages []Message
	arrived  chan struct{} // closed and replaced on every new message
	failures map[string]*smtp.SMTPError
}

// Option configures Start.
type Option func(*Server)

// WithAuth makes the server offer AUTH PLAIN (also before STARTTLS) and
// refuse mail from clients that have not logged in with these credentials.
func WithAuth(username, password string) Option {
	return func(s *Server) { s.username, s.password = username, password }
}

// Start listens on 127.0.0.1 on a free port and serves until Stop.
func Start(opts ...Option) (*Server, error) {
	s := &Server{arrived: make(chan struct{}), failures: map[string]*smtp.SMTPError{}}
	for _, o := range opts {
		o(s)
	}
	if s.wantTLS {
		if err := s.makeCert(); err != nil {
			return nil, fmt.Errorf("smtptest: certificate: %w", err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("smtptest: listen: %w", err)
	}
	s.addr = l.Addr().String()
	s.serve(l)
	return s, nil
}

// New starts a server for t and stops it when t ends.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := Start(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Stop() })
	return s
}

func (s *Server) serve(l net.Listener) {
	srv := smtp.NewServer(backend{s})
	srv.Domain = "smtptest.localhost"
	srv.AllowInsecureAuth = s.username != ""
	srv.TLSConfig = s.serverTLS
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 50
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0) // Stop cuts connections on purpose
	served := make(chan struct{})
	s.mu.Lock()
	s.srv, s.listener, s.served = srv, l, served
	s.mu.Unlock()
	go func() {
		defer close(served)
		_ = srv.Serve(l)
	}()
}

// Addr is "127.0.0.1:port"; it stays the same across Stop and Restart.
func (s *Server) Addr() string { return s.addr }

// Host is the address to dial.
func (s *Server) Host() string {
	host, _, _ := net.SplitHostPort(s.addr)
	return host
}

// Port is the port to dial.
func (s *Server) Port() int {
	_, port, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(port)
	return n
}

// Stop closes the listener and every open connection, so clients see a
// refused connection until Restart. Recorded messages are kept.
func (s *Server) Stop() error {
	s.mu.Lock()
	srv, l, served := s.srv, s.listener, s.served
	s.srv, s.listener = nil, nil
	s.mu.Unlock()
	if srv == nil {
		return ErrStopped
	}
	// go-smtp's Close only closes listeners its Serve has registered, and a
	// Stop right after Start can beat that goroutine; closing ours first
	// makes the pending Accept fail either way.
	lerr := l.Close()
	err := srv.Close()
	<-served
	return errors.Join(ignoreClosed(lerr), ignoreClosed(err))
}

func ignoreClosed(err error) error {
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

// Restart listens again on the port the server had.
func (s *Server) Restart() error {
	s.mu.Lock()
	running := s.srv != nil
	s.mu.Unlock()
	if running {
		return ErrRunning
	}
	l, err := net.Listen("tcp", s.addr)
	if err != nil {
		return fmt.Errorf("smtptest: listen again on %s: %w", s.addr, err)
	}
	s.serve(l)
	return nil
}

// FailRecipient makes RCPT TO for addr answer code (4xx or 5xx) until
// cleared with code 0, to exercise temporary and permanent rejections.
func (s *Server) FailRecipient(addr string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(addr)
	if code == 0 {
		delete(s.failures, key)
		return
	}
	class := code / 100
	s.failures[key] = &smtp.SMTPError{
		Code:         code,
		EnhancedCode: smtp.EnhancedCode{class, 1, 1},
		Message:      "smtptest: recipient rejected on request",
	}
}

// Messages returns a copy of everything received so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// WaitFor returns the first message, received before or after the call,
// for which match is true, or ctx's error if none arrives in time.
func (s *Server) WaitFor(ctx context.Context, match func(Message) bool) (Message, error) {
	for {
		s.mu.Lock()
		for _, m := range s.messages {
			if match(m) {
				s.mu.Unlock()
				return m, nil
			}
		}
		arrived := s.arrived
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return Message{}, fmt.Errorf("smtptest: no matching message: %w", ctx.Err())
		case <-arrived:
		}
	}
}

func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

func (s *Server) failure(rcpt string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f, ok := s.failures[strings.ToLower(rcpt)]; ok {
		return f
	}
	return nil
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

// session collects one SMTP transaction.
type session struct {
	s      *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != ss.s.username || password != ss.s.password {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.username != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.s.failure(to); err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "smtptest: unparsable message: " + err.Error()}
	}
	m.From, m.To = ss.from, append([]string(nil), ss.to...)
	_, m.TLS = ss.conn.TLSConnectionState()
	ss.s.record(m)
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }
