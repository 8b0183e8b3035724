package pdfcheck

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// TestHostileWithinLimits: every hostile file is refused with its own code,
// within the 10 s and 512 MiB the issue allows.
func TestHostileWithinLimits(t *testing.T) {
	t.Parallel()
	checker := testChecker(t, "1", CheckerOptions{Timeout: 10 * time.Second, MemoryLimit: 512 << 20})
	for file, code := range map[string]string{
		"damaged": "invalid_pdf", "truncated": "invalid_pdf", "encrypted": "encrypted",
		"notpdf": "not_pdf", "bomb": "decompression_bomb",
	} {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			rep, err := checker.Check(context.Background(), "testdata/"+file+".pdf", DefaultRules(), Identity{}, "")
			var ce *CheckError
			if !errors.As(err, &ce) || ce.Code != code {
				t.Fatalf("error %v, want %s", err, code)
			}
			if d := time.Since(start); d > 10*time.Second {
				t.Errorf("took %v", d)
			}
			if rep.Worker == nil || rep.Worker.PeakRSSBytes > 512<<20 {
				t.Errorf("worker stats %+v", rep.Worker)
			}
		})
	}
}

// TestRulesRefusals covers the caps that depend on the venue's settings.
func TestRulesRefusals(t *testing.T) {
	t.Parallel()
	checker := testChecker(t, "1", CheckerOptions{})
	tests := []struct {
		name  string
		rules func(*Rules)
		err   error
	}{
		{"too large", func(r *Rules) { r.MaxBytes = 10 << 10 }, ErrTooLarge},
		{"too many pages", func(r *Rules) { r.MaxPages = 3 }, ErrTooManyPages},
		{"a4 only", func(r *Rules) { r.PageSizes = []string{"a4"} }, ErrPageSize},
		{"limit 3", func(r *Rules) { r.PageLimit = 3 }, ErrOverLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rules := DefaultRules()
			tt.rules(&rules)
			_, err := checker.Check(context.Background(), "testdata/midpage4.pdf", rules, Identity{}, "")
			if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
		})
	}
	// The venue decides what is excluded: with acknowledgements counted,
	// acks.pdf's body runs onto page 5.
	rules := DefaultRules()
	rules.Excluded = []string{KindReferences}
	rep, err := checker.Check(context.Background(), "testdata/acks.pdf", rules, Identity{}, "")
	if !errors.Is(err, ErrOverLimit) || rep.BodyPages != 5 {
		t.Fatalf("acknowledgements counted: %d body pages, %v; want 5, over limit", rep.BodyPages, err)
	}
}

// TestSandboxKills: a worker that runs away is killed by the parent, on
// memory or on time, and its process group with it.
func TestSandboxKills(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode string
		want error
	}{
		{"hog", ErrMemoryLimit},
		{"stall", ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			checker := testChecker(t, tt.mode, CheckerOptions{Timeout: 2 * time.Second, MemoryLimit: 256 << 20})
			start := time.Now()
			_, err := checker.Check(context.Background(), "testdata/midpage4.pdf", DefaultRules(), Identity{}, "")
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("killed after %v", d)
			}
		})
	}
}

// TestOthersCompleteDuringHostileCheck: while poppler grinds through a
// real decompression bomb (bomb-hex.pdf, which the stream scan lets
// through), the server answers requests and other checks finish; the bomb
// is stopped by the time limit.
func TestOthersCompleteDuringHostileCheck(t *testing.T) {
	t.Parallel()
	stuck := testChecker(t, "1", CheckerOptions{Timeout: 8 * time.Second})
	good := testChecker(t, "1", CheckerOptions{Concurrency: 2})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()

	hostileDone := make(chan error, 1)
	go func() {
		_, err := stuck.Check(context.Background(), "testdata/bomb-hex.pdf", DefaultRules(), Identity{}, "")
		hostileDone <- err
	}()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := good.Check(context.Background(), "testdata/exact4.pdf", DefaultRules(), Identity{}, "")
			errs <- err
		}()
	}
	for range 5 {
		t0 := time.Now()
		resp, err := http.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if d := time.Since(t0); d > 200*time.Millisecond {
			t.Errorf("request took %v during a hostile check", d)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("good check: %v", err)
		}
	}
	select {
	case err := <-hostileDone:
		t.Fatalf("hostile check ended first (%v): the test proves nothing", err)
	default:
	}
	if d := time.Since(start); d > 6*time.Second {
		t.Errorf("good checks took %v", d)
	}
	if err := <-hostileDone; !errors.Is(err, ErrTimeout) {
		t.Errorf("hostile check: %v, want timeout", err)
	}
}

// TestCheckCancelled: the caller's context (an upload request that went
// away) stops the worker.
func TestCheckCancelled(t *testing.T) {
	t.Parallel()
	checker := testChecker(t, "stall", CheckerOptions{Timeout: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := checker.Check(ctx, "testdata/exact4.pdf", DefaultRules(), Identity{}, "")
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Fatalf("error %v after %v", err, time.Since(start))
	}
}
