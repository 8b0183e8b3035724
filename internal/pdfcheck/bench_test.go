package pdfcheck

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchRules accept the six-page paper, so the benchmark covers the whole
// path, the anonymised copy included.
func benchRules() Rules {
	r := DefaultRules()
	r.PageLimit = 6
	return r
}

// BenchmarkCheckSixPage is one full sandboxed check at a time (worker
// process, pdfcpu, pdftohtml, leak search, anonymised copy) of a six-page
// LaTeX paper. It reports the median and p95 latency and the peak RSS of
// worker plus poppler.
func BenchmarkCheckSixPage(b *testing.B) {
	checker := testChecker(b, "1", CheckerOptions{Concurrency: 1})
	out := filepath.Join(b.TempDir(), "anon.pdf")
	var times []time.Duration
	var peak, cpu int64
	for b.Loop() {
		t0 := time.Now()
		rep, err := checker.Check(context.Background(), "testdata/sixpage.pdf", benchRules(), alice, out)
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(t0))
		peak = max(peak, rep.Worker.PeakRSSBytes)
		cpu += rep.Worker.CPUMillis
	}
	reportLatency(b, times, peak)
	b.ReportMetric(float64(cpu)/float64(len(times)), "cpu-ms/check")
}

// BenchmarkConcurrentChecks keeps more uploads in flight than the checker
// admits (Concurrency 2 on 2 cores) and reports checks per second.
func BenchmarkConcurrentChecks(b *testing.B) {
	checker := testChecker(b, "1", CheckerOptions{Concurrency: 2})
	dir := b.TempDir()
	var mu sync.Mutex
	var times []time.Duration
	var peak int64
	var n atomic.Int64
	b.SetParallelism(2)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		out := filepath.Join(dir, strconv.FormatInt(n.Add(1), 10)+".pdf")
		for pb.Next() {
			t0 := time.Now()
			rep, err := checker.Check(context.Background(), "testdata/sixpage.pdf", benchRules(), alice, out)
			if err != nil {
				b.Error(err)
				return
			}
			mu.Lock()
			times = append(times, time.Since(t0))
			peak = max(peak, rep.Worker.PeakRSSBytes)
			mu.Unlock()
		}
	})
	b.ReportMetric(float64(len(times))/time.Since(start).Seconds(), "checks/s")
	reportLatency(b, times, peak)
}

func reportLatency(b *testing.B, times []time.Duration, peak int64) {
	if len(times) == 0 {
		return
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(times[min(len(times)-1, len(times)*95/100)].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(peak)/(1<<20), "peak-rss-MiB")
}
