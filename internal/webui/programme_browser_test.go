package webui_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestProgrammeFromReleaseToTheDayInChromium: the chair releases the
// decisions (with the confirmation) and, with nobody arranging anything,
// the public posters page shows the accepted posters in both sessions and
// the schedule's spotlight slots their titles. On the Programme page Enter
// in a board field only saves; the chair moves a poster to the other
// session and a talk earlier, and the public pages follow. The public
// pages fit a phone; the new page passes the accessibility checks.
func TestProgrammeFromReleaseToTheDayInChromium(t *testing.T) {
	t.Parallel()
	s, _ := programmeWorld(t)
	tb := newTab(t, s)
	const chairBase = "/venues/dlde-2023/chair"
	tb.signIn("chair@example.org", chairBase+"/decisions")
	tb.see("main h1", "Decisions")

	// Before the release nothing is public.
	tb.open("/venues/dlde-2023/posters")
	tb.see("[data-unreleased]", "once the decisions are announced")

	tb.open(chairBase + "/decisions")
	tb.do("releasing now", chromedp.Click(chromedp.CSS("form[data-release-now] button")))
	tb.see("[data-release-confirm]", "Release the decisions now?")
	tb.do("confirming", chromedp.Click(chromedp.CSS("form[data-release-confirmed] button")))
	tb.see(".notice", "The decisions are released")

	// The day, filled by itself: #1 and #3 give the talks; the four
	// accepted papers are split over both poster sessions.
	tb.open("/venues/dlde-2023/posters")
	tb.see(`[data-session="1"] table.boards`, "#1 Neural ODEs with Learned Step Sizes", "#3 Programme paper 3")
	tb.see(`[data-session="2"] table.boards`, "#2 Fourier Operators for Turbulence", "#4 Programme paper 4")
	tb.checkAccessibility("the poster boards, filled")
	tb.open("/venues/dlde-2023")
	tb.see(`tr[data-item="spotlight-1"]`, "Neural ODEs with Learned Step Sizes", "Ada Author")
	tb.see(`tr[data-item="spotlight-2"]`, "Programme paper 3")
	tb.see(`tr[data-item="spotlight-3"]`, "Can Physics informed Neural Operators Self Improve?") // no third talk: the slot keeps its title

	// The Programme page.
	tb.open(chairBase + "/programme")
	tb.see("main h1", "Programme")
	tb.see("[data-programme-summary]", "The decisions are released")
	tb.see(`tr[data-talk="1"]`, "Neural ODEs with Learned Step Sizes", "spotlight slot (spotlight-1)")
	tb.checkAccessibility("the programme page")
	if href := tb.eval(`document.querySelector('tr[data-poster="3"] a').getAttribute("href")`); !strings.HasPrefix(href, chairBase+"/papers/") {
		t.Errorf("the title links to %q, not the chairs' paper page", href)
	}

	// Enter in a board field presses the first button, which only saves.
	before := fmt.Sprint(publicBoards(t, s), spotlights(t, s))
	tb.eval(`(() => {
		const f = document.querySelector("form[data-programme-form]");
		f.addEventListener("submit", e => sessionStorage.setItem("submitter", e.submitter ? e.submitter.name + "=" + e.submitter.value : "none"));
		document.querySelector("#f-boards-3").focus();
		return "";
	})()`)
	tb.do("Enter in #3's board", chromedp.KeyEvent(kb.Enter))
	tb.see(".notice", "The programme is saved.")
	if by := tb.eval(`sessionStorage.getItem("submitter") || ""`); by != "save=1" {
		t.Errorf("Enter pressed %q", by)
	}
	if after := fmt.Sprint(publicBoards(t, s), spotlights(t, s)); after != before {
		t.Fatalf("Enter changed the programme: %s, was %s", after, before)
	}

	// #3 to the other session; its talk earlier.
	tb.do("moving #3", chromedp.Click(chromedp.CSS(`tr[data-poster="3"] button[name=move]`)))
	tb.see(".notice", "#3 moved to the other poster session")
	tb.see(`[data-session="2"] tr[data-poster="3"]`)
	tb.do("#3's talk earlier", chromedp.Click(chromedp.CSS(`tr[data-talk="3"] button[name=up]`)))
	tb.see(".notice", "The talk of #3 moved")
	tb.see(`tr[data-talk="3"] td:first-child`, "1")

	tb.open("/venues/dlde-2023/posters")
	tb.see(`[data-session="2"] table.boards`, "#3 Programme paper 3")
	tb.see(`[data-session="2"] tr[data-board="3"]`, "#3 Programme paper 3")
	if s1 := tb.text(`[data-session="1"]`); strings.Contains(s1, "Programme paper 3") {
		t.Errorf("session 1 still lists #3: %s", s1)
	}
	tb.open("/venues/dlde-2023")
	tb.see(`tr[data-item="spotlight-1"]`, "Programme paper 3")
	tb.see(`tr[data-item="spotlight-2"]`, "Neural ODEs with Learned Step Sizes")

	for _, p := range []string{"/venues/dlde-2023", "/venues/dlde-2023/posters", "/venues/dlde-2023/now", chairBase + "/programme"} {
		tb.fitsPhone(p)
	}
	// On the day, during the first spotlight: the now page names the talk.
	s.Clock.Set(time.Date(2023, 12, 16, 15, 35, 0, 0, time.UTC)) // 09:35 CST
	tb.open("/venues/dlde-2023/now")
	tb.see("[data-on]", "Programme paper 3")
	tb.see("[data-next]", "Neural ODEs with Learned Step Sizes")
	tb.fitsPhone("/venues/dlde-2023/now")
	tb.checkAccessibility("now and next, on the day")
}
