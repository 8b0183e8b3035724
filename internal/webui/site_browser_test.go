package webui_test

import "testing"

// TestPublicSiteInTheReadersZone: an anonymous visitor in Paris reads the
// venue's site. The schedule shows each time at the venue (CST) with the
// reader's own beside it, and the submission deadline as the venue states
// it (AoE) with its UTC instant; one stored zone, every other derived.
func TestPublicSiteInTheReadersZone(t *testing.T) {
	t.Parallel()
	s := startUI(t) // the demo's venue file: its schedule is published
	tb := newTabIn(t, s, "Europe/Paris")
	tb.open("/venues/dlde-2023")
	tb.see(`tr[data-item="opening"] td.when`, "08:15", "CST")
	tb.see(`tr[data-item="opening"] td.local`, "15:15")
	tb.see(`tr[data-item="keynote-gu"]`, "Albert Gu: Structured State Space Models for Deep Sequence Modeling", "14:15", "21:15")
	tb.see(`[data-schedule] th [data-local-zone]`, "Europe/Paris")
	tb.see(`li[data-deadline="submission"]`, "8 October 2023, Anywhere on Earth", "2023-10-09 11:59:59 UTC")
	tb.see(`[data-call]`, "extended abstracts")
	tb.see(`[data-speakers]`, "Yulia Rubanova", "DeepMind")
	tb.see(`[data-organisers]`, "Luca Herranz-Celotti", "Université de Sherbrooke")
	// The virtual link is for people signed in.
	tb.see(`[data-virtual]`, "Sign in to see the link")
	tb.checkAccessibility("the venue's public site")
	tb.fitsPhone("/venues/dlde-2023")

	tb.open("/venues/dlde-2023/posters")
	tb.see(`[data-session="1"]`, "Poster Session 1")
	tb.checkAccessibility("the poster boards")
}
