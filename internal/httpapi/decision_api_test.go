package httpapi_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/mail/smtptest"
)

func mailsTo(s *apptest.Server, addr, subject string) int {
	n := 0
	for _, m := range s.Mail.Messages() {
		if m.SentTo(addr) && strings.Contains(m.Subject, subject) {
			n++
		}
	}
	return n
}

func TestDecideReleaseNotifyCameraReadyProgramme(t *testing.T) {
	t.Parallel()
	w, ids, tok := reviewWorld(t)
	rex := tok["rev@example.org"]
	w.s.As(t, rex, "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[0]), map[string]any{"fields": goodReview(5), "submit": true})
	w.s.As(t, tok["fay@away.example"], "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", ids[0]), map[string]any{"fields": goodReview(4), "submit": true})

	// A chair conflicted with #1 (Bob's email domain) cannot decide it.
	w.s.CreateUser(t, "cora@lab.example", "Cora Conflicted", false)
	w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/invitations", map[string]any{"email": "cora@lab.example", "role": "chair"})
	link := apptest.LinkIn(t, w.s.WaitMail(t, "cora@lab.example", "nvit"), "/invitations/")
	cora := w.s.Login(t, "cora@lab.example")
	w.s.As(t, cora, "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil)
	tok["cora@lab.example"] = cora
	expectProblem(t, w.s.As(t, cora, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[0]), map[string]string{"category": "accept-poster"}), 404, "submission_not_found")
	expectProblem(t, w.s.As(t, rex, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[0]), map[string]string{"category": "accept-poster"}), 403, "not_chair")
	expectProblem(t, w.s.As(t, w.chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[0]), map[string]string{"category": "maybe"}), 400, "invalid_request")

	// Before the decision deadline: on time.
	if r := w.s.As(t, w.chair, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[0]), map[string]string{"category": "accept-spotlight", "note": "Please shorten the talk to 12 minutes."}); r.StatusCode != 204 {
		t.Fatalf("decide: %s", r.Body)
	}
	table := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/decisions", nil).Map(t)
	if table["open"] != float64(2) || table["deadline_aoe"] != "2023-10-24 23:59:59 AoE" {
		t.Fatalf("table: %v", table)
	}
	// After it: recorded, flagged late.
	w.jump(t, time.Date(2023, 10, 26, 0, 0, 0, 0, time.UTC), tok)
	bulk := "number,category,note\n2,reject,\n3,accept-poster,Nice.\n"
	if r := w.s.As(t, w.chair, "POST", "/api/v1/venues/dlde-2023/decisions", bulk, "Content-Type", "text/csv"); r.StatusCode != 204 {
		t.Fatalf("bulk: %s", r.Body)
	}
	table = w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/decisions", nil).Map(t)
	onTime := map[float64]any{}
	for _, row := range table["rows"].([]any) {
		r := row.(map[string]any)
		onTime[r["number"].(float64)] = r["on_time"]
	}
	if onTime[1] != true || onTime[2] != false || onTime[3] != false || table["open"] != float64(0) {
		t.Fatalf("on-time flags: %v (%v)", onTime, table)
	}
	// The conflicted chair does not see #1 at all.
	coraResp := w.s.As(t, tok["cora@lab.example"], "GET", "/api/v1/venues/dlde-2023/decisions", nil)
	coraTable := coraResp.Map(t)
	if coraResp.StatusCode != 200 {
		t.Fatalf("cora: %s", coraResp.Body)
	}
	for _, row := range coraTable["rows"].([]any) {
		if row.(map[string]any)["number"] == float64(1) {
			t.Fatal("a conflicted chair sees the decision table row of their paper")
		}
	}

	// Nothing reaches authors before the release.
	expectProblem(t, w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[0]), nil), 403, "not_released")
	if r := w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", ids[0]), nil).Map(t); len(r["reviews"].([]any)) != 0 {
		t.Fatal("authors see reviews before the release")
	}
	var progr []any
	w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/programme", nil).JSON(t, &progr)
	if len(progr) != 0 {
		t.Fatal("the accepted papers are public before the release")
	}
	// The preview shows the exact messages: #1 to Ada and Bob, #2 and #3 to Eve.
	var preview []map[string]any
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/release/preview", nil).JSON(t, &preview)
	if len(preview) != 4 {
		t.Fatalf("preview: %v", preview)
	}
	for _, m := range preview {
		if m["to"] == "ada@uni.example" && (!strings.Contains(m["subject"].(string), "#1 is accepted (spotlight)") || !strings.Contains(m["body"].(string), "12 minutes")) {
			t.Fatalf("Ada's message: %v", m)
		}
	}

	// A release scheduled for 2023-10-27 AoE happens when the clock gets there.
	rel := w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/release", map[string]string{"at": "2023-10-27 AoE"})
	if rel.StatusCode != 200 || rel.Map(t)["release_at_aoe"] != "2023-10-27 23:59:59 AoE" {
		t.Fatalf("schedule: %s", rel.Body)
	}
	expectProblem(t, w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[0]), nil), 403, "not_released")
	w.jump(t, time.Date(2023, 10, 28, 12, 0, 0, 0, time.UTC), tok)
	d := w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/decision", ids[0]), nil).Map(t)
	if d["category"] != "accept-spotlight" || d["note"] != "Please shorten the talk to 12 minutes." || d["on_time"] != nil {
		t.Fatalf("the author's decision: %v", d)
	}
	revs := w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d/reviews", ids[0]), nil).Map(t)["reviews"].([]any)
	if len(revs) != 2 {
		t.Fatalf("the author sees %d reviews", len(revs))
	}
	for _, rv := range revs {
		f := rv.(map[string]any)["fields"].(map[string]any)
		if f["confidential"] != nil || f["summary"] == nil || rv.(map[string]any)["reviewer_name"] != nil {
			t.Fatalf("the author's view of a review: %v", rv)
		}
	}
	// Exactly one message per author and submission, whatever reruns.
	for _, to := range []string{"ada@uni.example", "bob@lab.example"} {
		w.s.WaitMail(t, to, "#1 is accepted")
	}
	w.s.WaitMail(t, "eve@elsewhere.example", "the decision on #2")
	w.s.WaitMail(t, "eve@elsewhere.example", "#3 is accepted")
	for i := 0; i < 2; i++ {
		if _, err := w.s.App.Services.Decisions.SendDue(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.s.App.Services.Decisions.Remail(t.Context(), 1); err != nil { // a worker that restarts mid-batch
		t.Fatal(err)
	}
	if _, err := w.s.App.Services.Decisions.SendDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	w.s.WaitOutboxSettled(t) // whatever the reruns queued has gone out
	for _, c := range []struct{ to, subj string }{{"ada@uni.example", "#1 is accepted"}, {"bob@lab.example", "#1 is accepted"}, {"eve@elsewhere.example", "#2"}, {"eve@elsewhere.example", "#3"}} {
		if n := mailsTo(w.s, c.to, c.subj); n != 1 {
			t.Errorf("%s got %d messages about %s", c.to, n, c.subj)
		}
	}
	_ = smtptest.ExtractLinks

	// Camera-ready: accepted papers only, checked without anonymity warnings.
	w.stranger = w.s.Login(t, "eve@elsewhere.example")
	expectProblem(t, w.s.As(t, w.stranger, "PUT", fmt.Sprintf("/api/v1/submissions/%d/camera-ready", ids[1]), corpus(t, "midpage4.pdf"), "Content-Type", "application/pdf"), 409, "not_accepted")
	cr := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/camera-ready", ids[0]), corpus(t, "authorblock.pdf"), "Content-Type", "application/pdf")
	if cr.StatusCode != 200 {
		t.Fatalf("camera-ready: %s", cr.Body)
	}
	if rep := cr.Map(t)["report"].(map[string]any); rep["leaks"] != nil {
		t.Fatalf("the camera-ready check must not warn about names: %v", rep["leaks"])
	} else if f, _ := rep["format"].(map[string]any); f == nil || f["template"] != "NeurIPS" {
		t.Fatalf("the camera-ready version is not checked against the venue's format: %v", rep["format"])
	}
	// The garbage collection keeps the camera-ready file, however old.
	if _, err := w.s.App.Services.Submissions.CollectGarbage(t.Context(), -time.Minute); err != nil {
		t.Fatal(err)
	}
	if ok, _ := w.s.App.Services.Submissions.Blobs.Exists(t.Context(), sha(corpus(t, "authorblock.pdf"))); !ok {
		t.Fatal("the garbage collection deleted the camera-ready file")
	}
	final := map[string]any{"authors": []map[string]string{{"name": "Ada Author", "email": "ada@uni.example"}, {"name": "Bob Coauthor", "email": "bob@lab.example"}, {"name": "Zoe Newcomer", "email": "zoe@uni.example"}}, "confirm": true}
	if r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/final-authors", ids[0]), final); r.StatusCode != 204 {
		t.Fatalf("final authors: %s", r.Body)
	}

	// The programme: a proposal, saved, public with the final author lists.
	prop := w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/programme/proposal", nil).Map(t)
	if fmt.Sprint(prop["spotlights"]) != "[1]" {
		t.Fatalf("proposal: %v", prop)
	}
	if r := w.s.As(t, w.chair, "PUT", "/api/v1/venues/dlde-2023/programme", prop); r.StatusCode != 204 {
		t.Fatalf("set programme: %s", r.Body)
	}
	var papers []map[string]any
	w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/programme", nil).JSON(t, &papers)
	if len(papers) != 2 || papers[0]["number"] != float64(1) || papers[0]["spotlight"] != float64(1) || !strings.Contains(fmt.Sprint(papers[0]["authors"]), "Zoe Newcomer") {
		t.Fatalf("programme: %v", papers)
	}
	// The file is public once its authors consent, behind a cover page
	// that says what it is (package publication).
	if r := w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/accepted/1/pdf", nil); r.StatusCode != 404 {
		t.Fatalf("a camera-ready version public without consent: %s", r.Status)
	}
	if r := w.s.As(t, w.author, "PUT", fmt.Sprintf("/api/v1/submissions/%d/publication", ids[0]), map[string]any{"consent": true, "licence": "cc-by-4.0"}); r.StatusCode != 200 {
		t.Fatalf("consent: %s", r.Body)
	}
	pdf := w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/accepted/1/pdf", nil)
	if pdf.StatusCode != 200 || !strings.Contains(readable(t, pdf), "Licence: CC BY 4.0") || len(pdf.Body) <= len(corpus(t, "authorblock.pdf")) {
		t.Fatalf("public camera-ready: %s", pdf.Status)
	}
	rows, err := csv.NewReader(bytes.NewReader(w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/programme?format=csv", nil).Body)).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("csv: %v %v", rows, err)
	}
	ics := w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/programme?format=ics", nil)
	cal, err := ical.NewDecoder(bytes.NewReader(ics.Body)).Decode()
	if err != nil {
		t.Fatalf("iCalendar does not parse: %v\n%s", err, ics.Body)
	}
	events := cal.Events()
	if len(events) < 2 {
		t.Fatalf("events: %d", len(events))
	}
	start, err := events[0].DateTimeStart(time.UTC)
	if err != nil || start.Format("2006-01-02") != "2023-12-16" {
		t.Fatalf("first event starts %v (%v)", start, err)
	}

	// The schedule's first spotlight slot is the spotlight paper's now, for
	// anyone, and its poster session lists it on a board.
	var day scheduleJSON
	w.s.Do(t, "GET", "/api/v1/venues/dlde-2023/schedule", nil).JSON(t, &day)
	boards := 0
	for _, it := range day.Items {
		if it.ID == "spotlight-1" && (it.Paper == nil || it.Paper.Number != 1) {
			t.Errorf("the first spotlight slot holds %+v, want #1", it.Paper)
		}
		if it.ID == "spotlight-2" && it.Paper != nil {
			t.Errorf("the second spotlight slot holds %+v, want none", it.Paper)
		}
		boards += len(it.Posters)
	}
	if boards != 2 {
		t.Errorf("%d posters on the boards, want both accepted papers", boards)
	}

	// The audit log has it all; the conflicted chair's copy leaves #1 out.
	var log []map[string]any
	w.s.As(t, w.chair, "GET", "/api/v1/venues/dlde-2023/audit", nil).JSON(t, &log)
	actions := map[string]bool{}
	for _, e := range log {
		actions[e["action"].(string)] = true
	}
	for _, a := range []string{"decision.set", "decision.release", "programme.set", "invitation.accept", "assignment.manual"} {
		if !actions[a] {
			t.Errorf("audit lacks %s: %v", a, actions)
		}
	}
	w.s.As(t, tok["cora@lab.example"], "GET", "/api/v1/venues/dlde-2023/audit", nil).JSON(t, &log)
	for _, e := range log {
		if e["subject"] == fmt.Sprintf("submission %d", ids[0]) || e["subject"] == "#1" || strings.Contains(fmt.Sprint(e["detail"]), "Number:1 ") {
			t.Fatalf("the conflicted chair's audit log shows %v", e)
		}
		if e["action"] == "assignment.manual" {
			t.Fatalf("the conflicted chair sees a bulk change that includes their paper: %v", e)
		}
	}
}
