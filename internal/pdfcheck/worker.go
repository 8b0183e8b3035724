package pdfcheck

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// result is the worker's answer. Errors cross the process boundary as
// their stable code.
type result struct {
	Report    *Report        `json:"report,omitempty"`
	ErrCode   string         `json:"error_code,omitempty"`
	ErrDetail string         `json:"error_detail,omitempty"`
	Archive   *archiveResult `json:"archive,omitempty"`
}

// workerJob is what the worker reads: a PDF's check, or with Archive set
// a ZIP's (zipscan.go).
type workerJob struct {
	job
	Archive *archiveJob `json:"archive,omitempty"`
}

// maxJobBytes caps one job line the worker reads; keepBetweenJobs is how
// much heap a warm worker keeps from one file to the next.
const (
	maxJobBytes     = 1 << 20
	keepBetweenJobs = 64 << 20
	workerGCPercent = 300
)

// RunWorker is the child side of Checker: it reads JSON jobs on stdin, one
// a line, checks each file in this process and writes one JSON result a
// line on stdout, until stdin ends. The parent keeps a worker warm for
// several files (starting one costs more CPU than pdftohtml on a paper)
// and retires it after any failure. `quire pdfcheck-worker` calls it;
// nothing else should, since it parses untrusted input.
func RunWorker(stdin io.Reader, stdout io.Writer) int {
	in := bufio.NewReaderSize(stdin, 64<<10)
	out := bufio.NewWriter(stdout)
	// A check allocates a few MiB that are all garbage at its end (the
	// file, pdfcpu's copy of its streams, the writer's buffers): the
	// default GOGC collected two or three times a check and spent about a
	// sixth of the worker's CPU on it. The memory limit below, the heap
	// handed back past keepBetweenJobs and the parent's RSS limit still
	// bound it.
	debug.SetGCPercent(workerGCPercent)
	for n := 0; ; n++ {
		line, err := readLine(in, maxJobBytes)
		if err == io.EOF && len(line) == 0 && n > 0 {
			return 0
		}
		var w workerJob
		if err == nil || err == io.EOF {
			err = json.Unmarshal(line, &w)
		}
		if err != nil {
			fmt.Fprintf(out, `{"error_code":"check_failed","error_detail":%q}`+"\n", "bad job: "+err.Error())
			_ = out.Flush()
			return 2
		}
		// Bound the Go heap well below the parent's RSS limit, so a large
		// but honest file collects garbage instead of being killed.
		if w.Poppler.MemoryBytes > 0 {
			debug.SetMemoryLimit(w.Poppler.MemoryBytes * 3 / 4)
		}
		var res result
		if w.Archive != nil {
			res = runArchiveJob(*w.Archive)
		} else {
			res = runJob(w.job)
		}
		if err := json.NewEncoder(out).Encode(res); err != nil {
			return 1
		}
		if err := out.Flush(); err != nil {
			return 1
		}
		// A large file's memory goes back to the system before the next
		// one, so the parent's measure of the next check starts low; a
		// paper's few MiB are kept (handing them back and faulting them
		// in again costs a quarter of a check).
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapSys-ms.HeapReleased > keepBetweenJobs {
			debug.FreeOSMemory()
		}
	}
}

// readLine reads one line without its newline, refusing lines over max.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > max {
			return nil, fmt.Errorf("a line of more than %d bytes", max)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err != nil:
			return line, err
		}
		return line[:len(line)-1], nil
	}
}

func runJob(j job) (res result) {
	defer func() {
		if r := recover(); r != nil {
			res = result{ErrCode: codes[ErrDamaged], ErrDetail: fmt.Sprintf("parser failure: %v", r)}
		}
	}()
	rep, err := analyze(context.Background(), j)
	if err == nil {
		return result{Report: &rep}
	}
	var ce *CheckError
	if errors.As(err, &ce) {
		res = result{ErrCode: ce.Code, ErrDetail: ce.Detail}
		if ce.Report != nil {
			res.Report = ce.Report
		}
		return res
	}
	return result{ErrCode: codes[ErrCheckFailed], ErrDetail: err.Error()}
}
