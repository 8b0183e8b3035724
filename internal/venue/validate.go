package venue

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/quirehq/quire/internal/mail"
)

var (
	keyPattern  = regexp.MustCompile(`^[a-z0-9]+(?:[-_][a-z0-9]+)*$`)
	slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
)

// maxGrace bounds a hidden grace window: longer than a day stops being a
// courtesy and becomes an unpublished deadline.
const maxGrace = 24 * time.Hour

// problems collects rule violations by path.
type problems []Problem

func (ps *problems) addf(path, format string, args ...any) {
	*ps = append(*ps, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Validate returns every rule s breaks, each with its path in the file. It
// is also what a PATCH must pass: settings are never partly applied.
func (s *Settings) Validate() []Problem {
	var ps problems
	s.validateIdentity(&ps)
	s.validateDeadlines(&ps)
	s.Pages.validate(&ps, "pages")
	s.validateFormats(&ps)
	if s.AbstractMaxChars < 0 {
		ps.addf("abstract_max_chars", "must not be negative (0 means no limit)")
	}
	validateKeys(&ps, "keywords", "", len(s.Keywords), func(i int) string { return s.Keywords[i] })
	s.validateTracks(&ps)
	s.validateReciprocal(&ps)
	s.validateForm(&ps)
	s.validateDecisions(&ps)
	s.validateSite(&ps)
	s.validateSchedule(&ps)
	s.validatePublication(&ps)
	s.validateSubmissionFields(&ps)
	s.validateReminders(&ps)
	if s.ReviewerLoad.Min < 0 {
		ps.addf("reviewer_load.min", "must not be negative")
	}
	if s.ReviewerLoad.Max < 1 {
		ps.addf("reviewer_load.max", "must be at least 1")
	} else if s.ReviewerLoad.Min > s.ReviewerLoad.Max {
		ps.addf("reviewer_load.min", "must not exceed reviewer_load.max (%d)", s.ReviewerLoad.Max)
	}
	return ps
}

func (s *Settings) validateIdentity(ps *problems) {
	switch {
	case s.Slug == "":
		ps.addf("slug", "required")
	case len(s.Slug) > 64 || !slugPattern.MatchString(s.Slug):
		ps.addf("slug", "%q must be lower-case letters and digits in words joined by '-', at most 64 characters", s.Slug)
	}
	if strings.TrimSpace(s.Name) == "" {
		ps.addf("name", "required")
	}
	if s.SiteURL != "" {
		if u, err := url.Parse(s.SiteURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			ps.addf("site_url", "%q is not an http(s) address", s.SiteURL)
		}
	}
	if s.EventDate != "" {
		if _, err := time.Parse(time.DateOnly, s.EventDate); err != nil {
			ps.addf("event_date", "%q is not a date such as 2023-12-16", s.EventDate)
		}
	}
	if s.TimeZone == "" {
		ps.addf("time_zone", "required (an IANA name such as America/Chicago, or UTC)")
	} else if _, err := loadZone(s.TimeZone); err != nil {
		ps.addf("time_zone", "%s", trimSentinel(err))
	}
}

func (s *Settings) validateDeadlines(ps *problems) {
	all := s.Deadlines.all()
	for _, nd := range all {
		path := "deadlines." + nd.name
		d := *nd.dl
		required := nd.name == "submission" || nd.name == "review" || nd.name == "decision"
		if !d.IsSet() {
			if required {
				ps.addf(path, "required")
			} else if d.Grace != 0 {
				ps.addf(path+".at", "required when a grace is given")
			}
			continue
		}
		if d.At.Nanosecond() != 0 {
			ps.addf(path, "must be a whole second")
		}
		switch {
		case d.Grace < 0:
			ps.addf(path+".grace", "must not be negative")
		case d.Grace > maxGrace:
			ps.addf(path+".grace", "must be at most %s", FormatDuration(maxGrace))
		case d.Grace != 0 && nd.name == "submission_opens":
			ps.addf(path+".grace", "an opening time has no grace")
		}
	}
	// Each deadline must follow every earlier one; name the earliest it
	// fails to follow, which is the most telling.
	for i, later := range all {
		if !later.dl.IsSet() {
			continue
		}
		for _, earlier := range all[:i] {
			if earlier.dl.IsSet() && !later.dl.At.After(earlier.dl.At) {
				ps.addf("deadlines."+later.name, "must be after deadlines.%s (%s)", earlier.name, earlier.dl)
				break
			}
		}
	}
}

func (r PageRules) validate(ps *problems, path string) {
	if r.Limit < 0 {
		ps.addf(path+".limit", "must not be negative (0 means no limit)")
	}
	for i, sec := range r.Excluded {
		p := fmt.Sprintf("%s.excluded[%d]", path, i)
		if !slices.Contains(Sections, sec) {
			ps.addf(p, "%q is not one of %s", sec, joinQuoted(Sections))
		} else if slices.Index(r.Excluded, sec) < i {
			ps.addf(p, "%q is listed twice", sec)
		}
	}
	sizes := []PageSize{PageLetter, PageA4}
	for i, sz := range r.Sizes {
		p := fmt.Sprintf("%s.sizes[%d]", path, i)
		if !slices.Contains(sizes, sz) {
			ps.addf(p, "%q is not one of %s", sz, joinQuoted(sizes))
		} else if slices.Index(r.Sizes, sz) < i {
			ps.addf(p, "%q is listed twice", sz)
		}
	}
	switch {
	case r.MaxPages < 0:
		ps.addf(path+".max_pages", "must not be negative (0 means no cap)")
	case r.MaxPages > 0 && r.MaxPages < r.Limit:
		ps.addf(path+".max_pages", "must be at least pages.limit (%d)", r.Limit)
	}
	if r.MaxUploadBytes <= 0 {
		ps.addf(path+".max_upload_bytes", "must be positive")
	}
	if r.SupplementaryMax < 0 {
		ps.addf(path+".supplementary_max_bytes", "must not be negative (0 means no supplementary file)")
	}
	if r.CameraReadyLimit < 0 {
		ps.addf(path+".camera_ready_limit", "must not be negative (0 means the same as pages.limit)")
	}
}

func (s *Settings) validateTracks(ps *problems) {
	if len(s.Tracks) == 0 {
		ps.addf("tracks", "at least one track is required")
	}
	validateKeys(ps, "tracks", "key", len(s.Tracks), func(i int) string { return s.Tracks[i].Key })
	for i, t := range s.Tracks {
		p := fmt.Sprintf("tracks[%d]", i)
		if strings.TrimSpace(t.Name) == "" {
			ps.addf(p+".name", "required")
		}
		if t.ReviewsPerPaper < 1 {
			ps.addf(p+".reviews_per_paper", "must be at least 1")
		}
	}
}

func (s *Settings) validateForm(ps *problems) {
	if len(s.ReviewForm) == 0 {
		ps.addf("review_form", "at least one field is required")
	}
	validateKeys(ps, "review_form", "key", len(s.ReviewForm), func(i int) string { return s.ReviewForm[i].Key })
	for i, f := range s.ReviewForm {
		p := fmt.Sprintf("review_form[%d]", i)
		if strings.TrimSpace(f.Label) == "" {
			ps.addf(p+".label", "required")
		}
		if f.Visibility != VisibleToAuthors && f.Visibility != ChairsOnly {
			ps.addf(p+".visibility", "%q is not one of %s", f.Visibility, joinQuoted([]Visibility{VisibleToAuthors, ChairsOnly}))
		}
		if f.MaxChars < 0 {
			ps.addf(p+".max_chars", "must not be negative (0 means no limit)")
		}
		switch f.Kind {
		case KindScore, KindConfidence:
			validatePoints(ps, p, f.Points)
			if f.MaxChars != 0 {
				ps.addf(p+".max_chars", "applies only to text fields")
			}
		case KindText:
			if len(f.Points) > 0 {
				ps.addf(p+".points", "a text field has no points")
			}
		default:
			ps.addf(p+".kind", "%q is not one of %s", f.Kind, joinQuoted([]FieldKind{KindScore, KindConfidence, KindText}))
		}
	}
}

func validatePoints(ps *problems, path string, points []Point) {
	if len(points) < 2 {
		ps.addf(path+".points", "a scale needs at least two labelled points")
	}
	for j, pt := range points {
		pp := fmt.Sprintf("%s.points[%d]", path, j)
		if strings.TrimSpace(pt.Label) == "" {
			ps.addf(pp+".label", "required")
		}
		if j > 0 && pt.Value <= points[j-1].Value {
			ps.addf(pp+".value", "must be greater than the point before (%d): list a scale from low to high", points[j-1].Value)
		}
	}
}

func (s *Settings) validateDecisions(ps *problems) {
	validateKeys(ps, "decisions", "key", len(s.Decisions), func(i int) string { return s.Decisions[i].Key })
	var accepts, rejects int
	for i, d := range s.Decisions {
		p := fmt.Sprintf("decisions[%d]", i)
		if strings.TrimSpace(d.Label) == "" {
			ps.addf(p+".label", "required")
		}
		switch {
		case len(d.Mail) > MaxMailChars:
			ps.addf(p+".mail", "is %d characters; at most %d", len(d.Mail), MaxMailChars)
		case d.Mail != "":
			if _, err := mail.RenderText("decision", d.Mail, mail.SampleDecision); err != nil {
				ps.addf(p+".mail", "%s", mail.TextProblem(err))
			}
		}
		switch d.Presentation {
		case PresentSpotlight, PresentPoster, PresentNone:
		default:
			ps.addf(p+".presentation", "%q is not one of %s", d.Presentation,
				joinQuoted([]Presentation{PresentSpotlight, PresentPoster, PresentNone}))
		}
		if d.Accept {
			accepts++
		} else {
			rejects++
			if d.Presentation != PresentNone && d.Presentation != "" {
				ps.addf(p+".presentation", "a rejected paper is not presented: use none")
			}
		}
	}
	if accepts == 0 {
		ps.addf("decisions", "at least one category must accept")
	}
	if rejects == 0 {
		ps.addf("decisions", "at least one category must reject")
	}
}

// validateKeys checks a list of identifiers: present and unique. With a
// field (the entry's "key" or "id") they are keys used in URLs, API values
// or calendar events, of the key form, and problems name that field; without
// one the entries are free words, compared ignoring case.
func validateKeys(ps *problems, path, field string, n int, key func(int) string) {
	seen := map[string]int{}
	for i := range n {
		k := key(i)
		p := fmt.Sprintf("%s[%d]", path, i)
		if field != "" {
			p += "." + field
		}
		norm := strings.ToLower(strings.TrimSpace(k))
		switch {
		case norm == "":
			ps.addf(p, "required")
			continue
		case field != "" && !keyPattern.MatchString(k):
			ps.addf(p, "%q must be lower-case letters and digits joined by '-' or '_'", k)
		}
		if first, dup := seen[norm]; dup {
			ps.addf(p, "%q is already used by %s[%d]", k, path, first)
		} else {
			seen[norm] = i
		}
	}
}

// ValidateAgainstPool reports tracks that ask for more distinct reviewers
// per paper than the venue has: no assignment could ever complete them.
func (s *Settings) ValidateAgainstPool(reviewers int) []Problem {
	var ps problems
	for i, t := range s.Tracks {
		if t.ReviewsPerPaper > reviewers {
			ps.addf(fmt.Sprintf("tracks[%d].reviews_per_paper", i),
				"%d reviews per paper need %d distinct reviewers; the pool has %d", t.ReviewsPerPaper, t.ReviewsPerPaper, reviewers)
		}
	}
	return ps
}

// ValidateCapacity reports when the reviews the submissions need exceed
// what the pool can give at reviewer_load.max each. papers maps track keys
// to submission counts.
func (s *Settings) ValidateCapacity(papers map[string]int, reviewers int) []Problem {
	ps := problems(s.ValidateAgainstPool(reviewers))
	need := 0
	for _, t := range s.Tracks {
		need += papers[t.Key] * t.ReviewsPerPaper
	}
	if have := reviewers * s.ReviewerLoad.Max; need > have {
		ps.addf("reviewer_load.max", "the submissions need %d reviews but %d reviewers at most %d papers each give %d",
			need, reviewers, s.ReviewerLoad.Max, have)
	}
	return ps
}

func joinQuoted[T ~string](vals []T) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}
