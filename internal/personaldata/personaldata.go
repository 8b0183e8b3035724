// Package personaldata hands a person everything Quire holds about them.
// It reads across domains (accounts, submissions, reviews, bids, the audit
// log), so it lives apart from them and keeps account free of submission
// and review imports. What an export leaves out is decided in queries.sql:
// nothing the policy hides from the person (who reviews their papers, who
// wrote the other reviews, conflicts a chair declared) is exported.
package personaldata

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/personaldata/personaldatadb"
	"github.com/quirehq/quire/internal/problem"
)

// Service builds exports.
type Service struct {
	DB    *pgxpool.Pool
	Blobs blob.Store
	q     personaldatadb.Queries
}

// section is one JSON file of the export and the query that fills it.
type section struct {
	name  string
	query func(context.Context, personaldatadb.DBTX, int64) (json.RawMessage, error)
}

func (s *Service) sections() []section {
	q := &s.q
	return []section{
		{"account.json", q.ExportAccount},
		{"submissions.json", q.ExportSubmissions},
		{"reviews.json", q.ExportReviews},
		{"bids.json", q.ExportBids},
		{"conflicts.json", q.ExportConflicts},
		{"comments.json", q.ExportComments},
		{"publication.json", q.ExportPublicationConsent},
		{"reviewing.json", q.ExportReviewing},
		{"audit.json", func(ctx context.Context, db personaldatadb.DBTX, id int64) (json.RawMessage, error) {
			return q.ExportAudit(ctx, db, &id)
		}},
	}
}

// Archive is a person's export, its documents read and its files listed,
// ready to be written. Reading first lets a failure still be answered as
// an error, before any byte of the ZIP is sent.
type Archive struct {
	svc   *Service
	names []string
	docs  []json.RawMessage
	files []personaldatadb.ExportFilesRow
}

// Export reads the person's documents in one snapshot, so they agree with
// each other.
func (s *Service) Export(ctx context.Context, userID int64) (*Archive, error) {
	tx, err := s.DB.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	a := &Archive{svc: s}
	for _, sec := range s.sections() {
		doc, err := sec.query(ctx, tx, userID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, problem.New(problem.ErrNotFound, "account_not_found", "there is no such account")
		}
		if err != nil {
			return nil, fmt.Errorf("personal data: %s: %w", sec.name, err)
		}
		a.names, a.docs = append(a.names, sec.name), append(a.docs, doc)
	}
	if a.files, err = s.q.ExportFiles(ctx, tx, userID); err != nil {
		return nil, fmt.Errorf("personal data: files: %w", err)
	}
	return a, nil
}

// WriteTo writes the ZIP to w as it goes: the JSON documents, then the
// files of the person's own papers straight from the file store, so no
// export is ever held whole in memory.
func (a *Archive) WriteTo(ctx context.Context, w io.Writer) error {
	s := a.svc
	z := zip.NewWriter(w)
	now := time.Now().UTC()
	for i, name := range a.names {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: now})
		if err != nil {
			return err
		}
		if _, err := f.Write(a.docs[i]); err != nil {
			return err
		}
	}
	for _, f := range a.files {
		base := fmt.Sprintf("files/%s-%d", f.Venue, f.Number)
		if f.PdfSha != nil {
			if err := s.copyBlob(ctx, z, base+".pdf", *f.PdfSha, now); err != nil {
				return err
			}
		}
		if f.SuppSha != nil {
			ext := ".pdf"
			if f.SuppType == "zip" {
				ext = ".zip"
			}
			if err := s.copyBlob(ctx, z, base+"-supplementary"+ext, *f.SuppSha, now); err != nil {
				return err
			}
		}
	}
	return z.Close()
}

func (s *Service) copyBlob(ctx context.Context, z *zip.Writer, name, sha string, at time.Time) error {
	r, _, err := s.Blobs.Open(ctx, sha)
	if err != nil {
		return fmt.Errorf("personal data: %s: %w", name, err)
	}
	defer func() { _ = r.Close() }()
	// PDFs and ZIPs are compressed already.
	f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store, Modified: at})
	if err != nil {
		return err
	}
	_, err = io.Copy(f, r)
	return err
}
