package clock

import (
	"errors"
	"sync"
	"testing"
	"time"
)

var t0 = time.Date(2023, 10, 9, 11, 59, 59, 0, time.UTC)

func TestFakeSetAndAdvance(t *testing.T) {
	t.Parallel()
	f := NewFake(t0)
	if got := f.Now(); !got.Equal(t0) {
		t.Fatalf("Now = %v, want %v", got, t0)
	}
	if got := f.Advance(time.Second); !got.Equal(t0.Add(time.Second)) {
		t.Fatalf("Advance = %v", got)
	}
	f.Set(t0.Add(-time.Hour))
	if got := f.Now(); !got.Equal(t0.Add(-time.Hour)) {
		t.Fatalf("after Set, Now = %v", got)
	}
}

func TestFakeConcurrentAdvance(t *testing.T) {
	t.Parallel()
	f := NewFake(t0)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				f.Advance(time.Millisecond)
				_ = f.Now()
			}
		}()
	}
	wg.Wait()
	if got, want := f.Now(), t0.Add(5000*time.Millisecond); !got.Equal(want) {
		t.Fatalf("Now = %v, want %v", got, want)
	}
}

func TestOffsetRunsFromStart(t *testing.T) {
	t.Parallel()
	host := NewFake(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	c := Offset(host.Now, t0)
	if got := c.Now(); !got.Equal(t0) {
		t.Fatalf("at start Now = %v, want %v", got, t0)
	}
	host.Advance(90 * time.Second)
	if got, want := c.Now(), t0.Add(90*time.Second); !got.Equal(want) {
		t.Fatalf("after 90s Now = %v, want %v", got, want)
	}
}

func TestFromSetting(t *testing.T) {
	t.Parallel()
	host := NewFake(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC))
	tests := []struct {
		setting string
		want    time.Time
		wantErr bool
	}{
		{"", host.Now(), false},
		{"2023-10-09T11:59:59Z", t0, false},
		{"2023-10-08T23:59:59-12:00", t0, false},
		{"2023-10-08 AoE", time.Time{}, true},
		{"yesterday", time.Time{}, true},
	}
	for _, tt := range tests {
		c, err := FromSetting(tt.setting, host.Now)
		if tt.wantErr {
			if !errors.Is(err, ErrBadFakeNow) {
				t.Errorf("FromSetting(%q) err = %v, want ErrBadFakeNow", tt.setting, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("FromSetting(%q): %v", tt.setting, err)
		}
		if got := c.Now(); !got.Equal(tt.want) {
			t.Errorf("FromSetting(%q).Now() = %v, want %v", tt.setting, got, tt.want)
		}
	}
}

func TestRealIsNow(t *testing.T) {
	t.Parallel()
	before := time.Now()
	got := Real().Now()
	if got.Before(before) || got.Sub(before) > time.Minute {
		t.Fatalf("Real().Now() = %v, not near %v", got, before)
	}
}
