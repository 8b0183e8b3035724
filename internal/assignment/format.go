package assignment

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrFormat marks a malformed instance or solution file.
var ErrFormat = errors.New("assignment format")

// maxLine bounds one line of input, so a file without newlines cannot make
// the reader buffer without limit.
const maxLine = 4096

// LineError names the line (1-based) where parsing failed.
type LineError struct {
	Line int
	Msg  string
	Err  error // ErrFormat, or ErrInvalidProblem for a well-formed but invalid value
}

func (e *LineError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func (e *LineError) Unwrap() error { return e.Err }

// lineReader yields lines without their terminator ("\n" or "\r\n") and
// splits them into integer fields without allocating.
type lineReader struct {
	br     *bufio.Reader
	line   int
	fields [4]int64
	// blankEnds makes a blank line acceptable when only blank lines follow
	// it; next then returns io.EOF.
	blankEnds bool
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 1<<16)}
}

// next reads the next line and parses exactly want integers from it.
// what describes the expected content for error messages.
func (lr *lineReader) next(want int, what string) ([]int64, error) {
	lr.line++
	b, err := lr.br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) || len(b) > maxLine {
		return nil, lr.fail("line longer than %d bytes", maxLine)
	}
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("line %d: %w", lr.line, err)
	}
	if err == io.EOF && len(b) == 0 && !lr.blankEnds {
		return nil, lr.fail("unexpected end of file, expected %s", what)
	}
	n := 0
	i := 0
	for {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
			i++
		}
		if i == len(b) {
			break
		}
		j := i
		for j < len(b) && b[j] != ' ' && b[j] != '\t' && b[j] != '\r' && b[j] != '\n' {
			j++
		}
		if n == want {
			return nil, lr.fail("too many fields, expected %s", what)
		}
		v, ok := parseInt(b[i:j])
		if !ok {
			return nil, lr.fail("%q is not an integer, expected %s", truncate(b[i:j]), what)
		}
		lr.fields[n] = v
		n++
		i = j
	}
	if n == 0 && err == io.EOF && lr.blankEnds {
		return nil, io.EOF
	}
	if n == 0 && lr.blankEnds {
		blank := lr.line
		end, err := lr.atEOF()
		if err != nil {
			return nil, err
		}
		if end {
			return nil, io.EOF
		}
		lr.line = blank
		return nil, lr.fail("blank line before the end of the file, expected %s", what)
	}
	if n != want {
		return nil, lr.fail("%d fields, expected %s", n, what)
	}
	return lr.fields[:n], nil
}

func (lr *lineReader) fail(format string, args ...any) error {
	return &LineError{Line: lr.line, Msg: fmt.Sprintf(format, args...), Err: ErrFormat}
}

// atEOF reports whether only blank space remains.
func (lr *lineReader) atEOF() (bool, error) {
	for {
		c, err := lr.br.ReadByte()
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return false, err
		}
		switch c {
		case ' ', '\t', '\r':
		case '\n':
			lr.line++
		default:
			return false, lr.br.UnreadByte()
		}
	}
}

// parseInt accepts an optional sign and up to 18 digits, which is enough
// for every bounded field and cannot overflow.
func parseInt(b []byte) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '-' || b[0] == '+') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

func truncate(b []byte) string {
	if len(b) > 20 {
		return string(b[:20]) + "..."
	}
	return string(b)
}

// ReadProblem parses the plain-text instance format (docs/assignment-format.md).
// Errors are *LineError values wrapping ErrFormat or ErrInvalidProblem.
func ReadProblem(r io.Reader) (*Problem, error) {
	lr := newLineReader(r)
	f, err := lr.next(2, "'papers reviewers'")
	if err != nil {
		return nil, err
	}
	np, nr := f[0], f[1]
	if np < 0 || np > MaxPapers || nr < 0 || nr > MaxReviewers {
		return nil, &LineError{Line: 1, Msg: fmt.Sprintf("%d papers and %d reviewers, want 0..%d each", np, nr, MaxPapers), Err: ErrInvalidProblem}
	}
	// Grow with the lines actually read, so a short file claiming millions
	// of papers costs nothing.
	const prealloc = 1 << 16
	pr := &Problem{
		Demand:  make([]int32, 0, min(np, prealloc)),
		MinLoad: make([]int32, 0, min(nr, prealloc)),
		MaxLoad: make([]int32, 0, min(nr, prealloc)),
	}
	invalid := func(format string, args ...any) error {
		return &LineError{Line: lr.line, Msg: fmt.Sprintf(format, args...), Err: ErrInvalidProblem}
	}
	for p := range int(np) {
		f, err := lr.next(1, fmt.Sprintf("the number of reviews paper %d needs", p))
		if err != nil {
			return nil, err
		}
		if f[0] < 0 || f[0] > MaxCount {
			return nil, invalid("paper %d needs %d reviews, want 0..%d", p, f[0], MaxCount)
		}
		pr.Demand = append(pr.Demand, int32(f[0]))
	}
	for r := range int(nr) {
		f, err := lr.next(2, fmt.Sprintf("'minload maxload' of reviewer %d", r))
		if err != nil {
			return nil, err
		}
		if f[0] < 0 || f[0] > f[1] || f[1] > MaxCount {
			return nil, invalid("reviewer %d has loads %d..%d, want 0 <= minload <= maxload <= %d", r, f[0], f[1], MaxCount)
		}
		pr.MinLoad = append(pr.MinLoad, int32(f[0]))
		pr.MaxLoad = append(pr.MaxLoad, int32(f[1]))
	}
	first := lr.line + 1
	lr.blankEnds = true
	// A file knows its size: room for the pairs it can hold at once, since
	// growing by doubling holds the old array and one twice its size at the
	// peak, which at NeurIPS size is most of the solve's memory. A pair's
	// line takes at least six bytes; typical ones take ten to sixteen, so
	// twelve a pair rarely needs one more growth and never wastes much.
	if st, ok := r.(interface{ Stat() (os.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && fi.Size() > 0 {
			pr.Pairs = make([]Pair, 0, min(fi.Size()/12+1024, MaxPairs))
		}
	}
	for {
		f, err := lr.next(3, "'paper reviewer cost'")
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(pr.Pairs) == MaxPairs {
			return nil, invalid("more than %d pairs", MaxPairs)
		}
		if f[0] < 0 || f[0] >= np || f[1] < 0 || f[1] >= nr {
			return nil, invalid("pair (%d, %d) out of range: %d papers, %d reviewers", f[0], f[1], np, nr)
		}
		if f[2] < -MaxCost || f[2] > MaxCost {
			return nil, invalid("cost %d outside -%d..%d", f[2], MaxCost, MaxCost)
		}
		pr.Pairs = append(pr.Pairs, Pair{P: int32(f[0]), R: int32(f[1]), Cost: f[2]})
	}
	if i, j := findDuplicate(pr); i >= 0 {
		a := pr.Pairs[j]
		return nil, &LineError{Line: first + j, Msg: fmt.Sprintf("pair (%d, %d) already listed on line %d", a.P, a.R, first+i), Err: ErrInvalidProblem}
	}
	return pr, nil
}
