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
	// TemplateWritten sends a message a person wrote (a venue's own
	// decision mail), rendered already, as it stands.
	TemplateWritten = "written"
)

// WrittenData fills TemplateWritten.
type WrittenData struct {
	Subject, Body string
}

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
		name := strings.TrimSuffix(path.Base(file), ".txt")
		t, err := parse(name, string(src))
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
	return execute(t, data)
}

// parse reads a template's text: a "Subject: " line, a blank line, the body.
func parse(name, text string) (*template.Template, error) {
	if !strings.HasPrefix(text, "Subject: ") {
		return nil, errors.New(`the text must start with a "Subject: " line`)
	}
	return template.New(name).Funcs(funcs).Option("missingkey=error").Parse(text)
}

// Source is the text of a built-in template, for people who write their
// own version of it.
func Source(name string) (string, bool) {
	src, err := fs.ReadFile(templateFS, "templates/"+name+".txt")
	return string(src), err == nil
}

// RenderText is Render for a template written by a person (a venue's own
// decision mail): the same language, placeholders and checks.
func RenderText(name, text string, data any) (Message, error) {
	t, err := parse(name, text)
	if err != nil {
		return Message{}, err
	}
	return execute(t, data)
}

func execute(t *template.Template, data any) (Message, error) {
	name := t.Name()
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

// DecisionFields names DecisionData's placeholders, as people write them.
var DecisionFields = []string{".Name", ".VenueName", ".Title", ".Number", ".Category", ".Presentation", ".Note", ".CameraReady", ".Link"}

// SampleDecision fills a decision mail written by a person to check it
// before it is stored, and to show it.
var SampleDecision = DecisionData{Name: "Sam Sample", VenueName: "The Venue", Title: "A Sample Paper's Title", Number: 7,
	Category: "Accept as a poster", Presentation: "poster", Note: "A note from the chairs.", CameraReady: "2023-11-01 23:59:59 AoE",
	Link: "https://quire.example/submissions/7"}

// TextProblem says what is wrong with a template a person wrote, in their
// terms: the line, and the placeholder that does not exist.
func TextProblem(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "can't evaluate field "); i >= 0 {
		field, _, _ := strings.Cut(msg[i+len("can't evaluate field "):], " ")
		return "there is no placeholder ." + field + "; the placeholders are " + strings.Join(DecisionFields, ", ")
	}
	for _, prefix := range []string{"mail: rendering decision: ", "template: decision:"} {
		msg = strings.TrimPrefix(msg, prefix)
	}
	return msg
}
