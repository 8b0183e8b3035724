// Package database opens the connection pool and owns the schema's life cycle:
// applying migrations and refusing a schema newer than this binary knows.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/quirehq/quire/migrations"
)

// ErrSchemaTooNew means the database was migrated by a newer Quire. Running an
// older binary against it could corrupt data, so it refuses to start.
var ErrSchemaTooNew = errors.New("database schema is newer than this Quire knows")

// ErrSchemaBehind means migrations are pending and auto-migration is off.
var ErrSchemaBehind = errors.New("database schema has pending migrations")

// Open connects and checks the connection within a short deadline.
func Open(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connecting to the database: %w", err)
	}
	return pool, nil
}

// Status is where the schema stands relative to this binary.
type Status struct {
	Current int64 // version applied in the database
	Latest  int64 // newest version embedded in this binary
	Pending []int64
}

func provider(pool *pgxpool.Pool) (*goose.Provider, *sql.DB, error) {
	db := stdlib.OpenDBFromPool(pool)
	sub, err := fs.Sub(migrations.FS, ".")
	if err != nil {
		return nil, nil, err
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return p, db, nil
}

// GetStatus reads the applied version and the pending migrations.
func GetStatus(ctx context.Context, pool *pgxpool.Pool) (Status, error) {
	p, db, err := provider(pool)
	if err != nil {
		return Status{}, err
	}
	defer db.Close()
	return status(ctx, p)
}

func status(ctx context.Context, p *goose.Provider) (Status, error) {
	var s Status
	srcs := p.ListSources()
	if len(srcs) > 0 {
		s.Latest = srcs[len(srcs)-1].Version
	}
	cur, err := p.GetDBVersion(ctx)
	if err != nil {
		return s, fmt.Errorf("reading schema version: %w", err)
	}
	s.Current = cur
	st, err := p.Status(ctx)
	if err != nil {
		return s, err
	}
	for _, m := range st {
		if m.State == goose.StatePending {
			s.Pending = append(s.Pending, m.Source.Version)
		}
	}
	return s, nil
}

// Check refuses a schema that is newer than this binary, or behind it.
func (s Status) Check() error {
	if s.Current > s.Latest {
		return fmt.Errorf("%w: database is at version %d, this binary knows up to %d; upgrade Quire", ErrSchemaTooNew, s.Current, s.Latest)
	}
	if len(s.Pending) > 0 {
		return fmt.Errorf("%w: %d pending (run `quire migrate up` or set QUIRE_AUTO_MIGRATE=true)", ErrSchemaBehind, len(s.Pending))
	}
	return nil
}

// Migrate applies every pending migration, after refusing a schema that is
// newer than this binary.
func Migrate(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) (Status, error) {
	p, db, err := provider(pool)
	if err != nil {
		return Status{}, err
	}
	defer db.Close()
	before, err := status(ctx, p)
	if err != nil {
		return before, err
	}
	if before.Current > before.Latest {
		return before, before.Check()
	}
	res, err := p.Up(ctx)
	if err != nil {
		return before, fmt.Errorf("applying migrations: %w", err)
	}
	for _, r := range res {
		log.Info("applied migration", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration.Round(time.Millisecond))
	}
	return status(ctx, p)
}
