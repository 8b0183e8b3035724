package account_test

import (
	"testing"

	"github.com/quirehq/quire/internal/account"
)

func TestDevice(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ ua, want string }{
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36", "Chromium on Linux"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", "Edge on Windows"},
		{"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "Chrome on Android"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari on macOS"},
		{"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux"},
		{"curl/8.5.0", "curl"},
		{"Go-http-client/1.1", "a Go program"},
		{"SomethingElse/1.0", "an unknown program"},
		{"", ""},
	} {
		if got := account.Device(c.ua); got != c.want {
			t.Errorf("Device(%q) = %q, want %q", c.ua, got, c.want)
		}
	}
}
