package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/mail/smtptest"
)

// TestRemindersBeforeAndAfterTheReviewDeadline: seven days before the
// review deadline every reviewer with a review to write is reminded once,
// of their own papers only, however often the job looks (the app's own job
// runs too); after it, one who submitted meanwhile is not; one who asked
// for a digest gets one mail a day with everything; the chairs see the
// schedule and who was reminded.
func TestRemindersBeforeAndAfterTheReviewDeadline(t *testing.T) {
	t.Parallel()
	w, ids, tok := matchingWorld(t)
	// Only the review's steps: the app's own job would otherwise send the
	// bidding step at its own moment, racing what this test counts.
	y := strings.Replace(venueYAML(t, "dlde-2023"), "  - deadline: bidding\n    before: [2d]\n", "", 1)
	if !strings.Contains(y, "deadline: review") || strings.Contains(y, "deadline: bidding") {
		t.Fatal("the venue file's reminders are not as this test expects")
	}
	if r := w.s.As(t, w.chair, "PATCH", "/api/v1/venues/dlde-2023", map[string]string{"settings_yaml": y}); r.StatusCode != 200 {
		t.Fatalf("settings: %s %s", r.Status, r.Body)
	}
	w.jump(t, biddingTime, tok)
	var changes []map[string]any
	for n, rv := range map[int][]string{1: {"rev@example.org", "dan@far.example"}, 2: {"rev@example.org", "carol@uni.example"}, 3: {"fay@away.example"}} {
		for _, e := range rv {
			changes = append(changes, map[string]any{"number": n, "email": e, "assign": true})
		}
	}
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": changes}); r.StatusCode != 204 {
		t.Fatalf("assign: %s", r.Body)
	}
	// Carol wants one mail a day; Fay submits her review in time.
	if r := w.s.As(t, tok["carol@uni.example"], "PUT", "/api/v1/me/reminders", map[string]bool{"digest": true}); r.StatusCode != 200 || r.Map(t)["digest"] != true {
		t.Fatalf("carol's preference: %s", r.Body)
	}
	if r := w.s.As(t, tok["carol@uni.example"], "GET", "/api/v1/me/reminders", nil).Map(t); r["digest"] != true {
		t.Fatalf("carol's preference read back: %v", r)
	}
	// The review deadline is 2023-10-18 AoE: its last second ends at
	// 2023-10-19 12:00 UTC; seven days before is 2023-10-12 12:00 UTC.
	w.jump(t, time.Date(2023, 10, 12, 13, 0, 0, 0, time.UTC), tok)
	rem := w.s.App.Services.Reminders
	ctx := context.Background()
	for range 3 {
		if _, err := rem.SendDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	rex := w.s.WaitMail(t, "rev@example.org", "your reviews are due in 7 days")
	if !strings.Contains(rex.Text, "#1 ") || !strings.Contains(rex.Text, "#2 ") || strings.Contains(rex.Text, "#3 ") {
		t.Fatalf("rex's reminder names the wrong papers:\n%s", rex.Text)
	}
	dan := w.s.WaitMail(t, "dan@far.example", "your reviews are due in 7 days")
	if strings.Contains(dan.Text, "#2 ") || strings.Contains(dan.Text, "Rex") {
		t.Fatalf("dan's reminder names more than his paper:\n%s", dan.Text)
	}
	for _, who := range []string{"rev@example.org", "dan@far.example"} {
		if n := mailsTo(w.s, who, "due in 7 days"); n != 1 {
			t.Errorf("%s got %d reminders of the step, want 1", who, n)
		}
	}
	if n := mailsTo(w.s, "carol@uni.example", "your reviews"); n != 0 {
		t.Errorf("carol asked for a digest and got %d single reminders", n)
	}
	// Her digest goes out once, then not again within a day.
	for range 2 {
		if _, err := rem.SendDigests(ctx); err != nil {
			t.Fatal(err)
		}
	}
	digest := w.s.WaitMailWhere(t, "carol's digest with her review", func(m smtptest.Message) bool {
		return m.SentTo("carol@uni.example") && strings.Contains(m.Subject, "Your Quire reminders") && strings.Contains(m.Text, "your reviews are due in 7 days")
	})
	if !strings.Contains(digest.Text, "#2 ") {
		t.Fatalf("carol's digest:\n%s", digest.Text)
	}

	// Fay submits; a day after the deadline the late ones are reminded
	// once more, and Fay is not.
	w.jump(t, reviewingTime, tok)
	if r := w.s.As(t, tok["fay@away.example"], "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[2]), map[string]any{"fields": goodReview(4), "submit": true}); r.StatusCode != 200 {
		t.Fatalf("fay reviews: %s", r.Body)
	}
	w.jump(t, time.Date(2023, 10, 20, 13, 0, 0, 0, time.UTC), tok)
	if _, err := rem.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	w.s.WaitMail(t, "dan@far.example", "your reviews were due 1 day ago")
	if n := mailsTo(w.s, "fay@away.example", "were due"); n != 0 {
		t.Errorf("fay submitted and got %d late reminders", n)
	}
	if _, err := rem.SendDigests(ctx); err != nil {
		t.Fatal(err)
	}
	// The 1-day-before step (2023-10-18 12:00 UTC) was skipped by this
	// jump, so the day-after one comes in her second digest.
	w.s.WaitMailWhere(t, "carol's second digest", func(m smtptest.Message) bool {
		return m.SentTo("carol@uni.example") && strings.Contains(m.Subject, "Your Quire reminders") && strings.Contains(m.Text, "were due 1 day ago")
	})
	reviewDigests := 0
	for _, m := range w.s.Mail.Messages() {
		if m.SentTo("carol@uni.example") && strings.Contains(m.Subject, "Your Quire reminders") && strings.Contains(m.Text, "your reviews") {
			reviewDigests++
		}
	}
	if reviewDigests != 2 {
		t.Errorf("carol got %d digests with review reminders, want 2", reviewDigests)
	}

	// The chairs see the schedule and the log; a reviewer may not.
	expectProblem(t, w.s.As(t, tok["rev@example.org"], "GET", "/api/v1/venues/dlde-2023/reminders", nil), 403, "not_chair")
	o := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/reminders", nil).Map(t)
	states := map[string]string{}
	for _, st := range o["steps"].([]any) {
		m := st.(map[string]any)
		states[m["kind"].(string)+m["key"].(string)] = fmt.Sprintf("%v/%v", m["state"], m["recipients"])
	}
	if states["review-7d"] != "sent/4" || states["review-1d"] != "skipped/0" || states["review+1d"] != "sent/3" || states["camera_ready-7d"] != "upcoming/0" {
		t.Fatalf("steps: %v", states)
	}
	toDan := false
	for _, e := range o["log"].([]any) {
		m := e.(map[string]any)
		if m["kind"] != "review" {
			continue // the job also sent the bidding reminders on its own
		}
		toDan = toDan || m["recipient"] == "dan@far.example"
		if m["recipient"] == "fay@away.example" && m["step"] == "+1d" {
			t.Errorf("the log has a late reminder to fay, who submitted: %v", m)
		}
	}
	if !toDan {
		t.Fatalf("the log lacks dan's review reminders: %v", o["log"])
	}
}
