package pdfcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ToolsDirSetting is the setting that points Quire at the folder holding
// the programs below; messages about a missing tool name it.
const ToolsDirSetting = "QUIRE_TOOLS_DIR (--tools-dir)"

// A missing or broken tool is a fault of the server, never a property of
// an author's file: without pdftohtml every paper would look scanned and
// pass the page limit as "for a chair to check".
const (
	toolPdftohtml = "pdftohtml"
	toolPdftoppm  = "pdftoppm"
	toolPrlimit   = "prlimit"
	// toolProcfs is not a program: the sandbox measures the worker's
	// memory in /proc, and without it the memory cap would silently not
	// apply.
	toolProcfs = "procfs"
)

// tool is one external dependency of the upload path.
type tool struct {
	name, pkg, purpose string
}

var tools = []tool{
	{toolPdftohtml, "poppler-utils", "reads the text layout the page limit is counted from"},
	{toolPdftoppm, "poppler-utils", "draws the page thumbnails of the report"},
	{toolPrlimit, "util-linux", "caps poppler's memory and CPU time"},
	{toolProcfs, "", "lets the sandbox measure the worker's memory (/proc)"},
}

// toolPaths are the programs a check runs, resolved before it starts so
// the worker never searches PATH.
type toolPaths struct {
	Pdftohtml string `json:"pdftohtml"`
	Pdftoppm  string `json:"pdftoppm,omitempty"`
	Prlimit   string `json:"prlimit"`
}

// ToolStatus is the outcome of one tool's probe.
type ToolStatus struct {
	Name    string `json:"name"`
	Package string `json:"package,omitempty"`
	Path    string `json:"path,omitempty"`
	// Problem is empty when the tool ran correctly on the built-in PDF.
	Problem string `json:"problem,omitempty"`
}

// OK tells whether the tool was found and worked.
func (s ToolStatus) OK() bool { return s.Problem == "" }

// ToolsError lists every tool that is missing or broken, one line each.
type ToolsError struct {
	Failed []ToolStatus
}

func (e *ToolsError) Error() string {
	lines := make([]string, 0, len(e.Failed)+1)
	lines = append(lines, "the PDF checker cannot run on this machine:")
	for _, s := range e.Failed {
		lines = append(lines, "  "+s.Problem)
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes a missing tool an ErrCheckFailed: the checker could not run.
func (e *ToolsError) Unwrap() error { return ErrCheckFailed }

// Toolbox finds the external programs, in one folder or on PATH, and
// proves they work by running each on a tiny built-in PDF. It keeps the
// last outcome for /metrics. Safe for concurrent use.
type Toolbox struct {
	dir string
	// probing serialises probes, so a burst of /readyz calls does not
	// start a burst of processes.
	probing sync.Mutex
	mu      sync.Mutex
	last    []ToolStatus
}

// NewToolbox looks for the tools in dir, or on PATH when dir is empty.
func NewToolbox(dir string) *Toolbox {
	if dir != "" {
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
	}
	return &Toolbox{dir: dir}
}

// lookup finds one program without running it.
func (tb *Toolbox) lookup(t tool) (string, string) {
	if t.name == toolProcfs {
		if statmRSS(strconv.Itoa(os.Getpid()), make([]byte, 512)) <= 0 {
			return "", "procfs: /proc/self/statm shows no resident memory, so the checker's memory limit cannot be applied; mount /proc (the sandbox reads it there)"
		}
		return "/proc", ""
	}
	name := t.name
	where := "on PATH (" + os.Getenv("PATH") + ")"
	if tb.dir != "" {
		name = filepath.Join(tb.dir, t.name)
		where = "in " + tb.dir
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Sprintf("%s: not found %s; it %s: install the Debian package %s, or set %s to the folder that holds it",
			t.name, where, t.purpose, t.pkg, ToolsDirSetting)
	}
	if !filepath.IsAbs(p) {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
	}
	return p, ""
}

// lookupAll finds every tool without running any.
func (tb *Toolbox) lookupAll() ([]ToolStatus, toolPaths) {
	var status []ToolStatus
	var tp toolPaths
	for _, t := range tools {
		p, problem := tb.lookup(t)
		status = append(status, ToolStatus{Name: t.name, Package: t.pkg, Path: p, Problem: problem})
		switch t.name {
		case toolPdftohtml:
			tp.Pdftohtml = p
		case toolPdftoppm:
			tp.Pdftoppm = p
		case toolPrlimit:
			tp.Prlimit = p
		}
	}
	return status, tp
}

// paths resolves every program a check needs; a missing one is a
// *ToolsError, and is recorded for Status.
func (tb *Toolbox) paths() (toolPaths, error) {
	status, tp := tb.lookupAll()
	if failed := failures(status); len(failed) > 0 {
		tb.record(failed)
		return tp, &ToolsError{Failed: failed}
	}
	return tp, nil
}

func failures(status []ToolStatus) []ToolStatus {
	var failed []ToolStatus
	for _, s := range status {
		if !s.OK() {
			failed = append(failed, s)
		}
	}
	return failed
}

// probeTimeout bounds each probe run; a 1-page PDF takes some 20 ms, so
// only a hung tool or a machine under extreme load comes near it.
const probeTimeout = 20 * time.Second

// Probe finds every tool and runs each once on the built-in PDF. It
// returns a *ToolsError naming each missing or broken tool, the Debian
// package to install and the setting that points at it.
func (tb *Toolbox) Probe(ctx context.Context) error {
	tb.probing.Lock()
	defer tb.probing.Unlock()
	status, tp := tb.lookupAll()
	dir, err := os.MkdirTemp("", "quire-probe-")
	if err != nil {
		return fmt.Errorf("%w: probing the tools: %w", ErrCheckFailed, err)
	}
	defer os.RemoveAll(dir)
	pdf := filepath.Join(dir, "probe.pdf")
	if err := os.WriteFile(pdf, probePDF(), 0o600); err != nil {
		return fmt.Errorf("%w: probing the tools: %w", ErrCheckFailed, err)
	}
	pctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	// prlimit first: poppler is never run without its limits.
	confined := false
	if s := &status[indexOf(status, toolPrlimit)]; s.OK() {
		if err := probePrlimit(pctx, s.Path); err != nil {
			s.Problem = brokenTool(*s, err)
		} else {
			confined = true
		}
	}
	for i := range status {
		s := &status[i]
		if !s.OK() || !confined {
			continue
		}
		var err error
		switch s.Name {
		case toolPdftohtml:
			err = probePdftohtml(pctx, tp, pdf)
		case toolPdftoppm:
			_, err = renderThumbnails(pctx, tp, pdf, dir, 1, 60, probeTimeout)
		}
		if err != nil {
			s.Problem = brokenTool(*s, err)
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	tb.record(status)
	if failed := failures(status); len(failed) > 0 {
		return &ToolsError{Failed: failed}
	}
	return nil
}

func brokenTool(s ToolStatus, err error) string {
	return fmt.Sprintf("%s (%s): failed on a one-page test PDF: %v; reinstall the Debian package %s, or set %s to a folder with a working one",
		s.Name, s.Path, err, s.Package, ToolsDirSetting)
}

func indexOf(status []ToolStatus, name string) int {
	for i, s := range status {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// record keeps the outcome for Status, merging a partial one (from a
// failed lookup) into the last full probe.
func (tb *Toolbox) record(status []ToolStatus) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if len(tb.last) == 0 || len(status) == len(tools) {
		tb.last = status
		return
	}
	for _, s := range status {
		if i := indexOf(tb.last, s.Name); i >= 0 {
			tb.last[i] = s
		}
	}
}

// Status is the last outcome of Probe (and of any lookup a check made
// since), one entry per tool; empty before the first probe.
func (tb *Toolbox) Status() []ToolStatus {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]ToolStatus(nil), tb.last...)
}

// probePrlimit proves the limits are applied: a prlimit run under the
// limits reads them back.
func probePrlimit(ctx context.Context, prlimit string) error {
	out, err := exec.CommandContext(ctx, prlimit, "--as=1073741824", "--cpu=7", "--core=0", "--",
		prlimit, "--noheadings", "--output=SOFT", "--as", "--cpu").Output()
	if err != nil {
		return commandError(err)
	}
	if f := strings.Fields(string(out)); len(f) != 2 || f[0] != "1073741824" || f[1] != "7" {
		return fmt.Errorf("the limits were not applied (read back %q)", strings.TrimSpace(string(out)))
	}
	return nil
}

// probePdftohtml runs the text extraction as a check does, and expects the
// built-in PDF's one line back.
func probePdftohtml(ctx context.Context, tp toolPaths, pdf string) error {
	xml, err := runPdftohtml(ctx, pdf, popplerLimits{Timeout: probeTimeout, MemoryBytes: 512 << 20, CPUSeconds: 10}, tp)
	if err != nil {
		return err
	}
	if !bytes.Contains(xml, []byte(probeText)) {
		return fmt.Errorf("the text %q was not extracted", probeText)
	}
	return nil
}

// commandError adds the first line of a failed program's stderr.
func commandError(err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		return fmt.Errorf("%w (%s)", err, firstLine(strings.TrimSpace(string(ee.Stderr))))
	}
	return err
}

// probeText is the one line of the built-in PDF.
const probeText = "Quire tool probe"

// probePDF is a one-page US Letter PDF with one line of Helvetica, built
// with a correct cross-reference table so every tool reads it without
// repairs.
func probePDF() []byte {
	content := "BT /F1 24 Tf 72 700 Td (" + probeText + ") Tj ET"
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		"<< /Length " + strconv.Itoa(len(content)) + " >>\nstream\n" + content + "\nendstream",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}
