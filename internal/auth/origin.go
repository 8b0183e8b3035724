package auth

import (
	"net/http"
	"net/url"
)

// CrossSite reports whether a browser says r was sent by a page of another
// site (or of a sibling host): by its Fetch metadata where it sends them,
// by Origin otherwise. A request that carries neither (a script, curl, an
// old browser) is not called cross-site; the forms that matter carry a
// token as well, which such a request must still present.
func CrossSite(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
	default: // cross-site, same-site, or a value this code does not know
		return true
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	o, err := url.Parse(origin)
	return err != nil || o.Host == "" || o.Host != r.Host
}
