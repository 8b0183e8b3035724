package httpapi_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app/apptest"
)

// TestVenueCacheShowsEveryWriteAtOnce: each replica caches what it derives
// from a venue's data (its conflicts, the bidding list, a reviewer's
// assignments and progress) under the venue's data version. Every write,
// made through the other replica or straight in the database, must show on
// the very next read here, with no wait: the reads come right after the
// writes, and each one has been cached (read twice) before the write.
func TestVenueCacheShowsEveryWriteAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, ids, tok := matchingWorld(t)
	a := w.s
	b := apptest.Start(t, apptest.Options{Env: map[string]string{"DATABASE_URL": a.App.Config.DatabaseURL}})
	onB := func(email string) string { return b.Login(t, email) }

	conflicts := func() []string {
		t.Helper()
		var list []map[string]any
		r := a.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/conflicts", nil)
		if r.StatusCode != 200 {
			t.Fatalf("conflicts: %s", r.Body)
		}
		r.JSON(t, &list)
		var out []string
		for _, c := range list {
			out = append(out, fmt.Sprintf("#%v %s %s waived=%v", c["number"], c["email"], c["source"], c["waived"]))
		}
		return out
	}
	cached := func(read func() []string) []string {
		t.Helper()
		first, second := read(), read()
		if !slices.Equal(first, second) {
			t.Fatalf("two reads with no write between differ: %q then %q", first, second)
		}
		return second
	}
	expect := func(got []string, want string, present bool) {
		t.Helper()
		if slices.Contains(got, want) != present {
			t.Fatalf("%q present = %v, want %v, in %q", want, !present, present, got)
		}
	}

	// A chair's conflict added through replica B.
	c := cached(conflicts)
	expect(c, "#2 rev@example.org added_by_chair waived=false", false)
	if r := b.As(t, onB("chair@example.org"), "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 2, "reviewer": "rev@example.org", "note": "former student"}); r.StatusCode != 204 {
		t.Fatalf("chair adds on B: %s", r.Body)
	}
	expect(conflicts(), "#2 rev@example.org added_by_chair waived=false", true)

	// A waiver through B.
	cached(conflicts)
	if r := b.As(t, onB("chair@example.org"), "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 1, "reviewer": "carol@uni.example", "waive": true, "note": "different campus"}); r.StatusCode != 204 {
		t.Fatalf("chair waives on B: %s", r.Body)
	}
	expect(conflicts(), "#1 carol@uni.example same_email_domain waived=true", true)

	// A reviewer's profile changed in the database by anyone: Fay now works
	// where Bob does, which conflicts her with paper #1.
	cached(conflicts)
	if _, err := a.App.Pool.Exec(ctx, "UPDATE users SET affiliation = 'Example Lab' WHERE email = 'fay@away.example'"); err != nil {
		t.Fatal(err)
	}
	expect(conflicts(), "#1 fay@away.example same_affiliation waived=false", true)

	// A new submission, created and uploaded through B by someone at Dan's
	// domain, enters review with its conflict.
	b.CreateUser(t, "gus@far.example", "Gus Nearby", false)
	gus := onB("gus@far.example")
	cached(conflicts)
	p := paper()
	p["authors"] = []map[string]string{{"name": "Gus Nearby", "email": "gus@far.example"}}
	r := b.As(t, gus, "POST", "/api/v1/venues/dlde-2023/submissions", p)
	if r.StatusCode != 201 {
		t.Fatalf("create on B: %s", r.Body)
	}
	newID := int64(r.Map(t)["id"].(float64))
	if r := b.As(t, gus, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", newID), corpus(t, "midpage4.pdf"), "Content-Type", "application/pdf"); r.StatusCode != 200 {
		t.Fatalf("upload on B: %s", r.Body)
	}
	expect(conflicts(), "#4 dan@far.example same_email_domain waived=false", true)

	// An assignment made through B is on Rex's list and in his progress on A.
	rex := tok["rev@example.org"]
	mine := func() []string {
		t.Helper()
		var list []map[string]any
		a.As(t, rex, "GET", "/api/v1/venues/dlde-2023/my-assignments", nil).JSON(t, &list)
		var out []string
		for _, m := range list {
			out = append(out, fmt.Sprint(m["submission_id"]))
		}
		return out
	}
	var rexID int64
	if err := a.App.Pool.QueryRow(ctx, "SELECT id FROM users WHERE email = 'rev@example.org'").Scan(&rexID); err != nil {
		t.Fatal(err)
	}
	progress := func() []string {
		t.Helper()
		n, done, err := a.App.Services.Matching.MyProgress(ctx, "dlde-2023", account.Principal{UserID: rexID})
		if err != nil {
			t.Fatal(err)
		}
		return []string{fmt.Sprintf("%d assigned, %d done", n, done)}
	}
	expect(cached(mine), fmt.Sprint(ids[2]), false)
	expect(cached(progress), "0 assigned, 0 done", true)
	if r := b.As(t, onB("chair@example.org"), "POST", "/api/v1/venues/dlde-2023/assignments", map[string]any{"changes": []map[string]any{{"number": 3, "email": "rev@example.org", "assign": true}}}); r.StatusCode != 204 {
		t.Fatalf("assign on B: %s", r.Body)
	}
	expect(mine(), fmt.Sprint(ids[2]), true)
	expect(progress(), "1 assigned, 0 done", true)

	// Rex, reading his list cached, is made conflicted with #3 through B:
	// it leaves his list and his count at once.
	cached(mine)
	if r := b.As(t, onB("chair@example.org"), "POST", "/api/v1/venues/dlde-2023/conflicts", map[string]any{"submission": 3, "reviewer": "rev@example.org", "note": "found later"}); r.StatusCode != 204 {
		t.Fatalf("chair adds on B: %s", r.Body)
	}
	expect(mine(), fmt.Sprint(ids[2]), false)
	expect(progress(), "0 assigned, 0 done", true)

	// A bid through B is on the bidding list on A.
	w.jump(t, biddingTime, tok)
	b.Clock.Set(biddingTime)
	carol := tok["carol@uni.example"]
	bids := func() []string {
		t.Helper()
		var items []map[string]any
		r := a.As(t, carol, "GET", "/api/v1/venues/dlde-2023/bids", nil)
		if r.StatusCode != 200 {
			t.Fatalf("bids: %s", r.Body)
		}
		r.JSON(t, &items)
		var out []string
		for _, it := range items {
			out = append(out, fmt.Sprintf("%v:%v", it["submission_id"], it["bid"]))
		}
		return out
	}
	expect(cached(bids), fmt.Sprintf("%d:eager", ids[1]), false)
	if r := b.As(t, onB("carol@uni.example"), "PUT", fmt.Sprintf("/api/v1/venues/dlde-2023/bids/%d", ids[1]), map[string]string{"bid": "eager"}); r.StatusCode != 204 {
		t.Fatalf("bid on B: %s", r.Body)
	}
	expect(bids(), fmt.Sprintf("%d:eager", ids[1]), true)
}
