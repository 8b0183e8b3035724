// Package clock makes time an explicit dependency, so that deadline logic can
// be tested by setting the time instead of sleeping, and so that a dev server
// can replay a past venue timeline.
package clock

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Clock is the only source of "now" for code that enforces rules in time.
type Clock interface {
	Now() time.Time
}

// Func adapts a plain function to Clock.
type Func func() time.Time

// Now calls f.
func (f Func) Now() time.Time { return f() }

// Real returns the wall clock.
func Real() Clock { return Func(time.Now) }

// Fake is a clock that moves only when told to. It is safe for concurrent use,
// because handler tests read it from server goroutines while the test moves it.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake returns a fake clock stopped at t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

// Now returns the instant the clock is stopped at.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Set moves the clock to t, backwards if need be.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = t
}

// Advance moves the clock by d and returns the new instant.
func (f *Fake) Advance(d time.Duration) time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	return f.now
}

// Offset returns a clock that reads start at the moment of the call and then
// runs at the pace of real. A dev server uses it to live through a past
// timeline (deadlines pass, phases change) without anyone moving a fake.
func Offset(real func() time.Time, start time.Time) Clock {
	base := real()
	return Func(func() time.Time {
		// Sub uses the monotonic reading when real carries one, so a
		// wall-clock step on the host does not jump the replayed time.
		return start.Add(real().Sub(base))
	})
}

// ErrBadFakeNow reports an unusable QUIRE_FAKE_NOW value.
var ErrBadFakeNow = errors.New("clock: bad fake time")

// FromSetting returns real when setting is empty, and otherwise a clock that
// starts at the RFC 3339 instant in setting and runs forward from there. It
// does not decide whether a fake time is allowed: the caller reads the
// setting only in development.
func FromSetting(setting string, real func() time.Time) (Clock, error) {
	if setting == "" {
		return Func(real), nil
	}
	start, err := time.Parse(time.RFC3339, setting)
	if err != nil {
		return nil, fmt.Errorf("%w: %q is not an RFC 3339 instant such as 2023-10-09T11:59:00Z", ErrBadFakeNow, setting)
	}
	return Offset(real, start), nil
}
