package pdfcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// popplerLimits bound the pdftohtml run: it streams a decompression bomb
// in little memory but can spend many CPU seconds on it.
type popplerLimits struct {
	Timeout     time.Duration `json:"timeout"`
	MemoryBytes int64         `json:"memory_bytes"`
	CPUSeconds  int           `json:"cpu_seconds"`
}

// maxLayoutBytes caps pdftohtml's output; a 50-page paper writes ~2 MiB.
const maxLayoutBytes = 64 << 20

var errLayoutTooLarge = errors.New("text layer too large")

// runPdftohtml extracts the text layout. Under `prlimit` the kernel
// enforces address space, CPU time, no file writes and no core dump; the
// wall clock is ours. Without prlimit it does not run at all: poppler
// unconfined on a hostile file is what the sandbox exists to prevent.
func runPdftohtml(ctx context.Context, path string, lim popplerLimits, tp toolPaths) ([]byte, error) {
	if tp.Prlimit == "" || tp.Pdftohtml == "" {
		return nil, refuse(ErrCheckFailed, "the text extraction needs pdftohtml (Debian poppler-utils) and prlimit (Debian util-linux); set %s", ToolsDirSetting)
	}
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	args := []string{tp.Prlimit,
		"--as=" + strconv.FormatInt(lim.MemoryBytes, 10),
		"--cpu=" + strconv.Itoa(lim.CPUSeconds),
		"--fsize=0", "--core=0", "--",
		tp.Pdftohtml, "-xml", "-i", "-stdout", "-q", "-nodrm", "-zoom", "1", "-noroundcoord", path}
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGKILL) }
	var stdout, stderr limitedBuffer
	stdout.limit, stderr.limit = maxLayoutBytes, 4<<10
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, refuse(ErrTimeout, "text extraction ran out of time (%v)", lim.Timeout)
	case stdout.over:
		return nil, refuse(ErrDamaged, "%v", errLayoutTooLarge)
	case err != nil:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				switch ws.Signal() {
				case syscall.SIGXCPU, syscall.SIGKILL:
					return nil, refuse(ErrTimeout, "text extraction hit its CPU limit")
				case syscall.SIGSEGV, syscall.SIGABRT, syscall.SIGBUS:
					return nil, refuse(ErrMemoryLimit, "text extraction hit its memory limit (%v)", ws.Signal())
				}
			}
		}
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, fmt.Errorf("pdftohtml: %w (%s)", err, firstLine(msg))
		}
		return nil, fmt.Errorf("pdftohtml: %w", err)
	}
	return stdout.Bytes(), nil
}

// limitedBuffer stops keeping output past its limit, so a hostile file
// cannot fill the worker's memory through poppler's output.
type limitedBuffer struct {
	bytes.Buffer
	limit int
	over  bool
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.limit {
		b.over = true
		return 0, io.ErrShortWrite
	}
	return b.Buffer.Write(p)
}
