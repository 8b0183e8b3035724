package smtptest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
)

// Message is one received message, decoded so tests can assert on what a
// person would read.
type Message struct {
	From      string   // envelope sender (MAIL FROM)
	To        []string // envelope recipients (RCPT TO)
	TLS       bool     // whether it arrived over STARTTLS
	Subject   string   // decoded
	MessageID string   // without angle brackets
	Header    mail.Header
	Text      string // text/plain body, transfer-decoded
	HTML      string // text/html alternative, if any
	Raw       []byte
}

// SentTo reports whether addr is among the envelope recipients.
func (m Message) SentTo(addr string) bool {
	for _, to := range m.To {
		if strings.EqualFold(to, addr) {
			return true
		}
	}
	return false
}

func parse(raw []byte) (Message, error) {
	pm, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, err
	}
	m := Message{Header: pm.Header, Raw: raw}
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(pm.Header.Get("Subject")); err != nil {
		return Message{}, fmt.Errorf("subject: %w", err)
	}
	m.MessageID = strings.Trim(pm.Header.Get("Message-Id"), "<> ")
	if err := m.readPart(pm.Header.Get("Content-Type"), pm.Header.Get("Content-Transfer-Encoding"), pm.Body); err != nil {
		return Message{}, err
	}
	return m, nil
}

// readPart walks multipart bodies and keeps the first text/plain and
// text/html parts, which is all Quire sends.
func (m *Message) readPart(contentType, encoding string, body io.Reader) error {
	if contentType == "" {
		contentType = "text/plain"
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return fmt.Errorf("content type %q: %w", contentType, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.readPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p); err != nil {
				return err
			}
		}
	}
	decoded, err := io.ReadAll(transferDecoder(encoding, body))
	if err != nil {
		return fmt.Errorf("%s body: %w", mediaType, err)
	}
	text := strings.ReplaceAll(string(decoded), "\r\n", "\n")
	switch {
	case mediaType == "text/plain" && m.Text == "":
		m.Text = text
	case mediaType == "text/html" && m.HTML == "":
		m.HTML = text
	}
	return nil
}

func transferDecoder(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r) // it skips CR and LF itself
	default:
		return r
	}
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"'()]+`)

// ExtractLinks returns the http(s) URLs in body in order, trailing sentence
// punctuation removed, so a test can follow the link a person would click.
func ExtractLinks(body string) []string {
	var links []string
	for _, l := range linkPattern.FindAllString(body, -1) {
		links = append(links, strings.TrimRight(l, ".,;:!?"))
	}
	return links
}
