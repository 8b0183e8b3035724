// Package openreview moves a venue between OpenReview and Quire: it reads
// the notes openreview-py writes (Note.to_json() of the API v2 client, or
// of the v1 client), imports a venue's submissions, reviews, meta-reviews
// and decisions into a Quire venue in one transaction, remembering which
// OpenReview note became which Quire row so a second import updates, and
// writes a Quire venue back as v2 notes. It never touches the network: the
// PDFs come from files on disk.
package openreview

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/quirehq/quire/internal/problem"
)

// Note is one OpenReview note with openreview-py's field names: API v2's
// invitations and wrapped content values, or API v1's single invitation
// and plain values. Dates are milliseconds since the epoch, as OpenReview
// keeps them.
type Note struct {
	ID          string   `json:"id,omitempty"`
	Number      int      `json:"number,omitempty"`
	Forum       string   `json:"forum,omitempty"`
	ReplyTo     string   `json:"replyto,omitempty"`
	Invitations []string `json:"invitations,omitempty"`
	Invitation  string   `json:"invitation,omitempty"`
	Domain      string   `json:"domain,omitempty"`
	CDate       int64    `json:"cdate,omitempty"`
	TCDate      int64    `json:"tcdate,omitempty"`
	MDate       int64    `json:"mdate,omitempty"`
	TMDate      int64    `json:"tmdate,omitempty"`
	PDate       int64    `json:"pdate,omitempty"`
	ODate       int64    `json:"odate,omitempty"`
	DDate       int64    `json:"ddate,omitempty"`
	Signatures  []string `json:"signatures,omitempty"`
	Readers     []string `json:"readers,omitempty"`
	Writers     []string `json:"writers,omitempty"`
	Nonreaders  []string `json:"nonreaders,omitempty"`
	License     string   `json:"license,omitempty"`
	Content     Content  `json:"content,omitempty"`
}

// Content is a note's content: field name to value, unwrapped from API
// v2's {"value": ...} when it was wrapped.
type Content map[string]any

// UnmarshalJSON unwraps v2 values; a v1 value is kept as it is.
func (c *Content) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(Content, len(raw))
	for k, v := range raw {
		var wrapped struct {
			Value *json.RawMessage `json:"value"`
		}
		if bytes.HasPrefix(bytes.TrimSpace(v), []byte("{")) && json.Unmarshal(v, &wrapped) == nil && wrapped.Value != nil {
			v = *wrapped.Value
		}
		var val any
		if err := json.Unmarshal(v, &val); err != nil {
			return err
		}
		out[k] = val
	}
	*c = out
	return nil
}

// MarshalJSON writes API v2's wrapped values, which both clients read.
func (c Content) MarshalJSON() ([]byte, error) {
	out := make(map[string]map[string]any, len(c))
	for k, v := range c {
		out[k] = map[string]any{"value": v}
	}
	return json.Marshal(out)
}

// String is a text field; a number is written out, anything else is "".
func (c Content) String(key string) string {
	switch v := c[key].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

// Strings is a list of strings (authors, keywords); a v1 keyword string
// with commas is split.
func (c Content) Strings(key string) []string {
	switch v := c[key].(type) {
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case string:
		var out []string
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// Score is a rating as v2 keeps it (an integer) or as v1 did ("6:
// Marginally above acceptance threshold"): the number and the label.
func (c Content) Score(key string) (n int, label string, ok bool) {
	switch v := c[key].(type) {
	case float64:
		if v != float64(int(v)) {
			return 0, "", false
		}
		return int(v), "", true
	case string:
		num, rest, _ := strings.Cut(v, ":")
		n, err := strconv.Atoi(strings.TrimSpace(num))
		if err != nil {
			return 0, "", false
		}
		return n, strings.TrimSpace(rest), true
	}
	return 0, "", false
}

// Invitation is the note's main invitation: v2's first, or v1's.
func (n Note) MainInvitation() string {
	if len(n.Invitations) > 0 {
		return n.Invitations[0]
	}
	return n.Invitation
}

// Limits bound what Read accepts.
type Limits struct {
	MaxBytes  int64 // the whole file
	MaxNotes  int
	MaxString int // characters of any one string
	MaxList   int // entries of any one list
}

// DefaultLimits hold a large conference's notes, not an unbounded file.
var DefaultLimits = Limits{MaxBytes: 64 << 20, MaxNotes: 50000, MaxString: 200000, MaxList: 1000}

func invalid(code, detail string) error {
	return problem.New(problem.ErrInvalid, code, detail)
}

// Read decodes a notes file: a JSON array of notes, or an object with a
// "notes" array (what the API answers). Nothing beyond lim is read or
// kept; every refusal is a problem with a stable code.
func Read(r io.Reader, lim Limits) ([]Note, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, problem.New(problem.ErrTooLarge, "openreview_too_large", fmt.Sprintf("the notes file is larger than %d bytes", lim.MaxBytes))
	}
	data = bytes.TrimSpace(data)
	var notes []Note
	switch {
	case bytes.HasPrefix(data, []byte("[")):
		err = json.Unmarshal(data, &notes)
	case bytes.HasPrefix(data, []byte("{")):
		var wrap struct {
			Notes *[]Note `json:"notes"`
		}
		err = json.Unmarshal(data, &wrap)
		if err == nil && wrap.Notes == nil {
			return nil, invalid("openreview_no_notes", `the file is a JSON object without a "notes" array`)
		}
		if wrap.Notes != nil {
			notes = *wrap.Notes
		}
	default:
		return nil, invalid("openreview_not_json", "the file is not JSON: expected an array of notes or an object with a \"notes\" array")
	}
	if err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, invalid("openreview_not_json", fmt.Sprintf("the file is not valid JSON (at byte %d: %v)", se.Offset, se))
		case errors.As(err, &te):
			return nil, invalid("openreview_bad_note", fmt.Sprintf("a note's %q is a %s where a %s belongs", te.Field, te.Value, te.Type))
		}
		return nil, invalid("openreview_bad_note", "a note could not be read: "+err.Error())
	}
	if len(notes) > lim.MaxNotes {
		return nil, problem.New(problem.ErrTooLarge, "openreview_too_many_notes", fmt.Sprintf("the file has %d notes; at most %d are read", len(notes), lim.MaxNotes))
	}
	for i := range notes {
		if err := checkNote(&notes[i], i, lim); err != nil {
			return nil, err
		}
	}
	return notes, nil
}

// checkNote bounds every string and list of a note and requires an id.
func checkNote(n *Note, i int, lim Limits) error {
	where := fmt.Sprintf("note %d", i+1)
	if n.ID != "" {
		where = "note " + n.ID
	}
	if strings.TrimSpace(n.ID) == "" {
		return invalid("openreview_bad_note", where+" has no id")
	}
	for name, s := range map[string]string{"id": n.ID, "forum": n.Forum, "replyto": n.ReplyTo, "invitation": n.Invitation, "domain": n.Domain, "license": n.License} {
		if len(s) > 1000 || !utf8.ValidString(s) {
			return invalid("openreview_field_too_long", fmt.Sprintf("%s: %s is longer than 1000 bytes or not UTF-8", where, name))
		}
	}
	for name, l := range map[string][]string{"invitations": n.Invitations, "signatures": n.Signatures, "readers": n.Readers, "writers": n.Writers, "nonreaders": n.Nonreaders} {
		if len(l) > lim.MaxList {
			return invalid("openreview_list_too_long", fmt.Sprintf("%s: %s has %d entries; at most %d", where, name, len(l), lim.MaxList))
		}
		for _, s := range l {
			if len(s) > 1000 {
				return invalid("openreview_field_too_long", fmt.Sprintf("%s: an entry of %s is longer than 1000 bytes", where, name))
			}
		}
	}
	if len(n.Content) > lim.MaxList {
		return invalid("openreview_list_too_long", fmt.Sprintf("%s: content has %d fields; at most %d", where, len(n.Content), lim.MaxList))
	}
	for k, v := range n.Content {
		if len(k) > 200 {
			return invalid("openreview_field_too_long", fmt.Sprintf("%s: a content field's name is longer than 200 bytes", where))
		}
		if err := checkValue(v, lim, 0); err != nil {
			return invalid("openreview_field_too_long", fmt.Sprintf("%s: content.%s %s", where, k, err))
		}
	}
	return nil
}

func checkValue(v any, lim Limits, depth int) error {
	if depth > 8 {
		return errors.New("is nested too deeply")
	}
	switch x := v.(type) {
	case string:
		if utf8.RuneCountInString(x) > lim.MaxString {
			return fmt.Errorf("is longer than %d characters", lim.MaxString)
		}
	case []any:
		if len(x) > lim.MaxList {
			return fmt.Errorf("has more than %d entries", lim.MaxList)
		}
		for _, e := range x {
			if err := checkValue(e, lim, depth+1); err != nil {
				return err
			}
		}
	case map[string]any:
		if len(x) > lim.MaxList {
			return fmt.Errorf("has more than %d entries", lim.MaxList)
		}
		for _, e := range x {
			if err := checkValue(e, lim, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}
