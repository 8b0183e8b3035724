package httpapi_test

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/affinity"
	"github.com/quirehq/quire/internal/invitation"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
)

// The CSV bodies the API reads (text/csv on /assignments, /invitations and
// /affinity) come from anyone with a chair's token and a spreadsheet: each
// parser must refuse what it cannot read with a 400 naming the problem,
// never panic and never fail in a way that becomes a 500.

var csvSeeds = []string{
	"",
	"paper,action,email\n1,review,rev@example.org\n#2, clearreview , fay@away.example\n",
	"name,email,affiliation,keywords\nRex Reviewer,rev@example.org,Uni,\"a; b\"\n",
	"submission,reviewer_email,score\n1,rev@example.org,0.5\n2,fay@away.example,NaN\n",
	"\ufeff1,rev@example.org,1e308\n",
	"1,\"review\n2,x\"y,z\n",
	"\"unterminated",
	"\x00\xff\xfe,\r\r\n,,,,\n",
	strings.Repeat("1,review,a@b.example\n", 100),
	strings.Repeat(",", 10000),
}

// isInvalid reports whether err becomes a 400: a problem of kind invalid.
func isInvalid(err error) bool {
	var pe *problem.Error
	return errors.As(err, &pe) && errors.Is(err, problem.ErrInvalid)
}

func FuzzAssignmentsCSV(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		changes, err := matching.ParseCSV(bytes.NewReader(b))
		if err != nil {
			if !isInvalid(err) {
				t.Fatalf("an error that is not a 400: %v", err)
			}
			return
		}
		for _, c := range changes {
			if c.Number < 1 || c.Email != strings.TrimSpace(c.Email) {
				t.Fatalf("a change no CSV line asked for: %+v", c)
			}
		}
	})
}

func FuzzInvitationsCSV(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s), "reviewer")
	}
	f.Add([]byte("Rex,rev@example.org\n"), "")
	f.Add([]byte("Rex,rev@example.org\n"), "chair\x00")
	f.Fuzz(func(t *testing.T, b []byte, role string) {
		in, err := invitation.ParseCSV(bytes.NewReader(b), role)
		if err != nil {
			if !isInvalid(err) {
				t.Fatalf("an error that is not a 400: %v", err)
			}
			return
		}
		if len(in) == 0 || len(in) > invitation.MaxCSVRows {
			t.Fatalf("%d invitations accepted", len(in))
		}
		for _, x := range in {
			if x.Email == "" {
				t.Fatalf("an invitation to nobody: %+v", x)
			}
		}
	})
}

// The affinity parser's errors are made 400s by matching.ImportAffinity,
// which needs a database; here it must not panic and must keep what it
// promises of the rows it returns.
func FuzzAffinityCSV(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := affinity.ParseExternalCSV(bytes.NewReader(b))
		if err != nil {
			return
		}
		seen := map[[2]string]bool{}
		for _, r := range rows {
			if math.IsNaN(r.Score) || math.IsInf(r.Score, 0) {
				t.Fatalf("a score that is not finite: %+v", r)
			}
			k := [2]string{r.Submission, r.ReviewerEmail}
			if seen[k] {
				t.Fatalf("a pair given twice was accepted: %+v", r)
			}
			seen[k] = true
		}
	})
}
