package venue

import (
	"reflect"
	"testing"
	"time"
)

func TestDemoVenue(t *testing.T) {
	t.Parallel()
	s, err := DemoVenue()
	if err != nil {
		t.Fatal(err)
	}
	var tracks []Track
	for _, t := range s.Tracks {
		tracks = append(tracks, Track{Key: t.Key, Name: t.Name, ReviewsPerPaper: t.ReviewsPerPaper}) // formats: format_test.go
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"slug", s.Slug, "dlde-2023"},
		{"submission", s.Deadlines.Submission.At, time.Date(2023, 10, 9, 11, 59, 59, 0, time.UTC)},
		{"decision", s.Deadlines.Decision.At, time.Date(2023, 10, 25, 11, 59, 59, 0, time.UTC)},
		{"review", s.Deadlines.Review.At, time.Date(2023, 10, 19, 11, 59, 59, 0, time.UTC)},
		{"opens", s.Deadlines.SubmissionOpens.At, time.Date(2023, 9, 1, 12, 0, 0, 0, time.UTC)},
		{"tracks", tracks, []Track{{Key: "new-work", Name: "New work", ReviewsPerPaper: 3}, {Key: "recently-published", Name: "Recently published work", ReviewsPerPaper: 1}}},
		{"page limit", s.Pages.Limit, 4},
		{"upload", s.Pages.MaxUploadBytes, ByteSize(10 << 20)},
		{"zone", s.Zone().String(), "America/Chicago"},
		{"load", s.ReviewerLoad, ReviewerLoad{Min: 1, Max: 6}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}
