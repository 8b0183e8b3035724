package account

import "strings"

// Device describes a User-Agent header briefly, as "Firefox on Linux": enough
// for a person to tell their sessions apart, without keeping the whole
// header (which identifies a browser far better than anyone needs here).
// The order of the checks matters: Edge and Opera also say "Chrome",
// Chrome also says "Safari", Android also says "Linux".
func Device(ua string) string {
	if strings.TrimSpace(ua) == "" {
		return ""
	}
	browser := firstMatch(ua, []namedMark{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"HeadlessChrome/", "Chromium"},
		{"Chromium/", "Chromium"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"},
		{"Go-http-client/", "a Go program"}, {"python-requests/", "a Python program"},
	})
	system := firstMatch(ua, []namedMark{
		{"Android", "Android"}, {"iPhone", "iOS"}, {"iPad", "iPadOS"}, {"CrOS", "ChromeOS"},
		{"Windows", "Windows"}, {"Macintosh", "macOS"}, {"Mac OS X", "macOS"}, {"Linux", "Linux"},
		{"FreeBSD", "FreeBSD"},
	})
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return "a browser on " + system
	}
	return "an unknown program"
}

type namedMark struct{ mark, name string }

func firstMatch(ua string, marks []namedMark) string {
	for _, m := range marks {
		if strings.Contains(ua, m.mark) {
			return m.name
		}
	}
	return ""
}
