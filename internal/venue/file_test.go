package venue

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestExportRoundTripsDemo(t *testing.T) {
	t.Parallel()
	s := demo(t)
	out, err := Export(s)
	if err != nil {
		t.Fatal(err)
	}
	back, probs, err := Parse(out)
	if err != nil {
		t.Fatalf("re-import: %v\n%s", err, out)
	}
	if len(probs) != 0 {
		t.Fatalf("problems on re-import: %v", probs)
	}
	if !reflect.DeepEqual(s, back) {
		t.Fatalf("round trip changed the venue:\nexported:\n%s\nbefore: %+v\nafter:  %+v", out, s, back)
	}
	again, err := Export(back)
	if err != nil || string(again) != string(out) {
		t.Fatalf("second export differs (err %v):\n%s\n---\n%s", err, out, again)
	}
	for _, want := range []string{
		"submission_opens: \"2023-09-01T12:00:00Z\"\n",
		"  submission:\n    at: 2023-10-08 AoE\n    grace: 30m\n",
		"  decision: 2023-10-24 AoE\n",
		"max_upload_bytes: 10 MiB\n",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("export lacks %q:\n%s", want, out)
		}
	}
}

func TestExportRoundTripsOtherForms(t *testing.T) {
	t.Parallel()
	s := demo(t)
	la, _ := time.LoadLocation("America/Los_Angeles")
	s.Deadlines.Review = Deadline{At: time.Date(2023, 10, 18, 23, 59, 0, 0, la)}
	s.Deadlines.Decision = Deadline{At: utc(2023, 10, 25, 11, 59, 59), Grace: 90 * time.Minute}
	s.Deadlines.Bidding = Deadline{}
	s.Pages.MaxUploadBytes = 1234567
	s.Keywords = nil
	s.Reminders = nil // they name the bidding deadline
	out, err := Export(s)
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := Parse(out)
	if err != nil {
		t.Fatalf("re-import: %v\n%s", err, out)
	}
	// Instants compare by value: the export is in UTC, the input was not.
	if !back.Deadlines.Review.At.Equal(s.Deadlines.Review.At) {
		t.Errorf("review %v, want %v", back.Deadlines.Review.At, s.Deadlines.Review.At)
	}
	s.Deadlines.Review.At = s.Deadlines.Review.At.UTC()
	if !reflect.DeepEqual(s, back) {
		t.Fatalf("round trip changed the venue:\n%s", out)
	}
	if !strings.Contains(string(out), "grace: 1h30m") || strings.Contains(string(out), "bidding") {
		t.Errorf("unexpected export:\n%s", out)
	}
}

func TestPublicHidesGrace(t *testing.T) {
	t.Parallel()
	s := demo(t)
	p := s.Public()
	if p.Deadlines.Submission.Grace != 0 || !p.Deadlines.Submission.At.Equal(s.Deadlines.Submission.At) {
		t.Errorf("public submission deadline = %+v", p.Deadlines.Submission)
	}
	if s.Deadlines.Submission.Grace != 30*time.Minute {
		t.Errorf("Public changed the original: %+v", s.Deadlines.Submission)
	}
	out, _ := Export(p)
	if strings.Contains(string(out), "grace") {
		t.Errorf("public export shows a grace:\n%s", out)
	}
}

// edit replaces one exact line-prefixed text of the demo file.
func edit(t *testing.T, old, new string) []byte {
	t.Helper()
	src := string(DemoYAML())
	if strings.Count(src, old) != 1 {
		t.Fatalf("demo file has %d copies of %q", strings.Count(src, old), old)
	}
	return []byte(strings.Replace(src, old, new, 1))
}

type wantProblem struct {
	path    string
	at      string // the problem's line is the first line holding this text; "" skips the check
	message string
}

func lineOf(data []byte, text string) int {
	i := strings.Index(string(data), text)
	if i < 0 {
		return -1
	}
	return strings.Count(string(data[:i]), "\n") + 1
}

func checkProblems(t *testing.T, data []byte, want []wantProblem) {
	t.Helper()
	s, probs, err := Parse(data)
	if s != nil {
		t.Errorf("Parse returned settings for a bad file")
	}
	var inv *InvalidError
	if !errors.Is(err, ErrInvalidSettings) || !errors.As(err, &inv) || !reflect.DeepEqual(inv.Problems, probs) {
		t.Fatalf("err = %v, want *InvalidError with the problems", err)
	}
	if len(probs) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(probs), len(want), err)
	}
	for _, w := range want {
		found := false
		for _, p := range probs {
			if p.Path == w.path && strings.Contains(p.Message, w.message) && (w.at == "" || p.Line == lineOf(data, w.at)) {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem at %s (line %d) mentioning %q in:\n%s", w.path, lineOf(data, w.at), w.message, err)
		}
	}
}

func TestParseListsEveryProblem(t *testing.T) {
	t.Parallel()
	data := []byte(`slug: DLDE 2023
name: DLDE III
colour: blue
time_zone: PST
deadlines:
  submission: 2023-10-08 AoE
  review: 2023-10-18 AoE
  decision: 2023-10-01 AoE
pages:
  limit: -4
  max_upload_bytes: 10 MiB
  excluded: [references, bibliography]
tracks:
  - key: new-work
    name: New work
    reviews_per_paper: three
  - key: new-work
    name: ""
    reviews_per_paper: 0
    reviewers: 3
review_form:
  - key: overall
    label: Overall
    kind: stars
    visibility: everyone
decisions:
  - {key: accept, label: Accept, accept: true, presentation: poster}
  - {key: reject, label: Reject, accept: false, presentation: poster}
reviewer_load: {min: 7, max: 6}
`)
	checkProblems(t, data, []wantProblem{
		{"slug", "slug:", "lower-case"},
		{"colour", "colour", `unknown field "colour"`},
		{"time_zone", "time_zone", `"PST"`},
		{"deadlines.decision", "decision:", "must be after deadlines.submission (2023-10-08 AoE)"},
		{"pages.limit", "limit: -4", "must not be negative"},
		{"pages.excluded[1]", "excluded:", `"bibliography" is not one of`},
		{"tracks[0].reviews_per_paper", "three", `whole number, not "three"`},
		{"tracks[1].key", "  - key: new-work\n    name: \"\"", `already used by tracks[0]`},
		{"tracks[1].name", "name: \"\"", "required"},
		{"tracks[1].reviews_per_paper", "reviews_per_paper: 0", "at least 1"},
		{"tracks[1].reviewers", "reviewers: 3", `unknown field "reviewers"`},
		{"review_form[0].kind", "stars", `"stars" is not one of`},
		{"review_form[0].visibility", "everyone", `"everyone" is not one of`},
		{"decisions[1].presentation", "{key: reject", "use none"},
		{"reviewer_load.min", "reviewer_load", "must not exceed reviewer_load.max (6)"},
	})
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		want []wantProblem
	}{
		{"decision before submission", func(t *testing.T) []byte {
			return edit(t, "decision: 2023-10-24 AoE", "decision: 2023-10-07 AoE")
		}, []wantProblem{{"deadlines.decision", "decision: 2023-10-07", "must be after deadlines.submission (2023-10-08 AoE)"}}},
		{"review before bidding", func(t *testing.T) []byte {
			return edit(t, "review: 2023-10-18 AoE", "review: 2023-10-10 AoE")
		}, []wantProblem{
			{"deadlines.review", "review: 2023-10-10", "must be after deadlines.bidding (2023-10-11 AoE)"},
		}},
		{"unknown nested field", func(t *testing.T) []byte {
			return edit(t, "    grace: 30m\n", "    grace: 30m\n    hidden: true\n")
		}, []wantProblem{{"deadlines.submission.hidden", "hidden:", `unknown field "hidden"`}}},
		{"bad deadline text", func(t *testing.T) []byte {
			return edit(t, "bidding: 2023-10-11 AoE", "bidding: 2023-10-11")
		}, []wantProblem{{"deadlines.bidding", "bidding:", "no time zone"}}},
		{"decision mail with an unknown placeholder", func(t *testing.T) []byte {
			return edit(t, "    label: Reject\n", "    label: Reject\n    mail: \"Subject: {{.Title}}\\n\\nDear {{.Nom}}\"\n")
		}, []wantProblem{{"decisions[2].mail", "mail:", "there is no placeholder .Nom"}}},
		{"decision mail without a subject", func(t *testing.T) []byte {
			return edit(t, "    label: Reject\n", "    label: Reject\n    mail: \"Dear {{.Name}}\"\n")
		}, []wantProblem{{"decisions[2].mail", "mail:", "Subject"}}},
		{"bad grace", func(t *testing.T) []byte {
			return edit(t, "grace: 30m", "grace: -30m")
		}, []wantProblem{{"deadlines.submission.grace", "grace:", "must not be negative"}}},
		{"grace too long", func(t *testing.T) []byte {
			return edit(t, "grace: 30m", "grace: 48h")
		}, []wantProblem{{"deadlines.submission.grace", "grace:", "at most 24h"}}},
		{"missing deadline", func(t *testing.T) []byte {
			return edit(t, "  review: 2023-10-18 AoE\n", "")
		}, []wantProblem{{"deadlines.review", "deadlines:", "required"}}},
		{"bad zone", func(t *testing.T) []byte {
			return edit(t, "time_zone: America/Chicago", "time_zone: America/New_Orleans")
		}, []wantProblem{{"time_zone", "time_zone:", "not an IANA time zone"}}},
		{"negative limits", func(t *testing.T) []byte {
			return edit(t, "  max_upload_bytes: 10 MiB\n  supplementary_max_bytes: 50 MiB\n",
				"  max_upload_bytes: 0\n  supplementary_max_bytes: -1\n  max_pages: -2\n  camera_ready_limit: -1\n")
		}, []wantProblem{
			{"pages.max_upload_bytes", "max_upload_bytes", "must be positive"},
			{"pages.supplementary_max_bytes", "supplementary_max_bytes", "must not be negative"},
			{"pages.max_pages", "max_pages", "must not be negative"},
			{"pages.camera_ready_limit", "camera_ready_limit", "must not be negative"},
		}},
		{"bad size", func(t *testing.T) []byte {
			return edit(t, "max_upload_bytes: 10 MiB", "max_upload_bytes: ten megabytes")
		}, []wantProblem{{"pages.max_upload_bytes", "max_upload_bytes", "not a size"}}},
		{"unordered scale", func(t *testing.T) []byte {
			return edit(t, "{value: 2, label: Reject}", "{value: 1, label: Reject}")
		}, []wantProblem{{"review_form[0].points[1].value", "{value: 1, label: Reject}", "greater than the point before (1)"}}},
		{"text field with points", func(t *testing.T) []byte {
			return edit(t, "    visibility: chairs_only\n", "    visibility: chairs_only\n    points: [{value: 1, label: x}]\n")
		}, []wantProblem{{"review_form[5].points", "points: [{value: 1, label: x}]", "no points"}}},
		{"duplicate keyword", func(t *testing.T) []byte {
			return edit(t, "  - hypersolvers\n", "  - hypersolvers\n  - Hypersolvers\n")
		}, []wantProblem{{"keywords[8]", "Hypersolvers", `already used by keywords[7]`}}},
		{"wrong type for a list", func(t *testing.T) []byte {
			return edit(t, "sizes: [letter]", "sizes: letter")
		}, []wantProblem{{"pages.sizes", "sizes:", "must be a list"}}},
		{"only accepting decisions", func(t *testing.T) []byte {
			return edit(t, "    accept: false\n", "    accept: true\n")
		}, []wantProblem{
			{"decisions", "decisions:", "at least one category must reject"},
		}},
		{"key given twice", func(t *testing.T) []byte {
			return edit(t, "abstract_max_chars: 2000\n", "abstract_max_chars: 2000\nabstract_max_chars: 3000\n")
		}, nil}, // yaml.v3 itself refuses duplicate keys: checked below
		{"unknown anchor", func(t *testing.T) []byte {
			return edit(t, "location: New Orleans, in person, with a virtual option", "location: *kw")
		}, nil},
		{"alias use", func(t *testing.T) []byte {
			return edit(t, "keywords:\n  - neural differential equations\n", "keywords:\n  - &kw neural differential equations\n  - *kw\n")
		}, []wantProblem{{"keywords[1]", "- *kw", "aliases"}}},
		{"empty", func(*testing.T) []byte { return []byte("# nothing\n") }, []wantProblem{{"", "", "empty"}}},
		{"not a mapping", func(*testing.T) []byte { return []byte("- a\n- b\n") }, []wantProblem{{"", "- a", "must be a mapping"}}},
		{"syntax error", func(*testing.T) []byte { return []byte("slug: a\n\tname: x\n") }, []wantProblem{{"", "\tname", "tab character"}}},
		{"two documents", func(t *testing.T) []byte { return append(DemoYAML(), "---\nslug: other\n"...) }, []wantProblem{{"", "---", "second"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := tt.data(t)
			if tt.want == nil {
				if _, _, err := Parse(data); !errors.Is(err, ErrInvalidSettings) {
					t.Fatalf("err = %v, want ErrInvalidSettings", err)
				}
				return
			}
			checkProblems(t, data, tt.want)
		})
	}
}

func TestValidateAgainstPool(t *testing.T) {
	t.Parallel()
	s := demo(t)
	tests := []struct {
		reviewers int
		want      []string
	}{
		{0, []string{"tracks[0].reviews_per_paper", "tracks[1].reviews_per_paper"}},
		{2, []string{"tracks[0].reviews_per_paper"}},
		{3, nil},
		{40, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range s.ValidateAgainstPool(tt.reviewers) {
			got = append(got, p.Path)
			if !strings.Contains(p.Message, fmt.Sprintf("the pool has %d", tt.reviewers)) {
				t.Errorf("message %q lacks the pool size", p.Message)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ValidateAgainstPool(%d) paths = %v, want %v", tt.reviewers, got, tt.want)
		}
	}
}

func TestValidateCapacity(t *testing.T) {
	t.Parallel()
	s := demo(t) // max load 6
	tests := []struct {
		papers    map[string]int
		reviewers int
		want      []string
	}{
		{map[string]int{"new-work": 20, "recently-published": 6}, 11, nil},                           // 66 <= 66
		{map[string]int{"new-work": 20, "recently-published": 7}, 11, []string{"reviewer_load.max"}}, // 67 > 66
		{map[string]int{"new-work": 1}, 2, []string{"tracks[0].reviews_per_paper"}},
		{map[string]int{"other": 100}, 3, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range s.ValidateCapacity(tt.papers, tt.reviewers) {
			got = append(got, p.Path)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ValidateCapacity(%v, %d) = %v, want %v", tt.papers, tt.reviewers, got, tt.want)
		}
	}
}

func TestValidateBuiltInCode(t *testing.T) {
	t.Parallel()
	var s Settings
	var paths []string
	for _, p := range s.Validate() {
		if p.Line != 0 {
			t.Errorf("a problem without a file has a line: %v", p)
		}
		paths = append(paths, p.Path)
	}
	want := []string{"slug", "name", "time_zone", "deadlines.submission", "deadlines.review", "deadlines.decision",
		"pages.max_upload_bytes", "tracks", "review_form", "decisions", "decisions", "reviewer_load.max"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("zero Settings problems = %v, want %v", paths, want)
	}
}
