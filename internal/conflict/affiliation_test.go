package conflict

import "testing"

func TestNormalizeAffiliation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"University of Oxford", "university oxford"},
		{"  The   University of  Oxford ", "university oxford"},
		{"Univ. of Oxford", "university oxford"},
		{"Université de Montréal", "university montreal"},
		{"Technische Universität München", "technische university munchen"},
		{"ETH Zürich", "eth zurich"},
		{"E.T.H. Zürich", "eth zurich"},
		{"U.C. Berkeley", "uc berkeley"},
		{"Texas A&M University", "texas a and m university"},
		{"Georgia Inst. of Tech.", "georgia institute technology"},
		{"King's College London", "kings college london"},
		{"l'Université Paris-Saclay", "university paris saclay"},
		{"Politecnico di Milano, Dipartimento di Elettronica, Informazione e Bioingegneria",
			"politecnico milano dipartimento elettronica informazione e bioingegneria"},
		{"Łódź University of Technology", "lodz university technology"},
		{"Straße Institut", "strasse institute"},
		{"Google Inc.", "google"},
		{"Microsoft Research Lab – Asia", "microsoft research laboratory asia"},
		{"ＭＩＴ", "mit"}, // fullwidth, folded by NFKC
		{"清华大学", "清华大学"},
		{"", ""},
		{"   ", ""},
		{"-", ""},
		{"N/A", ""},
		{"none", ""},
		{"Independent Researcher", ""},
		{"The", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			if got := NormalizeAffiliation(tt.in); got != tt.want {
				t.Errorf("NormalizeAffiliation(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeAffiliationPairs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		same bool
	}{
		{"Univ. of X", "University of X", true},
		{"University of Washington", "UNIVERSITY OF WASHINGTON", true},
		{"Universidad de Chile", "Universidad  de  Chile.", true},
		{"Université de Montréal", "University of Montreal", true},
		{"Univ. Paris-Saclay", "Université Paris Saclay", true},
		{"Carnegie Mellon University", "Carnegie-Mellon University", true},
		{"Stanford Univ.", "Stanford University", true},
		{"AT&T Labs", "AT and T Labs", true},
		{"University at Buffalo", "University of Buffalo", true},
		// Acronyms are not expanded: guessing them would join unrelated
		// institutions, so MIT and its full name do not match here (the
		// email-domain rule is what catches such a pair).
		{"MIT", "Massachusetts Institute of Technology", false},
		{"CMU", "Carnegie Mellon University", false},
		// Word order names different institutions.
		{"University of Washington", "Washington University", false},
		{"Stanford University", "Dept. of Computer Science, Stanford University", false},
		{"University of Oxford", "Oxford Brookes University", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"|"+tt.b, func(t *testing.T) {
			t.Parallel()
			na, nb := NormalizeAffiliation(tt.a), NormalizeAffiliation(tt.b)
			if (na == nb) != tt.same {
				t.Errorf("%q -> %q, %q -> %q: same = %v, want %v", tt.a, na, tt.b, nb, na == nb, tt.same)
			}
		})
	}
}
