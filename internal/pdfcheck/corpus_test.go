package pdfcheck

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// alice is the identity behind the corpus papers that leak.
var alice = Identity{
	Names:        []string{"Alice Müller", "Bo Chen"},
	Emails:       []string{"alice.mueller@uni-tuebingen.de"},
	Affiliations: []string{"University of Tübingen"},
	ORCIDs:       []string{"0000-0002-1825-0097"},
}

// TestCorpus checks every corpus paper through the sandboxed Checker with
// DLDE III's rules. Sources and build.sh are in testdata.
func TestCorpus(t *testing.T) {
	t.Parallel()
	checker := testChecker(t, "1", CheckerOptions{})
	tests := []struct {
		file      string
		verdict   string
		code      string // refusal code; "" when accepted
		bodyPages int
		kinds     string // page kinds, space-separated
		first     string // kind@page of the section that ended the body
		leaks     []string
		leakWhere []string // each must be where some leak was found
		warnings  []string
	}{
		{file: "exact4", verdict: VerdictOK, bodyPages: 4, kinds: "body body body body references", first: "references@5"},
		{file: "midpage4", verdict: VerdictOK, bodyPages: 4, kinds: "body body body body", first: "references@4"},
		{file: "spill5", verdict: VerdictOverLimit, code: "over_page_limit", bodyPages: 5, kinds: "body body body body body", first: "references@5"},
		{file: "acks", verdict: VerdictOK, bodyPages: 4, kinds: "body body body body acknowledgements", first: "acknowledgements@4"},
		{file: "checklist", verdict: VerdictOK, bodyPages: 4, kinds: "body body body body checklist checklist", first: "references@4"},
		{file: "appendix", verdict: VerdictOK, bodyPages: 4, kinds: "body body body body appendix appendix", first: "references@4"},
		{file: "sixpage", verdict: VerdictOverLimit, code: "over_page_limit", bodyPages: 6, kinds: "body body body body body body references", first: "references@6"},
		{file: "twocol", verdict: VerdictOK, bodyPages: 4, kinds: "body body body body", first: "references@4",
			leaks: []string{"non_anonymous_build"}},
		{file: "leaks", verdict: VerdictOK, bodyPages: 4, kinds: "body body body body", first: "references@4",
			leaks: []string{"author_name"}, warnings: []string{"attachment"},
			leakWhere: []string{"Info /Author", "XMP metadata", "PTEX.InfoDict", "PTEX.FileName", "comment author (/T) on page 2", "attachment contents"}},
		{file: "authorblock", verdict: VerdictOK, bodyPages: 2, kinds: "body body references", first: "references@3",
			leaks: []string{"author_name", "author_email", "affiliation", "orcid", "email_on_first_page", "non_anonymous_build"}},
		{file: "word", verdict: VerdictOK, bodyPages: 2, kinds: "body body", first: "references@2"},
		{file: "chromium", verdict: VerdictOK, bodyPages: 2, kinds: "body body", first: "references@2"},
		{file: "restricted", verdict: VerdictOK, bodyPages: 4, kinds: "body body body body", first: "references@4", warnings: []string{"permissions"}},
		{file: "scanned", verdict: VerdictUndecidedAccepted, bodyPages: 0, kinds: "unknown unknown unknown", warnings: []string{"no_text"}},
		{file: "smallpage", code: "page_size"},
		{file: "encrypted", code: "encrypted"},
		{file: "damaged", code: "invalid_pdf"},
		{file: "truncated", code: "invalid_pdf"},
		{file: "notpdf", code: "not_pdf"},
		{file: "bomb", code: "decompression_bomb"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			rep, err := checker.Check(context.Background(), "testdata/"+tt.file+".pdf", DefaultRules(), alice, "")
			var ce *CheckError
			if tt.code != "" {
				if !errors.As(err, &ce) || ce.Code != tt.code {
					t.Fatalf("error = %v, want code %s", err, tt.code)
				}
				if !errors.Is(err, sentinelFor(tt.code)) {
					t.Errorf("errors.Is(%v, sentinel of %s) = false", err, tt.code)
				}
				if tt.verdict == "" {
					return
				}
				if ce.Report == nil {
					t.Fatalf("refusal %s carries no report", tt.code)
				}
			} else if err != nil {
				t.Fatalf("Check: %v", err)
			}
			if rep.Verdict != tt.verdict || rep.BodyPages != tt.bodyPages {
				t.Errorf("verdict %s, %d body pages; want %s, %d (%s)", rep.Verdict, rep.BodyPages, tt.verdict, tt.bodyPages, rep.BodyEnd)
			}
			var kinds []string
			for _, p := range rep.Pages {
				kinds = append(kinds, p.Kind)
			}
			if got := strings.Join(kinds, " "); got != tt.kinds {
				t.Errorf("page kinds %q, want %q", got, tt.kinds)
			}
			first := ""
			for _, s := range rep.Sections {
				if s.Excluded {
					first = s.Kind + "@" + strconv.Itoa(s.Page)
					break
				}
			}
			if first != tt.first {
				t.Errorf("first excluded section %q, want %q", first, tt.first)
			}
			for _, code := range tt.leaks {
				if !hasCode(rep.Leaks, code) {
					t.Errorf("no %s leak in %+v", code, rep.Leaks)
				}
			}
			if len(tt.leaks) == 0 && len(rep.Leaks) > 0 {
				t.Errorf("unexpected leaks %+v", rep.Leaks)
			}
			for _, w := range tt.leakWhere {
				if !slices.ContainsFunc(rep.Leaks, func(f Finding) bool { return strings.Contains(f.Where, w) }) {
					t.Errorf("no leak found in %q: %+v", w, rep.Leaks)
				}
			}
			for _, code := range tt.warnings {
				if !hasCode(rep.Warnings, code) {
					t.Errorf("no %s warning in %+v", code, rep.Warnings)
				}
			}
		})
	}
}

func hasCode(fs []Finding, code string) bool {
	return slices.ContainsFunc(fs, func(f Finding) bool { return f.Code == code })
}
