package mail

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestRender(t *testing.T) {
	t.Parallel()
	expires := time.Date(2026, 4, 1, 23, 59, 0, 0, time.UTC)
	tests := []struct {
		name        string
		data        any
		subject     string
		contains    []string
		notContains []string
	}{
		{TemplateVerifyEmail, VerifyEmailData{Name: "Ada", Link: "https://quire.test/verify?token=abc", ValidFor: 24 * time.Hour},
			"Confirm your email address for Quire",
			[]string{"Hello Ada,", "\nhttps://quire.test/verify?token=abc\n", "valid for 24 hours"}, nil},
		{TemplatePasswordReset, PasswordResetData{Name: "Ada", Link: "https://quire.test/reset#t=x", ValidFor: 30 * time.Minute},
			"Reset your Quire password",
			[]string{"Hello Ada,", "https://quire.test/reset#t=x", "valid for 30 minutes"}, nil},
		{TemplateInvitation, InvitationData{InviteeName: "Grace", InviterName: "Alan Chair", VenueName: "DLDE-III", Role: "reviewer",
			Link: "https://quire.test/invitations/tok", Expires: expires, Note: "We would value your view."},
			"Invitation to serve as reviewer for DLDE-III",
			[]string{"Dear Grace,", "Alan Chair invites you to serve as reviewer for DLDE-III.", "Their note:\n\nWe would value your view.\n",
				"https://quire.test/invitations/tok", "1 April 2026, 23:59 UTC"}, nil},
		{TemplateInvitation, InvitationData{InviterName: "Alan", VenueName: "DLDE\nIII", Role: "chair", Link: "https://q.test/i", Expires: expires},
			"Invitation to serve as chair for DLDE III",
			[]string{"Hello,\n"}, []string{"Their note", "Dear"}},
		{TemplateNotice, NoticeData{Name: "Ada", Subject: "Deadline\r\nBcc: eve@example.org", Body: "The deadline moved.", Link: "https://q.test/v"},
			"Deadline Bcc: eve@example.org",
			[]string{"Hello Ada,\n\nThe deadline moved.\n\nhttps://q.test/v\n"}, nil},
		{TemplateNotice, NoticeData{Subject: "Note", Body: "Plain."},
			"Note", []string{"Hello,\n\nPlain.\n"}, []string{"http"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.subject, func(t *testing.T) {
			t.Parallel()
			m, err := Render(tt.name, tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", m.Subject, tt.subject)
			}
			if strings.Contains(m.Text, "Subject:") || strings.HasPrefix(m.Text, "\n") {
				t.Errorf("body carries the header block: %q", m.Text)
			}
			for _, s := range tt.contains {
				if !strings.Contains(m.Text, s) {
					t.Errorf("body lacks %q:\n%s", s, m.Text)
				}
			}
			for _, s := range tt.notContains {
				if strings.Contains(m.Text, s) {
					t.Errorf("body has %q:\n%s", s, m.Text)
				}
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	t.Parallel()
	if _, err := Render("nope", nil); !errors.Is(err, ErrUnknownTemplate) {
		t.Errorf("unknown template: err = %v", err)
	}
	if _, err := Render(TemplateVerifyEmail, NoticeData{Subject: "x"}); err == nil {
		t.Error("rendering with the wrong data type succeeded")
	}
	if _, err := Render(TemplateVerifyEmail, map[string]any{"Name": "Ada"}); err == nil {
		t.Error("rendering with a missing map key succeeded")
	}
	if _, err := Render(TemplateNotice, NoticeData{Subject: " \n ", Body: "x"}); err == nil {
		t.Error("empty subject accepted")
	}
}

func TestEveryTemplateFileIsKnown(t *testing.T) {
	t.Parallel()
	want := map[string]bool{TemplateVerifyEmail: true, TemplatePasswordReset: true, TemplateInvitation: true, TemplateNotice: true,
		TemplateDecisionAccept: true, TemplateDecisionReject: true, TemplateWritten: true}
	if len(templates) != len(want) {
		t.Fatalf("embedded %d templates, want %d", len(templates), len(want))
	}
	for name := range want {
		if templates[name] == nil {
			t.Errorf("template %q not embedded", name)
		}
	}
}

func TestParseTemplatesRejectsBadFiles(t *testing.T) {
	t.Parallel()
	for name, src := range map[string]string{
		"no subject line": "Hello\n\nBody",
		"syntax error":    "Subject: x\n\n{{.Name",
	} {
		fsys := fstest.MapFS{"templates/t.txt": {Data: []byte(src)}}
		if _, err := parseTemplates(fsys); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
}

func TestHumanDuration(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		time.Minute: "1 minute", 30 * time.Minute: "30 minutes", 90 * time.Second: "2 minutes",
		time.Hour: "1 hour", 24 * time.Hour: "24 hours", 48 * time.Hour: "2 days", 7 * 24 * time.Hour: "7 days",
		90 * time.Minute: "90 minutes",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
