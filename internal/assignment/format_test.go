package assignment

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const sample = `3 2
2
1
0
0 3
1 2
0 0 5
0 1 -2
1 1 7
`

func TestReadProblem(t *testing.T) {
	t.Parallel()
	want := &Problem{
		Demand:  []int32{2, 1, 0},
		MinLoad: []int32{0, 1},
		MaxLoad: []int32{3, 2},
		Pairs:   []Pair{{0, 0, 5}, {0, 1, -2}, {1, 1, 7}},
	}
	variants := map[string]string{
		"plain":              sample,
		"crlf":               strings.ReplaceAll(sample, "\n", "\r\n"),
		"no final newline":   strings.TrimSuffix(sample, "\n"),
		"trailing blanks":    sample + "\n  \n\n",
		"tabs and spaces":    strings.ReplaceAll(sample, " ", " \t "),
		"leading plus signs": strings.Replace(sample, "0 0 5", "+0 0 +5", 1),
	}
	for name, in := range variants {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ReadProblem(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestReadProblemErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		line     int
		kind     error
		msg      string
	}{
		{"empty", "", 1, ErrFormat, "unexpected end of file"},
		{"header fields", "3\n", 1, ErrFormat, "1 fields, expected 'papers reviewers'"},
		{"header not a number", "3 x\n", 1, ErrFormat, `"x" is not an integer`},
		{"huge header", "99999999 1\n", 1, ErrInvalidProblem, "want 0..4194304"},
		{"negative header", "-1 1\n", 1, ErrInvalidProblem, "-1 papers"},
		{"truncated papers", "2 1\n1\n", 3, ErrFormat, "expected the number of reviews paper 1 needs"},
		{"negative demand", "1 1\n-1\n0 1\n", 2, ErrInvalidProblem, "paper 0 needs -1 reviews"},
		{"min above max", "1 1\n1\n3 2\n", 3, ErrInvalidProblem, "reviewer 0 has loads 3..2"},
		{"load fields", "1 1\n1\n3\n", 3, ErrFormat, "expected 'minload maxload' of reviewer 0"},
		{"pair fields", "1 1\n1\n0 1\n0 0\n", 4, ErrFormat, "2 fields, expected 'paper reviewer cost'"},
		{"pair too many fields", "1 1\n1\n0 1\n0 0 1 1\n", 4, ErrFormat, "too many fields"},
		{"pair paper out of range", "1 1\n1\n0 1\n0 0 1\n1 0 1\n", 5, ErrInvalidProblem, "pair (1, 0) out of range"},
		{"pair reviewer negative", "1 1\n1\n0 1\n0 -1 1\n", 4, ErrInvalidProblem, "pair (0, -1) out of range"},
		{"cost too large", "1 1\n1\n0 1\n0 0 1000000001\n", 4, ErrInvalidProblem, "cost 1000000001 outside"},
		{"number too long", "1 1\n1\n0 1\n0 0 1234567890123456789\n", 4, ErrFormat, "is not an integer"},
		{"duplicate pair", "1 2\n1\n0 1\n0 1\n0 0 1\n0 1 1\n0 0 4\n", 7, ErrInvalidProblem, "pair (0, 0) already listed on line 5"},
		{"blank line inside", "1 1\n1\n0 1\n\n0 0 1\n", 4, ErrFormat, "blank line before the end"},
		{"blank line in header part", "1 1\n\n1\n0 1\n", 2, ErrFormat, "0 fields"},
		{"line too long", "1 1\n1\n0 1\n" + strings.Repeat(" ", 70000) + "0 0 1\n", 4, ErrFormat, "line longer than"},
		{"garbage bytes", "1 1\n1\n0 1\n0 0 \x00\n", 4, ErrFormat, "is not an integer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadProblem(strings.NewReader(tc.in))
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("want a *LineError, got %v", err)
			}
			if le.Line != tc.line || !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("got line %d %q (%v), want line %d containing %q (%v)", le.Line, err, le.Err, tc.line, tc.msg, tc.kind)
			}
		})
	}
}

func TestProblemRoundTrip(t *testing.T) {
	t.Parallel()
	pr, err := Generate(DLDEConfig(3))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteProblem(&buf, pr); err != nil {
		t.Fatal(err)
	}
	got, err := ReadProblem(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, pr) {
		t.Fatal("problem changed in a write/read round trip")
	}
}

func TestSolutionRoundTrip(t *testing.T) {
	t.Parallel()
	sol := &Solution{Pairs: []Pair{{0, 3, 1}, {2, 1, 4}}, Cost: -17}
	var buf bytes.Buffer
	if err := WriteSolution(&buf, sol); err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != "# cost -17\n0 3\n2 1\n" {
		t.Fatalf("written as %q", got)
	}
	pairs, cost, hasCost, err := ReadSolution(&buf)
	if err != nil || !hasCost || cost != -17 || !reflect.DeepEqual(pairs, []Pair{{P: 0, R: 3}, {P: 2, R: 1}}) {
		t.Fatalf("read back %v %d %v %v", pairs, cost, hasCost, err)
	}
	for _, bad := range []string{"# total 3\n", "# cost x\n", "0\n", "0 1\n\n2 3\n", "0 -1\n"} {
		if _, _, _, err := ReadSolution(strings.NewReader(bad)); !errors.Is(err, ErrFormat) {
			t.Errorf("ReadSolution(%q) = %v, want ErrFormat", bad, err)
		}
	}
}

// The example in docs/assignment-format.md.
func TestDocExample(t *testing.T) {
	t.Parallel()
	pr, err := ReadProblem(strings.NewReader("2 3\n2\n1\n0 2\n0 2\n1 1\n0 0 10\n0 1 3\n0 2 7\n1 0 0\n1 2 5\n"))
	if err != nil {
		t.Fatal(err)
	}
	sol, err := Solve(context.Background(), pr, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Pair{{0, 1, 3}, {0, 2, 7}, {1, 0, 0}}
	if sol.Cost != 10 || !reflect.DeepEqual(sol.Pairs, want) {
		t.Fatalf("got %+v", sol)
	}
}

type failWriter struct{ after int }

func (w *failWriter) Write(p []byte) (int, error) {
	if w.after -= len(p); w.after < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWritersReportErrors(t *testing.T) {
	t.Parallel()
	pr := mustGenerate(t, DLDEConfig(1))
	if err := WriteProblem(&failWriter{after: 1 << 12}, pr); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("WriteProblem: %v", err)
	}
	sol := &Solution{Pairs: make([]Pair, 20000)}
	if err := WriteSolution(&failWriter{after: 1 << 12}, sol); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("WriteSolution: %v", err)
	}
}
