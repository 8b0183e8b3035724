package venue

import (
	"fmt"
	"slices"
)

// Publication is what a venue makes public once its decisions are released,
// under which licences, and whether that counts as publication. Its zero
// value publishes nothing but the programme (titles, authors, sessions):
// a paper's abstract, file and citation only ever become public when the
// venue publishes that kind of paper and the paper's authors consented.
type Publication struct {
	// Accepted publishes accepted papers whose authors consent.
	Accepted bool `yaml:"accepted,omitempty"`
	// RejectedOptIn lets the authors of a rejected paper ask for it to be
	// public too; without their request it stays private.
	RejectedOptIn bool `yaml:"rejected_opt_in,omitempty"`
	// Reviews and MetaReviews show a published paper's reviews (the fields
	// authors see, under pseudonyms) and the chairs' meta-review on its page.
	Reviews     bool `yaml:"reviews,omitempty"`
	MetaReviews bool `yaml:"meta_reviews,omitempty"`
	// Licences are the keys of the licences authors choose from, in the
	// order offered; the first is preselected.
	Licences []string `yaml:"licences,omitempty"`
	// Archival says whether a published paper counts as a publication;
	// every public page, file and citation says so.
	Archival Archival `yaml:"archival,omitempty"`
}

// Archival is a venue's archival status.
type Archival string

const (
	// NonArchival papers may later appear elsewhere, in a journal or a
	// conference's proceedings: the venue is not their publication.
	NonArchival Archival = "non-archival"
	ArchivalYes Archival = "archival"
)

// Label is the status as pages and citations write it.
func (a Archival) Label() string {
	if a == ArchivalYes {
		return "Archival"
	}
	return "Non-archival"
}

// Licence is one licence a venue may offer its authors.
type Licence struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// URL is the licence's text; empty for all rights reserved.
	URL string `json:"url,omitempty"`
}

// Licences lists every licence a venue file may name, by key.
var Licences = []Licence{
	{"cc-by-4.0", "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"},
	{"cc-by-sa-4.0", "CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/"},
	{"cc-by-nc-4.0", "CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/"},
	{"cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"},
	{"cc-by-nd-4.0", "CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/"},
	{"cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0", "https://creativecommons.org/licenses/by-nc-nd/4.0/"},
	{"cc0-1.0", "CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"},
	{"all-rights-reserved", "All rights reserved", ""},
}

// LicenceByKey returns the licence with key, if Quire knows it.
func LicenceByKey(key string) (Licence, bool) {
	i := slices.IndexFunc(Licences, func(l Licence) bool { return l.Key == key })
	if i < 0 {
		return Licence{}, false
	}
	return Licences[i], true
}

// Publishes tells whether the venue publishes anything beyond the programme.
func (p Publication) Publishes() bool { return p.Accepted || p.RejectedOptIn }

// Offers tells whether authors of this venue may choose licence key.
func (p Publication) Offers(key string) bool { return slices.Contains(p.Licences, key) }

// Offered is the venue's licences, in its order.
func (p Publication) Offered() []Licence {
	out := make([]Licence, 0, len(p.Licences))
	for _, k := range p.Licences {
		if l, ok := LicenceByKey(k); ok {
			out = append(out, l)
		}
	}
	return out
}

func (s *Settings) validatePublication(ps *problems) {
	p := s.Publication
	switch p.Archival {
	case "", NonArchival, ArchivalYes:
	default:
		ps.addf("publication.archival", "%q is not %q or %q", p.Archival, NonArchival, ArchivalYes)
	}
	for i, k := range p.Licences {
		if _, ok := LicenceByKey(k); !ok {
			keys := make([]string, len(Licences))
			for j, l := range Licences {
				keys[j] = l.Key
			}
			ps.addf(fmt.Sprintf("publication.licences[%d]", i), "%q is not a licence Quire knows (%s)", k, joinQuoted(keys))
		} else if slices.Index(p.Licences, k) < i {
			ps.addf(fmt.Sprintf("publication.licences[%d]", i), "%q is listed twice", k)
		}
	}
	if !p.Publishes() {
		if p.Reviews || p.MetaReviews {
			ps.addf("publication", "reviews and meta-reviews are shown only with published papers: set accepted or rejected_opt_in")
		}
		return
	}
	if len(p.Licences) == 0 {
		ps.addf("publication.licences", "required when papers are published: the licences authors choose from, such as cc-by-4.0")
	}
	if p.Archival == "" {
		ps.addf("publication.archival", "required when papers are published: %q or %q", NonArchival, ArchivalYes)
	}
}
