package openreview_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/openreview"
	"github.com/quirehq/quire/internal/venue"
)

// The workshop built here follows openreview-py's Note (API v2,
// Note.to_json()): 40 submissions to a NeurIPS 2023 workshop, three
// official reviews each with the rating and confidence strings of
// openreview's default review form, a decision each, meta-reviews for
// some, two withdrawn and two desk-rejected papers, authors known only by
// their profile ids, names in several scripts, and PDFs for a few.

const domain = "NeurIPS.cc/2023/Workshop/DLDE"

var ratings = []string{
	"1: Trivial or wrong", "2: Strong rejection", "3: Clear rejection", "4: Ok but not good enough - rejection",
	"5: Marginally below acceptance threshold", "6: Marginally above acceptance threshold", "7: Good paper, accept",
	"8: Top 50% of accepted papers, clear accept", "9: Top 15% of accepted papers, strong accept", "10: Top 5% of accepted papers, seminal paper",
}

var confidences = []string{
	"1: The reviewer's evaluation is an educated guess",
	"2: The reviewer is willing to defend the evaluation, but it is quite likely that the reviewer did not understand central parts of the paper",
	"3: The reviewer is fairly confident that the evaluation is correct",
	"4: The reviewer is confident but not absolutely certain that the evaluation is correct",
	"5: The reviewer is absolutely certain that the evaluation is correct and very familiar with the relevant literature",
}

var people = []struct{ name, id string }{
	{"Zoë Ångström", "zoe.angstrom@kth.example"}, {"Luca Herranz-Celotti", "luca@usherbrooke.example"},
	{"李雷", "~Lei_Li3"}, {"Émilie Dupré", "emilie@inria.example"}, {"José Núñez", "~José_Núñez1"},
	{"Øystein Bjørnstad", "oystein@ntnu.example"}, {"Ayşe Yılmaz", "~Ayşe_Yılmaz2"}, {"Đorđe Petrović", "djordje@etf.example"},
	{"Ngọc Anh Trần", "ngoc@vinuni.example"}, {"Μαρία Παπαδοπούλου", "maria@uoa.example"}, {"Ada Lovelace", "ada@uni.example"},
	{"Kwame Mensah", "~Kwame_Mensah1"}, {"Priya Raman", "priya@iisc.example"}, {"Søren Kierkegaard", "soren@ku.example"},
}

var topics = []string{"neural differential equations", "diffusion models", "normalizing flows", "neural operators", "PINNs",
	"hypersolvers", "graph neural diffusion", "state-space models", "latent dynamics", "training dynamics"}

var halves = []string{"Differential equations to understand and improve deep learning", "Deep learning to create or solve differential equations"}

var decisions = []string{"Accept (Oral)", "Accept (Poster)", "Accept (Poster)", "Reject"}

// orID is an id in OpenReview's alphabet and length.
func orID(r *rand.Rand) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
	b := make([]byte, 10)
	for i := range b {
		b[i] = a[r.IntN(len(a))]
	}
	return string(b)
}

func msAt(t time.Time) int64 { return t.UnixMilli() }

type workshop struct {
	notes    []openreview.Note
	profiles string // CSV
	pdfDir   string
	// reviewers are the accounts the profile map names, by signature.
	reviewers map[string]string
	// unmappedSig is a review signature the map leaves out.
	unmappedSig string
}

// makeWorkshop writes the notes, the profile map and a folder of PDFs.
func makeWorkshop(t *testing.T) workshop {
	t.Helper()
	r := rand.New(rand.NewPCG(2023, 12))
	rc := rand.New(rand.NewPCG(2023, 31)) // the comments' own, so the rest stays as it was
	w := workshop{reviewers: map[string]string{}, pdfDir: t.TempDir()}
	var prof strings.Builder
	prof.WriteString("openreview_id,email,name\n")
	prof.WriteString("~Lei_Li3,lei.li@pku.example,李雷\n")
	prof.WriteString("~Kwame_Mensah1,kwame@ug.example,Kwame Mensah\n")
	open := time.Date(2023, 9, 20, 12, 0, 0, 0, time.UTC)
	pdfs := map[int]string{1: "midpage4.pdf", 2: "exact4.pdf", 3: "sixpage.pdf", 4: "midpage4.pdf", 5: "authorblock.pdf"}
	for num := 1; num <= 40; num++ {
		id := orID(r)
		created := open.Add(time.Duration(num) * 7 * time.Hour)
		nAuthors := 1 + r.IntN(4)
		var names, ids []any
		for _, k := range r.Perm(len(people))[:nAuthors] {
			names, ids = append(names, people[k].name), append(ids, people[k].id)
		}
		if num == 5 { // the author whose name authorblock.pdf prints
			names, ids = []any{"Alice Müller", names[0]}, []any{"alice.mueller@uni-tuebingen.de", ids[0]}
		}
		kws := []any{topics[num%len(topics)], topics[(num*3+1)%len(topics)]}
		state := domain
		invs := []string{domain + "/-/Submission", domain + "/-/Post_Submission"}
		switch num {
		case 37, 38:
			state = domain + "/Withdrawn_Submission"
			invs = append(invs, domain+"/-/Withdrawn_Submission")
		case 39, 40:
			state = domain + "/Desk_Rejected_Submission"
			invs = append(invs, domain+"/-/Desk_Rejected_Submission")
		}
		sub := openreview.Note{ID: id, Forum: id, Number: num, Invitations: invs, Domain: domain,
			CDate: msAt(created), MDate: msAt(created.Add(48 * time.Hour)),
			Signatures: []string{fmt.Sprintf("%s/Submission%d/Authors", domain, num)},
			Readers:    []string{domain, fmt.Sprintf("%s/Submission%d/Authors", domain, num)},
			Writers:    []string{domain, fmt.Sprintf("%s/Submission%d/Authors", domain, num)},
			Content: openreview.Content{
				"title":     fmt.Sprintf("%s for stiff systems, part %d: %s", strings.ToUpper(topics[num%len(topics)][:1])+topics[num%len(topics)][1:], num, []string{"a study", "théorie et pratique", "revisited", "at scale"}[num%4]),
				"authors":   names,
				"authorids": ids,
				"keywords":  kws,
				"abstract":  fmt.Sprintf("We study %s and %s. Our method reaches an error of 10^{-%d} on the Lorenz system with $\\mathcal{O}(n)$ cost — «vite».", kws[0], kws[1], num%7+2),
				"TLDR":      "A short summary of paper " + fmt.Sprint(num) + ".",
				"venue":     "DLDE 2023 Submission",
				"venueid":   state,
			}}
		// The venue's own questions: a TL;DR for all, the half of the call
		// and a code link for some (one of each refused by the form), an
		// author who reviews, a question of another track and one the
		// venue does not ask.
		if num%3 == 0 {
			sub.Content["topic_group"] = halves[num%2]
			if num == 9 {
				sub.Content["topic_group"] = "Something else entirely"
			}
		}
		if num%4 == 1 {
			sub.Content["code"] = fmt.Sprintf("https://github.com/dlde/paper%d", num)
			if num == 13 {
				sub.Content["code"] = "github.com/dlde/paper13"
			}
		}
		if num%5 == 1 && strings.Contains(ids[0].(string), "@") {
			sub.Content["reviewing_author"] = ids[0]
		}
		if num == 11 {
			sub.Content["published_year"] = 2022
		}
		if num%10 == 2 {
			sub.Content["ethics_statement"] = "No concerns."
		}
		if name, data := suppOf(t, num); name != "" {
			sub.Content["supplementary_material"] = "/attachment/" + name
			dir := w.pdfDir
			if num == 1 {
				dir = filepath.Join(dir, "attachment") // at its path; the others by base name
			}
			if data != nil {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		if f, ok := pdfs[num]; ok {
			hash := fmt.Sprintf("%040x", r.Uint64())
			sub.Content["pdf"] = "/pdf/" + hash + ".pdf"
			data, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", f))
			if err != nil {
				t.Fatal(err)
			}
			name := id + ".pdf" // by note id
			switch num {
			case 2:
				name = "2.pdf" // by number
			case 4:
				name = filepath.Join("pdf", hash+".pdf") // content.pdf's path
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Join(w.pdfDir, name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(w.pdfDir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		w.notes = append(w.notes, sub)
		if num == 37 || num == 38 {
			continue // withdrawn before reviewing
		}
		if num >= 39 {
			continue // desk-rejected: no reviews
		}
		firstSig := ""
		for k := 0; k < 3; k++ {
			sig := fmt.Sprintf("%s/Submission%d/Reviewer_%s", domain, num, orID(r)[:4])
			if k == 0 {
				firstSig = sig
			}
			rating, conf := 3+r.IntN(6), 2+r.IntN(4)
			rev := openreview.Note{ID: orID(r), Forum: id, ReplyTo: id, Domain: domain,
				Invitations: []string{fmt.Sprintf("%s/Submission%d/-/Official_Review", domain, num)},
				CDate:       msAt(created.Add(time.Duration(10*24+k) * time.Hour)), MDate: msAt(created.Add(time.Duration(11*24+k) * time.Hour)),
				Signatures: []string{sig}, Readers: []string{domain + "/Program_Committee"}, Writers: []string{domain, sig},
				Content: openreview.Content{
					"summary":    fmt.Sprintf("The paper proposes a solver for problem %d.", num),
					"review":     fmt.Sprintf("Strengths: clear.\nWeaknesses: the baselines — e.g. RK45 — are weak (%d/%d).", num, k),
					"rating":     ratings[rating-1],
					"confidence": confidences[conf-1],
				}}
			w.notes = append(w.notes, rev)
			if num == 7 && k == 2 {
				w.unmappedSig = sig
				continue
			}
			email := fmt.Sprintf("rev%02d@example.org", (num*3+k)%12+1)
			w.reviewers[sig] = email
			fmt.Fprintf(&prof, "%s,%s\n", sig, email)
		}
		if num%5 == 0 {
			w.notes = append(w.notes, openreview.Note{ID: orID(r), Forum: id, ReplyTo: id, Domain: domain,
				Invitations: []string{fmt.Sprintf("%s/Submission%d/-/Meta_Review", domain, num)},
				CDate:       msAt(created.Add(20 * 24 * time.Hour)), Signatures: []string{fmt.Sprintf("%s/Submission%d/Area_Chair_x1Yz", domain, num)},
				Content: openreview.Content{"metareview": "The reviewers agree; see their reviews.", "recommendation": decisions[num%len(decisions)]}})
		}
		w.notes = append(w.notes, openreview.Note{ID: orID(r), Forum: id, ReplyTo: id, Domain: domain,
			Invitations: []string{fmt.Sprintf("%s/Submission%d/-/Decision", domain, num)},
			CDate:       msAt(time.Date(2023, 10, 24, 18, 0, 0, 0, time.UTC)), Signatures: []string{domain + "/Program_Chairs"},
			Content: openreview.Content{"decision": decisions[num%len(decisions)], "comment": fmt.Sprintf("Decision for paper %d.", num)}})
		if num == 3 {
			w.notes = append(w.notes, openreview.Note{ID: orID(r), Forum: id, ReplyTo: w.notes[len(w.notes)-2].ID, Domain: domain,
				Invitations: []string{fmt.Sprintf("%s/Submission%d/-/Official_Comment", domain, num)},
				Content:     openreview.Content{"comment": "Thank you for the review."}})
		}
		w.notes = append(w.notes, comments(rc, num, id, created, firstSig)...)
	}
	w.profiles = prof.String()
	return w
}

// orVenue is DLDE III with openreview's default review form and the
// workshop's decisions, the venue a chair would make for the move.
func orVenue(t *testing.T, slug string) string {
	t.Helper()
	set, _, err := venue.Parse(venue.DemoYAML())
	if err != nil {
		t.Fatal(err)
	}
	set.Slug, set.Name = slug, "DLDE III (from OpenReview)"
	var rating, conf []venue.Point
	for i, l := range ratings {
		_, label, _ := strings.Cut(l, ": ")
		rating = append(rating, venue.Point{Value: i + 1, Label: label})
	}
	for i, l := range confidences {
		_, label, _ := strings.Cut(l, ": ")
		conf = append(conf, venue.Point{Value: i + 1, Label: label})
	}
	set.ReviewForm = []venue.FormField{
		{Key: "summary", Label: "Summary", Kind: venue.KindText, Visibility: venue.VisibleToAuthors, MaxChars: 5000},
		{Key: "review", Label: "Review", Kind: venue.KindText, Required: true, Visibility: venue.VisibleToAuthors, MaxChars: 200000},
		{Key: "rating", Label: "Rating", Kind: venue.KindScore, Required: true, Visibility: venue.VisibleToAuthors, Points: rating},
		{Key: "confidence", Label: "Confidence", Kind: venue.KindConfidence, Required: true, Visibility: venue.VisibleToAuthors, Points: conf},
	}
	set.Decisions = []venue.DecisionCategory{
		{Key: "accept-oral", Label: "Accept (Oral)", Accept: true, Presentation: venue.PresentSpotlight},
		{Key: "accept-poster", Label: "Accept (Poster)", Accept: true, Presentation: venue.PresentPoster},
		{Key: "reject", Label: "Reject", Presentation: venue.PresentNone},
	}
	b, err := venue.Export(set)
	if err != nil {
		t.Fatal(err)
	}
	if _, probs, err := venue.Parse(b); err != nil {
		t.Fatalf("the venue file: %v %v", err, probs)
	}
	return string(b)
}

// comments are a paper's official and public comments, one readers kind
// per paper in turn: the chairs and area chairs only, the reviewers, the
// authors (a reply signed by them), everyone (a public comment by someone
// the profile map does not know); paper 8 has v1's single invitation and
// a titled comment.
func comments(r *rand.Rand, num int, forum string, created time.Time, reviewerSig string) []openreview.Note {
	paper := fmt.Sprintf("%s/Submission%d", domain, num)
	n := openreview.Note{ID: orID(r), Forum: forum, ReplyTo: forum, Domain: domain,
		Invitations: []string{paper + "/-/Official_Comment"}, CDate: msAt(created.Add(time.Duration(15*24+num) * time.Hour))}
	n.MDate = n.CDate + 60000
	switch num % 6 {
	case 1:
		n.Signatures = []string{paper + "/Area_Chair_x1Yz"}
		n.Readers = []string{domain + "/Program_Chairs", paper + "/Area_Chairs"}
		n.Content = openreview.Content{"comment": fmt.Sprintf("Chairs only: reviewer 2 of paper %d may have a conflict.", num)}
	case 2:
		n.Signatures = []string{reviewerSig}
		n.Readers = []string{domain + "/Program_Chairs", paper + "/Area_Chairs", paper + "/Reviewers/Submitted"}
		n.Content = openreview.Content{"comment": fmt.Sprintf("To the other reviewers of %d: did anyone run the code?", num)}
	case 3:
		n.Signatures = []string{paper + "/Authors"}
		n.Readers = []string{domain + "/Program_Chairs", paper + "/Reviewers", paper + "/Authors"}
		n.Content = openreview.Content{"comment": fmt.Sprintf("We thank the reviewers; the rebuttal of paper %d follows.", num)}
	case 4:
		n.Invitations = []string{paper + "/-/Public_Comment"}
		n.Signatures = []string{"~Curious_Reader1"}
		n.Readers = []string{"everyone"}
		n.Content = openreview.Content{"comment": fmt.Sprintf("Public question on paper %d: is the code available?", num)}
	default:
		return nil
	}
	if num == 8 { // API v1
		n.Invitations, n.Invitation = nil, fmt.Sprintf("%s/Paper%d/-/Official_Comment", domain, num)
		n.Content["title"] = "On the baselines"
	}
	return []openreview.Note{n}
}

// suppOf is a paper's supplementary material as OpenReview names it
// (/attachment/<hash>.<ext>) and its bytes: a ZIP of code and an
// appendix, a PDF appendix, a ZIP whose PDF names the authors (held), a
// text file posing as a ZIP (refused), and a path with no file behind it.
func suppOf(t *testing.T, num int) (string, []byte) {
	t.Helper()
	appendix, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "appendix.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	var data []byte
	ext := "zip"
	switch num {
	case 1:
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for _, f := range []struct {
			name string
			body []byte
		}{{"code/solver.py", []byte("def solve(f, y0):\n    return y0\n")}, {"appendix.pdf", appendix}} {
			name, body := f.name, f.body
			fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2023, 9, 29, 12, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			_, _ = fw.Write(body)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		data = b.Bytes()
	case 2:
		data, ext = appendix, "pdf"
	case 5: // the paper whose PDF prints its author: its appendix does too
		block, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", "authorblock.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: "appendix/full.pdf", Method: zip.Deflate, Modified: time.Date(2023, 9, 29, 12, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(block)
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		data = b.Bytes()
	case 6:
		data = []byte("not an archive at all\n")
	case 10:
	default:
		return "", nil
	}
	return fmt.Sprintf("%x.%s", sha256.Sum256([]byte{byte(num)}), ext), data
}
