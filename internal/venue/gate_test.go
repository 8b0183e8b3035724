package venue

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func extension(a Action, until time.Time) *Extension {
	e := &Extension{Action: a, Until: until, GrantedBy: "chair@example.org", Reason: "family emergency",
		GrantedAt: utc(2023, 10, 8, 0, 0, 0)}
	if a == ActionBid || a == ActionReview {
		e.Reviewer = "r-17"
	} else {
		e.Submission = "s-42"
	}
	return e
}

func TestGateSubmissionEdges(t *testing.T) {
	t.Parallel()
	withGrace := demo(t) // submission grace 30m
	noGrace := demo(t)
	noGrace.Deadlines.Submission.Grace = 0
	end := utc(2023, 10, 9, 12, 0, 0) // first instant outside "2023-10-08 AoE"
	ext := extension(ActionSubmit, utc(2023, 10, 11, 11, 59, 59))
	early := extension(ActionSubmit, utc(2023, 10, 5, 11, 59, 59))

	type want struct {
		allowed, late, extended bool
		deadline                time.Time
		err                     error
	}
	published := utc(2023, 10, 9, 11, 59, 59)
	tests := []struct {
		name     string
		s        *Settings
		received time.Time
		ext      *Extension
		want     want
	}{
		{"last whole second", noGrace, utc(2023, 10, 9, 11, 59, 59), nil, want{allowed: true, deadline: published}},
		{"last nanosecond", noGrace, end.Add(-ns), nil, want{allowed: true, deadline: published}},
		{"one second later, no grace", noGrace, end, nil, want{deadline: published, err: ErrDeadlinePassed}},
		{"one second later, in grace", withGrace, end, nil, want{allowed: true, late: true, deadline: published}},
		{"last nanosecond of grace", withGrace, end.Add(30*time.Minute - ns), nil, want{allowed: true, late: true, deadline: published}},
		{"grace over", withGrace, end.Add(30 * time.Minute), nil, want{deadline: published, err: ErrDeadlinePassed}},
		{"on time is not late", withGrace, end.Add(-time.Hour), nil, want{allowed: true, deadline: published}},
		{"before opening", withGrace, utc(2023, 9, 1, 11, 59, 59), nil, want{err: ErrNotOpen}},
		{"at opening", withGrace, utc(2023, 9, 1, 12, 0, 0), nil, want{allowed: true, deadline: published}},
		{"extension after deadline", noGrace, utc(2023, 10, 10, 0, 0, 0), ext, want{allowed: true, extended: true, deadline: ext.Until}},
		{"extension last second", withGrace, ext.Until.Add(time.Second - ns), ext, want{allowed: true, extended: true, deadline: ext.Until}},
		{"extension carries no grace", withGrace, ext.Until.Add(time.Second), ext, want{deadline: ext.Until, err: ErrDeadlinePassed}},
		{"extension unused on time", withGrace, end.Add(-ns), ext, want{allowed: true, deadline: published}},
		{"extension does not open early", withGrace, utc(2023, 8, 30, 0, 0, 0), ext, want{err: ErrNotOpen}},
		{"an earlier extension does not cut the grace", withGrace, end, early, want{allowed: true, late: true, deadline: published}},
		{"an earlier extension, after grace", withGrace, end.Add(time.Hour), early, want{deadline: published, err: ErrDeadlinePassed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := tt.s.Gate(ActionSubmit, tt.received, tt.ext, nil)
			if !errors.Is(err, tt.want.err) || (tt.want.err == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.want.err)
			}
			if res.Allowed != tt.want.allowed || res.Late != tt.want.late || res.Extended != tt.want.extended {
				t.Errorf("result = %+v, want allowed=%v late=%v extended=%v", res, tt.want.allowed, tt.want.late, tt.want.extended)
			}
			if !tt.want.deadline.IsZero() && !res.Deadline.Equal(tt.want.deadline) {
				t.Errorf("Deadline = %v, want %v", res.Deadline, tt.want.deadline)
			}
			if res.Phase != PhaseSubmission {
				t.Errorf("Phase = %s", res.Phase)
			}
		})
	}
}

func TestDeadlineErrorMessage(t *testing.T) {
	t.Parallel()
	s := demo(t)
	received := utc(2023, 10, 9, 12, 30, 0) // just after the hidden grace
	_, err := s.Gate(ActionSubmit, received, nil, nil)
	var de *DeadlineError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want *DeadlineError", err)
	}
	if !de.Deadline.Equal(utc(2023, 10, 9, 11, 59, 59)) || de.Action != ActionSubmit {
		t.Errorf("DeadlineError = %+v", de)
	}
	msg := err.Error()
	for _, must := range []string{"submission deadline has passed", "2023-10-08 23:59:59 AoE", "2023-10-09 11:59:59 UTC"} {
		if !strings.Contains(msg, must) {
			t.Errorf("message %q lacks %q", msg, must)
		}
	}
	for _, never := range []string{"grace", "12:29", "12:30", "30m"} {
		if strings.Contains(strings.ToLower(msg), never) {
			t.Errorf("message %q reveals %q", msg, never)
		}
	}

	_, err = s.Gate(ActionSubmit, utc(2023, 10, 12, 0, 0, 0), extension(ActionSubmit, utc(2023, 10, 11, 11, 59, 59)), nil)
	if want := "the extended submission deadline has passed: it was 2023-10-10 23:59:59 AoE (2023-10-11 11:59:59 UTC)"; err == nil || err.Error() != want {
		t.Errorf("extended: err = %v, want %q", err, want)
	}
	_, err = s.Gate(ActionSubmit, utc(2023, 8, 1, 0, 0, 0), nil, nil)
	if want := "submission is not open yet: it opens at 2023-09-01 00:00:00 AoE (2023-09-01 12:00:00 UTC)"; err == nil || err.Error() != want {
		t.Errorf("not open: err = %v, want %q", err, want)
	}
}

func TestGateOtherActions(t *testing.T) {
	t.Parallel()
	s := demo(t)
	bare := demo(t)
	bare.Deadlines.Bidding = Deadline{}
	bare.Deadlines.CameraReady = Deadline{}
	tests := []struct {
		name     string
		s        *Settings
		action   Action
		received time.Time
		ext      *Extension
		err      error
		late     bool
	}{
		{"bid at submission end", s, ActionBid, utc(2023, 10, 9, 12, 0, 0), nil, nil, false},
		{"bid during submission", s, ActionBid, utc(2023, 10, 9, 11, 0, 0), nil, ErrNotOpen, false},
		{"bid after bidding", s, ActionBid, utc(2023, 10, 12, 12, 0, 0), nil, ErrDeadlinePassed, false},
		{"bid extension", s, ActionBid, utc(2023, 10, 12, 12, 0, 0), extension(ActionBid, utc(2023, 10, 13, 11, 59, 59)), nil, false},
		{"review during bidding", s, ActionReview, utc(2023, 10, 10, 0, 0, 0), nil, ErrNotOpen, false},
		{"review last second", s, ActionReview, utc(2023, 10, 19, 11, 59, 59), nil, nil, false},
		{"review one second late", s, ActionReview, utc(2023, 10, 19, 12, 0, 0), nil, ErrDeadlinePassed, false},
		{"review extension", s, ActionReview, utc(2023, 10, 20, 0, 0, 0), extension(ActionReview, utc(2023, 10, 20, 11, 59, 59)), nil, false},
		{"decide in decision phase", s, ActionDecide, utc(2023, 10, 25, 11, 59, 59), nil, nil, false},
		{"decide one second late", s, ActionDecide, utc(2023, 10, 25, 12, 0, 0), nil, ErrDeadlinePassed, false},
		{"camera-ready", s, ActionCameraReady, utc(2023, 11, 20, 0, 0, 0), nil, nil, false},
		{"camera-ready late", s, ActionCameraReady, utc(2023, 11, 21, 12, 0, 0), nil, ErrDeadlinePassed, false},
		{"no bidding phase", bare, ActionBid, utc(2023, 10, 10, 0, 0, 0), nil, ErrNotOpen, false},
		{"no camera-ready phase", bare, ActionCameraReady, utc(2023, 11, 1, 0, 0, 0), nil, ErrNotOpen, false},
		{"review right after submission without bidding", bare, ActionReview, utc(2023, 10, 9, 12, 0, 0), nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := tt.s.Gate(tt.action, tt.received, tt.ext, nil)
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if res.Allowed != (err == nil) || res.Late != tt.late || res.Phase != tt.action.Phase() {
				t.Errorf("result = %+v", res)
			}
		})
	}
}

func TestGateHonoursOverrides(t *testing.T) {
	t.Parallel()
	s := demo(t) // submission grace 30m
	closeAt := utc(2023, 10, 5, 0, 0, 0)
	closeSub := []Override{override(PhaseSubmission, OverrideClose, closeAt)}
	reopen := []Override{
		override(PhaseSubmission, OverrideOpen, utc(2023, 10, 10, 0, 0, 0)),
		override(PhaseSubmission, OverrideClose, utc(2023, 10, 10, 6, 0, 0)),
	}
	reviewEarly := []Override{override(PhaseReviewing, OverrideOpen, utc(2023, 10, 10, 0, 0, 0))}
	cancelBids := []Override{override(PhaseBidding, OverrideClose, utc(2023, 10, 1, 0, 0, 0))}
	tests := []struct {
		name      string
		action    Action
		received  time.Time
		overrides []Override
		ext       *Extension
		err       error
		early     bool
	}{
		{"before an early close", ActionSubmit, closeAt.Add(-ns), closeSub, nil, nil, false},
		{"at an early close", ActionSubmit, closeAt, closeSub, nil, ErrDeadlinePassed, true},
		{"an early close has no grace", ActionSubmit, closeAt.Add(time.Minute), closeSub, nil, ErrDeadlinePassed, true},
		{"an extension outlives an early close", ActionSubmit, closeAt.Add(time.Hour), closeSub,
			extension(ActionSubmit, utc(2023, 10, 6, 11, 59, 59)), nil, false},
		{"bidding starts at the early close", ActionBid, closeAt, closeSub, nil, nil, false},
		{"reopened submission", ActionSubmit, utc(2023, 10, 10, 3, 0, 0), reopen, nil, nil, false},
		{"reopened submission closed again", ActionSubmit, utc(2023, 10, 10, 6, 0, 0), reopen, nil, ErrDeadlinePassed, true},
		{"reviewing opened early", ActionReview, utc(2023, 10, 10, 0, 0, 0), reviewEarly, nil, nil, false},
		{"bidding still open when reviewing opened early", ActionBid, utc(2023, 10, 11, 0, 0, 0), reviewEarly, nil, nil, false},
		{"cancelled bidding refuses bids", ActionBid, utc(2023, 10, 10, 0, 0, 0), cancelBids, nil, ErrDeadlinePassed, true},
		{"cancelled bidding lets reviews in", ActionReview, utc(2023, 10, 10, 0, 0, 0), cancelBids, nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res, err := s.Gate(tt.action, tt.received, tt.ext, tt.overrides)
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if res.Late {
				t.Errorf("Late set under an override: %+v", res)
			}
			var de *DeadlineError
			if errors.As(err, &de) && de.ClosedEarly != tt.early {
				t.Errorf("ClosedEarly = %v, want %v (%v)", de.ClosedEarly, tt.early, err)
			}
			if tt.early && err != nil && !strings.Contains(err.Error(), "closed by the chairs") {
				t.Errorf("message %q does not say the chairs closed it", err)
			}
		})
	}
}

func TestGateRejectsMisuse(t *testing.T) {
	t.Parallel()
	s := demo(t)
	at := utc(2023, 10, 1, 0, 0, 0)
	noReason := extension(ActionSubmit, utc(2023, 10, 11, 11, 59, 59))
	noReason.Reason = ""
	forReviewer := extension(ActionSubmit, utc(2023, 10, 11, 11, 59, 59))
	forReviewer.Reviewer = "r-1"
	tests := []struct {
		name   string
		action Action
		ext    *Extension
		err    error
	}{
		{"unknown action", "withdraw", nil, ErrUnknownAction},
		{"extension for another action", ActionSubmit, extension(ActionReview, utc(2023, 10, 20, 0, 0, 0)), ErrBadExtension},
		{"extension without reason", ActionSubmit, noReason, ErrBadExtension},
		{"submit extension naming a reviewer", ActionSubmit, forReviewer, ErrBadExtension},
	}
	for _, tt := range tests {
		res, err := s.Gate(tt.action, at, tt.ext, nil)
		if !errors.Is(err, tt.err) || res.Allowed {
			t.Errorf("%s: res=%+v err=%v, want %v", tt.name, res, err, tt.err)
		}
	}
}

func TestExtensionValidate(t *testing.T) {
	t.Parallel()
	until := utc(2023, 10, 20, 11, 59, 59)
	for _, a := range []Action{ActionSubmit, ActionBid, ActionReview, ActionDecide, ActionCameraReady} {
		if err := extension(a, until).Validate(); err != nil {
			t.Errorf("%s: %v", a, err)
		}
	}
	reviewOnePaper := extension(ActionReview, until)
	reviewOnePaper.Submission = "s-42"
	if err := reviewOnePaper.Validate(); err != nil {
		t.Errorf("review extension for one paper: %v", err)
	}
	bad := []func(e *Extension){
		func(e *Extension) { e.Until = time.Time{} },
		func(e *Extension) { e.Until = until.Add(500 * time.Millisecond) },
		func(e *Extension) { e.GrantedBy = "" },
		func(e *Extension) { e.GrantedAt = time.Time{} },
		func(e *Extension) { e.Reviewer = "" },
		func(e *Extension) { e.Action = "withdraw" },
	}
	for i, mutate := range bad {
		e := extension(ActionReview, until)
		mutate(e)
		if err := e.Validate(); !errors.Is(err, ErrBadExtension) {
			t.Errorf("bad[%d]: err = %v", i, err)
		}
	}
}
