package database_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"github.com/quirehq/quire/internal/database"
	"github.com/quirehq/quire/internal/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestMigrateUpFromEmpty(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := database.Open(ctx, dbtest.EmptyURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st, err := database.GetStatus(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if st.Current != 0 || len(st.Pending) == 0 || !errors.Is(st.Check(), database.ErrSchemaBehind) {
		t.Fatalf("empty database: %+v, check %v", st, st.Check())
	}
	st, err = database.Migrate(ctx, pool, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if st.Current != st.Latest || len(st.Pending) != 0 || st.Check() != nil {
		t.Fatalf("after migrate: %+v", st)
	}
	// Migrating again is a no-op.
	if st2, err := database.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil || st2.Current != st.Current {
		t.Fatalf("second migrate: %+v %v", st2, err)
	}
}

func TestRefusesSchemaNewerThanBinary(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.Pool(t)
	st, err := database.GetStatus(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	// A newer Quire applied a migration this binary has never seen.
	if _, err := pool.Exec(ctx, `INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)`, st.Latest+1); err != nil {
		t.Fatal(err)
	}
	st, err = database.GetStatus(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(st.Check(), database.ErrSchemaTooNew) {
		t.Fatalf("check = %v, want ErrSchemaTooNew", st.Check())
	}
	if _, err := database.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); !errors.Is(err, database.ErrSchemaTooNew) {
		t.Fatalf("migrate = %v, want ErrSchemaTooNew", err)
	}
}
