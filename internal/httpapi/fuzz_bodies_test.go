package httpapi

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
)

// statusOf is what the error handler would answer for err.
func statusOf(err error) int {
	doc, _ := toDocument(err)
	return doc.Status
}

func FuzzDecisionsCSV(f *testing.F) {
	for _, s := range []string{
		"", "number,category,note\n#1,accept,Great\n2, reject ,\n", "1\n", "x,accept\n", "\"1,accept", "1,\"acc\"ept\"\n",
		"\x00\xff,\r\n\r\n", strings.Repeat("1,accept,", 1000), "-1,accept\n99999999999999999999,reject\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		items, err := parseDecisionsCSV(bytes.NewReader(b))
		if err != nil {
			if s := statusOf(err); s != http.StatusBadRequest {
				t.Fatalf("%d for a bad CSV: %v", s, err)
			}
			return
		}
		for _, it := range items {
			if it.Category != strings.TrimSpace(it.Category) {
				t.Fatalf("an untrimmed category: %+v", it)
			}
		}
	})
}

const fuzzBoundary = "b0undary"

// FuzzUploadForm feeds the browser form upload any bytes: finding the
// file and reading it to its end either works or is a 400, whatever the
// form's state (cut off, no file, broken headers, nested parts).
func FuzzUploadForm(f *testing.F) {
	part := "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"paper.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n"
	for _, s := range []string{
		part + "--b0undary--\r\n",
		part,
		"--b0undary\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nx\r\n" + part + "--b0undary--",
		"--b0undary\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b0undary--\r\n",
		"--b0undary\r\nContent-Disposition: form-data; name=\"file\"",
		"--b0undary\r\n" + strings.Repeat("X-Header: y\r\n", 2000) + "\r\n",
		"--b0undary--\r\n", "", "garbage\x00\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := formFile(multipart.NewReader(bytes.NewReader(b), fuzzBoundary))
		if err != nil {
			if s := statusOf(err); s != http.StatusBadRequest {
				t.Fatalf("%d for a form: %v", s, err)
			}
			return
		}
		if _, err := io.Copy(io.Discard, file); err != nil {
			if s := statusOf(err); s != http.StatusBadRequest {
				t.Fatalf("%d reading the file: %v", s, err)
			}
		}
	})
}

// FuzzContentType sends any Content-Type to operations taking JSON, CSV,
// a PDF, any application type and a form: checkBody passes it in canonical
// form, only when the operation takes it, or refuses it with a 400 or 415.
func FuzzContentType(f *testing.F) {
	doc, _, err := loadContract()
	if err != nil {
		f.Fatal(err)
	}
	ops := map[string]*openapi3.Operation{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ops[op.OperationID] = op
		}
	}
	ids := []string{"createSubmission", "changeAssignments", "uploadPdf", "uploadSupplementary", "uploadPdfForm", "logout"}
	for _, id := range ids {
		if ops[id] == nil {
			f.Fatalf("no operation %s in the contract", id)
		}
	}
	for _, s := range []string{
		"application/json", "APPLICATION/JSON; charset=UTF-8", "text/csv", "text/csv;", "application/pdf", "application/zip",
		"multipart/form-data", "multipart/form-data; boundary=x", "multipart/form-data; boundary=\"\"", "multipart/mixed; boundary=x",
		"text/plain", "application/json, text/csv", "application/json; charset", "/", "*/*", "application/*", ";", "\x00", "a/b; c=\"d",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ct string) {
		for _, id := range ids {
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
			req.Header[echo.HeaderContentType] = []string{ct}
			err := checkBody(ops[id], req)
			if err != nil {
				if s := statusOf(err); s != http.StatusBadRequest && s != http.StatusUnsupportedMediaType {
					t.Fatalf("%s, %q: %d: %v", id, ct, s, err)
				}
				continue
			}
			if ct == "" {
				continue
			}
			got := req.Header.Get(echo.HeaderContentType)
			mt, params, err := mime.ParseMediaType(got)
			if err != nil || got != strings.ToLower(got[:len(mt)])+got[len(mt):] {
				t.Fatalf("%s, %q: passed as %q", id, ct, got)
			}
			if ops[id].RequestBody.Value.Content.Get(mt) == nil {
				t.Fatalf("%s, %q: passed a type it does not take", id, ct)
			}
			if strings.HasPrefix(mt, "multipart/") && params["boundary"] == "" {
				t.Fatalf("%s, %q: passed a form without a boundary", id, ct)
			}
		}
	})
}
