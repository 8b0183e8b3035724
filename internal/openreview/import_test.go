package openreview_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/openreview"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
)

func TestMain(m *testing.M) { apptest.Main(m) }

var ctx = context.Background()

type world struct {
	s     *apptest.Server
	chair account.Principal
	svc   *openreview.Service
}

func newWorld(t *testing.T, slugs ...string) *world {
	t.Helper()
	s := apptest.Start(t)
	s.CreateUser(t, "admin@example.org", "Admin", true)
	w := &world{s: s, chair: account.Principal{UserID: s.CreateUser(t, "chair@example.org", "Chair", false)}}
	for i := 1; i <= 12; i++ {
		s.CreateUser(t, fmt.Sprintf("rev%02d@example.org", i), fmt.Sprintf("Reviewer %d", i), false)
	}
	admin := s.Login(t, "admin@example.org")
	for _, slug := range slugs {
		if r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": orVenue(t, slug), "chairs": []string{"chair@example.org"}}); r.StatusCode != http.StatusCreated {
			t.Fatalf("creating the venue: %s", r.Body)
		}
	}
	sv := s.App.Services
	w.svc = &openreview.Service{DB: s.App.Pool, Clock: sv.Clock, Venues: sv.Venues, Accounts: sv.Accounts, Submissions: sv.Submissions}
	return w
}

func (w *world) importInto(t *testing.T, slug string, ws workshop, notes []byte, pdfDir string) openreview.Report {
	t.Helper()
	ns, err := openreview.Read(bytes.NewReader(notes), openreview.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	prof, err := openreview.ReadProfiles(strings.NewReader(ws.profiles))
	if err != nil {
		t.Fatal(err)
	}
	in := openreview.Input{Notes: ns, Profiles: prof}
	if pdfDir != "" {
		in.PDFs = os.DirFS(pdfDir)
	}
	start := time.Now()
	rep, err := w.svc.Import(ctx, slug, w.chair.UserID, in)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	t.Logf("imported %d notes (%d PDFs stored) into %s in %v", rep.Notes, rep.PDFs, slug, time.Since(start).Round(time.Millisecond))
	return rep
}

// paper is a Quire submission as the comparisons read it.
type paper struct {
	Number    int
	Title     string
	Abstract  string
	Keywords  []string
	Authors   []submission.Author
	Withdrawn bool
	PDF       string
	Reviews   map[string]map[string]any // reviewer's email: fields
	Decision  [2]string                 // category, note
	Meta      [2]string                 // recommendation, body
	Comments  []comment
	Fields    map[string]any
	Supp      string // hash and type
}

// comment is a Quire comment as the comparisons read it.
type comment struct {
	Kind, Body, Author string
	At                 time.Time
}

func (w *world) papers(t *testing.T, slug string) map[string]paper {
	t.Helper()
	subs, err := w.s.App.Services.Submissions.ListVenue(ctx, slug, w.chair, submission.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]paper{}
	db := w.s.App.Pool
	for _, s := range subs {
		p := paper{Number: s.Number, Title: s.Title, Abstract: s.Abstract, Keywords: s.Keywords, Authors: s.Authors, Withdrawn: s.WithdrawnAt != nil, Reviews: map[string]map[string]any{},
			Fields: map[string]any{}}
		var answers []byte
		if err := db.QueryRow(ctx, `SELECT answers FROM submission_field_values WHERE submission_id = $1`, s.ID).Scan(&answers); err == nil {
			if err := json.Unmarshal(answers, &p.Fields); err != nil {
				t.Fatal(err)
			}
		}
		if s.PDF != nil {
			p.PDF = s.PDF.SHA256
		}
		if s.Supp != nil {
			p.Supp = s.Supp.SHA256 + " " + s.SuppType
		}
		rows, err := db.Query(ctx, `SELECT u.email, r.fields FROM reviews r JOIN users u ON u.id = r.reviewer_id WHERE r.submission_id = $1 AND r.status = 'submitted'`, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var email string
			var raw []byte
			if err := rows.Scan(&email, &raw); err != nil {
				t.Fatal(err)
			}
			var f map[string]any
			if err := json.Unmarshal(raw, &f); err != nil {
				t.Fatal(err)
			}
			p.Reviews[email] = f
		}
		rows.Close()
		rows, err = db.Query(ctx, `SELECT c.kind, c.body, u.email, c.created_at FROM comments c JOIN users u ON u.id = c.author_id WHERE c.submission_id = $1 ORDER BY c.created_at, c.id`, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var c comment
			if err := rows.Scan(&c.Kind, &c.Body, &c.Author, &c.At); err != nil {
				t.Fatal(err)
			}
			c.At = c.At.UTC()
			p.Comments = append(p.Comments, c)
		}
		rows.Close()
		_ = db.QueryRow(ctx, `SELECT category, note FROM decisions WHERE submission_id = $1`, s.ID).Scan(&p.Decision[0], &p.Decision[1])
		_ = db.QueryRow(ctx, `SELECT recommendation, body FROM meta_reviews WHERE submission_id = $1`, s.ID).Scan(&p.Meta[0], &p.Meta[1])
		if _, dup := out[s.Title]; dup {
			t.Fatalf("two submissions titled %q", s.Title)
		}
		out[s.Title] = p
	}
	return out
}

func notesJSON(t *testing.T, notes []openreview.Note) []byte {
	t.Helper()
	b, err := json.MarshalIndent(notes, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestImportWorkshop imports the 40-paper workshop and compares every
// submission, author, review and decision with the notes it came from;
// importing the same file again changes nothing and duplicates nothing.
func TestImportWorkshop(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "dlde-or")
	ws := makeWorkshop(t)
	rep := w.importInto(t, "dlde-or", ws, notesJSON(t, ws.notes), ws.pdfDir)
	refused := 0
	for _, it := range rep.Unmapped {
		if it.What == "pdf" && strings.Contains(it.Why, "refused by the upload check") {
			refused++
		}
	}
	if rep.Submissions != 40 || rep.Created != 40 || rep.Withdrawn != 2 || rep.DeskRejected != 2 || rep.Reviews != 36*3-1 ||
		rep.Decisions != 38 || rep.MetaReviews != 7 || rep.Comments != 19 || rep.Supplementary != 3 || rep.PDFs+refused != 5 || rep.PDFs < 3 {
		t.Fatalf("report: %+v", rep)
	}
	// What could not be carried over is said, each with its reason.
	var why []string
	for _, it := range rep.Unmapped {
		why = append(why, it.What+": "+it.Why)
	}
	all := strings.Join(why, "\n")
	for _, want := range []string{"no profile mapping for " + ws.unmappedSig,
		"authors' comment: signed by the paper's authors, a response to the reviews, but the venue has no author response phase",
		"Comment readers: everyone could read it on OpenReview", "Comment readers: it names no readers: kept as a note for the chairs only",
		"Comment author: posted in the importing chair's name (no profile mapping for ~Curious_Reader1",
		"supplementary material: " + mustSupp(t, 6) + " was refused by the upload check (unsupported_type", "supplementary material: no file for /attachment/" + mustSupp(t, 10),
		"supplementary material: the check found who the authors are in it: it is held from reviewers",
		"field: content field ethics_statement: the venue asks no such question", "field: content field published_year: the venue asks \"Year of publication\" only of the tracks recently-published",
		"field: answer to \"Which half of the call\" \"Something else entirely\" is not one of", "field: answer to \"Code\" \"github.com/dlde/paper13\" is not a web address",
		"(~José_Núñez1) has no email", "desk rejection: recorded as the decision \"Reject\"",
		"pdf: the check found who the authors are on its pages: the PDF is held from reviewers", "over_page_limit"} {
		if !strings.Contains(all, want) {
			t.Errorf("the report does not say %q:\n%s", want, all)
		}
	}
	got := w.papers(t, "dlde-or")
	if len(got) != 40 {
		t.Fatalf("%d submissions", len(got))
	}
	profiles, _ := openreview.ReadProfiles(strings.NewReader(ws.profiles))
	byID := map[string]openreview.Note{}
	for _, n := range ws.notes {
		byID[n.ID] = n
	}
	checked := 0
	for _, n := range ws.notes {
		c := n.Content
		switch {
		case n.Forum == n.ID:
			p, ok := got[c.String("title")]
			if !ok {
				t.Fatalf("%q was not imported", c.String("title"))
			}
			if p.Number != n.Number || p.Abstract != c.String("abstract") || !slices.Equal(p.Keywords, c.Strings("keywords")) {
				t.Errorf("#%d: %+v", n.Number, p)
			}
			names, ids := c.Strings("authors"), c.Strings("authorids")
			if len(p.Authors) != len(names) {
				t.Fatalf("#%d authors: %+v", n.Number, p.Authors)
			}
			for i, a := range p.Authors {
				email := ids[i]
				if strings.HasPrefix(email, "~") {
					email = profiles[email].Email // "" when the map does not know them
				}
				if a.Name != names[i] || a.Email != email {
					t.Errorf("#%d author %d: %+v, want %s <%s>", n.Number, i, a, names[i], email)
				}
			}
			wantFields := map[string]any{"tldr": c.String("TLDR")}
			for _, k := range []string{"topic_group", "code", "reviewing_author"} {
				if v := c.String(k); v != "" && v != "Something else entirely" && v != "github.com/dlde/paper13" {
					wantFields[k] = v
				}
			}
			if !reflect.DeepEqual(p.Fields, wantFields) {
				t.Errorf("#%d answers %v, want %v", n.Number, p.Fields, wantFields)
			}
			wantSupp := ""
			if name, data := suppOf(t, n.Number); n.Number <= 2 || n.Number == 5 {
				wantSupp = fmt.Sprintf("%x %s", sha256.Sum256(data), filepath.Ext(name)[1:])
			}
			if p.Supp != wantSupp {
				t.Errorf("#%d supplementary %q, want %q", n.Number, p.Supp, wantSupp)
			}
			if want := strings.HasSuffix(c.String("venueid"), "Withdrawn_Submission"); p.Withdrawn != want {
				t.Errorf("#%d withdrawn %v", n.Number, p.Withdrawn)
			}
			if strings.HasSuffix(c.String("venueid"), "Desk_Rejected_Submission") && p.Decision != [2]string{"reject", "Desk rejected on OpenReview"} {
				t.Errorf("#%d desk-rejected: %v", n.Number, p.Decision)
			}
			checked++
		case strings.HasSuffix(n.MainInvitation(), "/-/Official_Review"):
			p := got[byID[n.Forum].Content.String("title")]
			email := ws.reviewers[n.Signatures[0]]
			f, ok := p.Reviews[email]
			if email == "" {
				if len(p.Reviews) != 2 {
					t.Errorf("#%d: the unmapped review was stored: %v", p.Number, p.Reviews)
				}
				continue
			}
			rating, _, _ := c.Score("rating")
			conf, _, _ := c.Score("confidence")
			if !ok || f["rating"] != float64(rating) || f["confidence"] != float64(conf) || f["review"] != c.String("review") || f["summary"] != c.String("summary") || len(f) != 4 {
				t.Errorf("#%d review by %s: %v", p.Number, email, f)
			}
			checked++
		case strings.HasSuffix(n.MainInvitation(), "/-/Decision"):
			p := got[byID[n.Forum].Content.String("title")]
			want := map[string]string{"Accept (Oral)": "accept-oral", "Accept (Poster)": "accept-poster", "Reject": "reject"}[c.String("decision")]
			if p.Decision != [2]string{want, c.String("comment")} {
				t.Errorf("#%d decision %v, want %s", p.Number, p.Decision, want)
			}
			checked++
		case strings.HasSuffix(n.MainInvitation(), "_Comment"):
			p := got[byID[n.Forum].Content.String("title")]
			if len(n.Signatures) > 0 && strings.HasSuffix(n.Signatures[0], "/Authors") {
				// The authors' response: the venue has no response phase.
				for _, pc := range p.Comments {
					if pc.Body == c.String("comment") {
						t.Errorf("#%d: the authors' comment is a comment by %s", p.Number, pc.Author)
					}
				}
				checked++
				continue
			}
			want := comment{Kind: "discussion", Body: c.String("comment"), Author: "chair@example.org", At: time.UnixMilli(n.CDate).UTC()}
			if n.CDate == 0 {
				want.At = time.Time{}
			}
			switch {
			case len(n.Readers) == 0 || !slices.ContainsFunc(n.Readers, func(r string) bool {
				return r == "everyone" || strings.Contains(r, "Reviewers") || strings.HasSuffix(r, "Authors")
			}):
				want.Kind = "chair_note"
			case ws.reviewers[n.Signatures[0]] != "":
				want.Author = ws.reviewers[n.Signatures[0]]
			}
			if t := c.String("title"); t != "" {
				want.Body = "**" + t + "**\n\n" + want.Body
			}
			found := false
			for _, pc := range p.Comments {
				if pc.Body == want.Body {
					found = true
					if pc.Kind != want.Kind || pc.Author != want.Author || (!want.At.IsZero() && !pc.At.Equal(want.At)) {
						t.Errorf("#%d comment %+v, want %+v", p.Number, pc, want)
					}
				}
			}
			if !found {
				t.Errorf("#%d: comment %q was not imported: %+v", p.Number, want.Body, p.Comments)
			}
			checked++
		case strings.HasSuffix(n.MainInvitation(), "/-/Meta_Review"):
			p := got[byID[n.Forum].Content.String("title")]
			if p.Meta[1] != c.String("metareview") || p.Meta[0] == "" {
				t.Errorf("#%d meta-review %v", p.Number, p.Meta)
			}
			checked++
		}
	}
	if checked != 40+107+36+7+25 {
		t.Fatalf("compared %d notes", checked)
	}
	// A PDF goes through the upload's check: the six-page paper is over
	// the venue's limit of four, and the one that prints its author's name
	// is held from the reviewers.
	if got[byID[ws.notes[0].ID].Content.String("title")].PDF == "" {
		t.Error("#1's PDF was not stored")
	}
	var held []int
	rows, err := w.s.App.Pool.Query(ctx, `SELECT number FROM submissions WHERE pdf_held ORDER BY number`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n int
		_ = rows.Scan(&n)
		held = append(held, n)
	}
	rows.Close()
	if !slices.Equal(held, []int{5}) {
		t.Errorf("held: %v", held)
	}
	var suppHeld []int
	rows, err = w.s.App.Pool.Query(ctx, `SELECT number FROM submissions WHERE supp_held ORDER BY number`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n int
		_ = rows.Scan(&n)
		suppHeld = append(suppHeld, n)
	}
	rows.Close()
	if !slices.Equal(suppHeld, []int{5}) {
		t.Errorf("supplementary material held: %v", suppHeld)
	}
	// Again: the same rows, updated in place.
	again := w.importInto(t, "dlde-or", ws, notesJSON(t, ws.notes), ws.pdfDir)
	if again.Created != 0 || again.Updated != 40 || again.Reviews != rep.Reviews || again.Comments != rep.Comments {
		t.Fatalf("the second import: %+v", again)
	}
	if after := w.papers(t, "dlde-or"); !reflect.DeepEqual(after, got) {
		t.Fatal("the second import changed the venue")
	}
	var audited int
	if err := w.s.App.Pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'venue.import_openreview' AND subject = 'dlde-or'`).Scan(&audited); err != nil || audited != 2 {
		t.Fatalf("%d audit entries (%v)", audited, err)
	}
}

// TestConcurrentImports: two imports of the same notes at once make the
// venue once; the second to get in updates what the first made.
func TestConcurrentImports(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "dlde-or")
	ws := makeWorkshop(t)
	ns, err := openreview.Read(bytes.NewReader(notesJSON(t, ws.notes)), openreview.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	prof, _ := openreview.ReadProfiles(strings.NewReader(ws.profiles))
	reps := make(chan openreview.Report, 2)
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			rep, err := w.svc.Import(ctx, "dlde-or", w.chair.UserID, openreview.Input{Notes: ns, Profiles: prof})
			reps <- rep
			errs <- err
		}()
	}
	a, b := <-reps, <-reps
	if err := errors.Join(<-errs, <-errs); err != nil {
		t.Fatal(err)
	}
	if a.Created+b.Created != 40 || a.Updated+b.Updated != 40 {
		t.Fatalf("created %d+%d, updated %d+%d", a.Created, b.Created, a.Updated, b.Updated)
	}
	if got := w.papers(t, "dlde-or"); len(got) != 40 {
		t.Fatalf("%d submissions", len(got))
	}
}

// TestExportImportRoundTrip: a venue exported as notes and imported into
// another venue is the same venue, field by field, and exports to the
// same notes.
func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "dlde-or", "dlde-copy")
	ws := makeWorkshop(t)
	w.importInto(t, "dlde-or", ws, notesJSON(t, ws.notes), ws.pdfDir)
	// A paper submitted in Quire itself goes out too, with an id in
	// OpenReview's style.
	rec, err := w.s.App.Services.Venues.BySlug(ctx, w.s.App.Pool, "dlde-or")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.App.Services.Submissions.Seed(ctx, rec, w.chair.UserID, submission.Input{Title: "Quire's own paper", Abstract: "Written here.",
		Authors: []submission.Author{{Name: "Ada Lovelace", Email: "ada@uni.example", Affiliation: "Analytical Engines"}}, Keywords: []string{"PINNs"},
		Track: "new-work", Declaration: true}, nil, time.Date(2023, 10, 1, 9, 0, 0, 0, time.UTC), ""); err != nil {
		t.Fatal(err)
	}
	// Comments written in Quire go out too: a chair's note and a
	// reviewer's word in the discussion of paper 1.
	first := w.papers(t, "dlde-or")[ws.notes[0].Content.String("title")]
	var firstID int64
	if err := w.s.App.Pool.QueryRow(ctx, `SELECT id FROM submissions WHERE venue_id = $1 AND number = $2`, rec.ID, first.Number).Scan(&firstID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.App.Services.Reviews.AddComment(ctx, firstID, w.chair, "chair_note", "Written in Quire: check the related work."); err != nil {
		t.Fatal(err)
	}
	for email := range first.Reviews {
		rv, _, _ := w.s.App.Services.Accounts.ByEmail(ctx, w.s.App.Pool, email)
		if _, err := w.s.App.Services.Reviews.AddComment(ctx, firstID, account.Principal{UserID: rv.ID}, "discussion", "Written in Quire by "+email+"."); err != nil {
			t.Fatal(err)
		}
		break
	}
	ex, err := w.svc.Export(ctx, "dlde-or", w.chair.UserID)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for id, sha := range ex.PDFs {
		f, _, err := w.s.App.Services.Submissions.Blobs.Open(ctx, sha)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(f)
		f.Close()
		if err := os.WriteFile(filepath.Join(dir, id+".pdf"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, sha := range ex.Supplementary {
		f, _, err := w.s.App.Services.Submissions.Blobs.Open(ctx, sha)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(f)
		f.Close()
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if len(ex.Supplementary) != 3 {
		t.Fatalf("%d supplementary files exported", len(ex.Supplementary))
	}
	var prof bytes.Buffer
	if err := openreview.WriteProfiles(&prof, ex.ProfileIDs, ex.Profiles); err != nil {
		t.Fatal(err)
	}
	copyWS := ws
	copyWS.profiles = prof.String()
	rep := w.importInto(t, "dlde-copy", copyWS, notesJSON(t, ex.Notes), dir)
	if rep.Created != 41 || rep.Reviews != 107 || rep.Comments != 21 || rep.Supplementary != 3 {
		t.Fatalf("report: %+v", rep)
	}
	a, b := w.papers(t, "dlde-or"), w.papers(t, "dlde-copy")
	for title, pa := range a {
		pb := b[title]
		if !reflect.DeepEqual(pa, pb) {
			t.Errorf("%q:\n%+v\n%+v", title, pa, pb)
		}
	}
	ex2, err := w.svc.Export(ctx, "dlde-copy", w.chair.UserID)
	if err != nil {
		t.Fatal(err)
	}
	j1, j2 := notesJSON(t, ex.Notes), notesJSON(t, ex2.Notes)
	if !bytes.Equal(j1, j2) {
		l1, l2 := strings.Split(string(j1), "\n"), strings.Split(string(j2), "\n")
		for i := range min(len(l1), len(l2)) {
			if l1[i] != l2[i] {
				t.Fatalf("the exports differ at line %d:\n%s\n%s", i+1, l1[i], l2[i])
			}
		}
		t.Fatalf("the exports differ in length: %d, %d lines", len(l1), len(l2))
	}
	ids := append([]string(nil), ex.ProfileIDs...)
	sort.Strings(ids)
	if len(ids) == 0 || !strings.Contains(ids[0], "~") && !strings.Contains(ids[0], "Reviewer_") {
		t.Fatalf("profile ids: %v", ids)
	}
}

func TestImportRefusals(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "dlde-or")
	ws := makeWorkshop(t)
	ns, _ := openreview.Read(bytes.NewReader(notesJSON(t, ws.notes)), openreview.DefaultLimits)
	// Not a chair of the venue.
	rev, _, _ := w.s.App.Services.Accounts.ByEmail(ctx, w.s.App.Pool, "rev01@example.org")
	if _, err := w.svc.Import(ctx, "dlde-or", rev.ID, openreview.Input{Notes: ns}); !errors.Is(err, problem.ErrForbidden) {
		t.Fatalf("a reviewer imports: %v", err)
	}
	// Replies only: nothing to import.
	if _, err := w.svc.Import(ctx, "dlde-or", w.chair.UserID, openreview.Input{Notes: ns[1:4]}); !errors.Is(err, problem.ErrInvalid) {
		t.Fatalf("no submissions: %v", err)
	}
	if got := w.papers(t, "dlde-or"); len(got) != 0 {
		t.Fatalf("a refused import left %d submissions", len(got))
	}
}

// TestChairOnlyComment: a comment only the program and area chairs could
// read on OpenReview is a chairs' note in Quire, which neither the paper's
// authors nor its reviewers are shown through the API; the reviewers'
// comment beside it reaches the reviewers and still not the authors.
func TestChairOnlyComment(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "dlde-or")
	ws := makeWorkshop(t)
	sub, secret, reviewerSig := ws.notes[0], "", ""
	for _, n := range ws.notes {
		if n.Forum == sub.ID && strings.HasSuffix(n.MainInvitation(), "/-/Official_Comment") {
			secret = n.Content.String("comment")
		}
		if n.Forum == sub.ID && strings.HasSuffix(n.MainInvitation(), "/-/Official_Review") && reviewerSig == "" {
			reviewerSig = n.Signatures[0]
		}
	}
	if !strings.HasPrefix(secret, "Chairs only") || reviewerSig == "" {
		t.Fatalf("paper 1's comment %q, reviewer %q", secret, reviewerSig)
	}
	talk := openreview.Note{ID: "RevTalk001", Forum: sub.ID, ReplyTo: sub.ID, Domain: domain, Invitations: []string{domain + "/Submission1/-/Official_Comment"},
		CDate: sub.CDate + 1000, Signatures: []string{reviewerSig}, Readers: []string{domain + "/Submission1/Reviewers"},
		Content: openreview.Content{"comment": "Reviewers only: the proof of lemma 2 looks fine to me."}}
	w.importInto(t, "dlde-or", ws, notesJSON(t, append(ws.notes, talk)), "")
	var id int64
	if err := w.s.App.Pool.QueryRow(ctx, `SELECT submission_id FROM openreview_notes WHERE note_id = $1`, sub.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	p := w.papers(t, "dlde-or")[sub.Content.String("title")]
	author := ""
	for _, a := range p.Authors {
		if a.Email != "" {
			author = a.Email
			break
		}
	}
	if author == "" {
		t.Fatalf("paper 1 has no author with an email: %+v", p.Authors)
	}
	w.s.CreateUser(t, author, "An Author", false)
	read := func(email string) string {
		r := w.s.As(t, w.s.Login(t, email), "GET", fmt.Sprintf("/api/v1/submissions/%d/comments", id), nil)
		return fmt.Sprint(r.StatusCode, " ", string(r.Body))
	}
	chair := read("chair@example.org")
	if !strings.Contains(chair, secret) || !strings.Contains(chair, "chair_note") || !strings.Contains(chair, "lemma 2") {
		t.Fatalf("the chair reads: %s", chair)
	}
	rev := read(ws.reviewers[reviewerSig])
	if !strings.HasPrefix(rev, "200") || strings.Contains(rev, secret) || !strings.Contains(rev, "lemma 2") {
		t.Fatalf("the reviewer reads: %s", rev)
	}
	a := read(author)
	t.Logf("the author reads: %s", a)
	if !strings.HasPrefix(a, "200") && !strings.HasPrefix(a, "403") || strings.Contains(a, secret) || strings.Contains(a, "lemma 2") {
		t.Fatalf("the author reads: %s", a)
	}
}

func mustSupp(t *testing.T, num int) string {
	name, _ := suppOf(t, num)
	return name
}
