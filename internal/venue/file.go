package venue

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// ErrInvalidSettings is wrapped by every rejection of a venue file or value.
var ErrInvalidSettings = errors.New("invalid venue settings")

// Problem is one thing wrong with a venue, located by its path in the file
// (deadlines.decision, tracks[1].reviews_per_paper) and, when the settings
// came from a file, its line there (0 otherwise).
type Problem struct {
	Path    string `json:"path"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// InvalidError carries every problem of a rejected venue.
type InvalidError struct {
	Problems []Problem
}

func (e *InvalidError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = "  " + p.String()
	}
	return fmt.Sprintf("%s: %d problem(s):\n%s", ErrInvalidSettings, len(e.Problems), strings.Join(lines, "\n"))
}

func (e *InvalidError) Unwrap() error { return ErrInvalidSettings }

// Parse reads a venue file. A file with any problem is rejected whole:
// Parse then returns nil settings, every problem found (syntax, unknown
// fields, types, and every rule of Validate) and an *InvalidError.
func Parse(data []byte) (*Settings, []Problem, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if errors.Is(err, io.EOF) {
			msg = "the file is empty"
		}
		line := syntaxLine(msg)
		if line > 0 {
			_, msg, _ = strings.Cut(msg, ": ")
		}
		return fail([]Problem{{Message: msg, Line: line}})
	}
	if len(doc.Content) == 0 {
		return fail([]Problem{{Message: "the file is empty"}})
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return fail([]Problem{{Line: extra.Line, Message: "a venue file holds one YAML document; found a second"}})
	}
	st := &decodeState{lines: map[string]int{}}
	var s Settings
	st.decodeStruct(doc.Content[0], &s, "")
	if len(st.problems) > 0 && st.problems[0].Path == "" {
		return fail(st.problems) // not a mapping: the rules would only add noise
	}
	if len(st.problems) > 0 {
		// Go on to Validate anyway, so the chair sees every problem in one go;
		// skip rule problems on a path that already failed to decode, which
		// would only restate it ("required" after "not a whole number").
		bad := map[string]bool{}
		for _, p := range st.problems {
			bad[p.Path] = true
		}
		for _, p := range s.Validate() {
			if !bad[p.Path] {
				p.Line = st.lineOf(p.Path)
				st.problems = append(st.problems, p)
			}
		}
		return fail(st.problems)
	}
	if probs := s.Validate(); len(probs) > 0 {
		for i := range probs {
			probs[i].Line = st.lineOf(probs[i].Path)
		}
		return fail(probs)
	}
	return &s, nil, nil
}

func fail(probs []Problem) (*Settings, []Problem, error) {
	// In file order, so a chair can fix them top to bottom.
	slices.SortStableFunc(probs, func(a, b Problem) int { return a.Line - b.Line })
	return nil, probs, &InvalidError{Problems: probs}
}

func syntaxLine(msg string) int {
	var line int
	if _, err := fmt.Sscanf(msg, "line %d:", &line); err == nil {
		return line
	}
	return 0
}

// Export writes s in the form Parse reads, such that Parse(Export(s))
// equals s: deadlines as "2023-10-08 AoE" when they are the end of an AoE
// day and RFC 3339 UTC otherwise, grace windows included (the file is the
// chairs' own).
func Export(s *Settings) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(s); err != nil {
		return nil, fmt.Errorf("export venue %s: %w", s.Slug, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("export venue %s: %w", s.Slug, err)
	}
	return buf.Bytes(), nil
}

// trimSentinel drops the sentinel prefix from a wrapped error, for problems
// whose path already says what was bad.
func trimSentinel(err error) string {
	msg := err.Error()
	for _, s := range []error{ErrBadInstant, ErrBadZone} {
		msg = strings.TrimPrefix(msg, s.Error()+": ")
	}
	return msg
}
