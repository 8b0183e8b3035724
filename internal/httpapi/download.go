package httpapi

import (
	"fmt"
	"net/http"
	"strings"
)

// Every file the API hands out says how to keep it: a PDF opens in the
// browser under a file name, everything else (CSV, calendars, ZIPs, the
// venue file) is saved. The names come from the venue and the submission
// number only, never from a title or an author, so a reviewer's download
// folder shows nothing they must not learn.

// disposition is a Content-Disposition value (RFC 6266): the name in ASCII,
// and when it is not ASCII, also in UTF-8 as filename* (RFC 8187).
func disposition(kind, name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r)) {
			return r
		}
		return '_'
	}, name)
	v := kind + `; filename="` + ascii + `"`
	if ascii != name {
		var b strings.Builder
		for _, c := range []byte(name) {
			if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		}
		v += "; filename*=UTF-8''" + b.String()
	}
	return v
}

// inline is how a PDF is handed out; attachment everything else.
func inline(name string) string     { return disposition("inline", name) }
func attachment(name string) string { return disposition("attachment", name) }

// paperName names a file of a submission by its venue and number.
func paperName(venue string, number int, suffix string) string {
	return fmt.Sprintf("%s-%d%s", venue, number, suffix)
}

// download is a generated file response with its Content-Disposition set
// before the response writes itself; it answers each operation that hands
// out a file.
type download struct {
	disposition string
	visit       func(http.ResponseWriter) error
}

func (d download) write(w http.ResponseWriter) error {
	w.Header().Set("Content-Disposition", d.disposition)
	return d.visit(w)
}

func (d download) VisitDownloadPdfResponse(w http.ResponseWriter) error    { return d.write(w) }
func (d download) VisitGetAcceptedPdfResponse(w http.ResponseWriter) error { return d.write(w) }
func (d download) VisitGetProgrammeResponse(w http.ResponseWriter) error   { return d.write(w) }
func (d download) VisitGetScheduleResponse(w http.ResponseWriter) error    { return d.write(w) }
func (d download) VisitGetAuditLogResponse(w http.ResponseWriter) error    { return d.write(w) }
func (d download) VisitExportAssignmentsResponse(w http.ResponseWriter) error {
	return d.write(w)
}
func (d download) VisitDownloadSupplementaryResponse(w http.ResponseWriter) error {
	return d.write(w)
}
func (d download) VisitListVenueSubmissionsResponse(w http.ResponseWriter) error {
	return d.write(w)
}
func (d download) VisitExportVenueSettingsResponse(w http.ResponseWriter) error {
	return d.write(w)
}
