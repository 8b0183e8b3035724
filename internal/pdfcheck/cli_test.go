package pdfcheck

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestCLI(t *testing.T) {
	t.Parallel()
	opts := func() CheckerOptions {
		c := testChecker(t, "1", CheckerOptions{})
		return c.opts
	}
	t.Run("json", func(t *testing.T) {
		t.Parallel()
		var out, errb bytes.Buffer
		code := runCLI([]string{"--json", "--authors", "Alice Müller", "testdata/midpage4.pdf", "testdata/spill5.pdf", "testdata/notpdf.pdf"}, &out, &errb, opts())
		if code != 1 {
			t.Fatalf("exit %d, want 1 (a file refused); stderr %s", code, errb.String())
		}
		var got []cliResult
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out.String())
		}
		if len(got) != 3 {
			t.Fatalf("%d results, want 3", len(got))
		}
		if got[0].Report == nil || got[0].Report.Verdict != VerdictOK || got[0].Report.BodyPages != 4 {
			t.Errorf("midpage4: %+v", got[0])
		}
		if got[1].Error == nil || got[1].Error.Code != "over_page_limit" || got[1].Report == nil || got[1].Report.BodyPages != 5 {
			t.Errorf("spill5: %+v", got[1])
		}
		if got[2].Error == nil || got[2].Error.Code != "not_pdf" {
			t.Errorf("notpdf: %+v", got[2])
		}
	})
	t.Run("table", func(t *testing.T) {
		t.Parallel()
		var out, errb bytes.Buffer
		if code := runCLI([]string{"--limit", "6", "testdata/sixpage.pdf"}, &out, &errb, opts()); code != 0 {
			t.Fatalf("exit %d; %s", code, errb.String())
		}
		for _, want := range []string{"verdict  ok", "body     6 of 7 pages (limit 6)", "references", `"References"`} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("table lacks %q:\n%s", want, out.String())
			}
		}
	})
	t.Run("format", func(t *testing.T) {
		t.Parallel()
		var out, errb bytes.Buffer
		if code := runCLI([]string{"--template", "neurips", "testdata/fmt-geometry.pdf"}, &out, &errb, opts()); code != 0 {
			t.Fatalf("exit %d; %s", code, errb.String())
		}
		for _, want := range []string{"format   10 pt type, lines 10.9 pt apart, text block up to 6.9 x 9.4 in (template NeurIPS)",
			"format   WARN text_block: text block 6.9 x 9.4 in on pages 1–4, template 5.5 x 9 in"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("table lacks %q:\n%s", want, out.String())
			}
		}
		out.Reset()
		if code := runCLI([]string{"--template", "neurips", "--format-action", "refuse", "testdata/fmt-linespread.pdf"}, &out, &errb, opts()); code != 1 {
			t.Fatalf("exit %d, want 1 (refused); %s", code, errb.String())
		}
		if want := "REFUSED  format_violation"; !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
		if code := runCLI([]string{"--template", "ieee", "testdata/fmt-ok.pdf"}, &out, &errb, opts()); code != 2 {
			t.Errorf("unknown template: exit %d, want 2", code)
		}
	})
	t.Run("usage", func(t *testing.T) {
		t.Parallel()
		var out, errb bytes.Buffer
		if code := RunCLI(nil, &out, &errb); code != 2 || !strings.Contains(errb.String(), "usage") {
			t.Errorf("exit %d, stderr %q", code, errb.String())
		}
	})
}
