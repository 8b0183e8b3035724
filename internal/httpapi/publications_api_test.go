package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

const turbulenceBib = `@inproceedings{rex2022,
  title = {Fourier Neural Operators for Turbulence Closure},
  abstract = {Spectral neural operators learn turbulence closures of the Navier-Stokes equations from simulation.},
  booktitle = {NeurIPS}, year = 2022}
@article{rex2019,
  title = {Learning Subgrid Turbulence Models with Spectral Convolutions},
  journal = {J. Fluid Mech.}, year = {2019}}`

// TestPublicationsMoveTheAffinity: a reviewer's BibTeX about turbulence
// raises the turbulence paper above the step-size paper in their bidding
// list, where their keywords alone had it the other way; removing the
// entries takes it back. Bad files are refused with what broke.
func TestPublicationsMoveTheAffinity(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	stepID := w.create(t)
	p := paper()
	p["title"] = "Turbulence Closures by Spectral Operators"
	p["abstract"] = "Fourier neural operators learn closures for turbulence in the Navier-Stokes equations."
	p["keywords"] = []string{"neural operators"}
	r := w.s.As(t, w.author, "POST", "/api/v1/venues/dlde-2023/submissions", p)
	if r.StatusCode != 201 {
		t.Fatalf("create: %s", r.Body)
	}
	turbID := int64(r.Map(t)["id"].(float64))
	for _, id := range []int64{stepID, turbID} {
		if r := w.upload(t, id, corpus(t, "midpage4.pdf")); r.StatusCode != 200 {
			t.Fatalf("upload: %s", r.Body)
		}
	}
	// Rex's keywords speak of step sizes.
	if r := w.s.As(t, w.reviewer, "PATCH", "/api/v1/me", map[string]any{"keywords": []string{"adaptive step sizes", "neural ODEs"}}); r.StatusCode != 200 {
		t.Fatalf("keywords: %s", r.Body)
	}
	tok := map[string]string{"rev@example.org": ""}
	w.jump(t, biddingTime, tok)
	rex := tok["rev@example.org"]
	affinity := func() (step, turb float64, first int64) {
		var items []map[string]any
		w.s.As(t, rex, "GET", "/api/v1/venues/dlde-2023/bids", nil).JSON(t, &items)
		for i, it := range items {
			id := int64(it["submission_id"].(float64))
			if i == 0 {
				first = id
			}
			switch id {
			case stepID:
				step = it["affinity"].(float64)
			case turbID:
				turb = it["affinity"].(float64)
			}
		}
		return step, turb, first
	}
	step0, turb0, first0 := affinity()
	if first0 != stepID || step0 <= turb0 {
		t.Fatalf("before: step %.3f, turbulence %.3f: the keywords should favour the step-size paper", step0, turb0)
	}

	expectProblem(t, w.s.As(t, rex, "POST", "/api/v1/me/publications", map[string]any{"format": "bibtex", "content": "@article{x, title = {unclosed"}), 400, "invalid_request")
	expectProblem(t, w.s.As(t, rex, "POST", "/api/v1/me/publications", map[string]any{"format": "dblp", "content": turbulenceBib}), 400, "invalid_request")
	add := w.s.As(t, rex, "POST", "/api/v1/me/publications", map[string]any{"format": "bibtex", "content": turbulenceBib})
	if m := add.Map(t); add.StatusCode != 200 || m["read"] != float64(2) || m["added"] != float64(2) {
		t.Fatalf("add: %s %s", add.Status, add.Body)
	}
	// The same file again adds nothing.
	if m := w.s.As(t, rex, "POST", "/api/v1/me/publications", map[string]any{"format": "bibtex", "content": turbulenceBib}).Map(t); m["added"] != float64(0) {
		t.Fatalf("again: %v", m)
	}
	step1, turb1, first1 := affinity()
	if first1 != turbID || turb1 <= turb0 || turb1 <= step1 {
		t.Fatalf("after: step %.3f → %.3f, turbulence %.3f → %.3f: the publications should move the turbulence paper first", step0, step1, turb0, turb1)
	}

	var list []map[string]any
	w.s.As(t, rex, "GET", "/api/v1/me/publications", nil).JSON(t, &list)
	if len(list) != 2 || list[0]["year"] != float64(2022) || !strings.Contains(fmt.Sprint(list[0]["title"]), "Turbulence Closure") {
		t.Fatalf("list: %v", list)
	}
	// Nobody else's entries can be removed; one's own can.
	expectProblem(t, w.s.As(t, w.author, "DELETE", fmt.Sprintf("/api/v1/me/publications/%v", list[0]["id"]), nil), 404, "publication_not_found")
	for _, e := range list {
		if r := w.s.As(t, rex, "DELETE", fmt.Sprintf("/api/v1/me/publications/%v", e["id"]), nil); r.StatusCode != 204 {
			t.Fatalf("remove: %s", r.Body)
		}
	}
	if step2, turb2, first2 := affinity(); first2 != stepID || step2 != step0 || turb2 != turb0 {
		t.Fatalf("after removing: step %.3f, turbulence %.3f, first #%d: want the affinity of before", step2, turb2, first2)
	}
}
