package openreview

import (
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/venue"
)

// TestReviewOnAnotherForm: DLDE III's own form scores 1 to 5 and asks for
// strengths and weaknesses; an OpenReview review is put on it and every
// step that is not one-to-one is said.
func TestReviewOnAnotherForm(t *testing.T) {
	set, _, err := venue.Parse(venue.DemoYAML())
	if err != nil {
		t.Fatal(err)
	}
	c := Content{"rating": "8: Top 50% of accepted papers, clear accept", "confidence": "4: The reviewer is confident",
		"summary": "A solver.", "strengths": "Fast.", "weaknesses": "Few baselines.", "questions": "Why RK4?"}
	f, probs := reviewFields(set.ReviewForm, c)
	if f["overall"] != 4 || f["confidence"] != 4 || f["summary"] != "A solver.\n\n**questions**: Why RK4?" || f["strengths"] != "Fast." || f["weaknesses"] != "Few baselines." {
		t.Fatalf("fields: %v", f)
	}
	all := strings.Join(probs, "\n")
	if !strings.Contains(all, "rating 8 is not on the form's scale 1–5: rescaled from 1–10 to 4") || !strings.Contains(all, `field questions added to "Summary of the paper"`) {
		t.Fatalf("reported: %s", all)
	}
	for text, want := range map[string]string{"Accept (Oral)": "accept-spotlight", "Accept (Spotlight)": "accept-spotlight", "Accept (Poster)": "accept-poster",
		"Accept": "accept-spotlight", "Reject": "reject", "Desk Reject": "reject", "accept-poster": "accept-poster"} {
		d, _, ok := decisionCategory(set, text)
		if !ok || d.Key != want {
			t.Errorf("%q: %q %v", text, d.Key, ok)
		}
	}
	if _, _, ok := decisionCategory(set, "Invite to the journal track"); ok {
		t.Error("an unknown decision was matched")
	}
}

func TestAuthors(t *testing.T) {
	c := Content{"authors": []any{"Zoë Ångström", "", "Ada"}, "authorids": []any{"Zoe@KTH.example", "~Li_Lei1", "~Ada_Lovelace1"}}
	got, probs := authorsOf(c, Profiles{"~Ada_Lovelace1": {Email: "ada@uni.example"}})
	if len(got) != 3 || got[0].Email != "Zoe@KTH.example" || got[1].Name != "Li Lei" || got[1].Email != "" || got[2].Email != "ada@uni.example" {
		t.Fatalf("authors: %+v", got)
	}
	if len(probs) != 1 || !strings.Contains(probs[0], "~Li_Lei1") {
		t.Fatalf("reported: %v", probs)
	}
}

// TestAffiliations: the profile map's affiliation, unless the note's own
// author_affiliations (Quire's export) says otherwise for that paper.
func TestAffiliations(t *testing.T) {
	p := Profiles{"~Ada_Lovelace1": {Email: "ada@uni.example", Affiliation: "Analytical Engines"}, "bob@lab.example": {Email: "bob@lab.example", Affiliation: "Bob's Lab"}}
	c := Content{"authors": []any{"Ada", "Bob"}, "authorids": []any{"~Ada_Lovelace1", "bob@lab.example"}}
	got, _ := authorsOf(c, p)
	if got[0].Affiliation != "Analytical Engines" || got[1].Affiliation != "Bob's Lab" {
		t.Fatalf("from the map: %+v", got)
	}
	c["author_affiliations"] = []any{"", "Université de Sherbrooke"}
	got, _ = authorsOf(c, p)
	if got[0].Affiliation != "Analytical Engines" || got[1].Affiliation != "Université de Sherbrooke" {
		t.Fatalf("from the note: %+v", got)
	}
}
