package decision

import (
	"context"
	"slices"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// MailText is the message a decision category's authors get: the venue's
// own text where the chairs wrote one, the built-in one otherwise.
type MailText struct {
	Category, Label string
	Text            string
	Custom          bool
	// Sample is the text rendered for an example paper.
	Sample mail.Message
}

// builtIn is the built-in template of a category.
func builtIn(cat venue.DecisionCategory) string {
	if cat.Accept {
		return mail.TemplateDecisionAccept
	}
	return mail.TemplateDecisionReject
}

// render writes one decision message from the category's text.
func render(cat venue.DecisionCategory, tmpl string, data mail.DecisionData) (mail.Message, error) {
	if cat.Mail != "" {
		return mail.RenderText("decision", cat.Mail, data)
	}
	return mail.Render(tmpl, data)
}

// MailTexts lists each category's message for the venue's chairs.
func (s *Service) MailTexts(ctx context.Context, slug string, p account.Principal) ([]MailText, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	out := make([]MailText, 0, len(rec.Settings.Decisions))
	for _, cat := range rec.Settings.Decisions {
		mt := MailText{Category: cat.Key, Label: cat.Label, Text: cat.Mail, Custom: cat.Mail != ""}
		if !mt.Custom {
			mt.Text, _ = mail.Source(builtIn(cat))
		}
		sample := mail.SampleDecision
		sample.VenueName, sample.Category = rec.Name, cat.Label
		if mt.Sample, err = render(cat, builtIn(cat), sample); err != nil {
			return nil, err
		}
		out = append(out, mt)
	}
	return out, nil
}

// PreviewMailText renders a text a chair is writing, without storing it.
func (s *Service) PreviewMailText(ctx context.Context, slug string, p account.Principal, category, text string) (mail.Message, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return mail.Message{}, err
	}
	cat, ok := rec.Settings.Decision(category)
	if !ok {
		return mail.Message{}, problem.Invalid("no such decision", problem.FieldError{Field: "category", Message: "is not a decision of this venue"})
	}
	sample := mail.SampleDecision
	sample.VenueName, sample.Category = rec.Name, cat.Label
	m, err := mail.RenderText("decision", text, sample)
	if err != nil {
		return m, problem.Invalid("the text cannot be used: "+mail.TextProblem(err), problem.FieldError{Field: "text", Message: mail.TextProblem(err)})
	}
	return m, nil
}

// SetMailText stores a category's own text (empty: back to the built-in
// one) in the venue's settings, checked as the venue file is.
func (s *Service) SetMailText(ctx context.Context, slug string, p account.Principal, category, text, ip string) error {
	if text != "" {
		if _, err := s.PreviewMailText(ctx, slug, p, category, text); err != nil {
			return err
		}
	}
	_, err := s.Admin.Change(ctx, slug, p.UserID, "decision.mail_text", map[string]any{"category": category, "custom": text != ""}, ip, func(set *venue.Settings) error {
		// The settings are shared with the venue's cached record: change a copy.
		set.Decisions = slices.Clone(set.Decisions)
		i := slices.IndexFunc(set.Decisions, func(d venue.DecisionCategory) bool { return d.Key == category })
		if i < 0 {
			return problem.Invalid("no such decision", problem.FieldError{Field: "category", Message: "is not a decision of this venue"})
		}
		set.Decisions[i].Mail = text
		return nil
	})
	return err
}
