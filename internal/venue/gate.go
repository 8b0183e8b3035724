package venue

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Action is something people may do only while its phase is open.
type Action string

const (
	ActionSubmit      Action = "submit" // create, revise or withdraw a submission
	ActionBid         Action = "bid"
	ActionReview      Action = "review"
	ActionDecide      Action = "decide"
	ActionCameraReady Action = "camera_ready"
	// ActionRespond is an author's response to the reviews, and a
	// reviewer's revision of a submitted review after reading it.
	ActionRespond Action = "respond"
)

var actionPhase = map[Action]Phase{
	ActionSubmit:      PhaseSubmission,
	ActionBid:         PhaseBidding,
	ActionReview:      PhaseReviewing,
	ActionDecide:      PhaseDecision,
	ActionCameraReady: PhaseCameraReady,
	ActionRespond:     PhaseAuthorResponse,
}

// noun is how messages name the action's deadline.
var actionNoun = map[Action]string{
	ActionSubmit:      "submission",
	ActionBid:         "bidding",
	ActionReview:      "review",
	ActionDecide:      "decision",
	ActionCameraReady: "camera-ready",
	ActionRespond:     "author response",
}

// Phase is the phase during which a is allowed.
func (a Action) Phase() Phase { return actionPhase[a] }

var (
	// ErrDeadlinePassed is wrapped by every refusal after a deadline.
	ErrDeadlinePassed = errors.New("deadline passed")
	// ErrNotOpen is wrapped by every refusal before a phase opens.
	ErrNotOpen = errors.New("not open yet")
	// ErrBadExtension reports an extension that cannot be recorded or used.
	ErrBadExtension = errors.New("bad extension")
	// ErrUnknownAction reports a programming error: a gate for no action.
	ErrUnknownAction = errors.New("unknown deadline-gated action")
)

// Extension moves one deadline for one submission or one reviewer. Submit,
// decide and camera_ready are extended per submission; bid and review per
// reviewer (for review, optionally for one submission only). The caller
// picks the extension that matches the subject and passes it to Gate.
type Extension struct {
	Action     Action    `json:"action"`
	Submission string    `json:"submission,omitempty"`
	Reviewer   string    `json:"reviewer,omitempty"`
	Until      time.Time `json:"until"`
	GrantedBy  string    `json:"granted_by"`
	Reason     string    `json:"reason"`
	GrantedAt  time.Time `json:"granted_at"`
}

// Validate checks e before it is recorded.
func (e *Extension) Validate() error {
	var bad []string
	switch e.Action {
	case ActionSubmit, ActionDecide, ActionCameraReady, ActionRespond:
		if e.Submission == "" || e.Reviewer != "" {
			bad = append(bad, fmt.Sprintf("a %s extension names one submission and no reviewer", e.Action))
		}
	case ActionBid:
		if e.Reviewer == "" || e.Submission != "" {
			bad = append(bad, "a bid extension names one reviewer and no submission")
		}
	case ActionReview:
		if e.Reviewer == "" {
			bad = append(bad, "a review extension names a reviewer")
		}
	default:
		bad = append(bad, fmt.Sprintf("action %q is not deadline-gated", e.Action))
	}
	if e.Until.IsZero() {
		bad = append(bad, "until is required")
	} else if e.Until.Nanosecond() != 0 {
		bad = append(bad, "until must be a whole second")
	}
	if strings.TrimSpace(e.GrantedBy) == "" {
		bad = append(bad, "granted_by is required")
	}
	if strings.TrimSpace(e.Reason) == "" {
		bad = append(bad, "a reason is required")
	}
	if e.GrantedAt.IsZero() {
		bad = append(bad, "granted_at is required")
	}
	if len(bad) > 0 {
		return fmt.Errorf("%w: %s", ErrBadExtension, strings.Join(bad, "; "))
	}
	return nil
}

// GateResult says whether an action received at an instant is allowed.
type GateResult struct {
	Allowed bool
	// Late is set when the action was accepted inside a hidden grace window.
	// It is for the record and the chairs; it must not be shown as "grace".
	Late bool
	// Extended is set when only the subject's extension allowed the action.
	Extended bool
	// Deadline is the deadline that applied as people know it: the published
	// instant, the extension's, or the instant a chair closed the phase.
	// Zero when the phase has no end.
	Deadline time.Time
	// Phase is the phase the action belongs to.
	Phase Phase
}

// DeadlineError is the refusal of a deadline-gated action. Its message states
// the deadline in AoE and UTC and never mentions grace.
type DeadlineError struct {
	Action Action
	// Deadline is the instant stated: the last second inside for a passed
	// deadline, the first second inside for NotOpen, the instant a chair
	// closed the phase for ClosedEarly. Zero when the venue has no such phase.
	Deadline    time.Time
	NotOpen     bool
	ClosedEarly bool
	Extended    bool
}

func (e *DeadlineError) Error() string {
	noun := actionNoun[e.Action]
	switch {
	case e.NotOpen && e.Deadline.IsZero():
		return fmt.Sprintf("%s is not open at this venue", noun)
	case e.NotOpen:
		return fmt.Sprintf("%s is not open yet: it opens at %s", noun, Describe(e.Deadline))
	case e.ClosedEarly:
		return fmt.Sprintf("%s was closed by the chairs at %s", noun, Describe(e.Deadline))
	case e.Extended:
		return fmt.Sprintf("the extended %s deadline has passed: it was %s", noun, Describe(e.Deadline))
	default:
		return fmt.Sprintf("the %s deadline has passed: it was %s", noun, Describe(e.Deadline))
	}
}

// Unwrap lets callers map refusals with errors.Is.
func (e *DeadlineError) Unwrap() error {
	if e.NotOpen {
		return ErrNotOpen
	}
	return ErrDeadlinePassed
}

// Gate is the one check every deadline-gated action passes, with the
// instant the server received the request. It honours, in this order: the
// phase window (deadlines and the chairs' overrides recorded up to
// received), the subject's extension ext (nil when none), and the hidden
// grace of a published deadline (accepted, marked Late). An extension never
// opens a phase early and carries no grace of its own; a chair's early close
// removes the grace.
func (s *Settings) Gate(action Action, received time.Time, ext *Extension, overrides []Override) (GateResult, error) {
	phase, ok := actionPhase[action]
	if !ok {
		return GateResult{}, fmt.Errorf("%w: %q", ErrUnknownAction, action)
	}
	if ext != nil {
		if ext.Action != action {
			return GateResult{}, fmt.Errorf("%w: a %s extension passed to the %s gate", ErrBadExtension, ext.Action, action)
		}
		if err := ext.Validate(); err != nil {
			return GateResult{}, err
		}
	}
	w := *s.windows(received, overrides)[phase]
	res := GateResult{Phase: phase}
	if !w.exists {
		return res, &DeadlineError{Action: action, NotOpen: true}
	}
	if !w.end.IsZero() && !w.start.IsZero() && !w.end.After(w.start) {
		// A chair closed the phase before it opened: it will not open.
		return res, &DeadlineError{Action: action, Deadline: w.end, ClosedEarly: true}
	}
	if w.startsAfter(received) {
		return res, &DeadlineError{Action: action, NotOpen: true, Deadline: w.start}
	}
	res.Deadline = w.deadline.At
	if w.closedEarly {
		res.Deadline = w.end
	} else if w.end.IsZero() {
		res.Deadline = time.Time{}
	}
	switch {
	case w.contains(received):
		res.Allowed = true
		return res, nil
	case ext != nil && received.Before(ext.Until.Add(time.Second)):
		res.Allowed, res.Extended, res.Deadline = true, true, ext.Until
		return res, nil
	case !w.closedEarly && received.Before(w.end.Add(w.deadline.Grace)):
		res.Allowed, res.Late = true, true
		return res, nil
	}
	err := &DeadlineError{Action: action, Deadline: res.Deadline, ClosedEarly: w.closedEarly}
	if ext != nil && ext.Until.After(res.Deadline) {
		err.Deadline, err.ClosedEarly, err.Extended = ext.Until, false, true
		res.Deadline = ext.Until
	}
	return res, err
}
