package httpapi_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
)

// rawGET sends a request line exactly as given, the way an attacker's
// client would: Go's client would clean the path first.
func rawGET(t *testing.T, s *apptest.Server, target string) (rawAnswer, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: quire.test\r\nConnection: close\r\n\r\n", target); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawAnswer{res.StatusCode, res.Status, res.Header}, string(b)
}

// rawAnswer is the head of a response to a raw request.
type rawAnswer struct {
	StatusCode int
	Status     string
	Header     http.Header
}

// TestStaticFilesStayInTheirFolder sends the ways out of /static/ as raw
// request lines: none may reach a template, the test-only vendor folders or
// a folder listing, while the UI's files and the API viewer's still load.
func TestStaticFilesStayInTheirFolder(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	for _, target := range []string{
		"/static/../templates/layout.html",
		"/static/../",
		"/static/..",
		"/static/",
		"/static/.",
		"/static/./ui.css/..",
		"/static/vendor/",
		"/static/vendor/swagger-ui/",
		"/static/vendor/swagger-ui/../../templates/layout.html",
		"/static/vendor/swagger-ui/../axe-core/axe.min.js",
		"/static/vendor/axe-core/axe.min.js",
		"/static/%2e%2e/templates/layout.html",
		"/static/..%2ftemplates%2flayout.html",
		"/static/%2e%2e%2f%2e%2e%2fweb/templates/layout.html",
		"/static/x/../../templates/layout.html",
		"/static//templates/layout.html",
		"/static/templates/layout.html",
		"/static/..\\templates\\layout.html",
		"/static/ui.css/",
	} {
		res, body := rawGET(t, s, target)
		if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusBadRequest {
			t.Errorf("GET %s: %s, want 404 or 400 (%.80q)", target, res.Status, body)
		}
		for _, leak := range []string{"{{define", "<pre>", "axe", "href=\"ui.css\"", "templates/"} {
			if strings.Contains(body, leak) {
				t.Errorf("GET %s shows %q: %.200q", target, leak, body)
			}
		}
	}
	for target, ctype := range map[string]string{
		"/static/ui.css": "text/css",
		"/static/ui.js":  "text/javascript",
		"/static/vendor/swagger-ui/swagger-ui.css":       "text/css",
		"/static/vendor/swagger-ui/swagger-ui-bundle.js": "text/javascript",
	} {
		res, body := rawGET(t, s, target)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), ctype) || body == "" {
			t.Errorf("GET %s: %s %s, %d bytes; want 200 %s", target, res.Status, res.Header.Get("Content-Type"), len(body), ctype)
		}
	}
}
