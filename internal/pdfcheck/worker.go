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
	Report    *Report `json:"report,omitempty"`
	ErrCode   string  `json:"error_code,omitempty"`
	ErrDetail string  `json:"error_detail,omitempty"`
}

// RunWorker is the child side of Checker: it reads one JSON job on stdin,
// checks the file in this process and writes one JSON result on stdout.
// `quire pdfcheck-worker` calls it; nothing else should, since it parses
// untrusted input.
func RunWorker(stdin io.Reader, stdout io.Writer) int {
	var j job
	if err := json.NewDecoder(io.LimitReader(stdin, 1<<20)).Decode(&j); err != nil {
		fmt.Fprintf(stdout, `{"error_code":"check_failed","error_detail":%q}`+"\n", "bad job: "+err.Error())
		return 2
	}
	// Bound the Go heap well below the parent's RSS limit, so a large but
	// honest file collects garbage instead of being killed.
	if j.Poppler.MemoryBytes > 0 {
		debug.SetMemoryLimit(j.Poppler.MemoryBytes * 3 / 4)
	}
	res := runJob(j)
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
