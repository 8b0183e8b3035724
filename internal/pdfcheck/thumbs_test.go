package pdfcheck

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

func TestRenderThumbnails(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		maxPages int
		want     int
	}{
		{"sixpage", 12, 7},  // every page of a short file
		{"sixpage", 3, 3},   // only the pages asked for
		{"midpage4", 50, 4}, // more asked than there are
		{"smallpage", 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			paths, err := NewChecker(CheckerOptions{}).RenderThumbnails(context.Background(), "testdata/"+tt.file+".pdf", t.TempDir(), tt.maxPages, 120)
			if err != nil {
				t.Fatal(err)
			}
			if len(paths) != tt.want {
				t.Fatalf("%d thumbnails, want %d", len(paths), tt.want)
			}
			for _, p := range paths {
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.HasPrefix(b, pngMagic) {
					t.Fatalf("%s is not a PNG", p)
				}
				cfg, err := png.DecodeConfig(bytes.NewReader(b))
				if err != nil || cfg.Width != 120 {
					t.Fatalf("%s: width %d, %v; want 120", p, cfg.Width, err)
				}
			}
		})
	}
}

func TestRenderThumbnailsPageCount(t *testing.T) {
	t.Parallel()
	// The file has 7 pages; whatever is asked, no more than exist.
	paths, err := NewChecker(CheckerOptions{}).RenderThumbnails(context.Background(), "testdata/sixpage.pdf", t.TempDir(), 100, 60)
	if err != nil || len(paths) != 7 || filepath.Base(paths[6]) != "page-7.png" {
		t.Fatalf("%v, %v", paths, err)
	}
}

func TestRenderThumbnailsRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		file     string
		maxPages int
		width    int
	}{
		{"not a pdf", "notpdf", 5, 120},
		{"damaged", "damaged", 5, 120},
		{"no pages asked", "sixpage", 0, 120},
		{"absurd width", "sixpage", 5, 100000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tp, err := NewToolbox("").paths()
			if err != nil {
				t.Fatal(err)
			}
			paths, err := renderThumbnails(context.Background(), tp, "testdata/"+tt.file+".pdf", t.TempDir(), tt.maxPages, tt.width, thumbTimeout)
			if !errors.Is(err, ErrThumbnails) {
				t.Fatalf("%v, %v; want ErrThumbnails", paths, err)
			}
		})
	}
}

// TestRenderThumbnailsKillsOnTime: drawing the decompression bomb takes
// poppler more than the thumbCPU seconds prlimit allows, so without the
// wall-clock kill the call could not return sooner than that; with it, it
// returns after the 300 ms budget. The bound is what an unkilled poppler
// needs at the least, not a guess at how fast this machine is.
func TestRenderThumbnailsKillsOnTime(t *testing.T) {
	t.Parallel()
	tp, err := NewToolbox("").paths()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	paths, err := renderThumbnails(context.Background(), tp, "testdata/bomb-hex.pdf", t.TempDir(), 5, 120, 300*time.Millisecond)
	if !errors.Is(err, ErrThumbnails) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v, %v; want ErrThumbnails for running out of time", paths, err)
	}
	if d := time.Since(start); d >= thumbCPU*time.Second {
		t.Errorf("returned after %v: the time limit did not kill poppler", d)
	}
}
