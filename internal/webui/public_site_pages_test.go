package webui_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestVenuePageHasTheSeedPagesSections: the public page of the demo venue
// gives, as the workshop's own page did, the day, its hours and the
// building in its header (the hours from the schedule, in its zone, so
// they cannot disagree), the speakers' bios, and closes with the
// acknowledgements, their links rendered and nothing raw.
func TestVenuePageHasTheSeedPagesSections(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	p := newBrowser(t, s).get("/venues/dlde-2023")
	if p.status != http.StatusOK {
		t.Fatalf("venue page: %d", p.status)
	}
	for _, want := range []string{
		`<p class="event-line" data-event-line><strong>Saturday 16 December 2023</strong> · 08:15–16:45 CST · New Orleans Ernest N. Morial Convention Center</p>`,
		`<h2 id="thanks-h">Acknowledgements</h2>`,
		`<a href="https://visualdialog.org"`,
		"whatsonmyblackboard for the blackboard",
		`<div class="markdown bio"><p>Builds learned simulators of physical systems`,
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the venue page lacks %q", want)
		}
	}
	// The order of the seed page: speakers, organisers and contact, then the
	// acknowledgements last.
	if strings.Index(p.body, `id="speakers-h"`) > strings.Index(p.body, `id="organisers-h"`) ||
		strings.Index(p.body, `id="organisers-h"`) > strings.Index(p.body, `id="thanks-h"`) {
		t.Error("the sections are out of the seed page's order")
	}
}
