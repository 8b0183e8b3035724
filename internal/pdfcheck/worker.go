package pdfcheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// RunWorker is the child side of Checker: it reads one JSON job on stdin,
// checks the file in this process and writes one JSON result on stdout.
// `quire pdfcheck-worker` calls it; nothing else should, since it parses
// untrusted input.
func RunWorker(stdin io.Reader, stdout io.Writer) int {
	var w workerJob
	if err := json.NewDecoder(io.LimitReader(stdin, 1<<20)).Decode(&w); err != nil {
		fmt.Fprintf(stdout, `{"error_code":"check_failed","error_detail":%q}`+"\n", "bad job: "+err.Error())
		return 2
	}
	// Bound the Go heap well below the parent's RSS limit, so a large but
	// honest file collects garbage instead of being killed.
	if w.Poppler.MemoryBytes > 0 {
		debug.SetMemoryLimit(w.Poppler.MemoryBytes * 3 / 4)
	}
	var res result
	if w.Archive != nil {
		res = runArchiveJob(*w.Archive)
	} else {
		res = runJob(w.job)
	}
	if err := json.NewEncoder(stdout).Encode(res); err != nil {
		return 1
	}
	return 0
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
