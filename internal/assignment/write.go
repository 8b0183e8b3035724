package assignment

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteProblem writes pr in the instance format, pairs in their stored
// order, so ReadProblem(WriteProblem(pr)) gives pr back.
func WriteProblem(w io.Writer, pr *Problem) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	buf := make([]byte, 0, 64)
	// bufio.Writer keeps its first error and returns it from every later
	// call, so checking once per line stops a failed write promptly.
	line := func(vals ...int64) error {
		buf = buf[:0]
		for i, v := range vals {
			if i > 0 {
				buf = append(buf, ' ')
			}
			buf = strconv.AppendInt(buf, v, 10)
		}
		buf = append(buf, '\n')
		_, err := bw.Write(buf)
		return err
	}
	err := line(int64(len(pr.Demand)), int64(len(pr.MinLoad)))
	for i := 0; err == nil && i < len(pr.Demand); i++ {
		err = line(int64(pr.Demand[i]))
	}
	for r := 0; err == nil && r < len(pr.MinLoad); r++ {
		err = line(int64(pr.MinLoad[r]), int64(pr.MaxLoad[r]))
	}
	for i := 0; err == nil && i < len(pr.Pairs); i++ {
		a := pr.Pairs[i]
		err = line(int64(a.P), int64(a.R), a.Cost)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("write assignment problem: %w", err)
	}
	return nil
}

// WriteSolution writes the assignment: a first line "# cost C" with the
// total cost, then one "paper reviewer" line per assigned pair.
func WriteSolution(w io.Writer, sol *Solution) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	_, err := fmt.Fprintf(bw, "# cost %d\n", sol.Cost)
	buf := make([]byte, 0, 32)
	for i := 0; err == nil && i < len(sol.Pairs); i++ {
		buf = strconv.AppendInt(buf[:0], int64(sol.Pairs[i].P), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(sol.Pairs[i].R), 10)
		buf = append(buf, '\n')
		_, err = bw.Write(buf)
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		return fmt.Errorf("write assignment: %w", err)
	}
	return nil
}

// ReadSolution reads what WriteSolution wrote. Pairs carry no cost (the
// file has none); cost is the "# cost" header, or 0 with hasCost false when
// it is absent (a hand-written assignment).
func ReadSolution(r io.Reader) (pairs []Pair, cost int64, hasCost bool, err error) {
	lr := newLineReader(r)
	lr.blankEnds = true
	if b, err := lr.br.Peek(1); err == nil && b[0] == '#' {
		lr.line++
		head, err := lr.br.ReadSlice('\n')
		if err != nil && err != io.EOF {
			return nil, 0, false, lr.fail("header line longer than %d bytes", maxLine)
		}
		f := strings.Fields(string(head))
		if len(f) != 3 || f[1] != "cost" {
			return nil, 0, false, lr.fail("expected '# cost C', got %q", truncate(head))
		}
		v, ok := parseInt([]byte(f[2]))
		if !ok {
			return nil, 0, false, lr.fail("cost %q is not an integer", truncate([]byte(f[2])))
		}
		cost, hasCost = v, true
	}
	for {
		f, err := lr.next(2, "'paper reviewer'")
		if err == io.EOF {
			return pairs, cost, hasCost, nil
		}
		if err != nil {
			return nil, 0, false, err
		}
		if f[0] < 0 || f[0] >= MaxPapers || f[1] < 0 || f[1] >= MaxReviewers {
			return nil, 0, false, lr.fail("pair (%d, %d) out of range", f[0], f[1])
		}
		pairs = append(pairs, Pair{P: int32(f[0]), R: int32(f[1])})
	}
}
