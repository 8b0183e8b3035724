package openreview

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// mappedKeys are a submission note's content fields Quire reads as its own
// (title, authors, files) or that OpenReview derives (venue, bibtex); the
// rest are the venue's own questions.
var mappedKeys = map[string]bool{
	"title": true, "authors": true, "authorids": true, "abstract": true, "keywords": true, "pdf": true,
	"venue": true, "venueid": true, "_bibtex": true, "paperhash": true, affiliationsKey: true,
	suppKey: true,
}

// fieldKey finds the venue's submission field a content key answers: the
// same key, else the same key in another case (OpenReview's TLDR is a
// venue's tldr).
func fieldKey(set *venue.Settings, key string) (venue.SubmissionField, bool) {
	if f, ok := set.SubmissionField(key); ok {
		return f, true
	}
	for _, f := range set.SubmissionFields {
		if strings.EqualFold(f.Key, key) {
			return f, true
		}
	}
	return venue.SubmissionField{}, false
}

// answersOf takes the note's answers to the venue's own fields asked of
// the track, checked as the submission form checks them: an answer the
// form would refuse is reported and left out, as is every content field
// the venue does not ask.
func answersOf(set *venue.Settings, track string, c Content, authors []submission.Author) (submission.Answers, []string) {
	var problems []string
	in := map[string]any{}
	keys := make([]string, 0, len(c))
	for k := range c {
		if !mappedKeys[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		f, ok := fieldKey(set, k)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("content field %s: the venue asks no such question; not imported (kept for the export)", k))
		case !f.AskedOf(track):
			problems = append(problems, fmt.Sprintf("content field %s: the venue asks %q only of the tracks %s; not imported (kept for the export)", k, f.Label, strings.Join(f.Tracks, ", ")))
		case in[f.Key] != nil:
			problems = append(problems, fmt.Sprintf("content field %s: %q is answered already; not imported", k, f.Label))
		default:
			in[f.Key] = coerce(f, c[k])
		}
	}
	emails := make([]string, 0, len(authors))
	for _, a := range authors {
		emails = append(emails, a.Email)
	}
	clean, ps := set.CheckSubmissionFields(track, in, emails)
	for _, p := range ps {
		key := strings.TrimPrefix(p.Field, "fields.")
		f, _ := set.SubmissionField(key)
		if _, given := in[key]; given {
			problems = append(problems, fmt.Sprintf("answer to %q %s; not imported", f.Label, p.Message))
		} else {
			problems = append(problems, fmt.Sprintf("no answer to the venue's required %q", f.Label))
		}
	}
	return clean, problems
}

// coerce reads OpenReview's ways of writing an answer as the kind of
// field it answers: a ticked checkbox is its statement's text or a list
// of it, a number may come as a string.
func coerce(f venue.SubmissionField, v any) any {
	switch f.Kind {
	case venue.FieldCheckbox:
		switch x := v.(type) {
		case string:
			return strings.TrimSpace(x) != ""
		case []any:
			return len(x) > 0
		}
	case venue.FieldNumber:
		if s, ok := v.(string); ok {
			if x, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
				return x
			}
		}
	case venue.FieldChoice:
		if l, ok := v.([]any); ok && len(l) == 1 {
			return l[0]
		}
	}
	return v
}

// writeAnswers puts a submission's answers as Quire holds them now into
// its note's content (a copy of base, the note as it came), each under
// the key it came in with (TLDR), else its own. A key of base that answered
// one of the track's questions and has no answer in Quire now was removed
// in Quire, and goes; one whose value the form refuses never was Quire's
// (the import reported it and left it out) and stays as it came.
func writeAnswers(set *venue.Settings, track string, emails []string, n Content, base Content, a submission.Answers) {
	for bk, v := range base {
		if mappedKeys[bk] {
			continue
		}
		f, ok := fieldKey(set, bk)
		if !ok || !f.AskedOf(track) {
			continue
		}
		if _, held := a[f.Key]; held || refused(set, track, f, v, emails) {
			continue
		}
		delete(n, bk)
	}
	keys := make([]string, 0, len(a))
	for k := range a {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out := k
		if _, ok := base[k]; !ok {
			for bk := range base {
				if strings.EqualFold(bk, k) && !mappedKeys[bk] {
					out = bk
					break
				}
			}
		}
		v := a[k]
		if l, ok := v.([]string); ok {
			v = stringsAny(l)
		}
		n[out] = v
	}
}

// refused tells whether the form refuses v as the answer to f, as the
// import checked it.
func refused(set *venue.Settings, track string, f venue.SubmissionField, v any, emails []string) bool {
	_, ps := set.CheckSubmissionFields(track, map[string]any{f.Key: coerce(f, v)}, emails)
	for _, p := range ps {
		if p.Field == "fields."+f.Key {
			return true
		}
	}
	return false
}
