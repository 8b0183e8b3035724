package publication

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// Author is a published paper's author as the public sees them.
type Author struct {
	Name        string `json:"name"`
	Affiliation string `json:"affiliation,omitempty"`
}

// Paper is a published paper: everything its public page, its citation
// and its PDF's cover page say.
type Paper struct {
	Number   int      `json:"number"`
	Title    string   `json:"title"`
	Authors  []Author `json:"authors"`
	Abstract string   `json:"abstract"`
	Keywords []string `json:"keywords,omitempty"`
	// Accepted is false for a rejected paper its authors made public.
	Accepted bool   `json:"accepted"`
	Decision string `json:"decision"`
	// Presentation, Spotlight and PosterSession place an accepted paper in
	// the programme (Spotlight: the talk's order, 1-based).
	Presentation  string         `json:"presentation,omitempty"`
	Spotlight     int            `json:"spotlight,omitempty"`
	PosterSession int            `json:"poster_session,omitempty"`
	Board         int            `json:"board,omitempty"`
	Licence       venue.Licence  `json:"licence"`
	Archival      venue.Archival `json:"archival"`
	// Status is the line every page, file and citation carries, such as
	// "Non-archival report, DLDE III 2023".
	Status string `json:"status"`
	Page   string `json:"page"`
	PDF    string `json:"pdf,omitempty"`
	// Date is the day it counts as published: the event's, else the
	// release's.
	Date time.Time `json:"date"`
	// Fields are its answers to the venue's fields marked
	// public_after_acceptance (submission.PublicAnswers).
	Fields []PublicField `json:"fields,omitempty"`
	// Reviews and MetaReview are shown where the venue publishes them:
	// the fields the authors were shown, under the reviews' pseudonyms,
	// and the chairs' reasoning without its author.
	Reviews    []Review `json:"reviews,omitempty"`
	MetaReview string   `json:"meta_review,omitempty"`

	id  int64
	sha string
}

// Review is a published paper's review, anonymised.
type Review struct {
	Label  string        `json:"label"`
	Fields []ReviewField `json:"fields"`
}

// ReviewField is one answer of the review form, as people read it.
type ReviewField struct {
	Label string `json:"label"`
	Value string `json:"value"`
	// Text: prose, to be shown as written (scores are one line).
	Text bool `json:"-"`
}

// PublicField is one public answer of a published paper.
type PublicField struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Value string `json:"value"`
	URL   bool   `json:"url,omitempty"` // the value is a web address
}

// Venue is what every published paper of a venue shares.
type Venue struct {
	Slug, Name string
	// Year and Date are the event's (else the release's).
	Date     time.Time
	Location string
	Archival venue.Archival
	URL      string
	// Papers published, accepted ones first, each by number.
	Papers []Paper
}

// PagePath is the public page of paper number of a venue.
func PagePath(slug string, number int) string {
	return "/venues/" + slug + "/papers/" + strconv.Itoa(number)
}

// PDFPath is its stamped PDF.
func PDFPath(slug string, number int) string {
	return "/api/v1/venues/" + slug + "/papers/" + strconv.Itoa(number) + "/pdf"
}

// Published is every paper of a venue that is public: none before the
// release; then the accepted papers whose authors consented, where the
// venue publishes them, and the rejected papers whose authors asked, where
// it lets them.
func (s *Service) Published(ctx context.Context, slug string) (Venue, error) {
	accepted, rec, err := s.Decisions.Accepted(ctx, slug)
	if err != nil {
		return Venue{}, err
	}
	set := rec.Settings
	pub := set.Publication
	v := Venue{Slug: rec.Slug, Name: rec.Name, Location: set.Location, Archival: pub.Archival, URL: s.Link("/venues/"+rec.Slug, nil)}
	if len(accepted) == 0 && !pub.RejectedOptIn {
		return v, nil // not released, or nothing accepted and nothing else offered
	}
	releaseAt, err := q.ReleaseAt(ctx, s.DB, rec.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		return v, nil
	}
	if err != nil {
		return v, err
	}
	if released, err := s.Decisions.Released(ctx, s.DB, rec.ID); err != nil || !released {
		return v, err
	}
	v.Date = releaseAt.In(set.Zone())
	if d, ok := set.Day(); ok {
		v.Date = d
	}
	placed := map[int]int{}
	for i, a := range accepted {
		placed[a.Number] = i
	}
	rows, err := q.ConsentedPapers(ctx, s.DB, rec.ID)
	if err != nil {
		return v, err
	}
	authors, err := q.VenueAuthors(ctx, s.DB, rec.ID)
	if err != nil {
		return v, err
	}
	byPaper := map[int64][]Author{}
	for _, a := range authors {
		byPaper[a.SubmissionID] = append(byPaper[a.SubmissionID], Author{Name: a.Name, Affiliation: a.Affiliation})
	}
	var rejected []Paper
	for _, r := range rows {
		cat, ok := set.Decision(r.Category)
		lic, known := venue.LicenceByKey(r.Licence)
		if !ok || !known || !pub.Offers(r.Licence) {
			continue
		}
		p := Paper{id: r.ID, Number: int(r.Number), Title: r.Title, Abstract: r.Abstract, Keywords: r.Keywords, Accepted: cat.Accept, Decision: cat.Label,
			Licence: lic, Archival: pub.Archival, Date: v.Date, Page: s.Link(PagePath(rec.Slug, int(r.Number)), nil)}
		p.Authors = byPaper[r.ID]
		var final []submission.Author
		if len(r.FinalAuthors) > 0 && json.Unmarshal(r.FinalAuthors, &final) == nil && len(final) > 0 {
			p.Authors = p.Authors[:0:0]
			for _, a := range final {
				p.Authors = append(p.Authors, Author{Name: a.Name, Affiliation: a.Affiliation})
			}
		}
		switch {
		case cat.Accept && pub.Accepted:
			i, inProgramme := placed[p.Number]
			if !inProgramme {
				continue
			}
			a := accepted[i]
			p.Presentation, p.Spotlight, p.PosterSession, p.Board = a.Presentation, a.Spotlight, a.PosterSession, a.Board
			if r.CameraSha != nil { // an accepted paper is published in its final version only
				p.sha = *r.CameraSha
			}
			p.Status = pub.Archival.Label() + " report, " + rec.Name
		case !cat.Accept && pub.RejectedOptIn && r.PdfSha != nil:
			p.sha = *r.PdfSha
			p.Status = "Submitted to " + rec.Name + "; not accepted, made public by its authors (" + lowerFirst(pub.Archival.Label()) + ")"
		default:
			continue
		}
		if p.sha != "" {
			p.PDF = s.Link(PDFPath(rec.Slug, p.Number), nil)
		}
		if p.Accepted {
			v.Papers = append(v.Papers, p)
		} else {
			rejected = append(rejected, p)
		}
	}
	v.Papers = append(v.Papers, rejected...)
	if err := s.addReviews(ctx, rec, v.Papers); err != nil {
		return v, err
	}
	return v, s.addPublicFields(ctx, rec, v.Papers)
}

// addReviews puts on each published paper its reviews and meta-review,
// where the venue publishes them: only submitted reviews, only the fields
// the authors were shown, never who wrote them.
func (s *Service) addReviews(ctx context.Context, rec venue.Record, papers []Paper) error {
	pub := rec.Settings.Publication
	if len(papers) == 0 || (!pub.Reviews && !pub.MetaReviews) {
		return nil
	}
	at := map[int64]int{}
	for i, p := range papers {
		at[p.id] = i
	}
	if pub.Reviews {
		rows, err := q.VenueReviews(ctx, s.DB, rec.ID)
		if err != nil {
			return err
		}
		for _, r := range rows {
			i, ok := at[r.SubmissionID]
			if !ok {
				continue
			}
			var fields map[string]any
			if err := json.Unmarshal(r.Fields, &fields); err != nil {
				return err
			}
			rv := Review{Label: "Reviewer " + strconv.Itoa(int(r.Pseudonym)), Fields: []ReviewField{}}
			for _, f := range rec.Settings.ReviewForm {
				val, ok := fields[f.Key]
				if !ok || f.Visibility != venue.VisibleToAuthors {
					continue
				}
				rv.Fields = append(rv.Fields, ReviewField{Label: f.Label, Value: fieldValue(f, val), Text: f.Kind == venue.KindText})
			}
			papers[i].Reviews = append(papers[i].Reviews, rv)
		}
	}
	if pub.MetaReviews {
		rows, err := q.VenueMetaReviews(ctx, s.DB, rec.ID)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if i, ok := at[r.SubmissionID]; ok {
				papers[i].MetaReview = r.Body
			}
		}
	}
	return nil
}

// fieldValue writes a review field's value as people read it: a score
// with its label on the scale, text as written.
func fieldValue(f venue.FormField, v any) string {
	n, ok := v.(float64)
	if !ok {
		return fmt.Sprint(v)
	}
	for _, pt := range f.Points {
		if float64(pt.Value) == n {
			return strconv.Itoa(pt.Value) + ": " + pt.Label
		}
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

// Paper is one published paper of a venue, or ErrNotFound: a paper that
// is not public is not distinguished from one that does not exist.
func (s *Service) Paper(ctx context.Context, slug string, number int) (Venue, Paper, error) {
	v, err := s.Published(ctx, slug)
	if err != nil {
		return v, Paper{}, err
	}
	for _, p := range v.Papers {
		if p.Number == number {
			return v, p, nil
		}
	}
	return v, Paper{}, problem.New(problem.ErrNotFound, "not_found", "no published paper #"+strconv.Itoa(number)+" at this venue")
}

// AcceptedOnly keeps the accepted papers: what the citation exports list.
func (v Venue) AcceptedOnly() []Paper {
	var out []Paper
	for _, p := range v.Papers {
		if p.Accepted {
			out = append(out, p)
		}
	}
	return out
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func (s *Service) number(ctx context.Context, submissionID int64) (int, error) {
	n, err := q.SubmissionNumber(ctx, s.DB, submissionID)
	return int(n), err
}

// addPublicFields gives each published paper its public answers to the
// venue's fields.
func (s *Service) addPublicFields(ctx context.Context, rec venue.Record, papers []Paper) error {
	if len(rec.Settings.SubmissionFields) == 0 || len(papers) == 0 {
		return nil
	}
	ids := make([]int64, len(papers))
	for i, p := range papers {
		ids[i] = p.id
	}
	answers, err := submission.PublicAnswers(ctx, s.DB, rec.Settings, ids)
	if err != nil {
		return err
	}
	for i := range papers {
		for _, a := range answers[papers[i].id] {
			papers[i].Fields = append(papers[i].Fields, PublicField{Key: a.Field.Key, Label: a.Field.Label, Value: a.Text(), URL: a.Field.Kind == venue.FieldURL})
		}
	}
	return nil
}
