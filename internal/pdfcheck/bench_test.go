package pdfcheck

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
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
		rep, err := checker.Check(context.Background(), benchPDF(), benchRules(), alice, out)
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

// benchPDF is the paper the benchmarks check: QUIRE_BENCH_PDF when set
// (`rush -paper FILE` writes the deadline rush's 1 MB paper), else the
// six-page LaTeX paper.
func benchPDF() string {
	if p := os.Getenv("QUIRE_BENCH_PDF"); p != "" {
		return p
	}
	return "testdata/sixpage.pdf"
}

// BenchmarkAnalyze is the check in this process, without the worker and
// its pipe, so `-cpuprofile` shows where a check's CPU goes; pdftohtml's
// CPU is in its own process and reported as child-cpu-ms/check.
func BenchmarkAnalyze(b *testing.B) {
	tp, err := NewToolbox("").paths()
	if err != nil {
		b.Skip(err)
	}
	j := job{Path: benchPDF(), Rules: benchRules(), ID: alice, AnonOut: filepath.Join(b.TempDir(), "anon.pdf"), Tools: tp,
		Poppler: popplerLimits{Timeout: 10 * time.Second, CPUSeconds: 10, MemoryBytes: 512 << 20}}
	cpu := func(who int) time.Duration {
		var ru syscall.Rusage
		_ = syscall.Getrusage(who, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	self0, child0 := cpu(syscall.RUSAGE_SELF), cpu(syscall.RUSAGE_CHILDREN)
	n := 0
	for b.Loop() {
		if _, err := analyze(context.Background(), j); err != nil {
			b.Fatal(err)
		}
		n++
	}
	perCheck := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(n) }
	b.ReportMetric(perCheck(cpu(syscall.RUSAGE_SELF)-self0), "go-cpu-ms/check")
	b.ReportMetric(perCheck(cpu(syscall.RUSAGE_CHILDREN)-child0), "child-cpu-ms/check")
}
