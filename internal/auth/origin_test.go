package auth

import (
	"net/http/httptest"
	"testing"
)

func TestCrossSite(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, site, origin string
		want               bool
	}{
		{"a script without browser headers", "", "", false},
		{"a page of this site", "same-origin", "https://quire.test", false},
		{"typed or bookmarked", "none", "", false},
		{"another site", "cross-site", "https://evil.example", true},
		{"a sibling host", "same-site", "https://evil.quire.test", true},
		{"an unknown Fetch value", "nearby", "", true},
		{"this site by Origin alone", "", "https://quire.test", false},
		{"another site by Origin alone", "", "https://evil.example", true},
		{"a sandboxed frame", "", "null", true},
		{"another port", "", "https://quire.test:8443", true},
	} {
		r := httptest.NewRequest("POST", "https://quire.test/login", nil)
		if tt.site != "" {
			r.Header.Set("Sec-Fetch-Site", tt.site)
		}
		if tt.origin != "" {
			r.Header.Set("Origin", tt.origin)
		}
		if got := CrossSite(r); got != tt.want {
			t.Errorf("%s: CrossSite = %v, want %v", tt.name, got, tt.want)
		}
	}
}
