package decision

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/decision/decisiondb"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

func itoa(n int) string { return strconv.Itoa(n) }

// venueAuthors is every submission's author list, in one query.
func venueAuthors(ctx context.Context, db decisiondb.DBTX, venueID int64) (map[int64][]decisiondb.VenueAuthorsRow, error) {
	rows, err := q.VenueAuthors(ctx, db, venueID)
	if err != nil {
		return nil, err
	}
	out := map[int64][]decisiondb.VenueAuthorsRow{}
	for _, r := range rows {
		out[r.SubmissionID] = append(out[r.SubmissionID], r)
	}
	return out, nil
}

// Paper is an accepted paper as the public programme shows it.
type Paper struct {
	SubmissionID  int64    `json:"-"`
	Number        int      `json:"number"`
	Title         string   `json:"title"`
	Authors       []string `json:"authors"`
	Abstract      string   `json:"abstract"`
	Presentation  string   `json:"presentation"`
	Spotlight     int      `json:"spotlight,omitempty"` // order of the talk, 1-based
	PosterSession int      `json:"poster_session,omitempty"`
	// Board is the poster's board within its session, 1-based.
	Board    int    `json:"-"`
	PDF      string `json:"pdf,omitempty"` // link to the camera-ready version
	keywords []string
	sha      string
	// placed: the paper's place is stored (a chair's, or one the release
	// kept); otherwise complete chose it and may until it is stored.
	placed bool
}

// Placed is every decided accepted paper of a venue, none left out: what a
// schedule is checked against (every spotlight paper needs a slot even if
// the chair editing it may not see that paper). Never shown as it is.
func (s *Service) Placed(ctx context.Context, rec venue.Record) ([]Paper, error) {
	return s.programme(ctx, s.DB, rec)
}

// Programme is the accepted papers of a venue as its chair uid sees them:
// decided, whether or not released, without the papers the chair is
// conflicted with (of which a chair sees nothing).
func (s *Service) Programme(ctx context.Context, rec venue.Record, uid int64) ([]Paper, error) {
	papers, err := s.programme(ctx, s.DB, rec)
	if err != nil {
		return nil, err
	}
	hidden, err := s.Matching.HiddenFrom(ctx, s.DB, rec, uid)
	if err != nil {
		return nil, err
	}
	out := papers[:0]
	for _, x := range papers {
		if !hidden[x.SubmissionID] {
			out = append(out, x)
		}
	}
	return out, nil
}

// programme loads the accepted papers of a venue (chairs' view: decided,
// whether or not released), each in its place: the stored one, or for a
// paper nobody placed, the one complete gives it. A programme is therefore
// never missing a paper, whether or not a chair ever arranged it.
func (s *Service) programme(ctx context.Context, db decisiondb.DBTX, rec venue.Record) ([]Paper, error) {
	rows, err := q.Programme(ctx, db, rec.ID)
	if err != nil {
		return nil, err
	}
	authors, err := venueAuthors(ctx, db, rec.ID)
	if err != nil {
		return nil, err
	}
	var out []Paper
	for _, r := range rows {
		cat, ok := rec.Settings.Decision(r.Category)
		if !ok || !cat.Accept {
			continue
		}
		p := Paper{SubmissionID: r.ID, Number: int(r.Number), Title: r.Title, Abstract: r.Abstract, Presentation: string(cat.Presentation),
			PosterSession: int(r.PosterSession), Board: int(r.Board), keywords: r.Keywords, placed: r.Placed}
		if r.Spotlight != nil {
			p.Spotlight = int(*r.Spotlight)
		}
		var final []submission.Author
		if len(r.FinalAuthors) > 0 && json.Unmarshal(r.FinalAuthors, &final) == nil && len(final) > 0 {
			for _, a := range final {
				p.Authors = append(p.Authors, a.Name)
			}
		} else {
			for _, a := range authors[r.ID] {
				p.Authors = append(p.Authors, a.Name)
			}
		}
		if r.PdfSha != nil {
			p.sha = *r.PdfSha
			p.PDF = s.Link("/api/v1/venues/"+rec.Slug+"/accepted/"+strconv.Itoa(p.Number)+"/pdf", nil)
		}
		out = append(out, p)
	}
	return complete(out), nil
}

// Accepted is the public list of accepted papers: only once decisions are
// released, with the final author lists.
func (s *Service) Accepted(ctx context.Context, slug string) ([]Paper, venue.Record, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, rec, err
	}
	released, err := s.Released(ctx, s.DB, rec.ID)
	if err != nil || !released {
		return []Paper{}, rec, err
	}
	papers, err := s.programme(ctx, s.DB, rec)
	if err != nil {
		return nil, rec, err
	}
	if papers == nil {
		papers = []Paper{}
	}
	// Every accepted paper's title and authors are the programme; its
	// abstract and file are published only with its authors' consent,
	// where the venue publishes accepted papers (package publication).
	consented, err := q.ConsentedSubmissions(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, rec, err
	}
	ok := map[int64]bool{}
	for _, id := range consented {
		ok[id] = rec.Settings.Publication.Accepted
	}
	for i := range papers {
		if !ok[papers[i].SubmissionID] || papers[i].sha == "" {
			papers[i].Abstract, papers[i].PDF, papers[i].sha = "", "", ""
		}
	}
	return papers, rec, nil
}

// WriteCSV writes the programme as CSV.
func WriteCSV(w io.Writer, papers []Paper) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"number", "title", "authors", "presentation", "spotlight", "poster_session", "pdf"})
	for _, x := range papers {
		sp := ""
		if x.Spotlight > 0 {
			sp = itoa(x.Spotlight)
		}
		_ = cw.Write([]string{itoa(x.Number), x.Title, strings.Join(x.Authors, "; "), x.Presentation, sp, itoa(x.PosterSession), x.PDF})
	}
	cw.Flush()
	return cw.Error()
}

// AuditEntry is one line of the venue's audit log.
type AuditEntry struct {
	At      time.Time      `json:"at"`
	Actor   string         `json:"actor"`
	Action  string         `json:"action"`
	Subject string         `json:"subject"`
	Detail  map[string]any `json:"detail"`
	IP      string         `json:"ip"`
}

// Audit is the venue's audit log for its chairs, without the entries about
// submissions the chair may not see.
func (s *Service) Audit(ctx context.Context, slug string, p account.Principal) ([]AuditEntry, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return nil, err
	}
	hidden, err := s.Matching.HiddenFrom(ctx, s.DB, rec, p.UserID)
	if err != nil {
		return nil, err
	}
	hideSubject := map[string]bool{}
	hiddenNumbers := map[int]bool{}
	if len(hidden) > 0 {
		rows, err := s.DB.Query(ctx, "SELECT id, number FROM submissions WHERE venue_id = $1", rec.ID)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var n int32
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return nil, err
			}
			if hidden[id] {
				hideSubject["submission "+strconv.FormatInt(id, 10)] = true
				hideSubject["#"+itoa(int(n))] = true
				hiddenNumbers[int(n)] = true
			}
		}
		rows.Close()
	}
	rows, err := s.DB.Query(ctx, `SELECT a.at, coalesce(u.name, ''), a.action, a.subject, a.detail, a.remote_ip
		FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id WHERE a.venue_id = $1 ORDER BY a.at, a.id`, rec.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var detail []byte
		if err := rows.Scan(&e.At, &e.Actor, &e.Action, &e.Subject, &detail, &e.IP); err != nil {
			return nil, err
		}
		if hideSubject[e.Subject] || hideSubject[strings.SplitN(e.Subject, " ", 2)[0]] {
			continue
		}
		_ = json.Unmarshal(detail, &e.Detail)
		if mentions(e.Detail, hidden, hiddenNumbers) {
			continue
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// mentions reports whether an audit entry's detail names a hidden
// submission, by id ("submission") or number ("number"), at any depth (a
// bulk change lists many).
func mentions(v any, ids map[int64]bool, numbers map[int]bool) bool {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if f, ok := val.(float64); ok {
				switch strings.ToLower(k) {
				case "submission", "submission_id":
					if ids[int64(f)] {
						return true
					}
				case "number":
					if numbers[int(f)] {
						return true
					}
				}
			}
			if mentions(val, ids, numbers) {
				return true
			}
		}
	case []any:
		for _, val := range x {
			if mentions(val, ids, numbers) {
				return true
			}
		}
	}
	return false
}
