package httpapi

import (
	"bytes"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// staticFiles serves the UI's own files and the API viewer's, from two
// file systems rooted at their folders: a name is looked up inside one of
// them or not at all, so no spelling of "..", encoded or not, reaches the
// templates or the test-only vendor folders. Folders are never listed.
func staticFiles(web fs.FS) (http.Handler, error) {
	own, err := fs.Sub(web, "static")
	if err != nil {
		return nil, err
	}
	swagger, err := fs.Sub(web, "vendor/swagger-ui")
	if err != nil {
		return nil, err
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/static/")
		root := own
		if rest, ok := strings.CutPrefix(name, "vendor/swagger-ui/"); ok {
			root, name = swagger, rest
		}
		f, st, ok := openFile(root, name)
		if !ok {
			http.NotFound(w, r)
			return
		}
		defer func() { _ = f.Close() }()
		w.Header().Set("Cache-Control", "public, max-age=3600")
		rs, ok := f.(io.ReadSeeker)
		if !ok {
			// Every fs.FS Quire uses gives seekable files; the UI's files
			// are small enough to hold otherwise.
			b, err := io.ReadAll(f)
			if err != nil {
				http.Error(w, "the file cannot be read", http.StatusInternalServerError)
				return
			}
			rs = bytes.NewReader(b)
		}
		http.ServeContent(w, r, path.Base(name), st.ModTime(), rs)
	}), nil
}

// openFile opens a regular file of root by a slash-separated name, refusing
// names fs.FS does not allow (leading or trailing slash, "." or ".."
// elements) and folders.
func openFile(root fs.FS, name string) (fs.File, fs.FileInfo, bool) {
	if !fs.ValidPath(name) || name == "." {
		return nil, nil, false
	}
	f, err := root.Open(name)
	if err != nil {
		return nil, nil, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		_ = f.Close()
		return nil, nil, false
	}
	return f, st, true
}
