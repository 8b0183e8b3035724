package openreview

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/problem"
)

// v2 is what openreview-py's API v2 client writes with note.to_json().
const v2 = `[
 {"id": "aBcD1234xy", "forum": "aBcD1234xy", "number": 12, "cdate": 1696464000000, "mdate": 1696550400000,
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/-/Submission", "NeurIPS.cc/2023/Workshop/DLDE/-/Post_Submission"],
  "domain": "NeurIPS.cc/2023/Workshop/DLDE",
  "signatures": ["NeurIPS.cc/2023/Workshop/DLDE/Submission12/Authors"],
  "readers": ["everyone"], "writers": ["NeurIPS.cc/2023/Workshop/DLDE"],
  "content": {"title": {"value": "Neural ODEs, revisited"}, "authors": {"value": ["Zoë Ångström", "Li Lei"]},
   "authorids": {"value": ["zoe@uni.example", "~Li_Lei1"]}, "keywords": {"value": ["neural ODEs", "adjoint"]},
   "abstract": {"value": "We revisit."}, "TLDR": {"value": "Short."}, "pdf": {"value": "/pdf/0123abcd.pdf"},
   "venueid": {"value": "NeurIPS.cc/2023/Workshop/DLDE"}}},
 {"id": "Rev0000001", "forum": "aBcD1234xy", "replyto": "aBcD1234xy",
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/Submission12/-/Official_Review"],
  "signatures": ["NeurIPS.cc/2023/Workshop/DLDE/Submission12/Reviewer_Abc1"],
  "content": {"rating": {"value": 6}, "confidence": {"value": "4: The reviewer is confident but not absolutely certain that the evaluation is correct"},
   "review": {"value": "Good."}}},
 {"id": "Dec0000001", "forum": "aBcD1234xy", "replyto": "aBcD1234xy",
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/Submission12/-/Decision"],
  "content": {"decision": {"value": "Accept (Poster)"}, "comment": {"value": "Nice."}}},
 {"id": "Com0000001", "forum": "aBcD1234xy", "replyto": "Rev0000001",
  "invitations": ["NeurIPS.cc/2023/Workshop/DLDE/Submission12/-/Official_Comment"], "content": {"comment": {"value": "Thanks"}}}
]`

// v1 is the older client's shape: one invitation, plain content values.
const v1 = `{"notes": [
 {"id": "xyz987", "forum": "xyz987", "number": 3, "invitation": "ICLR.cc/2019/Workshop/DeepGenStruct/-/Blind_Submission",
  "content": {"title": "Flows", "authors": ["A B"], "authorids": ["a@b.example"], "keywords": "flows, density", "abstract": "Abs"}},
 {"id": "r1", "forum": "xyz987", "replyto": "xyz987", "invitation": "ICLR.cc/2019/Workshop/DeepGenStruct/-/Paper3/Official_Review",
  "signatures": ["ICLR.cc/2019/Workshop/DeepGenStruct/Paper3/AnonReviewer2"],
  "content": {"rating": "7: Good paper, accept", "confidence": "3: The reviewer is fairly confident that the evaluation is correct", "review": "Fine"}},
 {"id": "w1", "forum": "xyz987", "replyto": "xyz987", "invitation": "ICLR.cc/2019/Workshop/DeepGenStruct/-/Paper3/Withdrawal", "content": {}}
]}`

func TestReadV2(t *testing.T) {
	notes, err := Read(strings.NewReader(v2), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 4 {
		t.Fatalf("%d notes", len(notes))
	}
	s := notes[0]
	if s.Content.String("title") != "Neural ODEs, revisited" || s.Number != 12 || s.CDate != 1696464000000 ||
		strings.Join(s.Content.Strings("authors"), "|") != "Zoë Ångström|Li Lei" || strings.Join(s.Content.Strings("keywords"), "|") != "neural ODEs|adjoint" {
		t.Fatalf("submission: %+v", s)
	}
	if n, _, ok := notes[1].Content.Score("rating"); !ok || n != 6 {
		t.Fatalf("integer rating: %d %v", n, ok)
	}
	if n, label, ok := notes[1].Content.Score("confidence"); !ok || n != 4 || !strings.HasPrefix(label, "The reviewer is confident") {
		t.Fatalf("string confidence: %d %q %v", n, label, ok)
	}
	forums, skipped := Group(notes)
	if len(forums) != 1 || len(forums[0].Reviews) != 1 || len(forums[0].Decisions) != 1 || forums[0].State != StateActive {
		t.Fatalf("forums: %+v", forums)
	}
	if len(skipped) != 0 || len(forums[0].Comments) != 1 || forums[0].Comments[0].ID != "Com0000001" {
		t.Fatalf("the official comment is kept with its forum: %+v %+v", forums[0].Comments, skipped)
	}
}

func TestReadV1(t *testing.T) {
	notes, err := Read(strings.NewReader(v1), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if notes[0].Content.String("title") != "Flows" || strings.Join(notes[0].Content.Strings("keywords"), "|") != "flows|density" {
		t.Fatalf("v1 content: %+v", notes[0].Content)
	}
	if n, label, ok := notes[1].Content.Score("rating"); !ok || n != 7 || label != "Good paper, accept" {
		t.Fatalf("v1 rating: %d %q", n, label)
	}
	forums, _ := Group(notes)
	if len(forums) != 1 || len(forums[0].Reviews) != 1 || forums[0].State != StateWithdrawn || forums[0].Number != 3 {
		t.Fatalf("v1 forum: %+v", forums[0])
	}
}

// TestNumberFromInvitation: v2's to_json() leaves out the number; the
// replies' invitations still carry it.
func TestNumberFromInvitation(t *testing.T) {
	in := strings.Replace(v2, `"number": 12, `, "", 1)
	notes, err := Read(strings.NewReader(in), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	forums, _ := Group(notes)
	if forums[0].Number != 12 {
		t.Fatalf("number %d", forums[0].Number)
	}
}

func TestContentRoundTrip(t *testing.T) {
	notes, err := Read(strings.NewReader(v2), DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(notes)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(`"title":{"value":"Neural ODEs, revisited"}`)) {
		t.Fatalf("not written wrapped: %s", b)
	}
	again, err := Read(bytes.NewReader(b), DefaultLimits)
	if err != nil || again[0].Content.String("title") != notes[0].Content.String("title") || again[1].Content["rating"] != notes[1].Content["rating"] {
		t.Fatalf("again: %v %+v", err, again)
	}
}

func code(err error) string {
	var pe *problem.Error
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestReadRefuses(t *testing.T) {
	small := Limits{MaxBytes: 4096, MaxNotes: 2, MaxString: 10, MaxList: 3}
	cases := []struct{ name, in, code string }{
		{"not JSON", "title,abstract\n", "openreview_not_json"},
		{"broken JSON", `[{"id": "a"`, "openreview_not_json"},
		{"object without notes", `{"count": 3}`, "openreview_no_notes"},
		{"wrong type", `[{"id": 5}]`, "openreview_bad_note"},
		{"no id", `[{"forum": "x"}]`, "openreview_bad_note"},
		{"too many notes", `[{"id":"a"},{"id":"b"},{"id":"c"}]`, "openreview_too_many_notes"},
		{"long string", `[{"id":"a","content":{"title":{"value":"01234567890"}}}]`, "openreview_field_too_long"},
		{"long list", `[{"id":"a","readers":["a","b","c","d"]}]`, "openreview_list_too_long"},
		{"too large", `[` + strings.Repeat(`{"id":"a"},`, 500) + `{"id":"b"}]`, "openreview_too_large"},
	}
	for _, c := range cases {
		if _, err := Read(strings.NewReader(c.in), small); code(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
}

// FuzzRead: whatever the bytes, Read returns notes within the limits or a
// problem with a code, and never panics; Group accepts what Read returns.
func FuzzRead(f *testing.F) {
	f.Add([]byte(v2))
	f.Add([]byte(v1))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"notes": null}`))
	f.Add([]byte(`[{"id":"a","forum":"a","content":{"authors":{"value":[1,{"x":[]}]},"rating":"x: y"}}]`))
	lim := Limits{MaxBytes: 1 << 16, MaxNotes: 50, MaxString: 200, MaxList: 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		notes, err := Read(bytes.NewReader(data), lim)
		if err != nil {
			if code(err) == "" {
				t.Fatalf("an error without a code: %v", err)
			}
			return
		}
		if len(notes) > lim.MaxNotes {
			t.Fatalf("%d notes", len(notes))
		}
		forums, _ := Group(notes)
		for _, fo := range forums {
			_ = fo.Submission.Content.Strings("authors")
			_, _, _ = fo.Submission.Content.Score("rating")
		}
	})
}
