package openreview

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// nameOfTilde turns a profile id into the name it spells: ~Ada_Lovelace1
// is Ada Lovelace.
func nameOfTilde(id string) string {
	s := strings.TrimRight(strings.TrimPrefix(id, "~"), "0123456789")
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "_", " ")), " ")
}

// affiliationsKey is Quire's own content field: the authors'
// affiliations, in the order of content.authors.
const affiliationsKey = "author_affiliations"

// authorsOf pairs content.authors with content.authorids. An email is
// kept; a tilde id takes the profile map's email, else the author is kept
// by name with no email (Quire's author list allows it; the author cannot
// sign in to the paper until a chair adds one) and reported.
func authorsOf(c Content, profiles Profiles) ([]submission.Author, []string) {
	names, ids, affs := c.Strings("authors"), c.Strings("authorids"), c.Strings(affiliationsKey)
	n := max(len(names), len(ids))
	var out []submission.Author
	var problems []string
	seen := map[string]bool{}
	for i := 0; i < n && len(out) < submission.MaxAuthors; i++ {
		var name, id string
		if i < len(names) {
			name = strings.Join(strings.Fields(names[i]), " ")
		}
		if i < len(ids) {
			id = strings.TrimSpace(ids[i])
		}
		a := submission.Author{Name: name}
		switch {
		case strings.Contains(id, "@"):
			e, err := account.NormalizeEmail(id)
			if err != nil {
				problems = append(problems, fmt.Sprintf("author %q: %q is not an email address; listed without one", name, id))
			} else {
				a.Email = e
			}
		case profiles[id].Email != "":
			a.Email = profiles[id].Email
			if a.Name == "" {
				a.Name = profiles[id].Name
			}
		case id != "":
			problems = append(problems, fmt.Sprintf("author %q (%s) has no email in the notes or the profile map; listed by name only", orName(name, id), id))
		default:
			problems = append(problems, fmt.Sprintf("author %q has no id and no email; listed by name only", name))
		}
		a.Affiliation = profiles[id].Affiliation
		if i < len(affs) && strings.TrimSpace(affs[i]) != "" {
			a.Affiliation = strings.TrimSpace(affs[i])
		}
		if a.Name == "" {
			a.Name = nameOfTilde(id)
		}
		if a.Name == "" {
			a.Name = a.Email
		}
		if a.Name == "" {
			continue
		}
		if a.Email != "" {
			if seen[strings.ToLower(a.Email)] {
				problems = append(problems, fmt.Sprintf("author %q (%s) is listed twice; kept once", a.Name, a.Email))
				continue
			}
			seen[strings.ToLower(a.Email)] = true
		}
		out = append(out, a)
	}
	if n > submission.MaxAuthors {
		problems = append(problems, fmt.Sprintf("%d authors; Quire keeps the first %d", n, submission.MaxAuthors))
	}
	return out, problems
}

func orName(name, id string) string {
	if name != "" {
		return name
	}
	return nameOfTilde(id)
}

// Aliases: the content keys of OpenReview's review forms that answer a
// Quire form field whose own key is not in the note.
var (
	scoreKeys      = []string{"rating", "recommendation", "overall", "overall_recommendation", "score"}
	confidenceKeys = []string{"confidence"}
	textAliases    = map[string][]string{
		"summary":      {"summary", "summary_of_the_paper", "paper_summary"},
		"review":       {"review", "main_review", "comments"},
		"strengths":    {"strengths", "strengths_and_weaknesses"},
		"weaknesses":   {"weaknesses"},
		"confidential": {"confidential_comments_to_chairs", "confidential_comment", "comment_to_chairs"},
	}
	// openreview scales when a note says only the number
	defaultScale = map[venue.FieldKind][2]int{venue.KindScore: {1, 10}, venue.KindConfidence: {1, 5}}
)

// reviewFields maps a review's content onto the venue's form: the same
// key first, then the usual OpenReview names; a score not on the form's
// scale is rescaled to it, and text the form has no field for is added to
// its first text field under its name. Each such step is reported.
func reviewFields(form []venue.FormField, c Content) (map[string]any, []string) {
	out := map[string]any{}
	var problems []string
	used := map[string]bool{}
	pick := func(key string, aliases []string) (string, bool) {
		for _, k := range append([]string{key}, aliases...) {
			if _, ok := c[k]; ok && !used[k] {
				return k, true
			}
		}
		return "", false
	}
	var firstText *venue.FormField
	for i, ff := range form {
		switch ff.Kind {
		case venue.KindScore, venue.KindConfidence:
			aliases := scoreKeys
			if ff.Kind == venue.KindConfidence {
				aliases = confidenceKeys
			}
			k, ok := pick(ff.Key, aliases)
			if !ok {
				continue
			}
			used[k] = true
			v, _, ok := c.Score(k)
			if !ok {
				problems = append(problems, fmt.Sprintf("%s %q is not a number", k, c.String(k)))
				continue
			}
			p, note := onScale(ff, v)
			out[ff.Key] = p
			if note != "" {
				problems = append(problems, k+" "+note)
			}
		default:
			if firstText == nil {
				firstText = &form[i]
			}
			k, ok := pick(ff.Key, textAliases[ff.Key])
			if !ok {
				continue
			}
			used[k] = true
			out[ff.Key] = c.String(k)
		}
	}
	var rest []string
	for k := range c {
		if !used[k] && c.String(k) != "" {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		if firstText == nil {
			problems = append(problems, "field "+k+" dropped: the form has no text field")
			continue
		}
		prev, _ := out[firstText.Key].(string)
		if prev != "" {
			prev += "\n\n"
		}
		out[firstText.Key] = prev + "**" + k + "**: " + c.String(k)
		problems = append(problems, fmt.Sprintf("field %s added to %q", k, firstText.Label))
	}
	for _, ff := range form {
		s, ok := out[ff.Key].(string)
		if ok && ff.MaxChars > 0 && utf8.RuneCountInString(s) > ff.MaxChars {
			out[ff.Key] = string([]rune(s)[:ff.MaxChars])
			problems = append(problems, fmt.Sprintf("%q cut to the form's %d characters", ff.Label, ff.MaxChars))
		}
		if _, ok := out[ff.Key]; !ok && ff.Required {
			problems = append(problems, fmt.Sprintf("no answer for the form's required %q", ff.Label))
		}
	}
	return out, problems
}

// onScale puts v on the field's points: as it is when it is one of them,
// else rescaled from OpenReview's usual scale to the form's range.
func onScale(ff venue.FormField, v int) (int, string) {
	if len(ff.Points) == 0 {
		return v, ""
	}
	lo, hi := ff.Points[0].Value, ff.Points[0].Value
	for _, p := range ff.Points {
		if p.Value == v {
			return v, ""
		}
		lo, hi = min(lo, p.Value), max(hi, p.Value)
	}
	sc := defaultScale[ff.Kind]
	x := float64(lo)
	if sc[1] > sc[0] {
		x = float64(lo) + float64(v-sc[0])*float64(hi-lo)/float64(sc[1]-sc[0])
	}
	best := ff.Points[0].Value
	for _, p := range ff.Points {
		if math.Abs(float64(p.Value)-x) < math.Abs(float64(best)-x) {
			best = p.Value
		}
	}
	return best, fmt.Sprintf("%d is not on the form's scale %d–%d: rescaled from %d–%d to %d", v, lo, hi, sc[0], sc[1], best)
}

// decisionCategory finds the venue's category for an OpenReview decision:
// by key or label, else by its sense (reject; accept as an oral,
// spotlight or talk; accept as a poster; accept).
func decisionCategory(set *venue.Settings, text string) (venue.DecisionCategory, string, bool) {
	t := strings.TrimSpace(text)
	for _, d := range set.Decisions {
		if strings.EqualFold(d.Key, t) || strings.EqualFold(d.Label, t) {
			return d, "", true
		}
	}
	low := strings.ToLower(t)
	find := func(ok func(venue.DecisionCategory) bool) (venue.DecisionCategory, bool) {
		for _, d := range set.Decisions {
			if ok(d) {
				return d, true
			}
		}
		return venue.DecisionCategory{}, false
	}
	var d venue.DecisionCategory
	var ok bool
	switch {
	case strings.Contains(low, "reject"):
		d, ok = find(func(d venue.DecisionCategory) bool { return !d.Accept })
	case strings.Contains(low, "accept"):
		talk := strings.Contains(low, "oral") || strings.Contains(low, "spotlight") || strings.Contains(low, "talk") || strings.Contains(low, "contributed")
		if talk {
			d, ok = find(func(d venue.DecisionCategory) bool { return d.Accept && d.Presentation == venue.PresentSpotlight })
		} else if strings.Contains(low, "poster") {
			d, ok = find(func(d venue.DecisionCategory) bool { return d.Accept && d.Presentation == venue.PresentPoster })
		}
		if !ok {
			d, ok = find(func(d venue.DecisionCategory) bool { return d.Accept })
		}
	}
	if !ok {
		return d, "", false
	}
	return d, fmt.Sprintf("decision %q taken as %q", t, d.Label), true
}
