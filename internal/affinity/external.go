package affinity

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ErrBadCSV reports an external score file that cannot be used; the message
// names the line so a chair can fix the file.
var ErrBadCSV = errors.New("affinity: bad external scores")

// External is one score uploaded by a chair, for example from a model run
// elsewhere. ReviewerEmail is trimmed and lowercased, since chairs paste
// addresses in whatever case their spreadsheet has.
type External struct {
	Submission    string
	ReviewerEmail string
	Score         float64
}

// Header names accepted for each column, lowercased. A header lets the
// columns come in any order; without one the order is submission,
// reviewer_email, score.
var headerNames = [3][]string{
	{"submission", "submission_id", "paper", "paper_id", "paper id", "id"},
	{"reviewer_email", "reviewer email", "email", "reviewer", "reviewer_id"},
	{"score", "affinity", "affinity_score"},
}

// ParseExternalCSV reads "submission,reviewer_email,score" records. The
// header is optional and recognised by its column names. Scores must be
// finite; a pair given twice is an error rather than last-one-wins, because
// two different scores for one pair usually mean two files were merged
// wrongly. A header-only or empty file yields no records and no error.
func ParseExternalCSV(r io.Reader) ([]External, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = br.Discard(3) // Excel's byte-order mark
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true

	cols := [3]int{0, 1, 2}
	width := 3 // records may have more columns only when a header names them
	var out []External
	seen := make(map[[2]string]int)
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadCSV, err)
		}
		line, _ := cr.FieldPos(0)
		if first {
			if c, ok, err := parseHeader(rec); ok {
				cols, width = c, len(rec)
				continue
			} else if err != nil {
				return nil, fmt.Errorf("%w: line %d: %w", ErrBadCSV, line, err)
			}
		}
		if len(rec) != width {
			return nil, fmt.Errorf("%w: line %d: %d fields, want %d (submission, reviewer email, score)", ErrBadCSV, line, len(rec), width)
		}
		e, err := parseRecord(rec[cols[0]], rec[cols[1]], rec[cols[2]])
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %w", ErrBadCSV, line, err)
		}
		key := [2]string{e.Submission, e.ReviewerEmail}
		if prev, dup := seen[key]; dup {
			return nil, fmt.Errorf("%w: line %d: submission %q and reviewer %q already scored on line %d", ErrBadCSV, line, e.Submission, e.ReviewerEmail, prev)
		}
		seen[key] = line
		out = append(out, e)
	}
}

// parseHeader recognises a header row: a row without any number (every
// record has a score) that names columns. One that names some columns but
// not all three is an error, since it is clearly meant as a header.
func parseHeader(rec []string) (cols [3]int, ok bool, err error) {
	cols = [3]int{-1, -1, -1}
	known := 0
	for _, f := range rec {
		if _, err := strconv.ParseFloat(strings.TrimSpace(f), 64); err == nil {
			return cols, false, nil
		}
	}
	for i, f := range rec {
		name := strings.ToLower(strings.TrimSpace(f))
		for c, names := range headerNames {
			for _, n := range names {
				if name == n {
					if cols[c] >= 0 {
						return cols, false, fmt.Errorf("header names column %q twice", headerNames[c][0])
					}
					cols[c] = i
					known++
				}
			}
		}
	}
	if known == 0 {
		return cols, false, nil
	}
	for c, at := range cols {
		if at < 0 {
			return cols, false, fmt.Errorf("header lacks a %q column", headerNames[c][0])
		}
	}
	return cols, true, nil
}

func parseRecord(sub, email, score string) (External, error) {
	sub, email, score = strings.TrimSpace(sub), strings.ToLower(strings.TrimSpace(email)), strings.TrimSpace(score)
	if sub == "" {
		return External{}, errors.New("empty submission")
	}
	if at := strings.IndexByte(email, '@'); at <= 0 || at == len(email)-1 ||
		strings.Count(email, "@") != 1 || strings.ContainsFunc(email, isSpaceOrControl) {
		return External{}, fmt.Errorf("reviewer email %q is not an address", email)
	}
	v, err := strconv.ParseFloat(score, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return External{}, fmt.Errorf("score %q is not a finite number", score)
	}
	return External{Submission: sub, ReviewerEmail: email, Score: v}, nil
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

// Mix combines the text score with an external one. weightExternal is the
// external share in [0, 1]: 1 uses the external score instead, 0 ignores
// it. Pairs without an external score keep their text score, so a partial
// upload does not push the missing pairs to zero. Out-of-range inputs are
// clamped, so the result is always in [0, 1].
func Mix(text, external float64, hasExternal bool, weightExternal float64) float64 {
	text = clamp01(text)
	if !hasExternal {
		return text
	}
	w := clamp01(weightExternal)
	return clamp01((1-w)*text + w*clamp01(external))
}

// Rescale maps external scores linearly onto [0, 1] when any lies outside
// it (a model's raw similarities, say), keeping their order; scores already
// in [0, 1] are returned unchanged so that calibrated uploads stay as they
// are. If all scores are equal and outside [0, 1] they are clamped.
func Rescale(ext []External) []External {
	if len(ext) == 0 {
		return nil
	}
	lo, hi := ext[0].Score, ext[0].Score
	for _, e := range ext[1:] {
		lo, hi = min(lo, e.Score), max(hi, e.Score)
	}
	out := make([]External, len(ext))
	copy(out, ext)
	if lo >= 0 && hi <= 1 {
		return out
	}
	for i := range out {
		if hi > lo {
			// Halving first keeps hi-lo finite for scores near ±MaxFloat64.
			out[i].Score = clamp01((out[i].Score/2 - lo/2) / (hi/2 - lo/2))
		} else {
			out[i].Score = clamp01(out[i].Score)
		}
	}
	return out
}
