package httpapi

import (
	"mime"
	"strings"
	"testing"
)

// TestDispositionNames: an ASCII name as is; any other keeps an ASCII
// fallback and its UTF-8 form in filename* (RFC 6266, RFC 8187); quotes,
// CR/LF and separators never reach the header.
func TestDispositionNames(t *testing.T) {
	for _, c := range []struct{ name, want, fallback string }{
		{"dlde-2023-12.pdf", `inline; filename="dlde-2023-12.pdf"`, "dlde-2023-12.pdf"},
		{"jfm-2024-7.pdf", `inline; filename="jfm-2024-7.pdf"`, "jfm-2024-7.pdf"},
		{"café-2024-3.pdf", `inline; filename="caf_-2024-3.pdf"; filename*=UTF-8''caf%C3%A9-2024-3.pdf`, "caf_-2024-3.pdf"},
		{"a\"b\r\nSet-Cookie: x=1;/..\\c.pdf", "", "a_b__Set-Cookie__x_1__.._c.pdf"},
	} {
		got := inline(c.name)
		if c.want != "" && got != c.want {
			t.Errorf("%q: %s, want %s", c.name, got, c.want)
		}
		if strings.ContainsAny(got, "\r\n") {
			t.Errorf("%q: a line break in %q", c.name, got)
		}
		kind, params, err := mime.ParseMediaType(got)
		if err != nil || kind != "inline" {
			t.Fatalf("%q: %q does not parse: %v", c.name, got, err)
		}
		// Go's parser prefers filename* as user agents do.
		if params["filename"] != c.name && strings.HasPrefix(c.name, "caf") {
			t.Errorf("%q: read back as %q", c.name, params["filename"])
		}
		if !strings.Contains(got, `filename="`+c.fallback+`"`) {
			t.Errorf("%q: fallback in %q, want %q", c.name, got, c.fallback)
		}
	}
	if got := attachment("dlde-2023-audit.csv"); got != `attachment; filename="dlde-2023-audit.csv"` {
		t.Errorf("attachment: %s", got)
	}
}
