package smtptest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

const plainMail = "From: a@example.org\r\nTo: b@example.org\r\nSubject: Plain\r\nMessage-ID: <p1@example.org>\r\n\r\nSee https://quire.test/x.\r\n"

const multipartMail = "From: a@example.org\r\n" +
	"To: b@example.org\r\n" +
	"Subject: =?UTF-8?q?Gr=C3=BC=C3=9Fe?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/alternative; boundary=XYZ\r\n" +
	"\r\n" +
	"--XYZ\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Open https://quire.test/verify?token=3Dabc and a very long line that is soft-=\r\n" +
	"wrapped.\r\n" +
	"--XYZ\r\n" +
	"Content-Type: text/html; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"PHA+SGk8L3A+\r\n" +
	"--XYZ--\r\n"

// send speaks plain SMTP; go-smtp's SendMail helper insists on STARTTLS.
func send(t *testing.T, s *Server, auth sasl.Client, to []string, raw string) error {
	t.Helper()
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		return err
	}
	defer c.Close()
	if auth != nil {
		if err := c.Auth(auth); err != nil {
			return err
		}
	}
	if err := c.SendMail("a@example.org", to, strings.NewReader(raw)); err != nil {
		return err
	}
	return c.Quit()
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestRecordsParsedMessages(t *testing.T) {
	t.Parallel()
	s := New(t)
	if err := send(t, s, nil, []string{"b@example.org", "c@example.org"}, plainMail); err != nil {
		t.Fatal(err)
	}
	if err := send(t, s, nil, []string{"d@example.org"}, multipartMail); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages()
	if len(msgs) != 2 {
		t.Fatalf("recorded %d messages, want 2", len(msgs))
	}
	p, m := msgs[0], msgs[1]
	if p.From != "a@example.org" || !slices.Equal(p.To, []string{"b@example.org", "c@example.org"}) ||
		p.Subject != "Plain" || p.MessageID != "p1@example.org" || p.Text != "See https://quire.test/x.\n" {
		t.Errorf("plain message parsed as %+v", p)
	}
	if !p.SentTo("C@example.org") || p.SentTo("d@example.org") {
		t.Error("SentTo does not match the envelope recipients")
	}
	if m.Subject != "Grüße" {
		t.Errorf("encoded subject decoded as %q", m.Subject)
	}
	wantText := "Open https://quire.test/verify?token=abc and a very long line that is soft-wrapped." // the last CRLF belongs to the boundary
	if m.Text != wantText || m.HTML != "<p>Hi</p>" {
		t.Errorf("multipart parsed as text %q html %q", m.Text, m.HTML)
	}
	if len(m.Raw) == 0 {
		t.Error("raw message not kept")
	}
}

func TestWaitFor(t *testing.T) {
	t.Parallel()
	s := New(t)
	if err := send(t, s, nil, []string{"early@example.org"}, plainMail); err != nil {
		t.Fatal(err)
	}
	got, err := s.WaitFor(waitCtx(t), func(m Message) bool { return m.SentTo("early@example.org") })
	if err != nil || got.Subject != "Plain" {
		t.Fatalf("message received before WaitFor: %+v, %v", got, err)
	}

	var wg sync.WaitGroup
	var sendErr error
	result := make(chan Message, 1)
	wg.Go(func() {
		m, err := s.WaitFor(waitCtx(t), func(m Message) bool { return m.SentTo("late@example.org") })
		if err == nil {
			result <- m
		}
	})
	wg.Go(func() {
		// Unrelated mail first: WaitFor must keep waiting through it.
		sendErr = errors.Join(
			send(t, s, nil, []string{"other@example.org"}, plainMail),
			send(t, s, nil, []string{"late@example.org"}, multipartMail))
	})
	wg.Wait()
	if sendErr != nil {
		t.Fatal(sendErr)
	}
	select {
	case m := <-result:
		if m.Subject != "Grüße" {
			t.Fatalf("WaitFor returned %q", m.Subject)
		}
	default:
		t.Fatal("WaitFor did not return the late message")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.WaitFor(ctx, func(Message) bool { return false }); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitFor with nothing matching: err = %v", err)
	}
}

func TestStopRestartKeepsPortAndMessages(t *testing.T) {
	t.Parallel()
	s := New(t)
	addr := s.Addr()
	if err := send(t, s, nil, []string{"b@example.org"}, plainMail); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := s.Stop(); !errors.Is(err, ErrStopped) {
		t.Fatalf("second Stop: err = %v, want ErrStopped", err)
	}
	if err := send(t, s, nil, []string{"b@example.org"}, plainMail); err == nil {
		t.Fatal("stopped server accepted mail")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	if err := s.Restart(); !errors.Is(err, ErrRunning) {
		t.Fatalf("Restart while running: err = %v, want ErrRunning", err)
	}
	if s.Addr() != addr {
		t.Fatalf("address changed from %s to %s", addr, s.Addr())
	}
	if err := send(t, s, nil, []string{"b@example.org"}, plainMail); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	if n := len(s.Messages()); n != 2 {
		t.Fatalf("%d messages after restart, want 2", n)
	}
}

// TestStopRightAfterStart guards a race in which the server's goroutine had
// not yet registered its listener when Stop ran, and Stop hung forever.
func TestStopRightAfterStart(t *testing.T) {
	t.Parallel()
	for range 50 {
		s, err := Start()
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Stop(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFailRecipient(t *testing.T) {
	t.Parallel()
	s := New(t)
	s.FailRecipient("Gone@example.org", 550)
	err := send(t, s, nil, []string{"gone@example.org"}, plainMail)
	var smtpErr *smtp.SMTPError
	if !errors.As(err, &smtpErr) || smtpErr.Code != 550 {
		t.Fatalf("err = %v, want a 550", err)
	}
	s.FailRecipient("gone@example.org", 0)
	if err := send(t, s, nil, []string{"gone@example.org"}, plainMail); err != nil {
		t.Fatalf("after clearing: %v", err)
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	s := New(t, WithAuth("u", "p"))
	tests := []struct {
		name string
		auth sasl.Client
		ok   bool
	}{
		{"right", sasl.NewPlainClient("", "u", "p"), true},
		{"wrong", sasl.NewPlainClient("", "u", "x"), false},
		{"none", nil, false},
	}
	for _, tt := range tests {
		err := send(t, s, tt.auth, []string{"b@example.org"}, plainMail)
		if (err == nil) != tt.ok {
			t.Errorf("%s credentials: err = %v", tt.name, err)
		}
	}
	if n := len(s.Messages()); n != 1 {
		t.Fatalf("%d messages recorded, want 1", n)
	}
}

func TestExtractLinks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		body string
		want []string
	}{
		{"no links here", nil},
		{"Open https://quire.test/verify?token=a_b-c.\nThanks", []string{"https://quire.test/verify?token=a_b-c"}},
		{"(see http://localhost:8080/x), then https://q.test/i#t=1!", []string{"http://localhost:8080/x", "https://q.test/i#t=1"}},
		{`<a href="https://q.test/a">x</a> <https://q.test/b>`, []string{"https://q.test/a", "https://q.test/b"}},
		{"ftp://q.test/a mailto:a@q.test", nil},
	}
	for _, tt := range tests {
		if got := ExtractLinks(tt.body); !slices.Equal(got, tt.want) {
			t.Errorf("ExtractLinks(%q) = %q, want %q", tt.body, got, tt.want)
		}
	}
}
