package webui_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

const scheduleEditor = "/venues/dlde-2023/chair/schedule"

// storedSchedule is the venue file as stored: any write changes it.
func storedSchedule(t *testing.T, s *apptest.Server) string {
	t.Helper()
	var y string
	if err := s.App.Pool.QueryRow(context.Background(), `SELECT settings_yaml FROM venues WHERE slug = 'dlde-2023'`).Scan(&y); err != nil {
		t.Fatal(err)
	}
	return y
}

// publicItem is an item of the public schedule, as much as these tests read.
type publicItem struct {
	ID, Title  string
	StartLocal string `json:"start_local"`
}

// publicDay is the schedule as anyone reads it from the API.
func publicDay(t *testing.T, s *apptest.Server) []publicItem {
	t.Helper()
	var day struct{ Items []publicItem }
	r := s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule", nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("the public schedule: %s", r.Status)
	}
	r.JSON(t, &day)
	return day.Items
}

var (
	attrPattern     = regexp.MustCompile(`([a-z-]+)(?:="([^"]*)")?`)
	inputPattern    = regexp.MustCompile(`<input\b([^>]*)>`)
	textareaPattern = regexp.MustCompile(`(?s)<textarea\b([^>]*)>(.*?)</textarea>`)
	selectPattern   = regexp.MustCompile(`(?s)<select\b([^>]*)>(.*?)</select>`)
	optionPattern   = regexp.MustCompile(`(?s)<option\b([^>]*)>(.*?)</option>`)
)

func attrs(s string) map[string]string {
	m := map[string]string{}
	for _, a := range attrPattern.FindAllStringSubmatch(s, -1) {
		m[a[1]] = html.UnescapeString(a[2])
	}
	return m
}

// formValues is what a browser without script posts from the form whose
// opening tag contains marker, before any button adds its own value:
// every field with its value, checkboxes only when checked.
func formValues(t *testing.T, body, marker string) url.Values {
	t.Helper()
	_, rest, ok := strings.Cut(body, marker)
	if !ok {
		t.Fatalf("no form %s in:\n%s", marker, body)
	}
	form, _, _ := strings.Cut(rest, "</form>")
	v := url.Values{}
	for _, m := range inputPattern.FindAllStringSubmatch(form, -1) {
		a := attrs(m[1])
		if _, checked := a["checked"]; a["type"] == "checkbox" && !checked {
			continue
		}
		v.Add(a["name"], a["value"])
	}
	for _, m := range textareaPattern.FindAllStringSubmatch(form, -1) {
		v.Add(attrs(m[1])["name"], html.UnescapeString(m[2]))
	}
	for _, m := range selectPattern.FindAllStringSubmatch(form, -1) {
		chosen := ""
		for i, o := range optionPattern.FindAllStringSubmatch(m[2], -1) {
			a := attrs(o[1])
			val, has := a["value"]
			if !has {
				val = html.UnescapeString(o[2])
			}
			if _, sel := a["selected"]; sel || i == 0 {
				chosen = val
			}
		}
		v.Add(attrs(m[1])["name"], chosen)
	}
	return v
}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

// TestPublishedScheduleChangesOnlyAfterPreview drives the editor as a
// browser without script: on a published schedule, Save and "earlier"
// show what changes on the public page and write nothing; Cancel goes back
// with the edits; Confirm writes exactly what was previewed; a preview
// made before someone else's change is shown again, not written.
func TestPublishedScheduleChangesOnlyAfterPreview(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	before := storedSchedule(t, s)
	unchanged := func(when string) {
		t.Helper()
		if got := storedSchedule(t, s); got != before {
			t.Fatalf("%s changed the stored schedule:\n%s", when, got)
		}
	}
	editor := b.get(scheduleEditor)
	mustContain(t, editor, `data-published="true"`, `data-enter-default>Save the schedule</button>`, "Save: show the changes first")
	// Enter presses the form's first button, which comes before every row's.
	if first, move := strings.Index(editor.body, `data-enter-default`), strings.Index(editor.body, `name="earlier"`); first < 0 || move < first {
		t.Fatalf("the hidden default button is not the form's first (at %d, the first move at %d)", first, move)
	}
	form := formValues(t, editor.body, "data-schedule-form")
	if form.Get("rows") != "17" || form.Get("items.1.id") != "keynote-kim" || form.Get("items.1.speaker") != "kim" {
		t.Fatalf("the editor's form: %v", form)
	}

	// What Enter posts, untouched: nothing to save.
	p := b.post(scheduleEditor, with(form, "action", "save"))
	if p.status != http.StatusOK {
		t.Fatalf("saving as it was: %d %s", p.status, p.body)
	}
	mustContain(t, p, "Nothing changed: the schedule is as it was.", `data-item="opening"`)
	unchanged("saving an untouched form")

	// The keynote one slot earlier: a preview of two moves, nothing written.
	p = b.post(scheduleEditor, with(form, "earlier", "1"))
	mustContain(t, p, "Schedule: check the changes", "Nothing is saved yet.", "2 items change on the public page; 15 stay as they are.",
		`<tr data-change="Moved">`, "08:15–08:45</span> <span class=\"kind\">keynote</span> Philip M. Kim: Machine learning methods",
		`name="items.0.id" value="keynote-kim"`, `name="items.1.id" value="opening"`)
	unchanged("previewing a move")
	if day := publicDay(t, s); day[0].ID != "opening" || day[1].ID != "keynote-kim" {
		t.Fatalf("the public day after a preview: %+v", day[:2])
	}

	// A retitled spotlight, a break removed and a talk added: each named.
	edit := with(form, "items.3.title", "Adaptive Resolution Residual Networks, revisited", "items.4.remove", "1",
		"items.17.start", "16:45", "items.17.end", "17:00", "items.17.kind", "talk", "items.17.title", "A word from the sponsors", "action", "save")
	p = b.post(scheduleEditor, edit)
	mustContain(t, p, "3 items change on the public page; 15 stay as they are.",
		`<tr data-change="Retitled">`, "Adaptive Resolution Residual Networks, revisited",
		`<tr data-change="Removed">`, "gone from the page",
		`<tr data-change="Added">`, "not on the page", "A word from the sponsors", `name="items.16.id" value="talk-1"`)
	unchanged("previewing edits")
	preview := p

	// Cancel: back to the editor with the edits in place, still nothing saved.
	p = b.post(scheduleEditor, with(formValues(t, preview.body, "data-confirm-schedule"), "action", "back"))
	mustContain(t, p, "Nothing is saved yet: the public schedule is as it was.", "Adaptive Resolution Residual Networks, revisited</textarea>",
		`name="rows" value="17"`, "A word from the sponsors</textarea>")
	if strings.Contains(p.body, `data-item="break-morning"`) {
		t.Error("the removed break is back in the editor after Cancel")
	}
	unchanged("cancelling")

	// Someone else saves meanwhile: the old preview is shown again, against
	// their version, and not written.
	other := newBrowser(t, s)
	other.signIn("chair@example.org", apptest.Password)
	theirs := formValues(t, other.get(scheduleEditor).body, "data-schedule-form")
	p = other.post(scheduleEditor, with(theirs, "items.16.title", "Closing remarks and awards", "action", "save"))
	p = other.post(scheduleEditor, with(formValues(t, p.body, "data-confirm-schedule"), "action", "confirm"))
	mustContain(t, p, "The schedule is saved: the public page shows the changes now.")
	before = storedSchedule(t, s)
	p = b.post(scheduleEditor, with(formValues(t, preview.body, "data-confirm-schedule"), "action", "confirm"))
	mustContain(t, p, "data-stale", "Someone changed the schedule after you looked at it", `<tr data-change="Retitled">`, "Closing remarks and awards")
	unchanged("confirming a stale preview")

	// Confirm: exactly what was previewed is written and public.
	p = b.post(scheduleEditor, with(formValues(t, p.body, "data-confirm-schedule"), "action", "confirm"))
	if p.status != http.StatusOK {
		t.Fatalf("confirming: %d %s", p.status, p.body)
	}
	mustContain(t, p, "The schedule is saved: the public page shows the changes now.", `data-published="true"`)
	day := publicDay(t, s)
	titles := map[string]string{}
	for _, it := range day {
		titles[it.ID] = it.StartLocal + " " + it.Title
	}
	if len(day) != 17 || titles["spotlight-2"] != "09:45 Adaptive Resolution Residual Networks, revisited" || titles["talk-1"] != "16:45 A word from the sponsors" ||
		titles["break-morning"] != "" || titles["closing"] != "16:30 Closing remarks" {
		t.Fatalf("the public day after confirming: %v", titles)
	}

	// A refused form is explained, and a preview never hides the errors.
	bad := with(formValues(t, b.get(scheduleEditor).body, "data-schedule-form"), "items.1.end", "09:40", "action", "save")
	before = storedSchedule(t, s)
	p = b.post(scheduleEditor, bad)
	if p.status != http.StatusBadRequest {
		t.Fatalf("an overlap: %d", p.status)
	}
	mustContain(t, p, "overlaps", `aria-invalid="true"`, `value="09:40"`)
	if strings.Contains(p.body, "data-confirm-schedule") {
		t.Error("a refused form offered a confirmation")
	}
	unchanged("a refused form")
}
