// Package docs holds the project's documentation. The guide to the venue
// file is embedded so that Quire serves it to the administrators and chairs
// who write one (at /docs/venue-file), the same text the repository shows.
package docs

import _ "embed"

// VenueFile is venues.md, the guide to the venue file.
//
//go:embed venues.md
var VenueFile string
