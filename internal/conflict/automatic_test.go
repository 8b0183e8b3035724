package conflict

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func person(id int64, email, aff, name string) Person {
	return Person{ID: id, Email: email, Affiliation: aff, Name: name}
}

func TestAutomatic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		papers    []Paper
		reviewers []Person
		want      []Conflict
	}{
		{
			name: "same email domain through a subdomain",
			papers: []Paper{{ID: 1, Authors: []Person{
				person(0, "ann@cs.stanford.edu", "", "Ann"),
			}}},
			reviewers: []Person{
				person(10, "rev@stanford.edu", "", "Rev"),
				person(11, "other@berkeley.edu", "", "Other"),
			},
			want: []Conflict{{1, 10, SameEmailDomain, "both at stanford.edu"}},
		},
		{
			name: "second-level suffixes keep institutions apart",
			papers: []Paper{{ID: 1, Authors: []Person{
				person(0, "ann@ox.ac.uk", "", "Ann"),
			}}},
			reviewers: []Person{
				person(10, "rev@cam.ac.uk", "", "Rev"),
				person(11, "rev2@robots.ox.ac.uk", "", "Rev2"),
			},
			want: []Conflict{{1, 11, SameEmailDomain, "both at ox.ac.uk"}},
		},
		{
			name: "public providers never conflict",
			papers: []Paper{{ID: 1, Authors: []Person{
				person(0, "ann@gmail.com", "", "Ann"),
				person(0, "bob@qq.com", "", "Bob"),
				person(0, "cat@hotmail.co.uk", "", "Cat"),
			}}},
			reviewers: []Person{
				person(10, "rev@gmail.com", "", "Rev"),
				person(11, "rev@qq.com", "", "Rev2"),
				person(12, "rev@hotmail.co.uk", "", "Rev3"),
			},
			want: nil,
		},
		{
			name: "same normalised affiliation",
			papers: []Paper{{ID: 7, Authors: []Person{
				person(0, "ann@gmail.com", "Univ. of Toronto", "Ann"),
			}}},
			reviewers: []Person{
				person(10, "rev@outlook.com", "University of  Toronto", "Rev"),
				person(11, "rev2@outlook.com", "Toronto Metropolitan University", "Rev2"),
			},
			want: []Conflict{{7, 10, SameAffiliation, "both at University of Toronto"}},
		},
		{
			name: "empty and placeholder affiliations never match",
			papers: []Paper{{ID: 1, Authors: []Person{
				person(0, "ann@gmail.com", "", "Ann"),
				person(0, "bob@gmail.com", "Independent researcher", "Bob"),
				person(0, "cat@gmail.com", "  ", "Cat"),
			}}},
			reviewers: []Person{
				person(10, "rev@gmail.com", "", "Rev"),
				person(11, "rev2@gmail.com", "independent researcher", "Rev2"),
				person(12, "rev3@gmail.com", "N/A", "Rev3"),
			},
			want: nil,
		},
		{
			name: "reviewer is author by email, case-insensitively",
			papers: []Paper{{ID: 3, Authors: []Person{
				person(0, "ann@gmail.com", "", "Ann"),
				person(0, "Rev@GMail.com", "", "Rev"),
			}}},
			reviewers: []Person{person(10, "rev@gmail.com", "", "Rev")},
			want:      []Conflict{{3, 10, ReviewerIsAuthor, "listed as author 2 (Rev@GMail.com)"}},
		},
		{
			name: "reviewer is author by account id under another email",
			papers: []Paper{{ID: 3, Authors: []Person{
				person(10, "rev.old@gmail.com", "", "Rev"),
			}}},
			reviewers: []Person{
				person(10, "rev@yahoo.com", "", "Rev"),
				person(11, "x@yahoo.com", "", "X"),
			},
			want: []Conflict{{3, 10, ReviewerIsAuthor, "listed as author 1 (rev.old@gmail.com)"}},
		},
		{
			name: "own authorship alone makes no domain or affiliation conflict",
			papers: []Paper{{ID: 5, Authors: []Person{
				person(0, "ann@gmail.com", "Google", "Ann"),
				person(10, "rev@inf.ethz.ch", "ETH Zurich", "Rev"),
			}}},
			reviewers: []Person{person(10, "rev@ethz.ch", "ETH Zürich", "Rev")},
			want:      []Conflict{{5, 10, ReviewerIsAuthor, "listed as author 2 (rev@inf.ethz.ch)"}},
		},
		{
			// The reviewer is matched to the author entry by email, which
			// makes that entry theirs; only the other authors count.
			name: "own authorship plus a colleague conflicts on every rule",
			papers: []Paper{{ID: 5, Authors: []Person{
				person(0, "rev@ethz.ch", "ETH Zurich", "Rev"),
				person(0, "bob@inf.ethz.ch", "E.T.H. Zürich", "Bob"),
			}}},
			reviewers: []Person{person(10, "REV@ethz.ch", "ETH Zürich", "Rev")},
			want: []Conflict{
				{5, 10, ReviewerIsAuthor, "listed as author 1 (rev@ethz.ch)"},
				{5, 10, SameEmailDomain, "both at ethz.ch"},
				{5, 10, SameAffiliation, "both at ETH Zürich"},
			},
		},
		{
			name: "co-authorship through a third paper",
			papers: []Paper{
				{ID: 1, Title: "Target", Authors: []Person{person(0, "ann@a.org", "", "Ann")}},
				{ID: 2, Title: "Unrelated", Authors: []Person{person(0, "zed@z.org", "", "Zed")}},
				{ID: 12, Title: "Neural   Joint Work", Authors: []Person{
					person(0, "rev@r.org", "", "Rev"),
					person(0, "ann@a.org", "", "Ann A."),
				}},
			},
			reviewers: []Person{person(10, "rev@r.org", "", "Rev")},
			want: []Conflict{
				{1, 10, Coauthor, "co-authors with Ann on #12 (Neural Joint Work)"},
				{12, 10, ReviewerIsAuthor, "listed as author 1 (rev@r.org)"},
			},
		},
		{
			name: "co-authorship names the lowest shared paper and the first author",
			papers: []Paper{
				{ID: 1, Authors: []Person{
					person(0, "bob@b.org", "", ""),
					person(0, "ann@a.org", "", "Ann"),
				}},
				{ID: 30, Title: "Later", Authors: []Person{
					person(0, "ann@a.org", "", "Ann"),
					person(0, "rev@r.org", "", "Rev"),
				}},
				{ID: 20, Authors: []Person{
					person(0, "rev@r.org", "", "Rev"),
					person(0, "ann@a.org", "", "Ann"),
					person(0, "bob@b.org", "", "Bob"),
				}},
			},
			reviewers: []Person{person(10, "rev@r.org", "", "Rev")},
			want: []Conflict{
				{1, 10, Coauthor, "co-authors with bob@b.org on #20"},
				{20, 10, ReviewerIsAuthor, "listed as author 1 (rev@r.org)"},
				{20, 10, Coauthor, "co-authors with Ann on #30 (Later)"},
				{30, 10, ReviewerIsAuthor, "listed as author 2 (rev@r.org)"},
				{30, 10, Coauthor, "co-authors with Ann on #20"},
			},
		},
		{
			name: "sharing a paper only with oneself is not co-authorship",
			papers: []Paper{
				{ID: 1, Authors: []Person{person(0, "rev@r.org", "", "Rev")}},
				{ID: 2, Authors: []Person{person(10, "rev.other@r2.org", "", "Rev")}},
			},
			reviewers: []Person{person(10, "rev@r.org", "", "Rev")},
			want: []Conflict{
				{1, 10, ReviewerIsAuthor, "listed as author 1 (rev@r.org)"},
				{2, 10, ReviewerIsAuthor, "listed as author 1 (rev.other@r2.org)"},
			},
		},
		{
			// The id links the two emails of one author, so Ann's paper 1
			// is co-authored with the reviewer through paper 2.
			name: "co-authorship follows an author's account across emails",
			papers: []Paper{
				{ID: 1, Authors: []Person{person(5, "ann@old.org", "", "Ann")}},
				{ID: 2, Authors: []Person{
					person(5, "ann@new.org", "", "Ann"),
					person(0, "rev@r.org", "", "Rev"),
				}},
				{ID: 3, Authors: []Person{person(0, "ann@old.org", "", "Ann")}},
			},
			reviewers: []Person{person(10, "rev@r.org", "", "Rev")},
			want: []Conflict{
				{1, 10, Coauthor, "co-authors with Ann on #2"},
				{2, 10, ReviewerIsAuthor, "listed as author 2 (rev@r.org)"},
				{3, 10, Coauthor, "co-authors with Ann on #2"},
			},
		},
		{
			name: "people without email or id are nobody else",
			papers: []Paper{
				{ID: 1, Authors: []Person{person(0, "", "", "Ann")}},
				{ID: 2, Authors: []Person{person(0, "", "", "Ann"), person(0, "rev@r.org", "", "Rev")}},
			},
			reviewers: []Person{person(10, "rev@r.org", "", "Rev"), person(11, "", "", "Ann")},
			want: []Conflict{
				{2, 10, ReviewerIsAuthor, "listed as author 2 (rev@r.org)"},
			},
		},
		{
			name: "duplicate entries give one conflict per source",
			papers: []Paper{{ID: 1, Authors: []Person{
				person(0, "ann@mit.edu", "MIT", "Ann"),
				person(0, "bob@mit.edu", "MIT", "Bob"),
				person(0, "rev@mit.edu", "MIT", "Rev"),
				person(0, "rev@mit.edu", "MIT", "Rev"),
			}}},
			reviewers: []Person{
				person(10, "rev@mit.edu", "MIT", "Rev"),
				person(10, "rev@mit.edu", "MIT", "Rev"),
			},
			want: []Conflict{
				{1, 10, ReviewerIsAuthor, "listed as author 3 (rev@mit.edu)"},
				{1, 10, SameEmailDomain, "both at mit.edu"},
				{1, 10, SameAffiliation, "both at MIT"},
			},
		},
		{
			name: "ordered by paper id, reviewer id, source",
			papers: []Paper{
				{ID: 9, Authors: []Person{person(0, "a@x.edu", "X", "A")}},
				{ID: 4, Authors: []Person{person(0, "b@x.edu", "Y", "B")}},
			},
			reviewers: []Person{
				person(30, "r1@x.edu", "X", "R1"),
				person(20, "r2@x.edu", "Y", "R2"),
			},
			want: []Conflict{
				{4, 20, SameEmailDomain, "both at x.edu"},
				{4, 20, SameAffiliation, "both at Y"},
				{4, 30, SameEmailDomain, "both at x.edu"},
				{9, 20, SameEmailDomain, "both at x.edu"},
				{9, 30, SameEmailDomain, "both at x.edu"},
				{9, 30, SameAffiliation, "both at X"},
			},
		},
		{
			name:      "empty venue",
			papers:    nil,
			reviewers: []Person{person(1, "r@x.edu", "X", "R")},
			want:      nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Automatic(tt.papers, tt.reviewers)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Automatic:\n got %s\nwant %s", dump(got), dump(tt.want))
			}
		})
	}
}

func TestCoauthorDetailTruncatesTitle(t *testing.T) {
	t.Parallel()
	long := "A Very Long Title About Transformers That Goes On And On Past Sixty Characters"
	papers := []Paper{
		{ID: 1, Authors: []Person{person(0, "ann@a.org", "", "Ann")}},
		{ID: 2, Title: long, Authors: []Person{person(0, "ann@a.org", "", "Ann"), person(0, "r@r.org", "", "R")}},
	}
	got := Automatic(papers, []Person{person(10, "r@r.org", "", "R")})
	want := "co-authors with Ann on #2 (A Very Long Title About Transformers That Goes On And On Pa…)"
	if len(got) == 0 || got[0].Source != Coauthor || got[0].Detail != want {
		t.Fatalf("got %s, want first detail %q", dump(got), want)
	}
}

// TestAutomaticDeterministic shuffles papers and reviewers and expects the
// same list, so stored conflicts only change when the venue does.
func TestAutomaticDeterministic(t *testing.T) {
	t.Parallel()
	papers, reviewers := synthVenue(synthConfig{Papers: 300, Reviewers: 200, People: 700, Institutions: 40, Seed: 7})
	want := Automatic(papers, reviewers)
	if len(want) == 0 {
		t.Fatal("synthetic venue produced no conflicts")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 5 {
		p, r := slices.Clone(papers), slices.Clone(reviewers)
		rng.Shuffle(len(p), func(a, b int) { p[a], p[b] = p[b], p[a] })
		rng.Shuffle(len(r), func(a, b int) { r[a], r[b] = r[b], r[a] })
		if got := Automatic(p, r); !slices.Equal(got, want) {
			t.Fatalf("shuffle %d: %d conflicts differ from %d", i, len(got), len(want))
		}
	}
}

func dump(cs []Conflict) string {
	s := "["
	for _, c := range cs {
		s += fmt.Sprintf("\n  {%d %d %s %q}", c.Paper, c.Reviewer, c.Source, c.Detail)
	}
	return s + "]"
}
