package affinity

import (
	"encoding/csv"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestParseExternalCSV(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    []External
		wantErr string // substring of the error; empty means success
	}{
		{"no header", "12,Ada@Example.org,0.8\n13,bo@example.org,1e-3\n",
			[]External{{"12", "ada@example.org", 0.8}, {"13", "bo@example.org", 0.001}}, ""},
		{"header", "submission,reviewer_email,score\n12,ada@example.org,0.5\n",
			[]External{{"12", "ada@example.org", 0.5}}, ""},
		{"header in another order with an extra column", "Score, Email, Paper, note\n0.25,ada@example.org,7,hi\n",
			[]External{{"7", "ada@example.org", 0.25}}, ""},
		{"byte-order mark, CRLF, blanks and quotes", "\ufeffsubmission,reviewer_email,score\r\n\r\n\"12\", ada@example.org , -2.5 \r\n",
			[]External{{"12", "ada@example.org", -2.5}}, ""},
		{"empty file", "", nil, ""},
		{"header only", "paper,email,affinity\n", nil, ""},
		{"bad number", "12,ada@example.org,0.5\n13,bo@example.org,high\n", nil, `line 2: score "high"`},
		{"NaN", "12,ada@example.org,NaN\n", nil, "line 1: score \"NaN\" is not a finite number"},
		{"Inf", "paper,email,score\n12,ada@example.org,+Inf\n", nil, "line 2: score"},
		{"overflow", "12,ada@example.org,1e400\n", nil, "line 1: score"},
		{"missing column", "12,ada@example.org,0.1\n13,bo@example.org\n", nil, "line 2: 2 fields, want 3"},
		{"extra column without header", "12,ada@example.org,0.1,x\n", nil, "line 1: 4 fields"},
		{"header missing a column", "submission,score\n12,0.5\n", nil, `line 1: header lacks a "reviewer_email" column`},
		{"header naming a column twice", "email,reviewer,score,paper\n", nil, "line 1: header names column"},
		{"empty submission", "12,ada@example.org,0.1\n ,bo@example.org,0.2\n", nil, "line 2: empty submission"},
		{"bad email", "12,ada.example.org,0.1\n", nil, "line 1: reviewer email"},
		{"duplicate pair", "12,ada@example.org,0.1\n13,ada@example.org,0.2\n12,ADA@example.org,0.3\n", nil,
			`line 3: submission "12" and reviewer "ada@example.org" already scored on line 1`},
		{"broken quotes", "12,\"ada@example.org,0.1\n", nil, "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseExternalCSV(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if !errors.Is(err, ErrBadCSV) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want ErrBadCSV containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzParseExternalCSV(f *testing.F) {
	for _, seed := range []string{
		"12,ada@example.org,0.8\n",
		"submission,reviewer_email,score\n1,a@b,1\n2,a@b,0\n",
		"score,email,paper,x\n0.1,a@b,3,\n",
		"1,a@b,NaN\n", "\ufeff\"1\",\"a@b\",\"-0\"\r\n", "1,a@b,1\n1,A@B,2\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ParseExternalCSV(strings.NewReader(in))
		if err != nil {
			if !errors.Is(err, ErrBadCSV) {
				t.Fatalf("error %v is not ErrBadCSV", err)
			}
			return
		}
		seen := make(map[[2]string]bool)
		for _, e := range got {
			if math.IsNaN(e.Score) || math.IsInf(e.Score, 0) || e.Submission == "" || !strings.Contains(e.ReviewerEmail, "@") {
				t.Fatalf("accepted bad record %+v", e)
			}
			key := [2]string{e.Submission, e.ReviewerEmail}
			if seen[key] {
				t.Fatalf("accepted duplicate pair %v", key)
			}
			seen[key] = true
		}
		// What was accepted must survive a round trip through CSV.
		var b strings.Builder
		w := csv.NewWriter(&b)
		for _, e := range got {
			_ = w.Write([]string{e.Submission, e.ReviewerEmail, strconv.FormatFloat(e.Score, 'g', -1, 64)})
		}
		w.Flush()
		again, err := ParseExternalCSV(strings.NewReader(b.String()))
		if err != nil || !slices.Equal(again, got) {
			t.Fatalf("round trip: %v, %v; want %v", again, err, got)
		}
	})
}

func TestMix(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		text, ext, w float64
		has          bool
		want         float64
	}{
		{"no external keeps text", 0.4, 0.9, 1, false, 0.4},
		{"external instead", 0.4, 0.9, 1, true, 0.9},
		{"ignored external", 0.4, 0.9, 0, true, 0.4},
		{"half and half", 0.4, 0.8, 0.5, true, 0.6},
		{"out-of-range inputs clamped", 1.7, -3, 2, true, 0},
		{"NaN weight treated as 0", 0.3, 1, math.NaN(), true, 0.3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Mix(tt.text, tt.ext, tt.has, tt.w); math.Abs(got-tt.want) > 1e-15 {
				t.Errorf("Mix = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRescale(t *testing.T) {
	t.Parallel()
	ext := func(scores ...float64) []External {
		out := make([]External, len(scores))
		for i, s := range scores {
			out[i] = External{Submission: strconv.Itoa(i), ReviewerEmail: "a@b", Score: s}
		}
		return out
	}
	scores := func(e []External) []float64 {
		var out []float64
		for _, x := range e {
			out = append(out, x.Score)
		}
		return out
	}
	tests := []struct {
		name string
		in   []float64
		want []float64
	}{
		{"already in range", []float64{0, 0.3, 1}, []float64{0, 0.3, 1}},
		{"raw similarities", []float64{-1, 0, 3}, []float64{0, 0.25, 1}},
		{"constant out of range", []float64{5, 5}, []float64{1, 1}},
		{"extremes", []float64{-math.MaxFloat64, math.MaxFloat64}, []float64{0, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := ext(tt.in...)
			got := Rescale(in)
			if !slices.Equal(scores(got), tt.want) {
				t.Errorf("Rescale(%v) = %v, want %v", tt.in, scores(got), tt.want)
			}
			if !slices.Equal(scores(in), tt.in) {
				t.Errorf("Rescale changed its input")
			}
		})
	}
	if Rescale(nil) != nil {
		t.Error("Rescale(nil) != nil")
	}
}
