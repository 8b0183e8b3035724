package httpapi_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/api"
	"github.com/quirehq/quire/internal/app/apptest"
)

// bodyOp is an operation of the contract that takes a request body, with its
// path filled in and the role that may call it.
type bodyOp struct {
	id, method, path string
	types            []string
	required         bool
	owner            string
}

// bodyOps lists every operation of the contract that takes a body.
func bodyOps(t *testing.T, sub int64) []bodyOp {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec)
	if err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer("{venue}", "dlde-2023", "{id}", strconv.FormatInt(sub, 10), "{token}", strings.Repeat("x", 43),
		"{run}", "1", "{number}", "1", "{seq}", "1", "{pseudonym}", "1", "{key}", "kim")
	var ops []bodyOp
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			o := bodyOp{id: op.OperationID, method: method, path: "/api/v1" + fill.Replace(path), required: op.RequestBody.Value.Required}
			for ct := range op.RequestBody.Value.Content {
				o.types = append(o.types, ct)
			}
			slices.Sort(o.types)
			switch {
			case path == "/venues":
				o.owner = "admin"
			case strings.HasPrefix(path, "/venues/"):
				o.owner = "chair"
			default:
				o.owner = "author"
			}
			if strings.Contains(o.path, "{") {
				t.Fatalf("%s %s: a path parameter the sweep does not fill", method, path)
			}
			ops = append(ops, o)
		}
	}
	// Signing out last: a bad body that did sign out would turn every
	// later call into a 401 and hide what it answers.
	last := func(o bodyOp) bool { return o.id == "logout" }
	slices.SortFunc(ops, func(a, b bodyOp) int {
		if last(a) != last(b) {
			if last(a) {
				return 1
			}
			return -1
		}
		return strings.Compare(a.method+a.path, b.method+b.path)
	})
	return ops
}

// badBody is a body an operation cannot read, or should not be able to
// trust; want lists the statuses its own caller may get (nil: any below
// 500), cut says the connection ends before the declared length.
type badBody struct {
	name, ct string
	body     []byte
	want     []int
	cut      bool
}

var (
	multipartForm = "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"paper.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
	unreadable    = []int{http.StatusBadRequest, http.StatusUnsupportedMediaType}
)

// garbage is the same bytes every run: binary, NULs, invalid UTF-8.
func garbage(n int) []byte {
	r := rand.New(rand.NewPCG(27, 4))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return b
}

func badBodies(op bodyOp) []badBody {
	cases := []badBody{
		{name: "wrong type", ct: "text/plain", body: []byte("hello"), want: []int{http.StatusUnsupportedMediaType}},
		{name: "multipart without boundary", ct: "multipart/form-data", body: []byte(multipartForm + "--b0undary--\r\n"), want: unreadable},
		{name: "multipart cut off in the file", ct: "multipart/form-data; boundary=b0undary", body: []byte(multipartForm), want: unreadable},
		{name: "multipart garbage", ct: "multipart/form-data; boundary=b0undary", body: garbage(512), want: unreadable},
		{name: "unreadable Content-Type", ct: op.types[0] + "; charset", body: []byte("{}"), want: unreadable},
		{name: "two Content-Types", ct: "application/json, text/csv", body: []byte("{}"), want: unreadable},
		{name: "Content-Type of nonsense", ct: `/;="\`, body: []byte("{}"), want: unreadable},
	}
	for _, ct := range op.types {
		if ct == "application/*" {
			ct = "application/octet-stream"
		}
		var strict []int // what garbage of this type must get
		switch ct {
		case "application/json":
			strict = []int{http.StatusBadRequest}
			cases = append(cases,
				badBody{name: "JSON nested 100000 deep", ct: ct, body: []byte(strings.Repeat("[", 100000) + strings.Repeat("]", 100000)), want: []int{http.StatusBadRequest, http.StatusRequestEntityTooLarge}},
				badBody{name: "JSON cut off", ct: ct, body: []byte(`{"title": "Neural`), want: strict},
				badBody{name: "JSON of the wrong shape", ct: ct, body: []byte(`[1, "two", {"three": null}]`), want: strict},
				badBody{name: "JSON with invalid UTF-8", ct: ct, body: []byte("{\"title\": \"\xff\xfe\", \"email\": \"\xc0\"}")},
			)
		case "text/csv":
			strict = []int{http.StatusBadRequest}
			cases = append(cases, badBody{name: "CSV with a bare quote", ct: ct, body: []byte("1,review,\"rev@example.org\n2,x\"y,z\n"), want: strict})
		case "multipart/form-data":
			strict = unreadable
		}
		cases = append(cases,
			badBody{name: "garbage as " + ct, ct: ct, body: garbage(2048), want: strict},
			badBody{name: "garbage as " + strings.ToUpper(ct), ct: strings.ToUpper(ct), body: garbage(2048), want: strict},
			badBody{name: "cut off " + ct, ct: ct, body: garbage(100), cut: true},
		)
		if op.required {
			cases = append(cases, badBody{name: "empty " + ct, ct: ct, body: nil})
		}
	}
	return cases
}

// rawDo sends a request over its own connection so the body can end before
// its declared length; it returns nil when no response came.
func rawDo(t *testing.T, s *apptest.Server, method, path string, b badBody, headers ...string) *apptest.Response {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(60 * time.Second)); err != nil {
		t.Fatal(err)
	}
	var req bytes.Buffer
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\nHost: quire.test\r\nConnection: close\r\nContent-Type: %s\r\nContent-Length: %d\r\n", method, path, b.ct, len(b.body)+64<<10)
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&req, "%s: %s\r\n", headers[i], headers[i+1])
	}
	req.WriteString("\r\n")
	req.Write(b.body)
	if _, err := conn.Write(req.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := conn.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return &apptest.Response{Response: res, Body: body}
}

var problemCode = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// bodyFailure says what is wrong with an answer to a bad body: a 5xx, a
// status outside want (when want is set), or an error that is not a
// problem document with a code and a message.
func bodyFailure(r *apptest.Response, want []int) string {
	if r.StatusCode >= 500 {
		return fmt.Sprintf("%s: %.300s", r.Status, r.Body)
	}
	if want != nil && !slices.Contains(want, r.StatusCode) {
		return fmt.Sprintf("%s, want one of %v: %.300s", r.Status, want, r.Body)
	}
	if r.StatusCode < 400 {
		return ""
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		return fmt.Sprintf("%s as %q, not problem+json: %.300s", r.Status, ct, r.Body)
	}
	var doc struct{ Code, Detail string }
	if err := json.Unmarshal(r.Body, &doc); err != nil || !problemCode.MatchString(doc.Code) || doc.Detail == "" {
		return fmt.Sprintf("%s without a code and a message: %.300s", r.Status, r.Body)
	}
	return ""
}

// sweepBodies sends every bad body to every operation as every role and
// returns what went wrong, and how many operations it walked.
func sweepBodies(t *testing.T, s *apptest.Server, ops []bodyOp, tokens map[string]string) []string {
	t.Helper()
	var found []string
	for _, op := range ops {
		for _, b := range badBodies(op) {
			for role, tok := range tokens {
				var r *apptest.Response
				if b.cut {
					if r = rawDo(t, s, op.method, op.path, b, apptest.Bearer(tok)...); r == nil {
						continue
					}
				} else {
					r = s.As(t, tok, op.method, op.path, b.body, "Content-Type", b.ct)
				}
				want := b.want
				if role != op.owner {
					want = nil // another role may be refused before its body is read
				}
				if f := bodyFailure(r, want); f != "" {
					found = append(found, fmt.Sprintf("%s %s (%s) as %s, %s: %s", op.method, op.path, op.id, role, b.name, f))
				}
			}
		}
	}
	return found
}

func bodiesWorld(t *testing.T) (*world, int64, map[string]string) {
	t.Helper()
	w := newWorld(t)
	id := w.create(t)
	return w, id, map[string]string{"admin": w.s.Login(t, "admin@example.org"), "chair": w.chair, "author": w.author}
}

// TestNoBodyIsA500 walks every operation of the contract that takes a body
// with bodies and media types it cannot read: each is a 400 or 415 (a 413
// for a body too deep to hold) with a problem document, never a 5xx, for
// the role that may call it and for the others.
func TestNoBodyIsA500(t *testing.T) {
	t.Parallel()
	w, id, tokens := bodiesWorld(t)
	ops := bodyOps(t, id)
	if len(ops) < 40 {
		t.Fatalf("only %d operations take a body: the sweep is not walking the contract", len(ops))
	}
	for _, f := range sweepBodies(t, w.s, ops, tokens) {
		t.Error(f)
	}
}

// TestUnreadableBodiesAsReported are the cases of issue 27, each with the
// code a client can act on.
func TestUnreadableBodiesAsReported(t *testing.T) {
	t.Parallel()
	w, id, _ := bodiesWorld(t)
	pdf := fmt.Sprintf("/api/v1/submissions/%d/pdf", id)
	for _, c := range []struct {
		method, path, ct, body string
		cut                    bool
		status                 int
		code                   string
	}{
		{"POST", "/api/v1/venues/dlde-2023/assignments", "multipart/form-data; boundary=b0undary", multipartForm + "--b0undary--\r\n", false, 415, "unsupported_media_type"},
		{"POST", "/api/v1/venues/dlde-2023/decisions", "multipart/form-data; boundary=b0undary", multipartForm + "--b0undary--\r\n", false, 415, "unsupported_media_type"},
		{"POST", "/api/v1/venues/dlde-2023/assignments", "Text/CSV", "1,review,rev@example.org\n", false, 400, "invalid_request"},
		{"POST", "/api/v1/venues/dlde-2023/decisions", "TEXT/CSV; charset=utf-8", "#1,accept\n", false, 400, "invalid_request"},
		{"PUT", pdf, "multipart/form-data", multipartForm + "--b0undary--\r\n", false, 415, "unsupported_media_type"},
		{"POST", pdf, "multipart/form-data", multipartForm + "--b0undary--\r\n", false, 400, "bad_content_type"},
		{"POST", pdf, "multipart/form-data; boundary=b0undary", multipartForm, false, 400, "unreadable_body"},
		{"POST", pdf, "multipart/form-data; boundary=b0undary", "--b0undary\r\nContent-Disposition: form-data; name=\"file\"", false, 400, "invalid_request"},
		{"PUT", pdf, "application/pdf", "%PDF-1.4\n1 0 obj\n", true, 400, "unreadable_body"},
		{"PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), "application/zip", "PK\x03\x04", true, 400, "unreadable_body"},
		{"PUT", fmt.Sprintf("/api/v1/submissions/%d/supplementary", id), "multipart/form-data", multipartForm, false, 415, "unsupported_media_type"},
		{"PUT", fmt.Sprintf("/api/v1/submissions/%d/camera-ready", id), "multipart/form-data; boundary=b0undary", multipartForm, false, 415, "unsupported_media_type"},
		{"PATCH", fmt.Sprintf("/api/v1/submissions/%d", id), "application/json; charset", "{}", false, 400, "bad_content_type"},
	} {
		tok := w.author
		if strings.HasPrefix(c.path, "/api/v1/venues/") {
			tok = w.chair
		}
		var r *apptest.Response
		if c.cut {
			r = rawDo(t, w.s, c.method, c.path, badBody{ct: c.ct, body: []byte(c.body)}, apptest.Bearer(tok)...)
			if r == nil {
				t.Errorf("%s %s (%s, cut off): no answer", c.method, c.path, c.ct)
				continue
			}
		} else {
			r = w.s.As(t, tok, c.method, c.path, c.body, "Content-Type", c.ct)
		}
		if f := bodyFailure(r, []int{c.status}); f != "" {
			t.Errorf("%s %s (%s): %s", c.method, c.path, c.ct, f)
			continue
		}
		if c.code != "" {
			var doc struct{ Code string }
			_ = json.Unmarshal(r.Body, &doc)
			if doc.Code != c.code {
				t.Errorf("%s %s (%s): code %q, want %q: %s", c.method, c.path, c.ct, doc.Code, c.code, r.Body)
			}
		}
	}
}

// TestBodySweepCatchesAPanic is the test of the test: a handler that
// panics on an odd body is recovered as a logged 500 with a problem
// document, the server goes on serving, and the sweep flags the 500.
func TestBodySweepCatchesAPanic(t *testing.T) {
	t.Parallel()
	w, _, tokens := bodiesWorld(t)
	w.s.App.Echo.POST("/api/v1/fragile", func(c echo.Context) error {
		var m map[string]any
		if err := json.NewDecoder(c.Request().Body).Decode(&m); err != nil {
			var nothing *map[string]any
			_ = (*nothing)["x"] // the nil dereference of issue 27
		}
		return c.NoContent(http.StatusNoContent)
	})
	found := sweepBodies(t, w.s, []bodyOp{{id: "fragile", method: "POST", path: "/api/v1/fragile", types: []string{"application/json"}, required: true, owner: "chair"}}, tokens)
	if len(found) == 0 {
		t.Fatal("the sweep did not notice a handler that panics")
	}
	if !strings.Contains(strings.Join(found, "\n"), "500 Internal Server Error") {
		t.Errorf("the panic did not answer a 500: %v", found)
	}
	r := w.s.As(t, tokens["chair"], "POST", "/api/v1/fragile", "not json", "Content-Type", "application/json")
	var doc struct{ Code string }
	if r.StatusCode != 500 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") || json.Unmarshal(r.Body, &doc) != nil || doc.Code != "internal_error" {
		t.Errorf("a panic answers %s %q %s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	if r := w.s.Do(t, "GET", "/healthz", nil); r.StatusCode != 200 {
		t.Errorf("the server stopped serving after a panic: %s", r.Status)
	}
}
