package openreview

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/quirehq/quire/internal/account"
)

// Profile is whom an OpenReview id stands for in Quire: a profile's
// tilde id (~Ada_Lovelace1), a reviewer's anonymous signature group
// (Venue/Submission12/Reviewer_Abc1) or an email, mapped to an email.
type Profile struct {
	Email, Name string
	// Affiliation is what OpenReview keeps in the profile's history and
	// Quire with each author.
	Affiliation string
}

// Profiles maps OpenReview ids to people.
type Profiles map[string]Profile

// MaxProfilesBytes bounds a profile map file.
const MaxProfilesBytes = 4 << 20

// ReadProfiles reads a CSV of "openreview_id,email[,name[,affiliation]]"
// rows; a first row whose email column holds no "@" is a header.
func ReadProfiles(r io.Reader) (Profiles, error) {
	data, err := readAll(r, MaxProfilesBytes)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	out := Profiles{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, invalid("openreview_bad_profiles", "the profile map is not CSV: "+err.Error())
		}
		if len(rec) < 2 {
			return nil, invalid("openreview_bad_profiles", fmt.Sprintf("the profile map's line %d has no email column (openreview_id,email[,name[,affiliation]])", line))
		}
		id, email := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		if line == 1 && !strings.Contains(email, "@") {
			continue
		}
		e, err := account.NormalizeEmail(email)
		if err != nil || id == "" {
			return nil, invalid("openreview_bad_profiles", fmt.Sprintf("the profile map's line %d: %q is not an email address or the id is empty", line, email))
		}
		p := Profile{Email: e}
		if len(rec) > 2 {
			p.Name = strings.TrimSpace(rec[2])
		}
		if len(rec) > 3 {
			p.Affiliation = strings.TrimSpace(rec[3])
		}
		out[id] = p
	}
}

// WriteProfiles writes the map ReadProfiles reads, in the order of ids.
func WriteProfiles(w io.Writer, ids []string, p Profiles) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"openreview_id", "email", "name", "affiliation"}); err != nil {
		return err
	}
	for _, id := range ids {
		if err := cw.Write([]string{id, p[id].Email, p[id].Name, p[id].Affiliation}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
