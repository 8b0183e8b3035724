package webui

import (
	"net/url"
	"testing"
)

// nextBypasses are ways to write another host (or a header) into a
// post-login redirect that some browser or proxy reads as such.
var nextBypasses = []string{
	"/\t/evil.example/x", "/\n/evil.example", "/\r/evil.example", "/x\r\nLocation: //evil.example",
	"/%09/evil.example", "/%0a/evil.example", "/%0d%0aSet-Cookie:a=b", "/%00/evil.example", "/%7f/evil.example",
	"/%5cevil.example", "/%5C%5Cevil.example", "/\\evil.example", "/\\\\evil.example", "\\\\evil.example",
	"/%2f%2fevil.example", "/%2F/evil.example", "/%2f/evil.example", "/%252f%252fevil.example", "/%25252f%25252fevil.example",
	"///evil.example", "//evil.example", "/.//evil.example", "/./\\evil.example", "/%2e/%2fevil.example",
	"/\u00a0/evil.example", "/\u2028/evil.example", "/\u3000/evil.example", "/\ufeff/evil.example", "/\u200b/evil.example",
	"/%E3%80%80/evil.example", "/%C2%A0/evil.example", "/%E2%80%8B/evil.example", "/\x00/evil.example", "/\x7f/evil.example",
	"https://evil.example/", "http:/evil.example", "javascript:alert(1)", " /x", "x/y", "", "/%", "/%zz",
	"/login?next=//evil.example", "/x?back=https://evil.example",
}

func TestSafeNextRefusesBypasses(t *testing.T) {
	t.Parallel()
	for _, in := range nextBypasses {
		if got := safeNext(in); got != "/" {
			t.Errorf("safeNext(%q) = %q, want /", in, got)
		}
	}
	for _, in := range []string{"/submissions/3", "/venues/x?y=1", "/venues/caf%C3%A9", "/invitations/abc-_DEF", "/venues/dlde-2023/chair/pool?sort=name#top"} {
		if got := safeNext(in); got != in {
			t.Errorf("safeNext(%q) = %q, want it kept", in, got)
		}
	}
}

// FuzzSafeNext: whatever comes in, what comes out is a path of this host
// that a browser cannot read otherwise.
func FuzzSafeNext(f *testing.F) {
	for _, s := range nextBypasses {
		f.Add(s)
	}
	base, _ := url.Parse("https://quire.test/a/b")
	f.Fuzz(func(t *testing.T, in string) {
		out := safeNext(in)
		if out == "/" {
			return
		}
		if !onThisHost(base, out) {
			t.Fatalf("safeNext(%q) = %q leaves the host", in, out)
		}
	})
}

// onThisHost reports whether a Location value stays on base's host for any
// reader: printable ASCII without backslash or "//", and resolving to
// base's host.
func onThisHost(base *url.URL, loc string) bool {
	for i := 0; i < len(loc); i++ {
		if loc[i] <= ' ' || loc[i] >= 0x7f || loc[i] == '\\' {
			return false
		}
	}
	u, err := url.Parse(loc)
	if err != nil || len(loc) < 1 || loc[0] != '/' || (len(loc) > 1 && loc[1] == '/') {
		return false
	}
	return base.ResolveReference(u).Host == base.Host
}
