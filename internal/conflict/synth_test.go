package conflict

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// synthConfig describes a synthetic venue shaped like a large ML conference:
// institutions of very different sizes, a quarter of people on public mail,
// a few prolific authors, co-authors often from the lead author's
// institution, and author lists that spell emails and affiliations
// inconsistently. The same config always yields the same venue.
type synthConfig struct {
	Papers, Reviewers, People, Institutions int
	Seed                                    uint64
}

// neuripsVenue is NeurIPS 2023 size: 12,345 submissions, 10,000 reviewers.
var neuripsVenue = synthConfig{Papers: 12345, Reviewers: 10000, People: 40000, Institutions: 3000, Seed: 2023}

var synthPublic = []string{"gmail.com", "outlook.com", "qq.com", "163.com", "yahoo.com", "hotmail.com"}

// affiliationForms are spellings of one institution; all but the last two
// normalise to the same string, and those two name nothing comparable.
var affiliationForms = []string{
	"University of %s", "Univ. of %s", "UNIVERSITY  OF %s", "Université de %s",
	"The University of %s.", "%s University", "",
}

type synthPerson struct {
	id    int64
	email string
	inst  int
	name  string
}

func synthVenue(cfg synthConfig) ([]Paper, []Person) {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x636f6e666c696374))

	// Institution k is drawn with weight 1/(k+10): the largest holds about
	// 2% of people, as the largest affiliations of big venues do.
	cum := make([]float64, cfg.Institutions)
	total := 0.0
	for k := range cum {
		total += 1 / float64(k+10)
		cum[k] = total
	}
	instName := func(k int) string {
		if k%7 == 0 {
			return fmt.Sprintf("Zürich%d", k)
		}
		return fmt.Sprintf("Inst%d", k)
	}
	instDomain := func(k int) string {
		if k%5 == 0 {
			return fmt.Sprintf("inst%d.ac.uk", k)
		}
		return fmt.Sprintf("inst%d.edu", k)
	}
	subdomains := []string{"", "", "cs.", "mail."}

	people := make([]synthPerson, cfg.People)
	members := make([][]int, cfg.Institutions)
	for i := range people {
		k, _ := slices.BinarySearch(cum, rng.Float64()*total)
		k = min(k, cfg.Institutions-1)
		email := fmt.Sprintf("p%d@%s%s", i, subdomains[rng.IntN(len(subdomains))], instDomain(k))
		if rng.Float64() < 0.25 {
			email = fmt.Sprintf("p%d@%s", i, synthPublic[rng.IntN(len(synthPublic))])
		}
		people[i] = synthPerson{id: int64(i + 1), email: email, inst: k, name: fmt.Sprintf("Person %d", i)}
		members[k] = append(members[k], i)
	}
	affiliation := func(p synthPerson) string {
		if rng.Float64() < 0.03 {
			return "Independent Researcher"
		}
		return strings.TrimSpace(fmt.Sprintf(affiliationForms[rng.IntN(len(affiliationForms))], instName(p.inst)))
	}
	// Low indices are drawn far more often: the most prolific person
	// authors a few dozen papers at NeurIPS size.
	prolific := func() int {
		return min(int(float64(cfg.People)*math.Pow(rng.Float64(), 1.5)), cfg.People-1)
	}

	papers := make([]Paper, cfg.Papers)
	for pi := range papers {
		n := 1 + rng.IntN(4) + rng.IntN(4)
		lead := prolific()
		authors := make([]Person, 0, n)
		for j := range n {
			who := lead
			switch {
			case j == 0:
			case rng.Float64() < 0.5:
				m := members[people[lead].inst]
				who = m[rng.IntN(len(m))]
			default:
				who = prolific()
			}
			p := people[who]
			a := Person{Email: p.email, Affiliation: affiliation(p), Name: p.name}
			if rng.Float64() < 0.6 {
				a.ID = p.id
				if rng.Float64() < 0.05 {
					a.Email = fmt.Sprintf("p%d.alt@gmail.com", who)
				}
			}
			if rng.Float64() < 0.1 {
				a.Email = strings.ToUpper(a.Email)
			}
			authors = append(authors, a)
		}
		papers[pi] = Paper{ID: int64(3*pi + 1), Title: fmt.Sprintf("Synthetic paper %d", pi), Authors: authors}
	}

	reviewers := make([]Person, cfg.Reviewers)
	for ri, who := range rng.Perm(cfg.People)[:cfg.Reviewers] {
		p := people[who]
		reviewers[ri] = Person{ID: p.id, Email: p.email, Affiliation: affiliation(p), Name: p.name}
	}
	return papers, reviewers
}
