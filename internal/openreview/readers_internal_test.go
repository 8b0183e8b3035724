package openreview

import (
	"testing"

	"github.com/quirehq/quire/internal/review"
)

// A comment goes to the discussion, which the paper's reviewers read, only
// when its readers on OpenReview included them; what the chairs wrote to
// the authors alone stays a note for the chairs.
func TestReadersDecideWhoReadsAComment(t *testing.T) {
	t.Parallel()
	const v = "NeurIPS.cc/2023/Workshop/DLDE"
	for _, c := range []struct {
		readers []string
		want    string
	}{
		{[]string{v + "/Program_Chairs", v + "/Submission3/Authors"}, review.KindChairNote},
		{[]string{v + "/Submission3/Authors"}, review.KindChairNote},
		{[]string{v + "/Program_Chairs"}, review.KindChairNote},
		{nil, review.KindChairNote},
		{[]string{v + "/Program_Chairs", v + "/Submission3/Area_Chairs"}, review.KindChairNote},
		{[]string{v + "/Program_Chairs", v + "/Submission3/Reviewers"}, review.KindDiscussion},
		{[]string{v + "/Program_Chairs", v + "/Submission3/Reviewers/Submitted", v + "/Submission3/Authors"}, review.KindDiscussion},
		{[]string{v + "/Submission3/Reviewer_aB1c"}, review.KindDiscussion},
		{[]string{"everyone"}, review.KindDiscussion},
	} {
		if got, _ := readersOf(c.readers); got != c.want {
			t.Errorf("readers %q: %s, want %s", c.readers, got, c.want)
		}
	}
}
