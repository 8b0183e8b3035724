// Package conflict finds conflicts of interest between reviewers and
// submissions. The automatic rules here are pure functions of the venue's
// author lists and reviewer pool, so the same venue always yields the same
// conflicts; storing them next to the declared and chair-added ones, and
// hiding conflicted submissions, is the caller's job.
package conflict

import (
	"errors"
	"fmt"
)

// Person is a reviewer or an author as listed on a submission. ID is the
// account id when the person has one and 0 otherwise.
type Person struct {
	ID          int64
	Email       string
	Affiliation string
	Name        string
}

// Paper is a submission with its authors in the order they are listed.
// Title is used only to make a co-authorship conflict readable to chairs.
type Paper struct {
	ID      int64
	Title   string
	Authors []Person
}

// Source says why a reviewer and a submission are in conflict. Chairs see it
// next to every conflict, so a conflict they disagree with can be traced to
// the rule or the person that produced it.
type Source string

const (
	SameEmailDomain    Source = "same_email_domain"
	SameAffiliation    Source = "same_affiliation"
	ReviewerIsAuthor   Source = "reviewer_is_author"
	Coauthor           Source = "coauthor"
	DeclaredByAuthor   Source = "declared_by_author"
	DeclaredByReviewer Source = "declared_by_reviewer"
	AddedByChair       Source = "added_by_chair"
)

// sources lists every source in the order conflicts of one pair are shown.
var sources = [...]Source{
	ReviewerIsAuthor, Coauthor, SameEmailDomain, SameAffiliation,
	DeclaredByAuthor, DeclaredByReviewer, AddedByChair,
}

// ErrUnknownSource is returned for a source string no rule or person produces,
// typically a corrupted row or a typo in an import.
var ErrUnknownSource = errors.New("conflict: unknown source")

// ParseSource turns a stored source back into a Source.
func ParseSource(s string) (Source, error) {
	for _, src := range sources {
		if string(src) == s {
			return src, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownSource, s)
}

// Automatic reports whether the source is one of the rules recomputed by
// Automatic, as opposed to one a person declared; a recomputation replaces
// the automatic conflicts and must leave the declared ones alone.
func (s Source) Automatic() bool {
	switch s {
	case SameEmailDomain, SameAffiliation, ReviewerIsAuthor, Coauthor:
		return true
	}
	return false
}

// rank orders the sources of one (paper, reviewer) pair.
func (s Source) rank() int {
	for i, src := range sources {
		if src == s {
			return i
		}
	}
	return len(sources)
}

// Conflict is one reason why Reviewer must not review Paper. Detail is
// written for chairs ("both at mit.edu").
type Conflict struct {
	Paper    int64
	Reviewer int64
	Source   Source
	Detail   string
}
