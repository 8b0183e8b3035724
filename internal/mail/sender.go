package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// The outbox worker needs one decision from a failed send: try again later,
// or give up on this message. Every error Send returns wraps exactly one of
// these.
var (
	ErrTemporary = errors.New("mail: temporary failure, retry later")
	ErrPermanent = errors.New("mail: permanent failure")
)

// IsTemporary reports whether err is worth retrying.
func IsTemporary(err error) bool { return errors.Is(err, ErrTemporary) }

// TLSMode says how the connection to the SMTP server is protected.
type TLSMode string

const (
	TLSStartTLS      TLSMode = "starttls"      // STARTTLS required (the default)
	TLSOpportunistic TLSMode = "opportunistic" // STARTTLS if offered, else plain
	TLSImplicit      TLSMode = "tls"           // TLS from the first byte (SMTPS, port 465)
	TLSNone          TLSMode = "none"          // plain text; for loopback test servers only
)

// SMTPConfig is the relay Quire sends through.
type SMTPConfig struct {
	Host string
	Port int // 0 means 587, or 465 with TLSImplicit
	// Username and Password enable SMTP AUTH. AuthMechanism picks one
	// ("plain", "login", "cram-md5", "scram-sha-256", "plain-noenc", ...,
	// go-mail's names); empty means the strongest the server offers.
	Username      string
	Password      string
	AuthMechanism string
	TLS           TLSMode       // empty means TLSStartTLS
	TLSConfig     *tls.Config   // optional, e.g. a private CA
	Timeout       time.Duration // per connection and per command; 0 means 10 s
	HELO          string        // empty means the host name
	From          string        // used when a Message has no From
	Now           func() time.Time
}

// Sender delivers Messages over SMTP, one connection per message. The outbox
// sends at a pace where connection reuse would not pay for its failure modes.
type Sender struct {
	client *gomail.Client
	from   string
	domain string
	now    func() time.Time
}

// NewSender validates cfg and prepares a client; it does not connect.
func NewSender(cfg SMTPConfig) (*Sender, error) {
	if cfg.Host == "" {
		return nil, errors.New("mail: SMTP host is required")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: default sender %q: %w", cfg.From, err)
	}
	opts, err := clientOptions(cfg)
	if err != nil {
		return nil, err
	}
	client, err := gomail.NewClient(cfg.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: SMTP client: %w", err)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	return &Sender{client: client, from: cfg.From, domain: domain, now: now}, nil
}

func clientOptions(cfg SMTPConfig) ([]gomail.Option, error) {
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout)}
	port := cfg.Port
	switch cfg.TLS {
	case TLSStartTLS, "":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
		if port == 0 {
			port = 465
		}
	default:
		return nil, fmt.Errorf("mail: unknown TLS mode %q", cfg.TLS)
	}
	if port == 0 {
		port = 587
	}
	opts = append(opts, gomail.WithPort(port))
	if cfg.TLSConfig != nil {
		tc := cfg.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = cfg.Host
		}
		opts = append(opts, gomail.WithTLSConfig(tc))
	}
	if cfg.HELO != "" {
		opts = append(opts, gomail.WithHELO(cfg.HELO))
	}
	if cfg.Username != "" {
		mech := gomail.SMTPAuthAutoDiscover
		if cfg.AuthMechanism != "" {
			if err := mech.UnmarshalString(cfg.AuthMechanism); err != nil {
				return nil, fmt.Errorf("mail: %w", err)
			}
		}
		opts = append(opts, gomail.WithSMTPAuth(mech), gomail.WithUsername(cfg.Username), gomail.WithPassword(cfg.Password))
	}
	return opts, nil
}

// Send delivers m. A nil error means the server accepted the message.
func (s *Sender) Send(ctx context.Context, m Message) error {
	if m.From == "" {
		m.From = s.from
	}
	if m.MessageID == "" {
		m.MessageID = NewMessageID(s.domain)
	}
	if err := m.Validate(); err != nil {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	msg, err := s.build(m)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrPermanent, err)
	}
	err = s.client.DialAndSendWithContext(ctx, msg)
	if err != nil && msg.IsDelivered() {
		// The server took the message and only QUIT failed: retrying would
		// deliver it twice.
		return nil
	}
	if err != nil {
		return classify(err)
	}
	return nil
}

func (s *Sender) build(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(m.From); err != nil {
		return nil, fmt.Errorf("%w: sender: %w", ErrInvalidMessage, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("%w: recipient: %w", ErrInvalidMessage, err)
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(s.now())
	// RFC 3834: tells vacation responders not to answer a robot.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	if m.IdempotencyKey != "" {
		msg.SetGenHeader(HeaderIdempotencyKey, m.IdempotencyKey)
	}
	for name, value := range m.Headers {
		msg.SetGenHeader(gomail.Header(name), value)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// classify decides who is at fault. Only a 5xx answer about this message
// condemns it: to RCPT (this recipient will never be accepted) or to DATA
// (this content will never be accepted), or a message go-mail cannot even
// address. Everything else is the relay's state or Quire's configuration,
// which can change, so the message waits and is retried: refused
// connections, timeouts, TLS or AUTH trouble, any 4xx, a connection dropped
// mid-message, and a 5xx to MAIL FROM (sender not allowed, login required),
// which would fail every message alike. The outbox caps attempts, so a
// configuration that is never fixed still ends.
func classify(err error) error {
	var sendErr *gomail.SendError
	if errors.As(err, &sendErr) && !sendErr.IsTemp() {
		switch sendErr.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
			return fmt.Errorf("%w: %w", ErrPermanent, err)
		case gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
			if code := sendErr.ErrorCode(); code >= 500 && code < 600 {
				return fmt.Errorf("%w: %w", ErrPermanent, err)
			}
		}
	}
	return fmt.Errorf("%w: %w", ErrTemporary, err)
}
