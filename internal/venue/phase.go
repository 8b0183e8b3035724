package venue

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Phase is where a venue stands in its timeline. It is always derived from
// the deadlines, the recorded overrides and an instant, never stored, so it
// cannot drift from the deadlines chairs see.
type Phase string

const (
	PhaseBeforeOpen Phase = "before_open"
	PhaseSubmission Phase = "submission"
	PhaseBidding    Phase = "bidding"
	PhaseReviewing  Phase = "reviewing"
	// PhaseAuthorResponse exists only when the venue sets an
	// author_response deadline.
	PhaseAuthorResponse Phase = "author_response"
	PhaseDecision       Phase = "decision"
	PhaseCameraReady    Phase = "camera_ready"
	PhaseClosed         Phase = "closed"
)

// sequence is the order of the phases that have windows.
var sequence = []Phase{PhaseSubmission, PhaseBidding, PhaseReviewing, PhaseAuthorResponse, PhaseDecision, PhaseCameraReady}

// OverrideKind says whether a chair opened or closed a phase.
type OverrideKind string

const (
	OverrideOpen  OverrideKind = "open"
	OverrideClose OverrideKind = "close"
)

// Override is a chair's recorded decision to open or close a phase at an
// instant other than the deadlines say. Overrides are kept, never folded
// into the deadlines, so the record shows who moved what and why.
type Override struct {
	Phase  Phase        `json:"phase"`
	Kind   OverrideKind `json:"kind"`
	At     time.Time    `json:"at"`
	By     string       `json:"by"`
	Reason string       `json:"reason"`
}

// ErrBadOverride reports an override that cannot be recorded.
var ErrBadOverride = errors.New("bad phase override")

// Validate checks o before it is recorded.
func (o Override) Validate() error {
	var bad []string
	if !slices.Contains(sequence, o.Phase) {
		bad = append(bad, fmt.Sprintf("phase %q is not one of %s", o.Phase, joinQuoted(sequence)))
	}
	if o.Kind != OverrideOpen && o.Kind != OverrideClose {
		bad = append(bad, fmt.Sprintf("kind %q is not open or close", o.Kind))
	}
	if o.At.IsZero() {
		bad = append(bad, "at is required")
	}
	if strings.TrimSpace(o.By) == "" {
		bad = append(bad, "by is required")
	}
	if strings.TrimSpace(o.Reason) == "" {
		bad = append(bad, "a reason is required")
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrBadOverride, strings.Join(bad, "; "))
	}
	return nil
}

// window is the half-open span [start, end) in which a phase is open. A zero
// start is open since forever, a zero end open for ever.
type window struct {
	exists     bool
	start, end time.Time
	// deadline closes the window as published; grace applies only while
	// the end is still that deadline's End.
	deadline    Deadline
	closedEarly bool
}

func (w window) contains(t time.Time) bool {
	return w.exists && (w.start.IsZero() || !t.Before(w.start)) && (w.end.IsZero() || t.Before(w.end))
}

func (w window) startsAfter(t time.Time) bool { return !w.start.IsZero() && w.start.After(t) }

func (w window) endsBy(t time.Time) bool { return !w.end.IsZero() && !w.end.After(t) }

// windows derives each phase's window as of instant asOf.
//
// From the deadlines: submission runs from submission_opens to the end of
// the submission deadline; bidding (only when a bidding deadline is set)
// from there to the end of the bidding deadline; reviewing from the end of
// the previous phase to the end of the review deadline; decision to the end
// of the decision deadline; camera_ready (when set) to the end of its
// deadline. Phases change at the published instants: grace is hidden, so a
// phase never visibly lingers into it.
//
// Then the overrides recorded up to asOf, in order of At:
//   - open P at t: P starts at t if it would start later; if P has already
//     ended (or the venue has no such phase), P reopens at t with no end
//     until a close.
//   - close P at t: P ends at t (actions at t are refused) with no grace,
//     and the next phase that is still to come starts at t, or where P
//     would have started if t is before that, so that closing early moves
//     the venue on instead of leaving it between phases.
func (s *Settings) windows(asOf time.Time, overrides []Override) map[Phase]*window {
	d := s.Deadlines
	w := map[Phase]*window{}
	for _, p := range sequence {
		w[p] = &window{}
	}
	*w[PhaseSubmission] = window{exists: true, start: d.SubmissionOpens.At, end: d.Submission.End(), deadline: d.Submission}
	prev := d.Submission
	if d.Bidding.IsSet() {
		*w[PhaseBidding] = window{exists: true, start: prev.End(), end: d.Bidding.End(), deadline: d.Bidding}
		prev = d.Bidding
	}
	*w[PhaseReviewing] = window{exists: true, start: prev.End(), end: d.Review.End(), deadline: d.Review}
	decisionStart := d.Review.End()
	if d.AuthorResponse.IsSet() {
		*w[PhaseAuthorResponse] = window{exists: true, start: d.Review.End(), end: d.AuthorResponse.End(), deadline: d.AuthorResponse}
		decisionStart = d.AuthorResponse.End()
	}
	*w[PhaseDecision] = window{exists: true, start: decisionStart, end: d.Decision.End(), deadline: d.Decision}
	if d.CameraReady.IsSet() {
		*w[PhaseCameraReady] = window{exists: true, start: d.Decision.End(), end: d.CameraReady.End(), deadline: d.CameraReady}
	}

	var due []Override
	for _, o := range overrides {
		if !o.At.After(asOf) && w[o.Phase] != nil {
			due = append(due, o)
		}
	}
	slices.SortStableFunc(due, func(a, b Override) int { return a.At.Compare(b.At) })
	for _, o := range due {
		win := w[o.Phase]
		switch o.Kind {
		case OverrideOpen:
			switch {
			case !win.exists || win.endsBy(o.At):
				*win = window{exists: true, start: o.At, deadline: win.deadline}
			case win.startsAfter(o.At):
				win.start = o.At
			}
		case OverrideClose:
			if !win.exists || win.endsBy(o.At) {
				continue
			}
			movedTo := o.At
			if win.startsAfter(o.At) {
				movedTo = win.start
			}
			win.end, win.closedEarly = o.At, true
			for _, next := range sequence[slices.Index(sequence, o.Phase)+1:] {
				nw := w[next]
				if nw.exists && !nw.endsBy(movedTo) {
					if nw.startsAfter(movedTo) {
						nw.start = movedTo
					}
					break
				}
			}
		}
	}
	return w
}

// PhaseAt derives the phase at now. When windows overlap (a chair opened a
// phase early) the later phase in the sequence is the one shown, while the
// earlier one's actions stay open until their own deadline: opening
// reviewing early must not cut authors' published deadline short. Outside
// every window the venue is before_open if no phase has started, closed if
// every phase has ended, and otherwise (only reachable by reopening and
// closing phases by hand) at the latest phase that has started.
func (s *Settings) PhaseAt(now time.Time, overrides []Override) Phase {
	w := s.windows(now, overrides)
	for _, p := range slices.Backward(sequence) {
		if w[p].contains(now) {
			return p
		}
	}
	started, ended := Phase(""), true
	for _, p := range sequence {
		win := w[p]
		if !win.exists {
			continue
		}
		if !win.startsAfter(now) {
			started = p
		}
		if !win.endsBy(now) {
			ended = false
		}
	}
	switch {
	case started == "":
		return PhaseBeforeOpen
	case ended:
		return PhaseClosed
	default:
		return started
	}
}
