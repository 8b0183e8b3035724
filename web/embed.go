// Package web holds the browser UI's files: templates, styles, scripts and
// vendored third-party assets, embedded so the binary serves them itself.
package web

import (
	"embed"
	"io/fs"
	"os"
)

// vendor/axe-core is left out on purpose: the accessibility checker is for
// the browser tests, which read it from disk, and is never served.
//
//go:embed static templates vendor/swagger-ui
var embedded embed.FS

// FS returns the UI files: from dir on disk when it is set (so `quire dev`
// picks up edits without a rebuild), else the embedded copy.
func FS(dir string) fs.FS {
	if dir != "" {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			return os.DirFS(dir)
		}
	}
	return embedded
}
