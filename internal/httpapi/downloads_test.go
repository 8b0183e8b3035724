package httpapi_test

import (
	"fmt"
	"mime"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/quirehq/quire/api"
	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/speakerphoto/phototest"
)

// fileOps lists every operation of the contract that answers a file (a 200
// of anything but JSON), each with the media types it hands out.
func fileOps(t *testing.T) map[string][]string {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, item := range doc.Paths.Map() {
		if item.Get == nil {
			continue
		}
		ok := item.Get.Responses.Status(200)
		if ok == nil || ok.Value == nil {
			continue
		}
		for ct := range ok.Value.Content {
			if !strings.Contains(ct, "json") {
				out[item.Get.OperationID] = append(out[item.Get.OperationID], ct)
			}
		}
	}
	return out
}

// downloadsWorld is a venue after the release: paper #1 accepted with its
// camera-ready version and a ZIP of supplementary material, #2 with a PDF
// of it; Rex reviews #1.
func downloadsWorld(t *testing.T) (*world, []int64, map[string]string) {
	t.Helper()
	w, ids, tok := matchingWorld(t)
	zip := zipOf(t, map[string][]byte{"code/main.py": []byte("print('hello')\n")})
	if r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", ids[0]), zip, "Content-Type", "application/zip"); r.StatusCode != 200 {
		t.Fatalf("zip: %s", r.Body)
	}
	if r := w.s.As(t, w.stranger, "PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", ids[1]), corpus(t, "sixpage.pdf"), "Content-Type", "application/pdf"); r.StatusCode != 200 {
		t.Fatalf("pdf supplementary: %s", r.Body)
	}
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": []map[string]any{{"number": 1, "email": "rev@example.org", "assign": true}}}); r.StatusCode != 204 {
		t.Fatalf("assign: %s", r.Body)
	}
	w.jump(t, reviewingTime, tok)
	if r := w.s.As(t, w.chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[0]), map[string]string{"category": "accept-poster"}); r.StatusCode != 204 {
		t.Fatalf("decide: %s", r.Body)
	}
	w.jump(t, time.Date(2023, 10, 28, 12, 0, 0, 0, time.UTC), tok)
	if r := w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/release", nil); r.StatusCode != 200 {
		t.Fatalf("release: %s", r.Body)
	}
	if r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/camera-ready", ids[0]), corpus(t, "authorblock.pdf"), "Content-Type", "application/pdf"); r.StatusCode != 200 {
		t.Fatalf("camera-ready: %s", r.Body)
	}
	if r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/publication", ids[0]), map[string]any{"consent": true, "licence": "cc-by-4.0"}); r.StatusCode != 200 {
		t.Fatalf("consent: %s", r.Body)
	}
	return w, ids, tok
}

var safeFileName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*\.(pdf|csv|ics|zip|yaml|bib|json|jpg|png)$`)

// TestEveryDownloadSaysHowToKeepIt walks every operation of the contract
// that hands out a file, in each of its forms: PDFs open inline under a
// name made of the venue and the number, everything else is an attachment,
// and no name carries a title or an author.
func TestEveryDownloadSaysHowToKeepIt(t *testing.T) {
	t.Parallel()
	w, ids, tok := downloadsWorld(t)
	rex := tok["rev@example.org"]
	for key, photo := range map[string][]byte{"kim": phototest.JPEG(400, 500), "rubanova": phototest.PNG(300, 300, true)} {
		if r := w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/speakers/"+key+"/photo", photo, "Content-Type", "image/png"); r.StatusCode != 200 {
			t.Fatalf("photo: %s", r.Body)
		}
	}
	cases := []struct {
		op, url, token, kind, name string
	}{
		{"listVenueSubmissions", "/api/v1/venues/dlde-2023/submissions?format=csv", w.chair, "attachment", "dlde-2023-submissions.csv"},
		{"downloadPdf", fmt.Sprintf("/api/v1/submissions/%d/pdf", ids[0]), w.author, "inline", "dlde-2023-1.pdf"},
		{"downloadPdf", fmt.Sprintf("/api/v1/submissions/%d/pdf", ids[0]), w.chair, "inline", "dlde-2023-1.pdf"},
		{"downloadPdf", fmt.Sprintf("/api/v1/submissions/%d/pdf?copy=anonymised", ids[0]), rex, "inline", "dlde-2023-1-anonymised.pdf"},
		{"downloadPdf", fmt.Sprintf("/api/v1/submissions/%d/pdf?copy=anonymised", ids[0]), w.chair, "inline", "dlde-2023-1-anonymised.pdf"},
		{"downloadSupplementary", fmt.Sprintf("/api/v1/submissions/%d/supplementary", ids[0]), w.author, "attachment", "dlde-2023-1-supplementary.zip"},
		{"downloadSupplementary", fmt.Sprintf("/api/v1/submissions/%d/supplementary", ids[0]), rex, "attachment", "dlde-2023-1-supplementary.zip"},
		{"downloadSupplementary", fmt.Sprintf("/api/v1/submissions/%d/supplementary", ids[1]), w.chair, "inline", "dlde-2023-2-supplementary.pdf"},
		{"exportAssignments", "/api/v1/venues/dlde-2023/assignments", w.chair, "attachment", "dlde-2023-assignments.csv"},
		{"getProgramme", "/api/v1/venues/dlde-2023/programme?format=csv", "", "attachment", "dlde-2023-programme.csv"},
		{"getProgramme", "/api/v1/venues/dlde-2023/programme?format=ics", "", "attachment", "dlde-2023-programme.ics"},
		{"getAcceptedPdf", "/api/v1/venues/dlde-2023/accepted/1/pdf", "", "inline", "dlde-2023-1.pdf"},
		{"getPublishedPdf", "/api/v1/venues/dlde-2023/papers/1/pdf", "", "inline", "dlde-2023-1.pdf"},
		{"listPublishedPapers", "/api/v1/venues/dlde-2023/papers?format=bibtex", "", "attachment", "dlde-2023-papers.bib"},
		{"listPublishedPapers", "/api/v1/venues/dlde-2023/papers?format=csl-json", "", "attachment", "dlde-2023-papers.json"},
		{"getPublishedPaper", "/api/v1/venues/dlde-2023/papers/1?format=bibtex", "", "attachment", "dlde-2023-1.bib"},
		{"getPublishedPaper", "/api/v1/venues/dlde-2023/papers/1?format=csl-json", "", "attachment", "dlde-2023-1.json"},
		{"getProceedings", "/api/v1/venues/dlde-2023/proceedings", w.chair, "attachment", "dlde-2023-proceedings.zip"},
		{"getSchedule", "/api/v1/venues/dlde-2023/schedule?format=ics", "", "attachment", "dlde-2023-schedule.ics"},
		{"getAuditLog", "/api/v1/venues/dlde-2023/audit?format=csv", w.chair, "attachment", "dlde-2023-audit.csv"},
		{"exportVenueSettings", "/api/v1/venues/dlde-2023/settings", w.chair, "attachment", "dlde-2023.yaml"},
		{"exportMyData", "/api/v1/me/export", w.author, "attachment", "quire-personal-data.zip"},
		{"getSpeakerPhoto", "/api/v1/venues/dlde-2023/speakers/kim/photo?width=160", "", "inline", "dlde-2023-kim-160.jpg"},
		{"getSpeakerPhoto", "/api/v1/venues/dlde-2023/speakers/rubanova/photo", "", "inline", "dlde-2023-rubanova.png"},
	}
	// Every file the contract hands out is among the cases, in every form.
	covered := map[string][]string{}
	for _, c := range cases {
		covered[c.op] = append(covered[c.op], c.url)
	}
	for op, types := range fileOps(t) {
		if len(covered[op]) < len(types) {
			t.Errorf("%s hands out %v: %d case(s) here", op, types, len(covered[op]))
		}
	}
	for _, c := range cases {
		var r *apptest.Response
		if c.token == "" {
			r = w.s.Do(t, "GET", c.url, nil)
		} else {
			r = w.s.As(t, c.token, "GET", c.url, nil)
		}
		if r.StatusCode != 200 {
			t.Errorf("%s: %s %s", c.url, r.Status, r.Body)
			continue
		}
		cd := r.Header.Get("Content-Disposition")
		kind, params, err := mime.ParseMediaType(cd)
		if err != nil || kind != c.kind || params["filename"] != c.name {
			t.Errorf("%s: Content-Disposition %q, want %s with %s", c.url, cd, c.kind, c.name)
		}
		if !safeFileName.MatchString(params["filename"]) {
			t.Errorf("%s: file name %q", c.url, params["filename"])
		}
		for _, word := range append(slices.Clone(authorsOf[1]), "Neural", "Rex", "Eve") {
			if strings.Contains(strings.ToLower(cd), strings.ToLower(word)) {
				t.Errorf("%s: Content-Disposition %q names %q", c.url, cd, word)
			}
		}
		// HEAD says the same as GET.
		if h := w.s.Do(t, "HEAD", c.url, nil, apptest.Bearer(c.token)...); c.token != "" && h.Header.Get("Content-Disposition") != cd {
			t.Errorf("HEAD %s: Content-Disposition %q, GET %q", c.url, h.Header.Get("Content-Disposition"), cd)
		}
	}
}
