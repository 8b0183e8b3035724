package conflict

import "testing"

// BenchmarkAutomaticNeurIPS runs every rule on a NeurIPS 2023 size venue
// (12,345 submissions, 10,000 reviewers, 40,000 people); the venue is built
// once, outside the timed loop, and the conflicts found are reported per
// source. Run: go test -run '^$' -bench NeurIPS -benchmem -benchtime 3x
func BenchmarkAutomaticNeurIPS(b *testing.B) {
	papers, reviewers := synthVenue(neuripsVenue)
	b.ReportAllocs()
	var got []Conflict
	for b.Loop() {
		got = Automatic(papers, reviewers)
	}
	perSource := map[Source]int{}
	for _, c := range got {
		perSource[c.Source]++
	}
	b.ReportMetric(float64(len(got)), "conflicts")
	for src, n := range perSource {
		b.ReportMetric(float64(n), string(src))
	}
}

func BenchmarkNormalizeAffiliation(b *testing.B) {
	for b.Loop() {
		NormalizeAffiliation("Dept. of Computer Science, Université de Montréal & Mila")
	}
}

func BenchmarkEmailDomain(b *testing.B) {
	for b.Loop() {
		EmailDomain("someone@cs.robots.ox.ac.uk")
	}
}
