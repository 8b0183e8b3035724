package webui_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// scheduleFields are the schedule form's fields a person can type in or
// pick from, in page order.
const scheduleFields = `Array.from(document.querySelectorAll("form[data-schedule-form] :is(input:not([type=hidden]), select, textarea)"))`

// evalAcross evaluates js, retrying while a page is being replaced (the
// old document's context is gone before the new one answers).
func (tb *tab) evalAcross(js string) string {
	tb.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		s, err := chromedp.Run(tb.step(), chromedp.Evaluate[string](js))
		if err == nil {
			return s
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("evaluating %s: %v", js, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestScheduleEditorEnterChangesNothing presses Enter in every field of
// the published schedule's editor, in Chromium: where Enter submits, it is
// through the hidden Save (never a row's "earlier"), the answer is that
// nothing changed, and the stored schedule stays byte for byte the same.
// Then the layout: times and titles whole at 1280 px, no sideways page at
// 390 px; and the preview's Cancel and Confirm, with accessibility checks
// on the editor and the preview.
func TestScheduleEditorEnterChangesNothing(t *testing.T) {
	t.Parallel()
	s := startUI(t) // the demo's schedule is published
	tb := newTab(t, s)
	tb.signIn("chair@example.org", scheduleEditor)
	tb.see("main h1", "Schedule")
	tb.see("[data-published]", "public")
	before := storedSchedule(t, s)

	n, err := strconv.Atoi(tb.eval(`String(` + scheduleFields + `.length)`))
	if err != nil || n < 17*9 {
		t.Fatalf("%d fields in the editor (%v); want every row's nine", n, err)
	}
	submitted := 0
	for i := 0; i < n; i++ {
		// Mark the page and watch the form: which button submits it, if any.
		field := tb.eval(`(() => {
			const f = document.querySelector("form[data-schedule-form]");
			f.addEventListener("submit", e => sessionStorage.setItem("submitter", e.submitter ? e.submitter.name + "=" + e.submitter.value : "none"));
			sessionStorage.setItem("submitter", "");
			document.documentElement.dataset.old = "1";
			const el = ` + scheduleFields + `[` + strconv.Itoa(i) + `];
			el.focus();
			return el.tagName.toLowerCase() + ":" + (el.type || "") + " " + el.name;
		})()`)
		tb.do("Enter in "+field, chromedp.KeyEvent(kb.Enter))
		switch by := tb.evalAcross(`sessionStorage.getItem("submitter") || ""`); by {
		case "":
			if strings.HasPrefix(field, "input:text") {
				t.Errorf("Enter in %s submitted nothing", field)
			}
		case "action=save":
			submitted++
			got := tb.evalAcross(`document.documentElement.dataset.old || document.readyState !== "complete" ? "" : (document.querySelector(".notice") || {textContent: "no notice"}).textContent`)
			for got == "" {
				time.Sleep(50 * time.Millisecond)
				got = tb.evalAcross(`document.documentElement.dataset.old || document.readyState !== "complete" ? "" : (document.querySelector(".notice") || {textContent: "no notice"}).textContent`)
			}
			if got != "Nothing changed: the schedule is as it was." {
				t.Fatalf("Enter in %s answered %q", field, got)
			}
		default:
			t.Fatalf("Enter in %s pressed %s", field, by)
		}
		if got := storedSchedule(t, s); got != before {
			t.Fatalf("Enter in %s changed the stored schedule:\n%s", field, got)
		}
	}
	t.Logf("Enter submitted the form from %d of %d fields", submitted, n)
	if submitted < 17*6 {
		t.Errorf("only %d of %d fields submitted on Enter", submitted, n)
	}
	if day := publicDay(t, s); len(day) != 17 || day[0].ID != "opening" || day[1].ID != "keynote-kim" {
		t.Fatalf("the public day after pressing Enter everywhere: %+v", day)
	}

	// At 1280 px every time and title is whole, the table fits its region
	// and the page does not scroll sideways.
	tb.open(scheduleEditor)
	tb.see(`tr[data-item="opening"] td.when .local`, ":") // the reader's own zone, by script
	if cut := tb.eval(`Array.from(document.querySelectorAll("form[data-schedule-form] input.hm, form[data-schedule-form] td.title textarea"))
		.filter(e => e.value && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1)).map(e => e.name + "=" + e.value).join("; ")`); cut != "" {
		t.Errorf("cut off at 1280 px: %s", cut)
	}
	if w := tb.eval(`(() => { const r = document.querySelector("form[data-schedule-form] .scroll");
		return r.scrollWidth <= r.clientWidth && document.documentElement.scrollWidth === 1280 ? "fits" : r.scrollWidth + " in " + r.clientWidth + ", page " + document.documentElement.scrollWidth; })()`); w != "fits" {
		t.Errorf("at 1280 px the table is %s px wide; want it to fit its region and the page", w)
	}
	tb.checkAccessibility("the schedule editor")
	tb.do("a 390 px phone", chromedp.EmulateViewport(390, 800))
	tb.open(scheduleEditor)
	if w := tb.eval(`String(document.documentElement.scrollWidth)`); w != "390" {
		t.Errorf("the editor is %s px wide on a 390 px phone", w)
	}
	tb.do("a desktop window", chromedp.EmulateViewport(1280, 900))
	tb.fitsPhone(scheduleEditor)

	// Typing a title and using the visible Save: the preview, then Cancel
	// keeps the edit, and Confirm publishes it.
	tb.open(scheduleEditor)
	title := `tr[data-item="spotlight-2"] td.title textarea`
	tb.eval(`document.querySelector('` + title + `').value = ""`)
	tb.do("retitling a spotlight",
		chromedp.SendKeys(chromedp.CSS(title), "Adaptive Resolution Residual Networks, revisited"),
		chromedp.Click(chromedp.CSS(`form[data-schedule-form] button.primary`)))
	tb.see("main h1", "check the changes")
	tb.see("[data-schedule-diff]", "1 item changes on the public page; 16 stay as they are.", "Retitled", "Adaptive Resolution Residual Networks, revisited")
	tb.checkAccessibility("the schedule preview")
	if got := storedSchedule(t, s); got != before {
		t.Fatal("the preview changed the stored schedule")
	}
	tb.open(scheduleEditor)
	tb.do("the move button of the first keynote", chromedp.Click(chromedp.CSS(`tr[data-item="keynote-kim"] button[name=earlier]`)))
	tb.see("[data-schedule-diff]", "2 items change", "Moved")
	tb.do("a 390 px phone", chromedp.EmulateViewport(390, 800))
	if w := tb.eval(`String(document.documentElement.scrollWidth)`); w != "390" {
		t.Errorf("the preview is %s px wide on a 390 px phone", w)
	}
	tb.do("a desktop window", chromedp.EmulateViewport(1280, 900))
	tb.do("cancelling", chromedp.Click(chromedp.CSS(`[data-cancel]`)))
	tb.see(".notice", "Nothing is saved yet")
	if got := tb.eval(`document.querySelector("tr[data-row='0'] td.title textarea").value`); !strings.HasPrefix(got, "Machine learning methods") {
		t.Errorf("after Cancel the first row is %q; want the move kept for more editing", got)
	}
	if got := storedSchedule(t, s); got != before {
		t.Fatal("Cancel changed the stored schedule")
	}
	tb.do("saving the move", chromedp.Click(chromedp.CSS(`form[data-schedule-form] button.primary`)))
	tb.see("[data-schedule-diff]", "2 items change", "Moved")
	tb.do("confirming", chromedp.Click(chromedp.CSS(`[data-confirm]`)))
	tb.see(".notice", "The schedule is saved: the public page shows the changes now.")
	if day := publicDay(t, s); day[0].ID != "keynote-kim" || day[0].StartLocal != "08:15" || day[1].ID != "opening" {
		t.Fatalf("the public day after confirming the move: %+v", day[:2])
	}
}
