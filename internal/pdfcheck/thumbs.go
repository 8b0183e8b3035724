package pdfcheck

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The file being rendered is untrusted: whatever the caller asks, poppler
// never draws more than these pages, for longer or in more memory.
const (
	MaxThumbPages  = 20
	thumbTimeout   = 10 * time.Second
	thumbMemory    = 512 << 20
	thumbCPU       = 10
	thumbFileBytes = 8 << 20 // one PNG; a 120 px page is ~10 KiB
	thumbMaxWidth  = 1000
)

// ErrThumbnails is any failure to draw the pages; callers go on without
// thumbnails rather than fail an upload over them.
var ErrThumbnails = errors.New("rendering thumbnails")

// RenderThumbnails draws pages 1..min(maxPages, total, MaxThumbPages) of
// pdfPath as PNGs width pixels wide into outDir, which the caller owns, and
// returns their paths in page order. Like the text extraction, poppler runs
// under prlimit with no stdin, in its own process group, which is killed
// whole when the wall clock runs out; without prlimit it does not run.
func (c *Checker) RenderThumbnails(ctx context.Context, pdfPath, outDir string, maxPages, width int) ([]string, error) {
	tp, err := c.tools.paths()
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrThumbnails, err)
	}
	return renderThumbnails(ctx, tp, pdfPath, outDir, maxPages, width, thumbTimeout)
}

func renderThumbnails(ctx context.Context, tp toolPaths, pdfPath, outDir string, maxPages, width int, timeout time.Duration) ([]string, error) {
	if maxPages < 1 || width < 1 || width > thumbMaxWidth {
		return nil, fmt.Errorf("%w: %d pages of width %d asked", ErrThumbnails, maxPages, width)
	}
	if tp.Prlimit == "" || tp.Pdftoppm == "" {
		return nil, fmt.Errorf("%w: needs pdftoppm (Debian poppler-utils) and prlimit (Debian util-linux); set %s", ErrThumbnails, ToolsDirSetting)
	}
	maxPages = min(maxPages, MaxThumbPages)
	prefix := filepath.Join(outDir, "page")
	args := []string{tp.Prlimit, "--as=" + strconv.Itoa(thumbMemory), "--cpu=" + strconv.Itoa(thumbCPU),
		"--fsize=" + strconv.Itoa(thumbFileBytes), "--core=0", "--",
		tp.Pdftoppm, "-png", "-scale-to-x", strconv.Itoa(width), "-scale-to-y", "-1",
		"-f", "1", "-l", strconv.Itoa(maxPages), "-q", pdfPath, prefix}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	var stderr limitedBuffer
	stderr.limit = 4 << 10
	cmd.Stderr = &stderr
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("%w: out of time after %v: %w", ErrThumbnails, timeout, ctx.Err())
	case err != nil:
		return nil, fmt.Errorf("%w: pdftoppm: %w (%s)", ErrThumbnails, err, firstLine(strings.TrimSpace(stderr.String())))
	}
	return pagePNGs(prefix)
}

// pagePNGs lists pdftoppm's output in page order: it pads page numbers to
// the width of the document's page count (page-1.png or page-01.png).
func pagePNGs(prefix string) ([]string, error) {
	paths, err := filepath.Glob(prefix + "-*.png")
	if err != nil {
		return nil, err
	}
	num := make(map[string]int, len(paths))
	for _, p := range paths {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(p, prefix+"-"), ".png"))
		if err != nil {
			return nil, fmt.Errorf("%w: unexpected output %s", ErrThumbnails, filepath.Base(p))
		}
		num[p] = n
	}
	sort.Slice(paths, func(i, j int) bool { return num[paths[i]] < num[paths[j]] })
	for i, p := range paths {
		if num[p] != i+1 {
			return nil, fmt.Errorf("%w: page %d missing", ErrThumbnails, i+1)
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%w: no pages drawn", ErrThumbnails)
	}
	return paths, nil
}
