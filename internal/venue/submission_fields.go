package venue

import (
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// A venue asks its authors more than title, abstract and authors: where a
// recently published paper appeared, a TL;DR, a code link, who of them
// reviews for the venue. Each question is a SubmissionField of the venue
// file, asked of every track or of some; its Visibility says who besides
// the authors and the chairs reads the answer, which package policy
// enforces.

// SubmissionFieldKind is what a submission field collects, and so the
// JSON type of its value.
type SubmissionFieldKind string

const (
	FieldText     SubmissionFieldKind = "text"            // a line; a string
	FieldLongText SubmissionFieldKind = "long_text"       // Markdown; a string
	FieldURL      SubmissionFieldKind = "url"             // an http(s) address; a string
	FieldChoice   SubmissionFieldKind = "choice"          // one of Options; a string
	FieldMulti    SubmissionFieldKind = "multiple_choice" // some of Options; an array of strings
	FieldCheckbox SubmissionFieldKind = "checkbox"        // a boolean
	FieldNumber   SubmissionFieldKind = "number"          // a number
	FieldDate     SubmissionFieldKind = "date"            // YYYY-MM-DD; a string
	FieldPerson   SubmissionFieldKind = "person"          // an author's email; a string
)

// SubmissionFieldKinds lists every kind, in the order docs give them.
var SubmissionFieldKinds = []SubmissionFieldKind{FieldText, FieldLongText, FieldURL, FieldChoice, FieldMulti, FieldCheckbox, FieldNumber, FieldDate, FieldPerson}

// FieldVisibility says who reads a submission field's answer besides the
// paper's authors and the chairs free of a conflict with it, who always do.
type FieldVisibility string

const (
	// FieldForReviewers: the reviewers assigned to the paper too. A person
	// field names an author, so it reaches them only where author
	// identities do (never, in double-blind review).
	FieldForReviewers FieldVisibility = "reviewers"
	// FieldChairsOnly: nobody else, ever.
	FieldChairsOnly FieldVisibility = "chairs_only"
	// FieldPublic: everyone once the paper is public (accepted, released,
	// and its authors consented); until then authors and chairs alone,
	// reviewers included in "nobody else" (a code link may name its
	// owner).
	FieldPublic FieldVisibility = "public_after_acceptance"
)

// FieldVisibilities lists every visibility.
var FieldVisibilities = []FieldVisibility{FieldForReviewers, FieldChairsOnly, FieldPublic}

// SubmissionField is one question of the submission form.
type SubmissionField struct {
	Key   string `yaml:"key" json:"key"`
	Label string `yaml:"label" json:"label"`
	// Help is a line under the label.
	Help       string              `yaml:"help,omitempty" json:"help,omitempty"`
	Kind       SubmissionFieldKind `yaml:"kind" json:"kind"`
	Required   bool                `yaml:"required,omitempty" json:"required"`
	Visibility FieldVisibility     `yaml:"visibility" json:"visibility"`
	// Tracks are the track keys the field is asked of; empty: every track.
	Tracks []string `yaml:"tracks,omitempty" json:"tracks,omitempty"`
	// Options are a choice's or multiple choice's answers.
	Options []string `yaml:"options,omitempty" json:"options,omitempty"`
	// MaxChars bounds a text or long text; 0: MaxFieldChars.
	MaxChars int `yaml:"max_chars,omitempty" json:"max_chars,omitempty"`
	// Min and Max bound a number; Integer refuses fractions.
	Min     Bound `yaml:"min,omitempty" json:"min,omitzero"`
	Max     Bound `yaml:"max,omitempty" json:"max,omitzero"`
	Integer bool  `yaml:"integer,omitempty" json:"integer,omitempty"`
}

// Bound is a number a venue file may leave out.
type Bound struct {
	V   float64
	Set bool
}

// NewBound is a bound at v.
func NewBound(v float64) Bound { return Bound{V: v, Set: true} }

// IsZero lets the file's writer leave an unset bound out.
func (b Bound) IsZero() bool { return !b.Set }

// MarshalYAML writes the number.
func (b Bound) MarshalYAML() (any, error) { return b.V, nil }

// MarshalJSON writes the number.
func (b Bound) MarshalJSON() ([]byte, error) { return json.Marshal(b.V) }

func (b *Bound) unmarshalNode(n *yaml.Node, p *decodeState, path string) {
	v, err := strconv.ParseFloat(n.Value, 64)
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		p.add(path, n, fmt.Sprintf("must be a number, not %s", show(n)))
		return
	}
	*b = NewBound(v)
}

// MaxFieldChars bounds a text answer when the field sets no bound.
const MaxFieldChars = 5000

// maxURLChars bounds an address.
const maxURLChars = 2000

// Limit is the most characters a text answer may have.
func (f SubmissionField) Limit() int {
	if f.MaxChars > 0 {
		return f.MaxChars
	}
	return MaxFieldChars
}

// AskedOf tells whether the field is on the form of track.
func (f SubmissionField) AskedOf(track string) bool {
	return len(f.Tracks) == 0 || slices.Contains(f.Tracks, track)
}

// NamesAuthor tells whether the answer is an author: a person field.
func (f SubmissionField) NamesAuthor() bool { return f.Kind == FieldPerson }

// SubmissionFieldsFor are the fields asked of a submission to track, in
// the file's order.
func (s *Settings) SubmissionFieldsFor(track string) []SubmissionField {
	var out []SubmissionField
	for _, f := range s.SubmissionFields {
		if f.AskedOf(track) {
			out = append(out, f)
		}
	}
	return out
}

// SubmissionField returns the field with key, if the venue has one.
func (s *Settings) SubmissionField(key string) (SubmissionField, bool) {
	i := slices.IndexFunc(s.SubmissionFields, func(f SubmissionField) bool { return f.Key == key })
	if i < 0 {
		return SubmissionField{}, false
	}
	return s.SubmissionFields[i], true
}

func (s *Settings) validateSubmissionFields(ps *problems) {
	validateKeys(ps, "submission_fields", "key", len(s.SubmissionFields), func(i int) string { return s.SubmissionFields[i].Key })
	for i, f := range s.SubmissionFields {
		p := fmt.Sprintf("submission_fields[%d]", i)
		if strings.TrimSpace(f.Label) == "" {
			ps.addf(p+".label", "required")
		}
		if !slices.Contains(SubmissionFieldKinds, f.Kind) {
			ps.addf(p+".kind", "%q is not one of %s", f.Kind, joinQuoted(SubmissionFieldKinds))
		}
		if !slices.Contains(FieldVisibilities, f.Visibility) {
			ps.addf(p+".visibility", "%q is not one of %s", f.Visibility, joinQuoted(FieldVisibilities))
		}
		for j, t := range f.Tracks {
			if _, ok := s.Track(t); !ok {
				ps.addf(fmt.Sprintf("%s.tracks[%d]", p, j), "%q is not a track of this venue", t)
			} else if slices.Index(f.Tracks, t) < j {
				ps.addf(fmt.Sprintf("%s.tracks[%d]", p, j), "%q is listed twice", t)
			}
		}
		choice := f.Kind == FieldChoice || f.Kind == FieldMulti
		switch {
		case choice && len(f.Options) < 2:
			ps.addf(p+".options", "a %s needs at least two options", f.Kind)
		case !choice && len(f.Options) > 0:
			ps.addf(p+".options", "only a choice or a multiple choice has options")
		}
		for j, o := range f.Options {
			if strings.TrimSpace(o) == "" {
				ps.addf(fmt.Sprintf("%s.options[%d]", p, j), "must not be empty")
			} else if slices.Index(f.Options, o) < j {
				ps.addf(fmt.Sprintf("%s.options[%d]", p, j), "%q is listed twice", o)
			}
		}
		switch {
		case f.MaxChars < 0:
			ps.addf(p+".max_chars", "must not be negative (0 means %d)", MaxFieldChars)
		case f.MaxChars > 0 && f.Kind != FieldText && f.Kind != FieldLongText:
			ps.addf(p+".max_chars", "applies only to text and long_text fields")
		}
		if f.Kind != FieldNumber && (f.Min.Set || f.Max.Set || f.Integer) {
			ps.addf(p, "min, max and integer apply only to number fields")
		}
		if f.Min.Set && f.Max.Set && f.Min.V > f.Max.V {
			ps.addf(p+".min", "must not exceed max (%v)", f.Max.V)
		}
	}
}

// FieldProblem is one answer a form cannot take, by its path in the
// submission ("fields.<key>").
type FieldProblem struct {
	Field, Message string
}

// CheckSubmissionFields checks the answers given for a submission to
// track whose authors' emails are authors, and returns them as stored:
// keys the track asks, empty answers left out, numbers as float64, text
// trimmed, a person as the author list spells their email. Every problem
// is returned at once.
func (s *Settings) CheckSubmissionFields(track string, in map[string]any, authors []string) (map[string]any, []FieldProblem) {
	out := map[string]any{}
	var ps []FieldProblem
	add := func(key, format string, args ...any) {
		ps = append(ps, FieldProblem{Field: "fields." + key, Message: fmt.Sprintf(format, args...)})
	}
	keys := make([]string, 0, len(in))
	for k := range in {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		f, ok := s.SubmissionField(k)
		switch {
		case !ok:
			add(k, "is not a field of this venue")
		case !f.AskedOf(track):
			add(k, "is not asked of the track %q", track)
		}
	}
	for _, f := range s.SubmissionFieldsFor(track) {
		v, err := f.normalise(in[f.Key], authors)
		if err != nil {
			add(f.Key, "%s", err.Error())
			continue
		}
		if v == nil {
			if f.Required {
				if f.Kind == FieldCheckbox {
					add(f.Key, "must be ticked")
				} else {
					add(f.Key, "is required")
				}
			}
			continue
		}
		out[f.Key] = v
	}
	return out, ps
}

// normalise turns one answer into its stored form; nil is no answer.
func (f SubmissionField) normalise(v any, authors []string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch f.Kind {
	case FieldCheckbox:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("must be true or false")
		}
		if !b {
			return nil, nil
		}
		return true, nil
	case FieldNumber:
		return f.number(v)
	case FieldMulti:
		return f.multi(v)
	}
	str, ok := v.(string)
	if !ok {
		return nil, fmt.Errorf("must be a string")
	}
	str = strings.TrimSpace(str)
	if f.Kind != FieldLongText {
		str = strings.Join(strings.Fields(str), " ")
	}
	if str == "" {
		return nil, nil
	}
	if !utf8.ValidString(str) {
		return nil, fmt.Errorf("must be UTF-8 text")
	}
	switch f.Kind {
	case FieldText, FieldLongText:
		if n := utf8.RuneCountInString(str); n > f.Limit() {
			return nil, fmt.Errorf("is %d characters; at most %d", n, f.Limit())
		}
	case FieldURL:
		u, err := url.Parse(str)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(str) > maxURLChars {
			return nil, fmt.Errorf("%q is not a web address starting with https:// or http://", clip(str))
		}
	case FieldChoice:
		if !slices.Contains(f.Options, str) {
			return nil, fmt.Errorf("%q is not one of %s", clip(str), joinQuoted(f.Options))
		}
	case FieldDate:
		if _, err := time.Parse(time.DateOnly, str); err != nil {
			return nil, fmt.Errorf("%q is not a date such as 2023-10-08", clip(str))
		}
	case FieldPerson:
		i := slices.IndexFunc(authors, func(a string) bool { return strings.EqualFold(a, str) })
		if i < 0 {
			return nil, fmt.Errorf("%q is not on the author list", clip(str))
		}
		return authors[i], nil
	}
	return str, nil
}

func (f SubmissionField) number(v any) (any, error) {
	var x float64
	switch n := v.(type) {
	case float64:
		x = n
	case int:
		x = float64(n)
	case int64:
		x = float64(n)
	case json.Number:
		var err error
		if x, err = n.Float64(); err != nil {
			return nil, fmt.Errorf("must be a number")
		}
	default:
		return nil, fmt.Errorf("must be a number")
	}
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return nil, fmt.Errorf("must be a number")
	case f.Integer && x != math.Trunc(x):
		return nil, fmt.Errorf("must be a whole number")
	case f.Min.Set && x < f.Min.V:
		return nil, fmt.Errorf("must be at least %v", f.Min.V)
	case f.Max.Set && x > f.Max.V:
		return nil, fmt.Errorf("must be at most %v", f.Max.V)
	}
	return x, nil
}

func (f SubmissionField) multi(v any) (any, error) {
	var in []string
	switch l := v.(type) {
	case []string:
		in = l
	case []any:
		for _, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("must be a list of options")
			}
			in = append(in, s)
		}
	default:
		return nil, fmt.Errorf("must be a list of options")
	}
	// Stored in the venue's order, each once.
	var out []string
	for _, o := range f.Options {
		if slices.Contains(in, o) {
			out = append(out, o)
		}
	}
	for _, s := range in {
		if !slices.Contains(f.Options, s) {
			return nil, fmt.Errorf("%q is not one of %s", clip(s), joinQuoted(f.Options))
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// clip shortens a quoted answer in a message.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 80 {
		return s
	}
	r := []rune(s)
	return string(r[:79]) + "…"
}

// Text is a stored answer as one line of text (CSV cells, pages): a
// multiple choice joined by "; ", a checkbox "yes", a number without a
// needless fraction.
func (f SubmissionField) Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "yes"
		}
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []string:
		return strings.Join(x, "; ")
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, fmt.Sprint(e))
		}
		return strings.Join(parts, "; ")
	case string:
		return x
	}
	return fmt.Sprint(v)
}
