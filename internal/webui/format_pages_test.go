package webui_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
)

var textBlockBox = regexp.MustCompile(`<span class="text-block( over)?" style="left:([0-9.]+)%;top:([0-9.]+)%;width:([0-9.]+)%;height:([0-9.]+)%" data-text-block="(\d+)">`)

// TestFormatFindingsOnPages: DLDE III warns a paper squeezed into four
// pages by a wider text block; the author reads how much wider, with the
// block drawn on each page's picture, and the chairs see it in their
// list. A venue whose rule refuses keeps the previous version.
func TestFormatFindingsOnPages(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	ada := newBrowser(t, s)
	ada.signIn("ada@uni.example", apptest.Password)
	p := ada.post("/venues/dlde-2023/submit", paperForm(ada.csrf()))
	m := submissionURL.FindStringSubmatch(p.location)
	if m == nil {
		t.Fatalf("create: %d %s", p.status, p.body)
	}
	id := m[1]
	if p = ada.upload("/submissions/"+id+"/pdf", ada.csrf(), "fmt-geometry.pdf"); p.status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", p.status, p.body)
	}
	p = ada.get("/submissions/" + id)
	const msg = "Text block 6.9 x 9.4 in on pages 1–4, template 5.5 x 9 in."
	for _, want := range []string{"Format: the NeurIPS template", "Warning: " + msg,
		"Measured on the body pages: body text 10 pt, lines 10.9 pt apart, text block up to 6.9 x 9.4 in."} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the submission page lacks %q", want)
		}
	}
	boxes := textBlockBox.FindAllStringSubmatch(p.body, -1)
	if len(boxes) != 4 {
		t.Fatalf("%d text blocks drawn, want one on each of the 4 pages", len(boxes))
	}
	// 0.8 in margins on a letter page: the block starts 9.4% from the left
	// and is 81% of the page wide, past the template's.
	if b := boxes[1]; b[1] != " over" || b[2] != "9.41" || b[4] != "81.18" || b[6] != "2" {
		t.Errorf("page 2's block: %q", b[0])
	}

	chair := newBrowser(t, s)
	chair.signIn("chair@example.org", apptest.Password)
	p = chair.get("/venues/dlde-2023/chair/submissions")
	if !strings.Contains(p.body, "Format: text block 6.9 x 9.4 in on pages 1–4, template 5.5 x 9 in") {
		t.Errorf("the chairs' list does not name the squeeze:\n%s", p.body)
	}
	p = chair.get("/venues/dlde-2023/chair/papers/" + id)
	if !strings.Contains(p.body, "Warning: "+msg) {
		t.Error("the chairs' page of the paper does not name the squeeze")
	}

	// The same venue, refusing: the squeezed file is refused, and the
	// paper in the template's format stays.
	admin := s.Login(t, "admin@example.org")
	y := strings.Replace(string(venue.DemoYAML()), "slug: dlde-2023", "slug: dlde-strict", 1)
	y = strings.Replace(y, "  template: neurips\n  action: warn\n", "  template: neurips\n  action: refuse\n", 1)
	if r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": y, "chairs": []string{"chair@example.org"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("creating the strict venue: %s %s", r.Status, r.Body)
	}
	p = ada.post("/venues/dlde-strict/submit", paperForm(ada.csrf()))
	if m = submissionURL.FindStringSubmatch(p.location); m == nil {
		t.Fatalf("create: %d %s", p.status, p.body)
	}
	strict := m[1]
	if p = ada.upload("/submissions/"+strict+"/pdf", ada.csrf(), "fmt-ok.pdf"); p.status != http.StatusSeeOther {
		t.Fatalf("the paper in format: %d %s", p.status, p.body)
	}
	p = ada.upload("/submissions/"+strict+"/pdf", ada.csrf(), "fmt-linespread.pdf")
	for _, want := range []string{"Not in the venue&#39;s format.", "Refused: Body lines 9.4 pt apart (baseline to baseline) on pages 1–3, template at least 11 pt.",
		"Your previous version is unchanged"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the refusal lacks %q", want)
		}
	}
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("refused upload: %d", p.status)
	}
	p = ada.get("/submissions/" + strict)
	if !strings.Contains(p.body, "The body keeps to the template") {
		t.Error("the previous version's report is gone")
	}

	// The venue's page says what the format is, and where a track differs.
	for slug, want := range map[string]string{
		"dlde-2023":   "Format: the NeurIPS template (US Letter paper, a 5.5 x 9 in text block, body type of at least 10 pt, lines at least 11 pt apart); a paper outside it is accepted with a warning",
		"dlde-strict": "lines at least 11 pt apart); a paper outside it is refused",
	} {
		p = ada.get("/venues/" + slug)
		if !strings.Contains(p.body, want) || !strings.Contains(p.body, "<li data-format-rule>Recently published work: no format rules</li>") {
			t.Errorf("the page of %s does not say %q", slug, want)
		}
	}
}
