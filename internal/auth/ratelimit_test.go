package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func mustLimiter(t testing.TB, r Rate, maxKeys int) *MemoryLimiter {
	t.Helper()
	l, err := NewMemoryLimiter(r, maxKeys)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

type step struct {
	after time.Duration // since t0
	key   string
	ok    bool
	retry time.Duration // checked when !ok
}

func TestMemoryLimiterWindows(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		rate  Rate
		steps []step
	}{
		{"burst then refused", Rate{3, 3 * time.Minute}, []step{
			{0, "ip", true, 0}, {0, "ip", true, 0}, {0, "ip", true, 0},
			{0, "ip", false, time.Minute},
			{30 * time.Second, "ip", false, 30 * time.Second},
			{time.Minute, "ip", true, 0},
			{time.Minute, "ip", false, time.Minute},
		}},
		{"keys are independent", Rate{1, time.Hour}, []step{
			{0, "a", true, 0}, {0, "a", false, time.Hour}, {0, "b", true, 0}, {time.Second, "b", false, time.Hour - time.Second},
		}},
		{"full refill after the period", Rate{2, 10 * time.Minute}, []step{
			{0, "k", true, 0}, {0, "k", true, 0}, {0, "k", false, 5 * time.Minute},
			{time.Hour, "k", true, 0}, {time.Hour, "k", true, 0}, {time.Hour, "k", false, 5 * time.Minute},
		}},
		{"refused attempts do not extend the wait", Rate{1, time.Minute}, []step{
			{0, "k", true, 0},
			{10 * time.Second, "k", false, 50 * time.Second},
			{20 * time.Second, "k", false, 40 * time.Second},
			{60 * time.Second, "k", true, 0},
		}},
		{"clock stepping back refunds nothing", Rate{1, time.Minute}, []step{
			{time.Minute, "k", true, 0}, {0, "k", false, time.Minute}, {time.Minute, "k", false, time.Minute},
			{2 * time.Minute, "k", true, 0},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := mustLimiter(t, tt.rate, 0)
			for i, s := range tt.steps {
				ok, retry := l.allow(s.key, t0.Add(s.after))
				if ok != s.ok {
					t.Fatalf("step %d (%+v): ok = %v", i, s, ok)
				}
				if ok && retry != 0 {
					t.Fatalf("step %d: allowed with retryAfter %v", i, retry)
				}
				if !ok && (retry < s.retry-time.Millisecond || retry > s.retry+time.Millisecond) {
					t.Fatalf("step %d (%+v): retryAfter = %v, want %v", i, s, retry, s.retry)
				}
			}
		})
	}
}

func TestMemoryLimiterReset(t *testing.T) {
	t.Parallel()
	l := mustLimiter(t, Rate{1, time.Hour}, 0)
	l.allow("acct", t0)
	if ok, _ := l.allow("acct", t0); ok {
		t.Fatal("second attempt allowed")
	}
	l.Reset("acct")
	if ok, _ := l.allow("acct", t0); !ok {
		t.Fatal("attempt after Reset refused")
	}
}

func TestMemoryLimiterBoundedMemory(t *testing.T) {
	t.Parallel()
	l := mustLimiter(t, Rate{1, time.Minute}, 100)
	for i := range 1000 {
		l.allow(fmt.Sprintf("ip-%d", i), t0)
	}
	if l.Len() != 100 {
		t.Fatalf("Len = %d after 1000 keys with cap 100", l.Len())
	}
	// The most recent keys survive eviction and stay limited.
	if ok, _ := l.allow("ip-999", t0); ok {
		t.Fatal("recent key was evicted")
	}
	// Once every bucket has refilled, the next call sweeps them all away.
	l.allow("late", t0.Add(time.Minute))
	if l.Len() != 1 {
		t.Fatalf("Len = %d after all buckets refilled, want 1", l.Len())
	}
}

func TestMemoryLimiterExpiresOnlyRefilled(t *testing.T) {
	t.Parallel()
	l := mustLimiter(t, Rate{1, time.Minute}, 0)
	l.allow("old", t0)
	l.allow("young", t0.Add(40*time.Second))
	l.allow("probe", t0.Add(61*time.Second))
	if l.Len() != 2 {
		t.Fatalf("Len = %d, want 2 (old expired, young kept)", l.Len())
	}
	if ok, _ := l.allow("young", t0.Add(61*time.Second)); ok {
		t.Fatal("young key forgotten before refilling")
	}
}

func TestMemoryLimiterConcurrent(t *testing.T) {
	t.Parallel()
	l := mustLimiter(t, Rate{50, time.Hour}, 0)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range 8 {
		wg.Go(func() {
			for range 100 {
				if ok, _ := l.allow("shared", t0); ok {
					mu.Lock()
					allowed++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	if allowed != 50 {
		t.Fatalf("allowed %d of 800 concurrent attempts, want exactly 50", allowed)
	}
}

func TestNewMemoryLimiterValidates(t *testing.T) {
	t.Parallel()
	for _, r := range []Rate{{0, time.Minute}, {1, 0}, {-1, time.Minute}} {
		if _, err := NewMemoryLimiter(r, 0); err == nil {
			t.Errorf("NewMemoryLimiter(%+v) accepted", r)
		}
	}
	var _ Limiter = mustLimiter(t, Rate{1, time.Second}, 0)
}

func BenchmarkMemoryLimiterAllow(b *testing.B) {
	l := mustLimiter(b, Rate{5, time.Minute}, 0)
	keys := make([]string, 1024)
	for i := range keys {
		keys[i] = fmt.Sprintf("203.0.113.%d", i)
	}
	i := 0
	for b.Loop() {
		l.allow(keys[i%len(keys)], t0.Add(time.Duration(i)*time.Millisecond))
		i++
	}
}
