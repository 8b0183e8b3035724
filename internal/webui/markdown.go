package webui

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders chairs' Markdown (a venue's call for papers) for a
// public page: CommonMark without raw HTML (goldmark leaves it out unless
// told otherwise), links only to http, https and mailto addresses (any
// other link keeps its text and loses its target), and images as their
// alt text, so that a page never loads from a host the chairs named.
var markdown = goldmark.New(goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(safeLinks{}, 100))))

// renderMarkdown is the template function; bad input renders as its text.
func renderMarkdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src)) //nolint:gosec // escaped just now
	}
	return template.HTML(buf.String()) //nolint:gosec // goldmark without raw HTML, links filtered by safeLinks
}

// safeLinks unwraps links whose scheme is not allowed and turns images
// into their alt text.
type safeLinks struct{}

func allowedLink(dest string) bool {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

func (safeLinks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var unwrap []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch l := n.(type) {
		case *ast.Link:
			if !allowedLink(string(l.Destination)) {
				unwrap = append(unwrap, n)
			}
		case *ast.AutoLink:
			dest := string(l.URL(src))
			if l.AutoLinkType == ast.AutoLinkEmail {
				dest = "mailto:" + dest
			}
			if !allowedLink(dest) {
				unwrap = append(unwrap, n)
			}
		case *ast.Image:
			unwrap = append(unwrap, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unwrap {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if al, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(al.Label(src)))
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}
