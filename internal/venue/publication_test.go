package venue

import (
	"strings"
	"testing"
)

func TestPublicationRules(t *testing.T) {
	t.Parallel()
	demo, probs, err := Parse(DemoYAML())
	if err != nil || len(probs) > 0 {
		t.Fatalf("demo: %v %v", err, probs)
	}
	if p := demo.Publication; !p.Accepted || !p.RejectedOptIn || p.Archival != NonArchival || p.Licences[0] != "cc-by-4.0" {
		t.Fatalf("the demo publishes accepted papers, non-archival, CC BY 4.0 first: %+v", p)
	}
	if got := demo.Publication.Offered(); len(got) != 3 || got[1].Name != "CC BY-NC 4.0" || got[2].URL != "" {
		t.Fatalf("offered: %+v", got)
	}
	cases := []struct {
		name string
		pub  Publication
		path string // "" when valid
		msg  string
	}{
		{"nothing published", Publication{}, "", ""},
		{"accepted papers", Publication{Accepted: true, Licences: []string{"cc-by-4.0"}, Archival: ArchivalYes}, "", ""},
		{"no licence", Publication{Accepted: true, Archival: NonArchival}, "publication.licences", "required"},
		{"no status", Publication{RejectedOptIn: true, Licences: []string{"cc0-1.0"}}, "publication.archival", "required"},
		{"unknown status", Publication{Accepted: true, Licences: []string{"cc-by-4.0"}, Archival: "preprint"}, "publication.archival", `"preprint" is not`},
		{"unknown licence", Publication{Accepted: true, Licences: []string{"cc-by-4.0", "gpl-3.0"}, Archival: NonArchival}, "publication.licences[1]", `"gpl-3.0" is not a licence`},
		{"twice", Publication{Accepted: true, Licences: []string{"cc-by-4.0", "cc-by-4.0"}, Archival: NonArchival}, "publication.licences[1]", "twice"},
		{"reviews of nothing", Publication{Reviews: true}, "publication", "only with published papers"},
	}
	for _, c := range cases {
		s := *demo
		s.Publication = c.pub
		var found []Problem
		for _, p := range s.Validate() {
			if strings.HasPrefix(p.Path, "publication") {
				found = append(found, p)
			}
		}
		if c.path == "" {
			if len(found) > 0 {
				t.Errorf("%s: %v", c.name, found)
			}
			continue
		}
		if len(found) != 1 || found[0].Path != c.path || !strings.Contains(found[0].Message, c.msg) {
			t.Errorf("%s: %v, want one problem at %s saying %q", c.name, found, c.path, c.msg)
		}
	}
	// A file naming a field the format lacks is refused, with its path.
	bad := strings.Replace(string(DemoYAML()), "  archival: non-archival", "  archival: non-archival\n  embargo: 30d", 1)
	if _, probs, _ := Parse([]byte(bad)); len(probs) != 1 || probs[0].Path != "publication.embargo" {
		t.Errorf("unknown field: %v", probs)
	}
}

func TestLicenceLookups(t *testing.T) {
	t.Parallel()
	if l, ok := LicenceByKey("all-rights-reserved"); !ok || l.URL != "" || l.Name != "All rights reserved" {
		t.Errorf("all rights reserved: %+v %v", l, ok)
	}
	if _, ok := LicenceByKey("CC-BY-4.0"); ok {
		t.Error("keys are exact")
	}
	if ArchivalYes.Label() != "Archival" || NonArchival.Label() != "Non-archival" {
		t.Error("labels")
	}
	p := Publication{Licences: []string{"cc-by-4.0"}}
	if !p.Offers("cc-by-4.0") || p.Offers("cc0-1.0") || p.Publishes() {
		t.Error("offers")
	}
}
