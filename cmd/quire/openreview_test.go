package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/dbtest"
	"github.com/quirehq/quire/internal/venue"
)

// cliNotes are two submissions of an OpenReview workshop (API v2, as
// Note.to_json() writes them) with two reviews, a decision and a comment.
const cliNotes = `[
 {"id": "aBcD1234xy", "forum": "aBcD1234xy", "number": 1, "cdate": 1696464000000, "domain": "NeurIPS.cc/2023/Workshop/DLDE",
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/-/Submission"], "signatures": ["NeurIPS.cc/2023/Workshop/DLDE/Submission1/Authors"],
  "content": {"title": {"value": "Stiff neural ODEs"}, "authors": {"value": ["Zoë Ångström", "José Núñez"]},
   "authorids": {"value": ["zoe@kth.example", "~José_Núñez1"]}, "keywords": {"value": ["neural ODEs"]},
   "abstract": {"value": "We solve stiff systems."}, "pdf": {"value": "/pdf/1f2e3d.pdf"}, "venueid": {"value": "NeurIPS.cc/2023/Workshop/DLDE"}}},
 {"id": "Q9wErTy5uI", "forum": "Q9wErTy5uI", "number": 2, "cdate": 1696467600000, "domain": "NeurIPS.cc/2023/Workshop/DLDE",
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/-/Submission"],
  "content": {"title": {"value": "Fourier operators for PINNs"}, "authors": {"value": ["Li Lei"]}, "authorids": {"value": ["lei@pku.example"]},
   "abstract": {"value": "Operators."}, "keywords": {"value": ["neural operators", "PINNs"]}}},
 {"id": "Rv1aaaaaaa", "forum": "aBcD1234xy", "replyto": "aBcD1234xy", "cdate": 1697328000000,
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/Submission1/-/Official_Review"],
  "signatures": ["NeurIPS.cc/2023/Workshop/DLDE/Submission1/Reviewer_Abc1"],
  "content": {"rating": {"value": "6: Marginally above acceptance threshold"}, "confidence": {"value": "4: The reviewer is confident but not absolutely certain that the evaluation is correct"},
   "summary": {"value": "A stiff solver."}, "strengths": {"value": "Fast."}, "weaknesses": {"value": "Few baselines."}}},
 {"id": "Rv2bbbbbbb", "forum": "Q9wErTy5uI", "replyto": "Q9wErTy5uI", "cdate": 1697328000000,
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/Submission2/-/Official_Review"],
  "signatures": ["NeurIPS.cc/2023/Workshop/DLDE/Submission2/Reviewer_Xyz9"],
  "content": {"rating": {"value": 3}, "confidence": {"value": 2}, "summary": {"value": "Operators."}, "strengths": {"value": "Idea."}, "weaknesses": {"value": "Proofs."}}},
 {"id": "Dc1ccccccc", "forum": "aBcD1234xy", "replyto": "aBcD1234xy", "cdate": 1698100000000,
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/Submission1/-/Decision"], "content": {"decision": {"value": "Accept (Poster)"}}},
 {"id": "Cm1ddddddd", "forum": "aBcD1234xy", "replyto": "Rv1aaaaaaa",
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/Submission1/-/Official_Comment"], "content": {"comment": {"value": "Thanks"}}}
]`

// TestOpenReviewCommands imports a notes file with its PDFs and profile
// map, imports it again (an update), exports the venue with its PDFs and
// map, and imports that into a second venue; a broken file imports
// nothing and says why.
func TestOpenReviewCommands(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := []string{"DATABASE_URL=" + dbtest.URL(t), "QUIRE_DATA_DIR=" + filepath.Join(dir, "data"), "QUIRE_LOG_LEVEL=warn", "QUIRE_NEW_PASSWORD=a good long password"}
	must := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		cmd := quire(t, env, args...)
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			t.Fatalf("quire %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
		}
		return out.String()
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	must("user", "create", "--email", "chair@example.org", "--name", "Chair")
	must("user", "create", "--email", "r1@example.org", "--name", "Reviewer One")
	must("user", "create", "--email", "r2@example.org", "--name", "Reviewer Two")
	demo := string(venue.DemoYAML())
	must("venue", "import", write("dlde.yaml", demo), "--chair", "chair@example.org")
	pdf, err := os.ReadFile(filepath.Join("..", "..", "internal", "pdfcheck", "testdata", "midpage4.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	write("pdfs/1.pdf", string(pdf))
	notes := write("notes.json", cliNotes)
	profiles := write("profiles.csv", "openreview_id,email\nNeurIPS.cc/2023/Workshop/DLDE/Submission1/Reviewer_Abc1,r1@example.org\nNeurIPS.cc/2023/Workshop/DLDE/Submission2/Reviewer_Xyz9,r2@example.org\n")

	out := must("venue", "import-openreview", "--venue", "dlde-2023", notes, "--pdfs", filepath.Join(dir, "pdfs"), "--profiles", profiles)
	for _, want := range []string{"submissions  2 (2 new, 0 updated", "authors      3 (1 without an email)", "PDFs         1 checked", "reviews      2", "decisions    1",
		"~José_Núñez1) has no email", "rating 6 is not on the form's scale 1–5", "comments     1", "Cm1ddddddd Official_Comment readers: it names no readers"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	out = must("venue", "import-openreview", notes, "--venue", "dlde-2023", "--profiles", profiles, "--json")
	var rep struct{ Created, Updated, Reviews int }
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Created != 0 || rep.Updated != 2 || rep.Reviews != 2 {
		t.Fatalf("the second import: %+v %v\n%s", rep, err, out)
	}

	exported := filepath.Join(dir, "export.json")
	must("venue", "export-openreview", "dlde-2023", "--out", exported, "--pdfs", filepath.Join(dir, "out-pdfs"), "--profiles", filepath.Join(dir, "out.csv"))
	b, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"id": "aBcD1234xy"`, `"title": {`, `"value": "Stiff neural ODEs"`, `"~José_Núñez1"`, `"value": "Accept as a poster"`, `Submission1/Reviewer_Abc1`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the export lacks %s", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out-pdfs", "aBcD1234xy.pdf")); err != nil {
		t.Errorf("the PDF was not exported: %v", err)
	}
	// The second venue is made from its file by the same command.
	copyFile := write("copy.yaml", strings.Replace(demo, "slug: dlde-2023", "slug: dlde-copy", 1))
	out = must("venue", "import-openreview", "--venue-file", copyFile, "--chair", "chair@example.org", exported, "--pdfs", filepath.Join(dir, "out-pdfs"), "--profiles", filepath.Join(dir, "out.csv"))
	if !strings.Contains(out, "submissions  2 (2 new") || !strings.Contains(out, "reviews      2") || !strings.Contains(out, "PDFs         1") || !strings.Contains(out, "decisions    1") {
		t.Errorf("importing the export:\n%s", out)
	}

	var errb bytes.Buffer
	cmd := quire(t, env, "venue", "import-openreview", "--venue", "dlde-2023", write("bad.json", `{"notes": [{"id": "x", "content": {"title": {"value": 5}}}`))
	cmd.Stderr = &errb
	if err := cmd.Run(); err == nil || !strings.Contains(errb.String(), "not valid JSON") {
		t.Fatalf("a broken file: %v %s", err, errb.String())
	}
}
