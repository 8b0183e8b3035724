package publication

import (
	"archive/zip"
	"context"
	"encoding/json"
	"html/template"
	"io"
	"strconv"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
)

// PDF is a published paper's file behind its cover page, for anyone.
func (s *Service) PDF(ctx context.Context, slug string, number int) (io.ReadCloser, int64, error) {
	v, p, err := s.Paper(ctx, slug, number)
	if err != nil {
		return nil, 0, err
	}
	return s.stamped(ctx, v, p)
}

func (s *Service) stamped(ctx context.Context, v Venue, p Paper) (io.ReadCloser, int64, error) {
	if p.sha == "" {
		return nil, 0, problem.New(problem.ErrNotFound, "no_pdf", "paper #"+strconv.Itoa(p.Number)+" has no final version yet")
	}
	src, _, err := s.Blobs.Open(ctx, p.sha)
	if err != nil {
		return nil, 0, err
	}
	defer src.Close()
	return s.Stamper.Stamp(ctx, s.Blobs.TempPath, src, CoverOf(v, p))
}

// bundleMeta is the proceedings bundle's metadata.json.
type bundleMeta struct {
	Venue    string         `json:"venue"`
	Slug     string         `json:"slug"`
	Date     string         `json:"date,omitempty"`
	Archival venue.Archival `json:"archival"`
	Papers   []bundlePaper  `json:"papers"`
}

type bundlePaper struct {
	Paper
	Key  string `json:"key"`
	File string `json:"file,omitempty"`
}

var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Venue}}: proceedings</title></head>
<body><h1>{{.Venue}}</h1>
<p>{{.Archival.Label}}{{with .Date}} · {{.}}{{end}} · {{len .Papers}} papers</p>
<ol>
{{- range .Papers}}
<li><strong>{{.Title}}</strong><br>{{range $i, $a := .Authors}}{{if $i}}, {{end}}{{$a.Name}}{{end}}<br>
<small>{{.Status}} · {{.Licence.Name}}</small>{{with .File}} · <a href="{{.}}">PDF</a>{{end}} · <a href="{{.Page}}">page</a></li>
{{- end}}
</ol></body></html>
`))

// Proceedings is a venue's proceedings bundle, checked and loaded before
// it is written, so that a refusal comes before the first byte.
type Proceedings struct {
	s *Service
	v Venue
}

// Proceedings opens the proceedings of a venue, for its chairs.
func (s *Service) Proceedings(ctx context.Context, slug string, by account.Principal) (*Proceedings, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return nil, err
	}
	if err := s.Venues.Require(ctx, s.DB, rec.ID, by.UserID, venue.RoleChair); err != nil {
		return nil, err
	}
	v, err := s.Published(ctx, slug)
	if err != nil {
		return nil, err
	}
	return &Proceedings{s: s, v: v}, nil
}

// Name is the bundle's file name.
func (pr *Proceedings) Name() string { return pr.v.Slug + "-proceedings.zip" }

// WriteTo writes the bundle: a ZIP of the published accepted papers' PDFs
// (each behind its cover), metadata.json, papers.bib, papers.json
// (CSL-JSON) and an index.html that links them.
func (pr *Proceedings) WriteTo(ctx context.Context, w io.Writer) error {
	s, v := pr.s, pr.v
	papers := v.AcceptedOnly()
	meta := bundleMeta{Venue: v.Name, Slug: v.Slug, Archival: v.Archival, Papers: []bundlePaper{}}
	if !v.Date.IsZero() {
		meta.Date = v.Date.Format("2006-01-02")
	}
	zw := zip.NewWriter(w)
	for _, p := range papers {
		bp := bundlePaper{Paper: p, Key: Key(v.Slug, p.Number)}
		if p.sha != "" {
			bp.File = "papers/" + bp.Key + ".pdf"
			f, _, err := s.stamped(ctx, v, p)
			if err != nil {
				return err
			}
			zf, err := zw.Create(bp.File)
			if err == nil {
				_, err = io.Copy(zf, f)
			}
			f.Close()
			if err != nil {
				return err
			}
		}
		meta.Papers = append(meta.Papers, bp)
	}
	put := func(name string, write func(io.Writer) error) error {
		f, err := zw.Create(name)
		if err != nil {
			return err
		}
		return write(f)
	}
	if err := put("metadata.json", func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(meta)
	}); err != nil {
		return err
	}
	if err := put("papers.bib", func(w io.Writer) error { return WriteBibTeX(w, v, papers) }); err != nil {
		return err
	}
	if err := put("papers.json", func(w io.Writer) error { return json.NewEncoder(w).Encode(CSL(v, papers)) }); err != nil {
		return err
	}
	if err := put("index.html", func(w io.Writer) error { return indexPage.Execute(w, meta) }); err != nil {
		return err
	}
	return zw.Close()
}
