package decision

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/decision/decisiondb"
	"github.com/quirehq/quire/internal/problem"
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
	PDF           string   `json:"pdf,omitempty"` // link to the camera-ready version
	keywords      []string
	sha           string
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
// whether or not released).
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
			PosterSession: int(r.PosterSession), keywords: r.Keywords}
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
	return out, nil
}

// Placement is a chair's programme: spotlight talks in order, and each
// poster's session.
type Placement struct {
	Spotlights []int       // submission numbers in talk order
	Posters    map[int]int // submission number -> session 1 or 2
}

// SetProgramme replaces the programme. Every accepted paper must be placed
// in a poster session; spotlights are a subset of them.
func (s *Service) SetProgramme(ctx context.Context, slug string, p account.Principal, pl Placement, ip string) error {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		papers, err := s.programme(ctx, tx, rec)
		if err != nil {
			return err
		}
		byNumber := map[int]Paper{}
		for _, x := range papers {
			byNumber[x.Number] = x
		}
		var fields []problem.FieldError
		spot := map[int]int{}
		for i, n := range pl.Spotlights {
			if _, ok := byNumber[n]; !ok {
				fields = append(fields, problem.FieldError{Field: "spotlights[" + itoa(i) + "]", Message: "#" + itoa(n) + " is not an accepted paper"})
			}
			spot[n] = i + 1
		}
		for _, x := range papers {
			if ses := pl.Posters[x.Number]; ses != 1 && ses != 2 {
				fields = append(fields, problem.FieldError{Field: "posters." + itoa(x.Number), Message: "every accepted paper needs poster session 1 or 2"})
			}
		}
		for n := range pl.Posters {
			if _, ok := byNumber[n]; !ok {
				fields = append(fields, problem.FieldError{Field: "posters." + itoa(n), Message: "#" + itoa(n) + " is not an accepted paper"})
			}
		}
		if len(fields) > 0 {
			sort.Slice(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
			return problem.Invalid("the programme was not changed", fields...)
		}
		if err := q.ClearProgramme(ctx, tx, rec.ID); err != nil {
			return err
		}
		for _, x := range papers {
			var sp *int32
			if v, ok := spot[x.Number]; ok {
				v32 := int32(v)
				sp = &v32
			}
			if err := q.AddToProgramme(ctx, tx, decisiondb.AddToProgrammeParams{SubmissionID: x.SubmissionID, VenueID: rec.ID, Spotlight: sp, PosterSession: int32(pl.Posters[x.Number])}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &p.UserID, Action: "programme.set", Subject: rec.Slug,
			Detail: map[string]any{"spotlights": pl.Spotlights}, IP: ip, At: s.Clock.Now()})
	})
}

// AutoPlacement proposes a programme: spotlight talks for the papers whose
// decision asks for one (by number), and the posters split into two
// sessions so that each topic (first keyword) is spread over both and the
// sessions are the same size.
func (s *Service) AutoPlacement(ctx context.Context, slug string, p account.Principal) (Placement, error) {
	rec, err := s.chairVenue(ctx, slug, p)
	if err != nil {
		return Placement{}, err
	}
	papers, err := s.programme(ctx, s.DB, rec)
	if err != nil {
		return Placement{}, err
	}
	return place(papers), nil
}

func place(papers []Paper) Placement {
	pl := Placement{Posters: map[int]int{}}
	byTopic := map[string][]Paper{}
	var topics []string
	for _, x := range papers {
		if x.Presentation == string(venue.PresentSpotlight) {
			pl.Spotlights = append(pl.Spotlights, x.Number)
		}
		t := "other"
		if len(x.keywords) > 0 {
			t = strings.ToLower(x.keywords[0])
		}
		if _, ok := byTopic[t]; !ok {
			topics = append(topics, t)
		}
		byTopic[t] = append(byTopic[t], x)
	}
	sort.Ints(pl.Spotlights)
	// Biggest topics first, each alternating between the sessions starting
	// with the smaller one: sizes end at most one apart, topics split evenly.
	sort.SliceStable(topics, func(i, j int) bool { return len(byTopic[topics[i]]) > len(byTopic[topics[j]]) })
	size := [3]int{}
	for _, t := range topics {
		ps := byTopic[t]
		sort.Slice(ps, func(i, j int) bool { return ps[i].Number < ps[j].Number })
		next := 1
		if size[2] < size[1] {
			next = 2
		}
		for _, x := range ps {
			pl.Posters[x.Number] = next
			size[next]++
			next = 3 - next
		}
	}
	return pl
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
	if papers == nil {
		papers = []Paper{}
	}
	return papers, rec, err
}

// AcceptedPDF opens the camera-ready PDF of an accepted paper, for anyone,
// once released.
func (s *Service) AcceptedPDF(ctx context.Context, slug string, number int) (io.ReadSeekCloser, int64, error) {
	papers, _, err := s.Accepted(ctx, slug)
	if err != nil {
		return nil, 0, err
	}
	for _, x := range papers {
		if x.Number == number && x.sha != "" {
			return s.Blobs.Open(ctx, x.sha)
		}
	}
	return nil, 0, problem.New(problem.ErrNotFound, "not_found", "no camera-ready version of an accepted paper #"+itoa(number))
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
