package venue

import (
	"reflect"
	"strings"
	"testing"
)

func demoSettings(t *testing.T) *Settings {
	t.Helper()
	s, probs, err := Parse(DemoYAML())
	if err != nil || len(probs) > 0 {
		t.Fatalf("demo: %v %v", err, probs)
	}
	return s
}

func TestDemoAsksPublishedWorkWhereItAppeared(t *testing.T) {
	t.Parallel()
	s := demoSettings(t)
	keys := func(fs []SubmissionField) []string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Key)
		}
		return out
	}
	if got, want := keys(s.SubmissionFieldsFor("recently-published")), []string{"published_venue", "published_year", "published_link", "topic_group", "tldr", "code", "reviewing_author"}; !reflect.DeepEqual(got, want) {
		t.Errorf("recently published asks %v, want %v", got, want)
	}
	if got, want := keys(s.SubmissionFieldsFor("new-work")), []string{"topic_group", "tldr", "code", "reviewing_author"}; !reflect.DeepEqual(got, want) {
		t.Errorf("new work asks %v, want %v", got, want)
	}
	vis := map[FieldVisibility]bool{}
	for _, f := range s.SubmissionFields {
		vis[f.Visibility] = true
	}
	for _, v := range FieldVisibilities {
		if !vis[v] {
			t.Errorf("the demo has no field visible to %s: the pages and the leak sweep would not show it", v)
		}
	}
}

func TestSubmissionFieldDeclarations(t *testing.T) {
	t.Parallel()
	one, two := NewBound(1), NewBound(2)
	cases := []struct {
		name string
		f    SubmissionField
		path string // "" when valid
		msg  string
	}{
		{"text", SubmissionField{Key: "tldr", Label: "TL;DR", Kind: FieldText, Visibility: FieldPublic, MaxChars: 100}, "", ""},
		{"choice", SubmissionField{Key: "area", Label: "Area", Kind: FieldChoice, Visibility: FieldForReviewers, Options: []string{"a", "b"}}, "", ""},
		{"number", SubmissionField{Key: "year", Label: "Year", Kind: FieldNumber, Visibility: FieldChairsOnly, Min: one, Max: two, Integer: true}, "", ""},
		{"bad key", SubmissionField{Key: "Bad Key", Label: "x", Kind: FieldText, Visibility: FieldChairsOnly}, "submission_fields[0].key", "lower-case"},
		{"no label", SubmissionField{Key: "x", Kind: FieldText, Visibility: FieldChairsOnly}, "submission_fields[0].label", "required"},
		{"kind", SubmissionField{Key: "x", Label: "x", Kind: "file", Visibility: FieldChairsOnly}, "submission_fields[0].kind", `"file" is not one of`},
		{"visibility", SubmissionField{Key: "x", Label: "x", Kind: FieldText, Visibility: "authors"}, "submission_fields[0].visibility", `"authors" is not one of`},
		{"track", SubmissionField{Key: "x", Label: "x", Kind: FieldText, Visibility: FieldChairsOnly, Tracks: []string{"posters"}}, "submission_fields[0].tracks[0]", "not a track"},
		{"one option", SubmissionField{Key: "x", Label: "x", Kind: FieldMulti, Visibility: FieldChairsOnly, Options: []string{"a"}}, "submission_fields[0].options", "at least two"},
		{"options of text", SubmissionField{Key: "x", Label: "x", Kind: FieldText, Visibility: FieldChairsOnly, Options: []string{"a", "b"}}, "submission_fields[0].options", "only a choice"},
		{"option twice", SubmissionField{Key: "x", Label: "x", Kind: FieldChoice, Visibility: FieldChairsOnly, Options: []string{"a", "a"}}, "submission_fields[0].options[1]", "twice"},
		{"max chars of url", SubmissionField{Key: "x", Label: "x", Kind: FieldURL, Visibility: FieldChairsOnly, MaxChars: 3}, "submission_fields[0].max_chars", "only to text"},
		{"min of date", SubmissionField{Key: "x", Label: "x", Kind: FieldDate, Visibility: FieldChairsOnly, Min: one}, "submission_fields[0]", "only to number"},
		{"min over max", SubmissionField{Key: "x", Label: "x", Kind: FieldNumber, Visibility: FieldChairsOnly, Min: two, Max: one}, "submission_fields[0].min", "must not exceed"},
	}
	demo := demoSettings(t)
	for _, c := range cases {
		s := *demo
		s.SubmissionFields = []SubmissionField{c.f}
		var found []Problem
		for _, p := range s.Validate() {
			if strings.HasPrefix(p.Path, "submission_fields") {
				found = append(found, p)
			}
		}
		switch {
		case c.path == "" && len(found) > 0:
			t.Errorf("%s: valid, got %v", c.name, found)
		case c.path != "" && (len(found) != 1 || found[0].Path != c.path || !strings.Contains(found[0].Message, c.msg)):
			t.Errorf("%s: want %s %q, got %v", c.name, c.path, c.msg, found)
		}
	}
	s := *demo
	s.SubmissionFields = append(s.SubmissionFields, s.SubmissionFields[0])
	if ps := s.Validate(); len(ps) != 1 || !strings.Contains(ps[0].Message, "already used") {
		t.Errorf("a key twice: %v", ps)
	}
}

func TestSubmissionFieldAnswers(t *testing.T) {
	t.Parallel()
	one, ten := NewBound(1), NewBound(10)
	s := demoSettings(t)
	s.SubmissionFields = []SubmissionField{
		{Key: "line", Label: "Line", Kind: FieldText, MaxChars: 5, Visibility: FieldForReviewers},
		{Key: "md", Label: "Markdown", Kind: FieldLongText, Visibility: FieldForReviewers},
		{Key: "link", Label: "Link", Kind: FieldURL, Visibility: FieldChairsOnly, Required: true},
		{Key: "pick", Label: "Pick", Kind: FieldChoice, Options: []string{"a", "b"}, Visibility: FieldChairsOnly},
		{Key: "picks", Label: "Picks", Kind: FieldMulti, Options: []string{"a", "b", "c"}, Visibility: FieldChairsOnly},
		{Key: "consent", Label: "Consent", Kind: FieldCheckbox, Visibility: FieldChairsOnly, Required: true},
		{Key: "n", Label: "N", Kind: FieldNumber, Min: one, Max: ten, Integer: true, Visibility: FieldChairsOnly},
		{Key: "day", Label: "Day", Kind: FieldDate, Visibility: FieldChairsOnly},
		{Key: "who", Label: "Who", Kind: FieldPerson, Visibility: FieldChairsOnly},
		{Key: "pub", Label: "Published", Kind: FieldText, Visibility: FieldChairsOnly, Tracks: []string{"recently-published"}, Required: true},
	}
	authors := []string{"Ada@uni.example", "bob@lab.example"}
	good := map[string]any{"line": "  a  b ", "md": "*x*\n\ny", "link": "https://example.org/p", "pick": "b", "picks": []any{"c", "a"},
		"consent": true, "n": 3.0, "day": "2023-10-08", "who": "ada@UNI.example"}
	got, ps := s.CheckSubmissionFields("new-work", good, authors)
	if len(ps) > 0 {
		t.Fatalf("good answers refused: %v", ps)
	}
	want := map[string]any{"line": "a b", "md": "*x*\n\ny", "link": "https://example.org/p", "pick": "b", "picks": []string{"a", "c"},
		"consent": true, "n": 3.0, "day": "2023-10-08", "who": "Ada@uni.example"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored %#v, want %#v", got, want)
	}
	// Empty answers are no answers: the optional ones are left out, the
	// required ones named.
	got, ps = s.CheckSubmissionFields("new-work", map[string]any{"line": " ", "consent": false, "picks": []any{}, "link": "http://x.example"}, authors)
	if len(ps) != 1 || ps[0].Field != "fields.consent" || ps[0].Message != "must be ticked" || len(got) != 1 {
		t.Errorf("empty answers: %v %v", got, ps)
	}
	bad := []struct {
		key   string
		value any
		msg   string
	}{
		{"line", "abcdef", "is 6 characters; at most 5"},
		{"line", 3.0, "must be a string"},
		{"link", "example.org", "not a web address"},
		{"link", "javascript:alert(1)", "not a web address"},
		{"pick", "z", `"z" is not one of "a", "b"`},
		{"picks", []any{"a", "z"}, `"z" is not one of`},
		{"picks", "a", "must be a list"},
		{"consent", "yes", "must be true or false"},
		{"n", 0.0, "must be at least 1"},
		{"n", 11.0, "must be at most 10"},
		{"n", 2.5, "whole number"},
		{"n", "3", "must be a number"},
		{"day", "08/10/2023", "not a date"},
		{"who", "eve@elsewhere.example", "not on the author list"},
		{"pub", "Nature", `not asked of the track "new-work"`},
		{"nope", "x", "not a field of this venue"},
	}
	for _, b := range bad {
		in := map[string]any{"link": "https://example.org", "consent": true, b.key: b.value}
		_, ps := s.CheckSubmissionFields("new-work", in, authors)
		if len(ps) != 1 || ps[0].Field != "fields."+b.key || !strings.Contains(ps[0].Message, b.msg) {
			t.Errorf("%s = %v: want fields.%s %q, got %v", b.key, b.value, b.key, b.msg, ps)
		}
	}
	_, ps = s.CheckSubmissionFields("recently-published", map[string]any{"link": "https://example.org", "consent": true}, authors)
	if len(ps) != 1 || ps[0].Field != "fields.pub" || ps[0].Message != "is required" {
		t.Errorf("the track's required field: %v", ps)
	}
	if got := s.SubmissionFields[4].Text([]string{"a", "c"}); got != "a; c" {
		t.Errorf("text of a multiple choice: %q", got)
	}
	if got := s.SubmissionFields[6].Text(2023.0); got != "2023" {
		t.Errorf("text of a number: %q", got)
	}
}

func TestReciprocalRule(t *testing.T) {
	t.Parallel()
	demo := demoSettings(t)
	if r := demo.ReciprocalReviewing; !r.On() || r.Field != "reviewing_author" || r.Load(3) != 3 {
		t.Fatalf("the demo's rule: %+v", r)
	}
	cases := []struct {
		name string
		rule Reciprocal
		msg  string // "" when valid
	}{
		{"off", Reciprocal{}, ""},
		{"two per paper", Reciprocal{Field: "reviewing_author", LoadPerPaper: 2}, ""},
		{"unknown field", Reciprocal{Field: "nominee"}, `"nominee" is not a key`},
		{"not a person", Reciprocal{Field: "tldr"}, "a text field; the nominee is chosen in a person field"},
		{"one track", Reciprocal{Field: "published_venue"}, "a text field"},
		{"load without field", Reciprocal{LoadPerPaper: 1}, "required with a load"},
		{"negative", Reciprocal{Field: "reviewing_author", LoadPerPaper: -1}, "must not be negative"},
	}
	for _, c := range cases {
		s := *demo
		s.ReciprocalReviewing = c.rule
		var found []Problem
		for _, p := range s.Validate() {
			if strings.HasPrefix(p.Path, "reciprocal_reviewing") {
				found = append(found, p)
			}
		}
		switch {
		case c.msg == "" && len(found) > 0:
			t.Errorf("%s: valid, got %v", c.name, found)
		case c.msg != "" && (len(found) != 1 || !strings.Contains(found[0].Message, c.msg)):
			t.Errorf("%s: want %q, got %v", c.name, c.msg, found)
		}
	}
	s := *demo
	s.SubmissionFields = append([]SubmissionField{}, demo.SubmissionFields...)
	s.SubmissionFields[len(s.SubmissionFields)-1].Tracks = []string{"new-work"}
	if ps := s.Validate(); len(ps) != 1 || !strings.Contains(ps[0].Message, "asked of every track") {
		t.Errorf("a nominee asked of one track: %v", ps)
	}
}
