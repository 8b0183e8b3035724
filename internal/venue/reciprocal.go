package venue

// Reciprocal is the rule that authors review for the venue they submit
// to: each submission names one of its authors (in a person field of the
// venue's submission_fields) to review other papers. The nominee joins
// the reviewer pool with a load of LoadPerPaper for every paper that named
// them; their own papers are conflicts, as every author's are; and no
// assignment lets two authors review each other's papers.
type Reciprocal struct {
	// Field is the key of the person field that names the nominee; empty:
	// the rule is off.
	Field string `yaml:"field,omitempty"`
	// LoadPerPaper is how many papers a nominee reviews for each paper
	// that named them; 0 means 1.
	LoadPerPaper int `yaml:"load_per_paper,omitempty"`
}

// On tells whether the venue has the rule.
func (r Reciprocal) On() bool { return r.Field != "" }

// Load is a nominee's load for n papers that named them.
func (r Reciprocal) Load(n int) int {
	per := r.LoadPerPaper
	if per <= 0 {
		per = 1
	}
	return per * n
}

func (s *Settings) validateReciprocal(ps *problems) {
	r := s.ReciprocalReviewing
	if r.LoadPerPaper < 0 {
		ps.addf("reciprocal_reviewing.load_per_paper", "must not be negative (0 means 1)")
	}
	if !r.On() {
		if r.LoadPerPaper != 0 {
			ps.addf("reciprocal_reviewing.field", "required with a load: the key of a person field in submission_fields")
		}
		return
	}
	f, ok := s.SubmissionField(r.Field)
	switch {
	case !ok:
		ps.addf("reciprocal_reviewing.field", "%q is not a key of submission_fields", r.Field)
	case f.Kind != FieldPerson:
		ps.addf("reciprocal_reviewing.field", "%q is a %s field; the nominee is chosen in a person field", r.Field, f.Kind)
	case len(f.Tracks) > 0:
		ps.addf("reciprocal_reviewing.field", "%q must be asked of every track: every submission names its reviewing author", r.Field)
	}
}
