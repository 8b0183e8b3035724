package venue

import (
	_ "embed"
	"fmt"
)

//go:embed dlde-2023.yaml
var demoYAML []byte

// DemoYAML is the DLDE III venue file as shipped, comments included.
func DemoYAML() []byte { return append([]byte(nil), demoYAML...) }

// DemoVenue is DLDE III (NeurIPS 2023), the venue make run loads on an
// empty database and the end-to-end tests use.
func DemoVenue() (*Settings, error) {
	s, _, err := Parse(demoYAML)
	if err != nil {
		return nil, fmt.Errorf("demo venue: %w", err)
	}
	return s, nil
}
