package httpapi_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

// The upload answers with the submission as the transaction left it,
// without reading it back (a hot path in the deadline rush): the answer
// must be what reading it back gives, for a first upload, a replacement
// and a paper held for naming its authors.
func TestUploadAnswersAsStored(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.create(t)
	for _, name := range []string{"midpage4.pdf", "exact4.pdf", "leaks.pdf"} {
		// A later instant, with nanoseconds PostgreSQL does not keep.
		w.s.Clock.Advance(time.Minute + 1234567*time.Nanosecond)
		r := w.upload(t, id, corpus(t, name))
		if r.StatusCode != 200 {
			t.Fatalf("%s: %s %s", name, r.Status, r.Body)
		}
		got := r.Map(t)["submission"]
		want := w.s.As(t, w.author, "GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil).Map(t)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: the upload answered\n%v\nreading it back gives\n%v", name, got, want)
		}
	}
	// A paper held for naming its authors: the hold is in the answer too.
	hw, ids, _ := heldPaper(t)
	hw.s.Clock.Advance(time.Minute + 1234567*time.Nanosecond)
	r := hw.upload(t, ids[0], corpus(t, "authorblock.pdf"))
	got := r.Map(t)["submission"]
	if got.(map[string]any)["anonymity"].(map[string]any)["held"] != true {
		t.Fatalf("not held: %s", r.Body)
	}
	if want := hw.s.As(t, hw.author, "GET", fmt.Sprintf("/api/v1/submissions/%d", ids[0]), nil).Map(t); !reflect.DeepEqual(got, want) {
		t.Fatalf("held: the upload answered\n%v\nreading it back gives\n%v", got, want)
	}
}
