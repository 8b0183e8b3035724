// Package mail renders Quire's transactional messages from embedded
// templates and delivers them over SMTP, telling the outbox worker whether a
// failure is worth retrying.
package mail

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"strings"
)

// HeaderIdempotencyKey carries the outbox row's key, so a message resent
// after a crash between "sent" and "marked sent" can be recognised as the
// same message by anyone reading headers (Message-ID is stable for the same
// reason).
const HeaderIdempotencyKey = "Quire-Idempotency-Key"

// ErrInvalidMessage reports a message that can never be sent as it stands.
var ErrInvalidMessage = errors.New("mail: invalid message")

// Message is one email as the outbox stores it: plain values, no go-mail
// types, so it can be serialised and retried unchanged.
type Message struct {
	From           string // "Quire <noreply@example.org>"; empty uses the Sender's default
	To             string
	Subject        string
	Text           string
	HTML           string // optional alternative part
	MessageID      string // without angle brackets; empty gets a random one at send time
	IdempotencyKey string
	Headers        map[string]string // extra headers, e.g. "Reply-To"
}

// reservedHeaders are set from Message fields; letting Headers override them
// would make two sources of truth (or a header-injection path).
var reservedHeaders = map[string]bool{
	"from": true, "to": true, "cc": true, "bcc": true, "subject": true, "date": true,
	"message-id": true, "mime-version": true, "content-type": true,
	"content-transfer-encoding": true, strings.ToLower(HeaderIdempotencyKey): true,
}

// Validate reports why m cannot be sent, wrapping ErrInvalidMessage.
func (m Message) Validate() error {
	if _, err := mail.ParseAddress(m.To); err != nil {
		return fmt.Errorf("%w: recipient %q: %w", ErrInvalidMessage, m.To, err)
	}
	if m.From != "" {
		if _, err := mail.ParseAddress(m.From); err != nil {
			return fmt.Errorf("%w: sender %q: %w", ErrInvalidMessage, m.From, err)
		}
	}
	if strings.TrimSpace(m.Subject) == "" || strings.TrimSpace(m.Text) == "" {
		return fmt.Errorf("%w: subject and text body are required", ErrInvalidMessage)
	}
	for name, value := range map[string]string{
		"Subject": m.Subject, "Message-ID": m.MessageID, HeaderIdempotencyKey: m.IdempotencyKey,
	} {
		if strings.ContainsAny(value, "\r\n") {
			return fmt.Errorf("%w: line break in %s", ErrInvalidMessage, name)
		}
	}
	if m.MessageID != "" && (strings.ContainsAny(m.MessageID, "<> ") || !strings.Contains(m.MessageID, "@")) {
		return fmt.Errorf("%w: message id %q must look like local@domain", ErrInvalidMessage, m.MessageID)
	}
	for name, value := range m.Headers {
		if reservedHeaders[strings.ToLower(name)] {
			return fmt.Errorf("%w: header %q is set from a Message field", ErrInvalidMessage, name)
		}
		if !validHeaderName(name) || strings.ContainsAny(value, "\r\n") {
			return fmt.Errorf("%w: header %q", ErrInvalidMessage, name)
		}
	}
	return nil
}

func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r <= ' ' || r > '~' || r == ':' {
			return false
		}
	}
	return true
}

// NewMessageID returns "random@domain". The outbox should call it once when
// it enqueues a message and store the result, so retries keep the same id.
func NewMessageID(domain string) string {
	b := make([]byte, 18)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24.
	return base64.RawURLEncoding.EncodeToString(b) + "@" + domain
}
