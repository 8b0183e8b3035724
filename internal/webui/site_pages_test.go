package webui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

type dayItem struct {
	ID, Kind, Title, Speaker string
	StartLocal               string `json:"start_local"`
	EndLocal                 string `json:"end_local"`
	Room, Stream             string
}

func scheduleItems(t *testing.T, s *apptest.Server, token string) []dayItem {
	t.Helper()
	var day struct {
		Items []struct {
			dayItem
			Speaker *struct{ Name string }
		}
	}
	s.As(t, token, "GET", "/api/v1/venues/dlde-2023/schedule", nil).JSON(t, &day)
	out := make([]dayItem, len(day.Items))
	for i, it := range day.Items {
		out[i] = it.dayItem
		if it.Speaker != nil {
			// The form names speakers by key; the demo's keys are surnames.
			parts := strings.Fields(it.Speaker.Name)
			out[i].Speaker = strings.ToLower(parts[len(parts)-1])
		}
	}
	return out
}

// scheduleForm is the day view's form as a browser without script posts it.
func scheduleForm(csrf string, items []dayItem, extra url.Values) url.Values {
	f := url.Values{"csrf": {csrf}, "rows": {fmt.Sprint(len(items))}}
	for i, it := range items {
		p := fmt.Sprintf("items.%d.", i)
		f.Set(p+"id", it.ID)
		f.Set(p+"start", it.StartLocal)
		f.Set(p+"end", it.EndLocal)
		f.Set(p+"kind", it.Kind)
		f.Set(p+"title", it.Title)
		f.Set(p+"speaker", it.Speaker)
		f.Set(p+"room", it.Room)
		f.Set(p+"stream", it.Stream)
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// TestChairScheduleDayViewWithoutScript: a chair edits the day through the
// form: an overlap is refused and named, a talk moves one slot earlier
// while the slots keep their times, an item is added and one removed, and
// publishing is a separate button.
func TestChairScheduleDayViewWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	chair := s.Login(t, "chair@example.org")
	b := newBrowser(t, s)
	b.signIn("chair@example.org", apptest.Password)
	p := b.get("/venues/dlde-2023/chair/schedule")
	if p.status != http.StatusOK {
		t.Fatalf("day view: %d %s", p.status, p.body)
	}
	mustContain(t, p, `data-published="true"`, `value="08:15"`, "Machine learning methods for protein, peptide and antibody design", `data-item="closing"`)
	items := scheduleItems(t, s, chair)
	if len(items) != 17 {
		t.Fatalf("%d items in the demo's day", len(items))
	}
	// A draft saves at once; a public one shows a preview first (schedule_preview_test.go).
	if p := b.post("/venues/dlde-2023/chair/schedule/publish", url.Values{"csrf": {b.csrf()}, "published": {"false"}}); p.status != http.StatusOK {
		t.Fatalf("unpublish: %d", p.status)
	}

	// The first keynote running into the first spotlight.
	bad := append([]dayItem(nil), items...)
	bad[1].EndLocal = "09:40"
	p = b.post("/venues/dlde-2023/chair/schedule", scheduleForm(b.csrf(), bad, nil))
	if p.status != http.StatusBadRequest {
		t.Fatalf("overlap: %d", p.status)
	}
	mustContain(t, p, "overlaps", "Effective Latent Differential Equation Models", `aria-invalid="true"`, `value="09:40"`)
	if got := scheduleItems(t, s, chair); got[1].EndLocal != "09:30" {
		t.Fatalf("a refused form changed the schedule: %+v", got[1])
	}

	// The second spotlight one slot earlier: the content swaps, the times stay.
	p = b.post("/venues/dlde-2023/chair/schedule", scheduleForm(b.csrf(), items, url.Values{"earlier": {"3"}}))
	if p.status != http.StatusOK {
		t.Fatalf("move: %d %s", p.status, p.body)
	}
	got := scheduleItems(t, s, chair)
	if got[2].ID != "spotlight-2" || got[2].StartLocal != "09:30" || got[2].Title != "Adaptive Resolution Residual Networks" || got[3].ID != "spotlight-1" || got[3].StartLocal != "09:45" {
		t.Fatalf("after the move: %+v %+v", got[2], got[3])
	}

	// Remove the morning break, add a talk in its place.
	f := scheduleForm(b.csrf(), got, url.Values{"items.4.remove": {"1"}})
	f.Set("items.17.start", "10:00")
	f.Set("items.17.end", "10:15")
	f.Set("items.17.kind", "talk")
	f.Set("items.17.title", "A word from the sponsors")
	if p := b.post("/venues/dlde-2023/chair/schedule", f); p.status != http.StatusOK {
		t.Fatalf("add and remove: %d %s", p.status, p.body)
	}
	got = scheduleItems(t, s, chair)
	if len(got) != 17 || got[4].Title != "A word from the sponsors" || got[4].ID != "talk-1" || got[4].Kind != "talk" {
		t.Fatalf("after adding and removing: %+v", got[4])
	}

	// Taking it back hides it from everyone else.
	if p := b.post("/venues/dlde-2023/chair/schedule/publish", url.Values{"csrf": {b.csrf()}, "published": {"false"}}); p.status != http.StatusOK || !strings.Contains(p.body, `data-published="false"`) {
		t.Fatalf("unpublish: %d", p.status)
	}
	if r := s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule", nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("an unpublished schedule answered %s", r.Status)
	}
	anon := newBrowser(t, s).get("/venues/dlde-2023")
	if strings.Contains(anon.body, "data-schedule") {
		t.Fatal("the public page shows an unpublished schedule")
	}
	// A reader who is not a chair cannot see or post the day view.
	if p := newBrowser(t, s).get("/venues/dlde-2023/chair/schedule"); p.status != http.StatusSeeOther && p.status != http.StatusForbidden {
		t.Fatalf("an anonymous reader got the day view: %d", p.status)
	}
}

// TestNowAndNext: on the day, the attendees' page shows what is on and
// what follows.
func TestNowAndNext(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b := newBrowser(t, s)
	s.Clock.Set(time.Date(2023, 12, 16, 15, 0, 0, 0, time.UTC)) // 09:00 CST
	p := b.get("/venues/dlde-2023/now")
	if p.status != http.StatusOK {
		t.Fatalf("now: %d", p.status)
	}
	on, next, _ := strings.Cut(p.body, "data-next")
	if !strings.Contains(on, "Philip M. Kim: Machine learning methods") || !strings.Contains(next, "Effective Latent Differential Equation Models") || !strings.Contains(next, "09:30") {
		t.Fatalf("now and next at 09:00 CST:\n%s", p.body)
	}
	s.Clock.Set(time.Date(2023, 12, 17, 0, 0, 0, 0, time.UTC))
	mustContain(t, b.get("/venues/dlde-2023/now"), "The day is over")
	s.Clock.Set(time.Date(2023, 12, 16, 12, 0, 0, 0, time.UTC))
	mustContain(t, b.get("/venues/dlde-2023/now"), "has not begun", "Introduction and opening remarks")
	mustContain(t, b.get("/venues/dlde-2023/posters"), "Poster Session 1", "Poster Session 2", "once the decisions are announced")
}
