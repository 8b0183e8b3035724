package mail

import (
	"errors"
	"strings"
	"testing"
)

func TestMessageValidate(t *testing.T) {
	t.Parallel()
	ok := Message{From: "Quire <noreply@quire.test>", To: "ada@example.org", Subject: "Hi", Text: "Body\n", MessageID: "abc@quire.test"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid message rejected: %v", err)
	}
	tests := []struct {
		name   string
		change func(*Message)
	}{
		{"no recipient", func(m *Message) { m.To = "" }},
		{"bad recipient", func(m *Message) { m.To = "not an address" }},
		{"two recipients", func(m *Message) { m.To = "a@example.org, b@example.org" }},
		{"bad sender", func(m *Message) { m.From = "nobody" }},
		{"no subject", func(m *Message) { m.Subject = " " }},
		{"no body", func(m *Message) { m.Text = "" }},
		{"subject injection", func(m *Message) { m.Subject = "Hi\r\nBcc: eve@example.org" }},
		{"idempotency key injection", func(m *Message) { m.IdempotencyKey = "k\nBcc: eve@example.org" }},
		{"message id with brackets", func(m *Message) { m.MessageID = "<abc@quire.test>" }},
		{"message id without domain", func(m *Message) { m.MessageID = "abc" }},
		{"reserved header", func(m *Message) { m.Headers = map[string]string{"bcc": "eve@example.org"} }},
		{"header name with colon", func(m *Message) { m.Headers = map[string]string{"X-A: b": "c"} }},
		{"header value injection", func(m *Message) { m.Headers = map[string]string{"Reply-To": "a@example.org\nBcc: eve@example.org"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := ok
			tt.change(&m)
			if err := m.Validate(); !errors.Is(err, ErrInvalidMessage) {
				t.Fatalf("Validate = %v, want ErrInvalidMessage", err)
			}
		})
	}
}

func TestNewMessageID(t *testing.T) {
	t.Parallel()
	a, b := NewMessageID("quire.test"), NewMessageID("quire.test")
	if a == b || !strings.HasSuffix(a, "@quire.test") || len(a) < 20 {
		t.Fatalf("NewMessageID = %q, %q", a, b)
	}
	if err := (Message{To: "a@example.org", Subject: "s", Text: "t", MessageID: a}).Validate(); err != nil {
		t.Fatalf("generated id rejected: %v", err)
	}
}
