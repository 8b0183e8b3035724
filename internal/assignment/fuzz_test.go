package assignment

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"testing"
)

// FuzzReadProblem checks that any input either fails with a line-numbered
// error or yields a valid problem that survives a write/read round trip
// and, when small, solves to a verified assignment or an explanation.
func FuzzReadProblem(f *testing.F) {
	f.Add([]byte(sample))
	f.Add([]byte("0 0\n"))
	f.Add([]byte("1 1\n1\n0 1\n0 0 1\n0 0 1\n"))
	f.Add([]byte("2 2\n2\n1\n1 2\n0 1\n0 0 3\n0 1 -1\n1 1 0\n1 0 2\n"))
	f.Add([]byte("1 1\n1\n2 2\n0 0 1\n"))
	f.Add([]byte("1 2\r\n1\r\n0 1\r\n0 1\r\n0 0 9\r\n0 1 9"))
	f.Fuzz(func(t *testing.T, in []byte) {
		pr, err := ReadProblem(bytes.NewReader(in))
		if err != nil {
			var le *LineError
			if !errors.As(err, &le) || le.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		if err := pr.Validate(); err != nil {
			t.Fatalf("parsed problem does not validate: %v", err)
		}
		var buf bytes.Buffer
		if err := WriteProblem(&buf, pr); err != nil {
			t.Fatal(err)
		}
		again, err := ReadProblem(&buf)
		if err != nil || !reflect.DeepEqual(again, pr) {
			t.Fatalf("round trip: %v", err)
		}
		if len(pr.Pairs) > 300 || len(pr.Demand)+len(pr.MinLoad) > 300 {
			return
		}
		sol, err := Solve(context.Background(), pr, nil)
		if err != nil {
			if !errors.Is(err, ErrInfeasible) {
				t.Fatalf("solve: %v", err)
			}
			return
		}
		verify(t, pr, sol)
	})
}
