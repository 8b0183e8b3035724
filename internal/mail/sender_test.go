package mail_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/mail/smtptest"
)

var sentAt = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newSender(t *testing.T, srv *smtptest.Server, change ...func(*mail.SMTPConfig)) *mail.Sender {
	t.Helper()
	cfg := mail.SMTPConfig{
		Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone, Timeout: 30 * time.Second,
		From: "Quire <noreply@quire.test>", Now: func() time.Time { return sentAt },
	}
	for _, c := range change {
		c(&cfg)
	}
	s, err := mail.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func waitTo(t *testing.T, srv *smtptest.Server, addr string) smtptest.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := srv.WaitFor(ctx, func(m smtptest.Message) bool { return m.SentTo(addr) })
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSendRenderedMessageRoundTrip(t *testing.T) {
	t.Parallel()
	srv := smtptest.New(t)
	sender := newSender(t, srv)
	link := "https://quire.test/verify?token=" + strings.Repeat("Ab9_-", 12)
	m, err := mail.Render(mail.TemplateVerifyEmail, mail.VerifyEmailData{Name: "Ada Lövelace", Link: link, ValidFor: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	m.To = "ada@example.org"
	m.MessageID = "outbox-17@quire.test"
	m.IdempotencyKey = "outbox-17"
	m.HTML = `<p>Open <a href="` + link + `">this link</a>.</p>`
	m.Headers = map[string]string{"Reply-To": "chairs@quire.test"}
	if err := sender.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}

	got := waitTo(t, srv, "ada@example.org")
	checks := map[string][2]string{
		"envelope from":   {got.From, "noreply@quire.test"},
		"subject":         {got.Subject, m.Subject},
		"message id":      {got.MessageID, "outbox-17@quire.test"},
		"idempotency key": {got.Header.Get(mail.HeaderIdempotencyKey), "outbox-17"},
		"auto-submitted":  {got.Header.Get("Auto-Submitted"), "auto-generated"},
		"reply-to":        {got.Header.Get("Reply-To"), "chairs@quire.test"},
		"text body":       {strings.TrimSpace(got.Text), strings.TrimSpace(m.Text)},
		"html body":       {strings.TrimSpace(got.HTML), m.HTML},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if date, err := got.Header.Date(); err != nil || !date.Equal(sentAt) {
		t.Errorf("Date = %v (%v), want the injected clock %v", date, err, sentAt)
	}
	if links := smtptest.ExtractLinks(got.Text); len(links) != 1 || links[0] != link {
		t.Errorf("links in received text = %q, want [%q]", links, link)
	}
}

func TestSendGeneratesMessageID(t *testing.T) {
	t.Parallel()
	srv := smtptest.New(t)
	err := newSender(t, srv).Send(context.Background(), mail.Message{To: "b@example.org", Subject: "s", Text: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if id := waitTo(t, srv, "b@example.org").MessageID; !strings.HasSuffix(id, "@quire.test") {
		t.Fatalf("Message-ID = %q, want one in the sender's domain", id)
	}
}

// TestSendWhileServerDown is the outbox's outage story: the send fails as
// temporary while the relay is down, and the same message goes through once
// it is back.
func TestSendWhileServerDown(t *testing.T) {
	t.Parallel()
	srv := smtptest.New(t)
	sender := newSender(t, srv)
	m := mail.Message{To: "c@example.org", Subject: "Retry me", Text: "body", MessageID: "retry@quire.test"}

	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	err := sender.Send(context.Background(), m)
	if !mail.IsTemporary(err) || errors.Is(err, mail.ErrPermanent) {
		t.Fatalf("send to a stopped server: err = %v, want only ErrTemporary", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("stopped server recorded %d messages", n)
	}

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := sender.Send(context.Background(), m); err != nil {
		t.Fatalf("retry after restart: %v", err)
	}
	if got := waitTo(t, srv, "c@example.org"); got.MessageID != "retry@quire.test" {
		t.Fatalf("received %q", got.MessageID)
	}
}

func TestSendErrorClassification(t *testing.T) {
	t.Parallel()
	srv := smtptest.New(t)
	authSrv := smtptest.New(t, smtptest.WithAuth("quire", "s3cret"))
	srv.FailRecipient("full@example.org", 452)
	srv.FailRecipient("gone@example.org", 550)

	silent := silentListener(t) // accepts, never greets
	refused := closedPort(t)

	tests := []struct {
		name      string
		srv       *smtptest.Server
		to        string
		change    func(*mail.SMTPConfig)
		permanent bool
	}{
		{"mailbox full 452", srv, "full@example.org", nil, false},
		{"no such user 550", srv, "gone@example.org", nil, true},
		{"invalid recipient never dialled", srv, "not an address", func(c *mail.SMTPConfig) { c.Port = refused }, true},
		{"connection refused", srv, "x@example.org", func(c *mail.SMTPConfig) { c.Port = refused }, false},
		{"server never answers", srv, "x@example.org", func(c *mail.SMTPConfig) {
			c.Host, c.Port, c.Timeout = "127.0.0.1", silent, 200*time.Millisecond
		}, false},
		{"STARTTLS required but not offered", srv, "x@example.org", func(c *mail.SMTPConfig) { c.TLS = mail.TLSStartTLS }, false},
		{"wrong SMTP password", authSrv, "x@example.org", func(c *mail.SMTPConfig) {
			c.Username, c.Password, c.AuthMechanism = "quire", "wrong", "plain-noenc"
		}, false},
		{"no SMTP login (5xx to MAIL FROM)", authSrv, "x@example.org", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			change := []func(*mail.SMTPConfig){}
			if tt.change != nil {
				change = append(change, tt.change)
			}
			err := newSender(t, tt.srv, change...).Send(context.Background(),
				mail.Message{To: tt.to, Subject: "s", Text: "t"})
			if err == nil {
				t.Fatal("send succeeded")
			}
			if got := errors.Is(err, mail.ErrPermanent); got != tt.permanent || mail.IsTemporary(err) == tt.permanent {
				t.Fatalf("err = %v; permanent %v, want %v", err, got, tt.permanent)
			}
		})
	}
}

func TestSendWithSMTPAuth(t *testing.T) {
	t.Parallel()
	srv := smtptest.New(t, smtptest.WithAuth("quire", "s3cret"))
	sender := newSender(t, srv, func(c *mail.SMTPConfig) {
		c.Username, c.Password, c.AuthMechanism = "quire", "s3cret", "plain-noenc"
	})
	if err := sender.Send(context.Background(), mail.Message{To: "d@example.org", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	waitTo(t, srv, "d@example.org")
}

func TestSendOverStartTLS(t *testing.T) {
	t.Parallel()
	srv := smtptest.New(t, smtptest.WithStartTLS(), smtptest.WithAuth("quire", "s3cret"))
	sender := newSender(t, srv, func(c *mail.SMTPConfig) {
		c.TLS, c.TLSConfig = mail.TLSStartTLS, srv.ClientTLSConfig()
		c.Username, c.Password, c.AuthMechanism = "quire", "s3cret", "plain"
	})
	if err := sender.Send(context.Background(), mail.Message{To: "tls@example.org", Subject: "s", Text: "t"}); err != nil {
		t.Fatal(err)
	}
	if !waitTo(t, srv, "tls@example.org").TLS {
		t.Fatal("message did not arrive over TLS")
	}

	untrusted := newSender(t, srv, func(c *mail.SMTPConfig) { c.TLS = mail.TLSStartTLS })
	err := untrusted.Send(context.Background(), mail.Message{To: "tls@example.org", Subject: "s", Text: "t"})
	if !mail.IsTemporary(err) {
		t.Fatalf("untrusted certificate: err = %v, want temporary", err)
	}
}

func TestSendCancelledContextIsTemporary(t *testing.T) {
	t.Parallel()
	srv := smtptest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := newSender(t, srv).Send(ctx, mail.Message{To: "e@example.org", Subject: "s", Text: "t"})
	if !mail.IsTemporary(err) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want temporary wrapping context.Canceled", err)
	}
}

func TestNewSenderValidates(t *testing.T) {
	t.Parallel()
	for name, cfg := range map[string]mail.SMTPConfig{
		"no host":        {From: "a@quire.test"},
		"bad from":       {Host: "localhost", From: "nope"},
		"bad tls mode":   {Host: "localhost", From: "a@quire.test", TLS: "sometimes"},
		"bad mechanism":  {Host: "localhost", From: "a@quire.test", Username: "u", AuthMechanism: "rot13"},
		"bad port range": {Host: "localhost", From: "a@quire.test", Port: 70000},
	} {
		if _, err := mail.NewSender(cfg); err == nil {
			t.Errorf("%s: NewSender accepted %+v", name, cfg)
		}
	}
}

// silentListener accepts connections and never writes, like a relay that
// hangs; it returns its port.
func silentListener(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	}()
	return l.Addr().(*net.TCPAddr).Port
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}
