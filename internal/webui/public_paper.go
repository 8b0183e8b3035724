package webui

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/publication"
	"github.com/quirehq/quire/internal/schedule"
	"github.com/quirehq/quire/internal/venue"
)

// registerPublic adds the public page of each published paper and the
// authors' consent form on their submission page.
func (u *ui) registerPublic(e *echo.Echo) error {
	if u.Publication == nil {
		return errors.New("the publication service is missing")
	}
	if err := u.addPages([]string{"public_paper"}); err != nil {
		return err
	}
	e.GET("/venues/:slug/papers/:number", u.page(u.publicPaper))
	e.POST("/submissions/:id/publication", u.form(u.setPublication))
	return nil
}

// metaTag is one <meta> of a paper's page: name= for the Highwire Press
// citation_* tags that scholarly indexers read, property= for Open Graph.
type metaTag struct {
	Name, Property, Content string
}

type publicPaperPage struct {
	Slug, VenueName string
	Paper           publication.Paper
	// Slot says where the paper is presented on the day.
	Slot   string
	Meta   []metaTag
	BibTeX string
	// BibURL and CSLURL are this paper's citation files.
	BibURL, CSLURL string
}

// publicPaper is a published paper's page; a paper that is not public is
// not found, whether it exists or not.
func (u *ui) publicPaper(c echo.Context, s *session) error {
	n, err := strconv.Atoi(c.Param("number"))
	if err != nil || n <= 0 {
		return problem.New(problem.ErrNotFound, "not_found", "there is no such paper")
	}
	ctx := c.Request().Context()
	v, p, err := u.Publication.Paper(ctx, c.Param("slug"), n)
	if err != nil {
		return err
	}
	page := publicPaperPage{Slug: v.Slug, VenueName: v.Name, Paper: p, Meta: citationTags(v, p),
		BibURL: "/api/v1/venues/" + v.Slug + "/papers/" + strconv.Itoa(n) + "?format=bibtex",
		CSLURL: "/api/v1/venues/" + v.Slug + "/papers/" + strconv.Itoa(n) + "?format=csl-json"}
	page.Slot = u.slotOfPaper(ctx, v.Slug, p)
	var bib bytes.Buffer
	if err := publication.WriteBibTeX(&bib, v, []publication.Paper{p}); err != nil {
		return err
	}
	page.BibTeX = bib.String()
	return u.render(c, http.StatusOK, "public_paper", view{Title: p.Title + " · " + v.Name, S: s, Page: page})
}

// citationTags are the paper's Highwire Press and Open Graph tags.
func citationTags(v publication.Venue, p publication.Paper) []metaTag {
	tags := []metaTag{{Name: "citation_title", Content: p.Title}}
	for _, a := range p.Authors {
		tags = append(tags, metaTag{Name: "citation_author", Content: a.Name})
		if a.Affiliation != "" {
			tags = append(tags, metaTag{Name: "citation_author_institution", Content: a.Affiliation})
		}
	}
	if !p.Date.IsZero() {
		tags = append(tags, metaTag{Name: "citation_publication_date", Content: p.Date.Format("2006/01/02")})
	}
	if p.Accepted {
		tags = append(tags, metaTag{Name: "citation_conference_title", Content: v.Name})
	}
	if p.PDF != "" {
		tags = append(tags, metaTag{Name: "citation_pdf_url", Content: p.PDF})
	}
	tags = append(tags, metaTag{Name: "citation_abstract_html_url", Content: p.Page})
	if len(p.Keywords) > 0 {
		tags = append(tags, metaTag{Name: "citation_keywords", Content: strings.Join(p.Keywords, "; ")})
	}
	tags = append(tags,
		metaTag{Name: "dc.rights", Content: p.Licence.Name},
		metaTag{Property: "og:type", Content: "article"},
		metaTag{Property: "og:title", Content: p.Title},
		metaTag{Property: "og:url", Content: p.Page},
		metaTag{Property: "og:site_name", Content: v.Name},
		metaTag{Property: "og:description", Content: clip(p.Status+". "+p.Abstract, 300)},
	)
	if !p.Date.IsZero() {
		tags = append(tags, metaTag{Property: "article:published_time", Content: p.Date.Format(time.DateOnly)})
	}
	return tags
}

// clip shortens s to at most n characters, at a space, with an ellipsis.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// slotOfPaper says when and where an accepted paper is presented, from the
// published schedule when there is one.
func (u *ui) slotOfPaper(ctx context.Context, slug string, p publication.Paper) string {
	if !p.Accepted {
		return ""
	}
	day, err := u.Schedule.Get(ctx, slug, nil)
	if err == nil {
		zone, zerr := time.LoadLocation(day.TimeZone)
		if zerr != nil {
			zone = time.UTC
		}
		when := func(it schedule.Item) string {
			abbr, _ := it.Start.In(zone).Zone()
			return it.Start.In(zone).Format("Monday 2 January") + ", " + it.StartLocal + "–" + it.EndLocal + " " + abbr
		}
		var spot, poster string
		for _, it := range day.Items {
			if it.Paper != nil && it.Paper.Number == p.Number {
				spot = "Spotlight talk, " + when(it)
			}
			for _, x := range it.Posters {
				if x.Number == p.Number {
					poster = it.Title + ", " + when(it) + ", board " + strconv.Itoa(x.Board)
				}
			}
		}
		if spot != "" || poster != "" {
			return strings.Trim(strings.Join([]string{spot, poster}, "; "), "; ")
		}
	}
	switch {
	case p.Spotlight > 0:
		return "Spotlight talk " + strconv.Itoa(p.Spotlight) + ", and a poster in session " + strconv.Itoa(p.PosterSession)
	case p.PosterSession > 0:
		return "Poster session " + strconv.Itoa(p.PosterSession) + ", board " + strconv.Itoa(p.Board)
	}
	return ""
}

// publicationView is the consent part of an author's submission page.
type publicationView struct {
	Accepted, Consent bool
	Licence           string
	Licences          []venue.Licence
	Archival          string
	Page              string
}

// publicationOf adds the consent form where the venue publishes papers
// with this paper's decision.
func (u *ui) publicationOf(ctx context.Context, p *submissionPage, s *session) error {
	c, err := u.Publication.ConsentOf(ctx, p.ID, s.P)
	switch {
	case errors.Is(err, problem.ErrForbidden), errors.Is(err, problem.ErrNotFound):
		return nil
	case err != nil:
		return err
	case !c.Offered:
		return nil
	}
	lic := c.Licence
	if lic == "" && len(c.Licences) > 0 {
		lic = c.Licences[0].Key
	}
	p.Publication = &publicationView{Accepted: c.Accepted, Consent: c.Consent, Licence: lic, Licences: c.Licences,
		Archival: c.Archival.Label()}
	if c.Page != "" { // on this site, whatever address mail and citations use
		p.Publication.Page = publication.PagePath(p.VenueSlug, p.Number)
	}
	return nil
}

// setPublication records the consent form: consent with a licence, or its
// withdrawal.
func (u *ui) setPublication(c echo.Context, s *session) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	consent := c.FormValue("consent") == "yes"
	if _, err := u.Publication.SetConsent(c.Request().Context(), id, s.P, consent, c.FormValue("licence"), c.RealIP()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/submissions/"+strconv.FormatInt(id, 10)+"?published="+strconv.FormatBool(consent)+"#publication-h")
}
