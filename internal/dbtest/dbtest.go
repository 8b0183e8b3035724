// Package dbtest gives every test its own freshly migrated PostgreSQL
// database. Without TEST_DATABASE_URL it starts a throwaway cluster once per
// test binary (fsync off) and removes it afterwards; each test then gets a
// copy of a migrated template database, which takes about 20 ms.
package dbtest

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/database"
	"github.com/quirehq/quire/internal/pgcluster"
)

var (
	once     sync.Once
	setupErr error
	adminURL string // a URL to the maintenance database, "postgres"
	template string
	cluster  *pgcluster.Cluster
	tmpDir   string
	cloneMu  sync.Mutex // CREATE DATABASE ... TEMPLATE needs the template idle
	counter  atomic.Int64
)

// Main runs the tests of a package and tears the shared server down afterwards.
// Call it from TestMain: func TestMain(m *testing.M) { dbtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	teardown()
	os.Exit(code)
}

func setup() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		adminURL = u
	} else {
		dir, err := os.MkdirTemp("", "quire-test-pg-")
		if err != nil {
			setupErr = err
			return
		}
		tmpDir = dir
		// The postgres user (used when tests run as root) must enter it.
		if err := os.Chmod(dir, 0o755); err != nil {
			setupErr = err
			return
		}
		cluster, err = pgcluster.Start(ctx, pgcluster.Options{Dir: dir + "/data", Ephemeral: true})
		if err != nil {
			setupErr = err
			return
		}
		adminURL = cluster.URL("postgres")
	}
	template = fmt.Sprintf("quire_tmpl_%d_%d", os.Getpid(), time.Now().UnixNano()%1e6)
	if setupErr = exec(ctx, adminURL, "CREATE DATABASE "+template); setupErr != nil {
		return
	}
	pool, err := database.Open(ctx, withDB(adminURL, template))
	if err != nil {
		setupErr = err
		return
	}
	defer pool.Close()
	if _, err := database.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		setupErr = fmt.Errorf("migrating the template: %w", err)
	}
}

func teardown() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if cluster != nil {
		_ = cluster.Stop(ctx)
		os.RemoveAll(tmpDir)
		return
	}
	if template != "" && adminURL != "" {
		_ = exec(ctx, adminURL, "DROP DATABASE IF EXISTS "+template+" WITH (FORCE)")
	}
}

// URL creates a fresh migrated database for t and returns its URL. The
// database is dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("test database: %v", setupErr)
	}
	name := fmt.Sprintf("%s_t%d", template, counter.Add(1))
	ctx := context.Background()
	cloneMu.Lock()
	err := exec(ctx, adminURL, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s STRATEGY FILE_COPY", name, template))
	cloneMu.Unlock()
	if err != nil {
		t.Fatalf("creating test database: %v", err)
	}
	t.Cleanup(func() {
		_ = exec(context.Background(), adminURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	return withDB(adminURL, name)
}

// Pool returns a pool on a fresh database, closed when the test ends.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := database.Open(context.Background(), URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// AdminURL returns the maintenance URL of the shared test server, for tests
// that create databases of their own (an empty one, say).
func AdminURL(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("test database: %v", setupErr)
	}
	return adminURL
}

// EmptyURL creates an empty, unmigrated database for t.
func EmptyURL(t testing.TB) string {
	t.Helper()
	admin := AdminURL(t)
	name := fmt.Sprintf("%s_e%d", template, counter.Add(1))
	if err := exec(context.Background(), admin, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = exec(context.Background(), admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return withDB(admin, name)
}

func exec(ctx context.Context, u, sql string) error {
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// withDB swaps the database name in a postgres URL, keeping host and options.
func withDB(raw, db string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + strings.TrimPrefix(db, "/")
	return u.String()
}
