package venue

import (
	"errors"
	"testing"
	"time"
)

// demo loads DLDE III; each test gets its own copy to change.
func demo(t *testing.T) *Settings {
	t.Helper()
	s, err := DemoVenue()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const ns = time.Nanosecond

func TestPhaseAtAcross2023(t *testing.T) {
	t.Parallel()
	s := demo(t)
	tests := []struct {
		now  time.Time
		want Phase
	}{
		{utc(2023, 8, 1, 0, 0, 0), PhaseBeforeOpen},
		{utc(2023, 9, 1, 11, 59, 59), PhaseBeforeOpen},
		{utc(2023, 9, 1, 12, 0, 0), PhaseSubmission},
		{utc(2023, 10, 9, 11, 59, 59), PhaseSubmission},
		{utc(2023, 10, 9, 12, 0, 0).Add(-ns), PhaseSubmission},
		// Phases change at the published instant even inside the hidden grace.
		{utc(2023, 10, 9, 12, 0, 0), PhaseBidding},
		{utc(2023, 10, 9, 12, 15, 0), PhaseBidding},
		{utc(2023, 10, 12, 11, 59, 59), PhaseBidding},
		{utc(2023, 10, 12, 12, 0, 0), PhaseReviewing},
		{utc(2023, 10, 19, 11, 59, 59), PhaseReviewing},
		{utc(2023, 10, 19, 12, 0, 0), PhaseDecision},
		{utc(2023, 10, 25, 11, 59, 59), PhaseDecision},
		{utc(2023, 10, 25, 12, 0, 0), PhaseCameraReady},
		{utc(2023, 11, 21, 11, 59, 59), PhaseCameraReady},
		{utc(2023, 11, 21, 12, 0, 0), PhaseClosed},
		{utc(2023, 12, 16, 14, 0, 0), PhaseClosed},
	}
	for _, tt := range tests {
		if got := s.PhaseAt(tt.now, nil); got != tt.want {
			t.Errorf("PhaseAt(%v) = %s, want %s", tt.now, got, tt.want)
		}
	}
}

func TestPhaseAtWithoutOptionalDeadlines(t *testing.T) {
	t.Parallel()
	s := demo(t)
	s.Deadlines.SubmissionOpens = Deadline{}
	s.Deadlines.Bidding = Deadline{}
	s.Deadlines.CameraReady = Deadline{}
	tests := []struct {
		now  time.Time
		want Phase
	}{
		{utc(2000, 1, 1, 0, 0, 0), PhaseSubmission},
		{utc(2023, 10, 9, 12, 0, 0), PhaseReviewing},
		{utc(2023, 10, 19, 12, 0, 0), PhaseDecision},
		{utc(2023, 10, 25, 12, 0, 0), PhaseClosed},
	}
	for _, tt := range tests {
		if got := s.PhaseAt(tt.now, nil); got != tt.want {
			t.Errorf("PhaseAt(%v) = %s, want %s", tt.now, got, tt.want)
		}
	}
}

func override(p Phase, k OverrideKind, at time.Time) Override {
	return Override{Phase: p, Kind: k, At: at, By: "chair@example.org", Reason: "test"}
}

func TestPhaseAtWithOverrides(t *testing.T) {
	t.Parallel()
	s := demo(t)
	oct := func(d, h int) time.Time { return utc(2023, 10, d, h, 0, 0) }
	tests := []struct {
		name      string
		overrides []Override
		now       time.Time
		want      Phase
	}{
		{"close submission early: bidding starts",
			[]Override{override(PhaseSubmission, OverrideClose, oct(5, 0))}, oct(5, 0), PhaseBidding},
		{"close submission early: before it, submission",
			[]Override{override(PhaseSubmission, OverrideClose, oct(5, 0))}, oct(5, 0).Add(-ns), PhaseSubmission},
		{"a close recorded for later is not yet in force",
			[]Override{override(PhaseSubmission, OverrideClose, oct(5, 0))}, oct(4, 0), PhaseSubmission},
		{"a reopening recorded for later leaves the current window alone",
			[]Override{override(PhaseSubmission, OverrideOpen, oct(10, 0))}, oct(9, 11), PhaseSubmission},
		{"open reviewing early",
			[]Override{override(PhaseReviewing, OverrideOpen, oct(10, 0))}, oct(10, 0), PhaseReviewing},
		{"open reviewing early: bidding until then",
			[]Override{override(PhaseReviewing, OverrideOpen, oct(10, 0))}, oct(9, 23), PhaseBidding},
		{"reopen submission during bidding shows bidding",
			[]Override{override(PhaseSubmission, OverrideOpen, oct(10, 0))}, oct(10, 3), PhaseBidding},
		{"cancel bidding in advance: reviewing starts at the submission deadline",
			[]Override{override(PhaseBidding, OverrideClose, oct(1, 0))}, oct(9, 12), PhaseReviewing},
		{"cancel bidding in advance: submission unchanged",
			[]Override{override(PhaseBidding, OverrideClose, oct(1, 0))}, oct(9, 11), PhaseSubmission},
		{"close decision early: camera-ready starts",
			[]Override{override(PhaseDecision, OverrideClose, oct(22, 0))}, oct(22, 0), PhaseCameraReady},
		{"reopen camera-ready after the venue closed",
			[]Override{override(PhaseCameraReady, OverrideOpen, utc(2023, 12, 1, 0, 0, 0))}, utc(2023, 12, 2, 0, 0, 0), PhaseCameraReady},
		{"reopened and closed again: closed",
			[]Override{
				override(PhaseCameraReady, OverrideClose, utc(2023, 12, 3, 0, 0, 0)),
				override(PhaseCameraReady, OverrideOpen, utc(2023, 12, 1, 0, 0, 0)),
			}, utc(2023, 12, 3, 0, 0, 0), PhaseClosed},
		{"open submission before its opening",
			[]Override{override(PhaseSubmission, OverrideOpen, utc(2023, 8, 20, 0, 0, 0))}, utc(2023, 8, 25, 0, 0, 0), PhaseSubmission},
		{"an open inside the window changes nothing",
			[]Override{override(PhaseReviewing, OverrideOpen, oct(15, 0))}, oct(19, 12), PhaseDecision},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := s.PhaseAt(tt.now, tt.overrides); got != tt.want {
				t.Errorf("PhaseAt(%v) = %s, want %s", tt.now, got, tt.want)
			}
		})
	}
}

func TestOpenPhaseTheVenueLacks(t *testing.T) {
	t.Parallel()
	s := demo(t)
	s.Deadlines.CameraReady = Deadline{}
	after := utc(2023, 11, 1, 0, 0, 0)
	if got := s.PhaseAt(after, nil); got != PhaseClosed {
		t.Fatalf("without overrides PhaseAt = %s, want closed", got)
	}
	ov := []Override{override(PhaseCameraReady, OverrideOpen, after)}
	if got := s.PhaseAt(after, ov); got != PhaseCameraReady {
		t.Fatalf("after opening camera-ready PhaseAt = %s", got)
	}
	if _, err := s.Gate(ActionCameraReady, after, nil, ov); err != nil {
		t.Fatalf("camera-ready upload refused after the chairs opened it: %v", err)
	}
}

func TestOverrideValidate(t *testing.T) {
	t.Parallel()
	good := override(PhaseReviewing, OverrideOpen, utc(2023, 10, 10, 0, 0, 0))
	if err := good.Validate(); err != nil {
		t.Fatalf("valid override: %v", err)
	}
	bad := []Override{
		{Phase: PhaseClosed, Kind: OverrideOpen, At: good.At, By: "a", Reason: "r"},
		{Phase: PhaseReviewing, Kind: "pause", At: good.At, By: "a", Reason: "r"},
		{Phase: PhaseReviewing, Kind: OverrideOpen, By: "a", Reason: "r"},
		{Phase: PhaseReviewing, Kind: OverrideOpen, At: good.At, Reason: "r"},
		{Phase: PhaseReviewing, Kind: OverrideOpen, At: good.At, By: "a", Reason: " "},
	}
	for i, o := range bad {
		if err := o.Validate(); !errors.Is(err, ErrBadOverride) {
			t.Errorf("bad[%d]: err = %v, want ErrBadOverride", i, err)
		}
	}
}
