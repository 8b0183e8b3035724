// Package venue holds every rule of a workshop: its deadlines and their
// hidden grace, the phases derived from them, the one gate that every
// deadline-bound action passes, page and upload limits, tracks, the review
// form and decision categories. It is pure: no store, no HTTP, no clock
// reads; callers pass the instant they received a request at.
package venue

import "time"

// Settings is a venue as chairs keep it in version control.
type Settings struct {
	Slug        string `yaml:"slug"`
	Name        string `yaml:"name"`
	Description string `yaml:"description,omitempty"`
	SiteURL     string `yaml:"site_url,omitempty"`
	// EventDate is the day the workshop is held, YYYY-MM-DD in its own zone.
	EventDate string `yaml:"event_date,omitempty"`
	Location  string `yaml:"location,omitempty"`
	// TimeZone is where the venue is held; pages show deadlines in it next
	// to UTC, AoE and the viewer's own zone.
	TimeZone string `yaml:"time_zone"`

	Deadlines        Deadlines          `yaml:"deadlines"`
	Pages            PageRules          `yaml:"pages"`
	Format           Format             `yaml:"format,omitempty"` // the template's geometry (format.go)
	AbstractMaxChars int                `yaml:"abstract_max_chars,omitempty"`
	Keywords         []string           `yaml:"keywords,omitempty"`
	Tracks           []Track            `yaml:"tracks"`
	ReviewForm       []FormField        `yaml:"review_form"`
	Decisions        []DecisionCategory `yaml:"decisions"`
	ReviewerLoad     ReviewerLoad       `yaml:"reviewer_load"`
	// ReciprocalReviewing makes authors review for the venue (reciprocal.go).
	ReciprocalReviewing Reciprocal `yaml:"reciprocal_reviewing,omitempty"`

	// AuthorResponse bounds the authors' answers to the reviews.
	AuthorResponse AuthorResponse `yaml:"author_response,omitempty"`

	// MetaReviews says whether authors see the chairs' meta-review of
	// their submission with its decision.
	MetaReviews MetaReviews `yaml:"meta_reviews,omitempty"`

	// Site is the public page's content; Schedule the timed day.
	Site     Site     `yaml:"site,omitempty"`
	Schedule Schedule `yaml:"schedule,omitempty"`

	Publication Publication `yaml:"publication,omitempty"` // what is public after the release, under which licences

	SubmissionFields []SubmissionField `yaml:"submission_fields,omitempty"` // what authors are asked besides the metadata (submission_fields.go)
	Reminders        []Reminder        `yaml:"reminders,omitempty"`         // who owes something is reminded before and after its deadline (reminders.go)
}

// Deadlines are the instants phases derive from. Submission, Review and
// Decision are required; the others are optional: without SubmissionOpens
// submission is open from the start, without Bidding there is no bidding
// phase, without CameraReady the venue closes at the decision deadline.
type Deadlines struct {
	SubmissionOpens Deadline `yaml:"submission_opens,omitempty"`
	Submission      Deadline `yaml:"submission"`
	Bidding         Deadline `yaml:"bidding,omitempty"`
	Review          Deadline `yaml:"review"`
	// AuthorResponse, when set, opens a phase after the review deadline in
	// which authors read the reviews and answer them once, until this
	// deadline; decisions follow it.
	AuthorResponse Deadline `yaml:"author_response,omitempty"`
	Decision       Deadline `yaml:"decision"`
	CameraReady    Deadline `yaml:"camera_ready,omitempty"`
}

// Section names a part of a paper a page limit may leave out.
type Section string

const (
	SectionReferences       Section = "references"
	SectionAcknowledgements Section = "acknowledgements"
	SectionAppendix         Section = "appendix"
	SectionChecklist        Section = "checklist"
	SectionSupplementary    Section = "supplementary"
	SectionBroaderImpact    Section = "broader_impact"
	SectionLimitations      Section = "limitations"
)

// Sections lists every Section a page limit may exclude.
var Sections = []Section{
	SectionReferences, SectionAcknowledgements, SectionAppendix, SectionChecklist,
	SectionSupplementary, SectionBroaderImpact, SectionLimitations,
}

// DefaultExcluded is what a page limit leaves out unless a venue says otherwise.
var DefaultExcluded = []Section{SectionReferences, SectionAcknowledgements, SectionAppendix, SectionChecklist}

// PageSize is a paper size a venue's style file produces.
type PageSize string

const (
	PageLetter PageSize = "letter"
	PageA4     PageSize = "a4"
)

// PageRules are the limits a PDF check enforces.
type PageRules struct {
	// Limit is the number of main-text pages; 0 means no limit.
	Limit int `yaml:"limit"`
	// Excluded sections do not count toward Limit.
	Excluded []Section `yaml:"excluded,omitempty"`
	// Sizes allowed; empty allows any size.
	Sizes []PageSize `yaml:"sizes,omitempty"`
	// MaxPages caps the whole file, excluded sections included; 0 = no cap.
	MaxPages         int      `yaml:"max_pages,omitempty"`
	MaxUploadBytes   ByteSize `yaml:"max_upload_bytes"`
	SupplementaryMax ByteSize `yaml:"supplementary_max_bytes,omitempty"`
	CameraReadyLimit int      `yaml:"camera_ready_limit,omitempty"`
}

// Track is a kind of submission with its own review load.
type Track struct {
	Key             string `yaml:"key"`
	Name            string `yaml:"name"`
	ReviewsPerPaper int    `yaml:"reviews_per_paper"`
	Format          Format `yaml:"format,omitempty"` // when given, instead of the venue's
}

// FieldKind is what a review form field collects.
type FieldKind string

const (
	KindScore      FieldKind = "score"
	KindConfidence FieldKind = "confidence"
	KindText       FieldKind = "text"
)

// Visibility says who may read a review field.
type Visibility string

const (
	VisibleToAuthors Visibility = "authors_and_reviewers"
	ChairsOnly       Visibility = "chairs_only"
)

// FormField is one question of the review form.
type FormField struct {
	Key        string     `yaml:"key"`
	Label      string     `yaml:"label"`
	Kind       FieldKind  `yaml:"kind"`
	Required   bool       `yaml:"required,omitempty"`
	Visibility Visibility `yaml:"visibility"`
	// Points are the labelled values of a score or confidence scale.
	Points []Point `yaml:"points,omitempty"`
	// MaxChars bounds a text field; 0 means no bound.
	MaxChars int `yaml:"max_chars,omitempty"`
}

// Point is one labelled value on a scale.
type Point struct {
	Value int    `yaml:"value"`
	Label string `yaml:"label"`
}

// Presentation is how an accepted paper is shown at the event.
type Presentation string

const (
	PresentSpotlight Presentation = "spotlight"
	PresentPoster    Presentation = "poster"
	PresentNone      Presentation = "none"
)

// DecisionCategory is one outcome chairs can give a paper.
type DecisionCategory struct {
	Key          string       `yaml:"key"`
	Label        string       `yaml:"label"`
	Accept       bool         `yaml:"accept"`
	Presentation Presentation `yaml:"presentation"`
	// Mail is the venue's own text of the message its authors get, in the
	// language of the built-in decision mail (mail.Source); empty: the
	// built-in one.
	Mail string `yaml:"mail,omitempty"`
}

// MaxMailChars bounds a decision mail's text.
const MaxMailChars = 20000

// AuthorResponse is the venue's rule for responses to the reviews.
type AuthorResponse struct {
	// MaxChars bounds a response; 0 means DefaultResponseChars.
	MaxChars int `yaml:"max_chars,omitempty"`
}

// DefaultResponseChars bounds a response when the venue sets no limit.
const DefaultResponseChars = 5000

// ResponseLimit is the most characters a response may have.
func (s *Settings) ResponseLimit() int {
	if s.AuthorResponse.MaxChars > 0 {
		return s.AuthorResponse.MaxChars
	}
	return DefaultResponseChars
}

// MetaReviews are the venue's choices about chairs' meta-reviews.
type MetaReviews struct {
	// AuthorsSee shows authors the meta-review once decisions are released.
	AuthorsSee bool `yaml:"authors_see,omitempty"`
}

// ReviewerLoad bounds how many papers one reviewer is assigned by default.
type ReviewerLoad struct {
	Min int `yaml:"min"`
	Max int `yaml:"max"`
}

// Zone is the venue's display zone; UTC when the setting is unusable,
// which Validate reports.
func (s *Settings) Zone() *time.Location {
	loc, err := loadZone(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Track returns the track with key, if any.
func (s *Settings) Track(key string) (Track, bool) {
	for _, t := range s.Tracks {
		if t.Key == key {
			return t, true
		}
	}
	return Track{}, false
}

// Decision returns the decision category with key, if any.
func (s *Settings) Decision(key string) (DecisionCategory, bool) {
	for _, d := range s.Decisions {
		if d.Key == key {
			return d, true
		}
	}
	return DecisionCategory{}, false
}

// Public is a copy safe to show anyone: grace windows are hidden by design,
// so an API that serialises Settings for non-chairs must serialise this.
func (s *Settings) Public() *Settings {
	c := *s
	for _, d := range c.Deadlines.all() {
		d.dl.Grace = 0
	}
	return &c
}

type namedDeadline struct {
	name string
	dl   *Deadline
}

// all lists the deadlines in timeline order, by their names in the file.
func (d *Deadlines) all() []namedDeadline {
	return []namedDeadline{
		{"submission_opens", &d.SubmissionOpens},
		{"submission", &d.Submission},
		{"bidding", &d.Bidding},
		{"review", &d.Review},
		{"author_response", &d.AuthorResponse},
		{"decision", &d.Decision},
		{"camera_ready", &d.CameraReady},
	}
}
