package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"text/template"
	"time"
)

// Template names, one file each under templates/.
const (
	TemplateVerifyEmail   = "verify_email"
	TemplatePasswordReset = "password_reset"
	TemplateInvitation    = "invitation"
	TemplateNotice        = "notice"
)

// VerifyEmailData fills TemplateVerifyEmail.
type VerifyEmailData struct {
	Name     string
	Link     string
	ValidFor time.Duration
}

// PasswordResetData fills TemplatePasswordReset.
type PasswordResetData struct {
	Name     string
	Link     string
	ValidFor time.Duration
}

// InvitationData fills TemplateInvitation. Role is shown as written
// ("reviewer", "chair"); Note is the chair's optional free text.
type InvitationData struct {
	InviteeName string
	InviterName string
	VenueName   string
	Role        string
	Link        string
	Expires     time.Time
	Note        string
}

// NoticeData fills TemplateNotice, the generic message for anything that
// does not deserve its own template yet.
type NoticeData struct {
	Name    string
	Subject string
	Body    string
	Link    string
}

// ErrUnknownTemplate is returned by Render for a name with no file.
var ErrUnknownTemplate = errors.New("mail: unknown template")

//go:embed templates/*.txt
var templateFS embed.FS

// templates is parsed once at start-up; a broken template file is a build
// defect, so the package refuses to initialise rather than fail at send time.
var templates = mustParseTemplates(templateFS)

var funcs = template.FuncMap{
	"duration": humanDuration,
	"date":     func(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") },
	"oneline":  func(s string) string { return strings.Join(strings.Fields(s), " ") },
}

func mustParseTemplates(fsys fs.FS) map[string]*template.Template {
	out, err := parseTemplates(fsys)
	if err != nil {
		panic(err)
	}
	return out
}

func parseTemplates(fsys fs.FS) (map[string]*template.Template, error) {
	files, err := fs.Glob(fsys, "templates/*.txt")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, file := range files {
		src, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, err
		}
		if !bytes.HasPrefix(src, []byte("Subject: ")) {
			return nil, fmt.Errorf("mail: template %s must start with a \"Subject: \" line", file)
		}
		name := strings.TrimSuffix(path.Base(file), ".txt")
		t, err := template.New(name).Funcs(funcs).Option("missingkey=error").Parse(string(src))
		if err != nil {
			return nil, fmt.Errorf("mail: template %s: %w", file, err)
		}
		out[name] = t
	}
	return out, nil
}

// Render executes template name with data and returns a Message with
// Subject and Text set; the caller adds From, To and the ids. The template's
// first line is "Subject: ..." and the body starts after the blank line that
// follows it.
func Render(name string, data any) (Message, error) {
	t, ok := templates[name]
	if !ok {
		return Message{}, fmt.Errorf("%w: %q", ErrUnknownTemplate, name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return Message{}, fmt.Errorf("mail: rendering %s: %w", name, err)
	}
	head, body, ok := strings.Cut(buf.String(), "\n\n")
	subject, isSubject := strings.CutPrefix(head, "Subject: ")
	if !ok || !isSubject {
		return Message{}, fmt.Errorf("mail: rendering %s: no blank line after the subject", name)
	}
	// Collapsing whitespace keeps a venue name with a line break in it from
	// spilling into the headers.
	subject = strings.Join(strings.Fields(subject), " ")
	if subject == "" {
		return Message{}, fmt.Errorf("mail: rendering %s: empty subject", name)
	}
	return Message{Subject: subject, Text: strings.TrimLeft(body, "\n")}, nil
}

// humanDuration writes a validity period the way a person would: "24 hours",
// "30 minutes", "7 days".
func humanDuration(d time.Duration) string {
	plural := func(n int64, unit string) string {
		if n == 1 {
			return "1 " + unit
		}
		return fmt.Sprintf("%d %ss", n, unit)
	}
	switch {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return plural(int64(d/(24*time.Hour)), "day")
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	default:
		return plural(int64((d+time.Minute-1)/time.Minute), "minute")
	}
}

// Decision templates: one per kind of category.
const (
	TemplateDecisionAccept = "decision_accept"
	TemplateDecisionReject = "decision_reject"
)

// DecisionData fills the decision templates.
type DecisionData struct {
	Name, VenueName, Title  string
	Number                  int
	Category, Presentation  string
	Note, CameraReady, Link string
}
