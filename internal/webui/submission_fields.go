package webui

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/venue"
)

// The venue's own submission fields on the authors' form, and their
// answers on the pages that show a paper. What a page shows of the
// answers comes from access.View.VisibleAnswers, as in the API.

// fieldInput is one of the venue's fields on the submit and edit form.
type fieldInput struct {
	Key, Label, Help string
	Kind             string
	Name             string // the form's and the service's name: fields.<key>
	Required         bool
	// Only names the tracks that ask the field, when not all do; the page
	// script shows the field with its tracks only.
	Only    string
	Tracks  string // space-separated keys, for the script
	Options []fieldOption
	Value   string
	Checked bool
	Max     int // a text's bound
	Who     string
}

type fieldOption struct {
	Value, Label string
	Selected     bool
}

var visibilityWords = map[venue.FieldVisibility]string{
	venue.FieldForReviewers: "Seen by the chairs and your paper's reviewers.",
	venue.FieldChairsOnly:   "Seen by the chairs only.",
	venue.FieldPublic:       "Seen by the chairs, and by everyone once the paper is public.",
}

// fieldInputs is the form's fields, filled with answers (stored, or as
// posted) and the authors a person field chooses from.
func fieldInputs(set *venue.Settings, answers map[string]any, authors []authorRow) []fieldInput {
	var out []fieldInput
	for _, f := range set.SubmissionFields {
		in := fieldInput{Key: f.Key, Label: f.Label, Help: f.Help, Kind: string(f.Kind), Name: "fields." + f.Key, Required: f.Required,
			Tracks: strings.Join(f.Tracks, " "), Who: visibilityWords[f.Visibility]}
		if len(f.Tracks) > 0 {
			names := make([]string, 0, len(f.Tracks))
			for _, k := range f.Tracks {
				names = append(names, trackName(set, k))
			}
			in.Only = strings.Join(names, ", ")
		}
		if f.Kind == venue.FieldText || f.Kind == venue.FieldLongText {
			in.Max = f.Limit()
		}
		v := answers[f.Key]
		switch x := v.(type) {
		case bool:
			in.Checked = x
		case string:
			in.Value = x
		default:
			in.Value = f.Text(v)
		}
		picked := func(o string) bool {
			switch x := v.(type) {
			case []string:
				return slices.Contains(x, o)
			case []any:
				return slices.Contains(x, any(o))
			case string:
				return x == o
			}
			return false
		}
		switch f.Kind {
		case venue.FieldChoice, venue.FieldMulti:
			for _, o := range f.Options {
				in.Options = append(in.Options, fieldOption{Value: o, Label: o, Selected: picked(o)})
			}
		case venue.FieldPerson:
			// By row, so that an author typed on the same form can be
			// chosen before the first save, without a script.
			for i, a := range authors {
				label := "Author " + strconv.Itoa(i+1)
				if a.Name != "" || a.Email != "" {
					label += ": " + strings.TrimSpace(a.Name+" "+a.Email)
				}
				in.Options = append(in.Options, fieldOption{Value: "author:" + strconv.Itoa(i), Label: label, Selected: a.Email != "" && strings.EqualFold(a.Email, in.Value)})
			}
		}
		out = append(out, in)
	}
	return out
}

// answersFromForm reads the posted answers, as the API would get them: a
// number that does not parse goes as typed, for the service to name; a
// person chosen by author row is that row's email.
func answersFromForm(form url.Values, set *venue.Settings, rows []authorRow) map[string]any {
	out := map[string]any{}
	for _, f := range set.SubmissionFields {
		name := "fields." + f.Key
		switch f.Kind {
		case venue.FieldCheckbox:
			out[f.Key] = form.Get(name) == "yes"
		case venue.FieldMulti:
			picked := []any{}
			for _, v := range form[name] {
				picked = append(picked, v)
			}
			out[f.Key] = picked
		case venue.FieldNumber:
			v := strings.TrimSpace(form.Get(name))
			if x, err := strconv.ParseFloat(v, 64); err == nil {
				out[f.Key] = x
			} else if v != "" {
				out[f.Key] = v
			}
		case venue.FieldPerson:
			v := form.Get(name)
			if i, err := strconv.Atoi(strings.TrimPrefix(v, "author:")); err == nil && strings.HasPrefix(v, "author:") {
				v = ""
				if i >= 0 && i < len(rows) {
					v = rows[i].Email
				}
			}
			out[f.Key] = v
		default:
			out[f.Key] = form.Get(name)
		}
	}
	return out
}

// askedOf keeps the answers to the fields track asks: the form shows
// every track's fields, and the service refuses answers a track does not
// ask. With no valid track, all go, for the service to judge the track.
func askedOf(answers map[string]any, set *venue.Settings, track string) map[string]any {
	if _, ok := set.Track(track); !ok {
		return answers
	}
	out := map[string]any{}
	for k, v := range answers {
		if f, ok := set.SubmissionField(k); ok && f.AskedOf(track) {
			out[k] = v
		}
	}
	return out
}

// answerRow is one answer on a paper's page.
type answerRow struct {
	Key, Label string
	Text       string
	Link       string        // a URL answer, to follow
	HTML       template.HTML // a long text, its Markdown rendered safely
	Who        string
}

// answerRows are the answers a viewer may read, as a page shows them.
func answerRows(as []access.Answer) []answerRow {
	out := make([]answerRow, 0, len(as))
	for _, a := range as {
		r := answerRow{Key: a.Field.Key, Label: a.Field.Label, Text: a.Text(), Who: visibilityWords[a.Field.Visibility]}
		switch a.Field.Kind {
		case venue.FieldURL:
			r.Link = r.Text
		case venue.FieldLongText:
			r.HTML = renderMarkdown(r.Text)
		}
		out = append(out, r)
	}
	return out
}
