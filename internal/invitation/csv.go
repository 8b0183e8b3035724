package invitation

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/problem"
)

// MaxCSVRows bounds one import; a pool larger than this is split in files.
const MaxCSVRows = 5000

// ParseCSV reads invitees from CSV with columns name, email, affiliation,
// keywords (separated by ';'). A header row is recognised and skipped. Every
// bad row is reported with its line number; nothing is returned if any is bad.
func ParseCSV(r io.Reader, role string) ([]Input, error) {
	if role != "reviewer" && role != "chair" {
		return nil, problem.Invalid("say which role the CSV's people are invited to with ?role=reviewer or ?role=chair",
			problem.FieldError{Field: "query.role", Message: "must be reviewer or chair"})
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	var out []Input
	var fields []problem.FieldError
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		name := "line " + strconv.Itoa(line)
		if err != nil {
			fields = append(fields, problem.FieldError{Field: name, Message: "not valid CSV: " + err.Error()})
			break
		}
		if line == 1 && len(rec) > 1 && strings.EqualFold(strings.TrimSpace(rec[1]), "email") {
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // blank line
		}
		if len(rec) < 2 || len(rec) > 4 {
			fields = append(fields, problem.FieldError{Field: name, Message: "needs 2 to 4 columns: name, email, affiliation, keywords"})
			continue
		}
		for len(rec) < 4 {
			rec = append(rec, "")
		}
		email, err := account.NormalizeEmail(rec[1])
		if err != nil {
			fields = append(fields, problem.FieldError{Field: name + ".email", Message: strconv.Quote(rec[1]) + " is not an email address"})
			continue
		}
		out = append(out, Input{Name: strings.TrimSpace(rec[0]), Email: email, Affiliation: strings.TrimSpace(rec[2]), Keywords: strings.Split(rec[3], ";"), Role: role})
		if len(out) > MaxCSVRows {
			return nil, problem.Invalid("the file has more than " + strconv.Itoa(MaxCSVRows) + " rows; split it")
		}
	}
	if len(fields) > 0 {
		return nil, problem.Invalid("nobody was invited: the CSV has "+strconv.Itoa(len(fields))+" bad row(s)", fields...)
	}
	if len(out) == 0 {
		return nil, problem.Invalid("the CSV has no rows")
	}
	return out, nil
}
