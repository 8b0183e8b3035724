package webui

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"

	"github.com/quirehq/quire/docs"
)

// docsMarkdown renders the project's own guides: tables and the rest of
// GitHub's Markdown, still without raw HTML and with the same link rules
// as a venue's call for papers.
var docsMarkdown = goldmark.New(goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithASTTransformers(util.Prioritized(safeLinks{}, 100))))

type docPage struct {
	Body template.HTML
}

// registerDocs serves the guide to the venue file, which the administrators'
// console and the chairs' settings page link to; it is public, as the
// repository that holds it is.
func (u *ui) registerDocs(e *echo.Echo) error {
	var buf bytes.Buffer
	if err := docsMarkdown.Convert([]byte(docs.VenueFile), &buf); err != nil {
		return err
	}
	if err := u.addPages([]string{"doc"}); err != nil {
		return err
	}
	p := docPage{Body: template.HTML(buf.String())} //nolint:gosec // our own file, rendered without raw HTML
	e.GET("/docs/venue-file", u.page(func(c echo.Context, s *session) error {
		return u.render(c, http.StatusOK, "doc", view{Title: "The venue file", S: s, Page: p})
	}))
	return nil
}
