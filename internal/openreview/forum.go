package openreview

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Kind is what a note is to Quire.
type Kind string

const (
	KindSubmission    Kind = "submission"
	KindReview        Kind = "review"
	KindMetaReview    Kind = "meta_review"
	KindDecision      Kind = "decision"
	KindComment       Kind = "comment"
	KindWithdrawal    Kind = "withdrawal"
	KindDeskRejection Kind = "desk_rejection"
	KindOther         Kind = "other"
)

// Submission states as OpenReview moves them to other venue ids.
const (
	StateActive       = "active"
	StateWithdrawn    = "withdrawn"
	StateDeskRejected = "desk_rejected"
)

// kindOf tells a note's kind by its invitation's last part, the way
// openreview-py names them in v2 (Venue/Submission12/-/Official_Review)
// and v1 (Venue/Paper12/-/Official_Review); a note that is its own forum
// is a submission.
func kindOf(n Note) Kind {
	invs := n.Invitations
	if n.Invitation != "" {
		invs = append(invs[:len(invs):len(invs)], n.Invitation)
	}
	for _, inv := range invs {
		if !strings.Contains(inv, "/-/") {
			continue
		}
		switch inv[strings.LastIndex(inv, "/")+1:] {
		case "Official_Review":
			return KindReview
		case "Meta_Review":
			return KindMetaReview
		case "Decision":
			return KindDecision
		case "Withdrawal":
			return KindWithdrawal
		case "Desk_Rejection":
			return KindDeskRejection
		case "Official_Comment", "Public_Comment", "Comment":
			return KindComment
		}
	}
	if n.Forum == n.ID || (n.Forum == "" && n.ReplyTo == "") {
		return KindSubmission
	}
	return KindOther
}

// Forum is a submission with the replies Quire keeps.
type Forum struct {
	Submission  Note
	Number      int
	State       string
	Reviews     []Note
	MetaReviews []Note
	Decisions   []Note
	Comments    []Note
}

// Item is something the import could not carry over, and why.
type Item struct {
	Note   string `json:"note,omitempty"`
	Kind   Kind   `json:"kind,omitempty"`
	Number int    `json:"number,omitempty"`
	What   string `json:"what"`
	Why    string `json:"why"`
}

var numbered = regexp.MustCompile(`/(?:Submission|Paper)(\d+)(?:/|$)`)

// numberIn finds a submission number in a group or invitation id.
func numberIn(ids ...string) int {
	for _, id := range ids {
		if m := numbered.FindStringSubmatch(id); m != nil {
			if n, err := strconv.Atoi(m[1]); err == nil {
				return n
			}
		}
	}
	return 0
}

func venueID(n Note) string { return n.Content.String("venueid") }

// Group sorts notes into forums, in submission number order, and lists
// the notes it cannot place.
func Group(notes []Note) ([]*Forum, []Item) {
	var skipped []Item
	byID := map[string]*Forum{}
	var forums []*Forum
	seen := map[string]bool{}
	for _, n := range notes {
		if seen[n.ID] {
			skipped = append(skipped, Item{Note: n.ID, What: "note", Why: "the id appears twice in the file; the first is used"})
			continue
		}
		seen[n.ID] = true
		if kindOf(n) != KindSubmission {
			continue
		}
		f := &Forum{Submission: n, Number: n.Number, State: StateActive}
		all := append(append([]string{}, n.Invitations...), n.Invitation, venueID(n))
		for _, s := range all {
			switch {
			case strings.HasSuffix(s, "Withdrawn_Submission"):
				f.State = StateWithdrawn
			case strings.HasSuffix(s, "Desk_Rejected_Submission"):
				f.State = StateDeskRejected
			}
		}
		byID[n.ID] = f
		forums = append(forums, f)
	}
	seen = map[string]bool{}
	for _, n := range notes {
		k := kindOf(n)
		if k == KindSubmission || seen[n.ID] {
			continue
		}
		seen[n.ID] = true
		parent := n.Forum
		if parent == "" {
			parent = n.ReplyTo
		}
		f := byID[parent]
		if f == nil {
			skipped = append(skipped, Item{Note: n.ID, Kind: k, What: string(k), Why: "its forum " + strconv.Quote(parent) + " is not a submission in the file"})
			continue
		}
		if f.Number == 0 {
			f.Number = numberIn(append(append([]string{}, n.Invitations...), n.Invitation)...)
			if f.Number == 0 {
				f.Number = numberIn(n.Signatures...)
			}
		}
		switch k {
		case KindReview:
			f.Reviews = append(f.Reviews, n)
		case KindMetaReview:
			f.MetaReviews = append(f.MetaReviews, n)
		case KindDecision:
			f.Decisions = append(f.Decisions, n)
		case KindComment:
			f.Comments = append(f.Comments, n)
		case KindWithdrawal:
			f.State = StateWithdrawn
		case KindDeskRejection:
			f.State = StateDeskRejected
		default:
			skipped = append(skipped, Item{Note: n.ID, Kind: KindOther, Number: f.Number, What: "reply " + n.MainInvitation(),
				Why: "Quire keeps submissions, official reviews, meta-reviews, decisions and comments; other replies are not imported"})
		}
	}
	sort.SliceStable(forums, func(i, j int) bool {
		a, b := forums[i], forums[j]
		if (a.Number == 0) != (b.Number == 0) {
			return a.Number != 0
		}
		if a.Number != b.Number {
			return a.Number < b.Number
		}
		return a.Submission.CDate < b.Submission.CDate
	})
	return forums, skipped
}
