package pgcluster

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

func tempRoot(t *testing.T) string {
	t.Helper()
	// Not t.TempDir: its parent is private, and the postgres user must enter
	// this folder when tests run as root.
	dir, err := os.MkdirTemp("", "quire-pgcluster-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func query(t *testing.T, c *Cluster, sql string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var out string
	if err := conn.QueryRow(ctx, sql).Scan(&out); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

// running lists postgres processes serving dir.
func running(dir string) []string {
	out, _ := exec.Command("pgrep", "-a", "-f", "postgres.*"+dir).Output()
	var procs []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if l != "" && !strings.Contains(l, "pgrep") {
			procs = append(procs, l)
		}
	}
	return procs
}

func TestStartReuseStop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := filepath.Join(tempRoot(t), "data", "postgres")
	c, err := Start(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	query(t, c, "SELECT 'x' FROM (SELECT 1) s WHERE (SELECT count(*) FROM pg_tables) >= 0")
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('survives restarts')"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if p := running(dir); len(p) > 0 {
		t.Fatalf("postgres still running after Stop: %v", p)
	}
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); !os.IsNotExist(err) {
		t.Fatalf("postmaster.pid left behind: %v", err)
	}

	// Second start reuses the data.
	c2, err := Start(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := query(t, c2, "SELECT v FROM kept"); got != "survives restarts" {
		t.Fatalf("data not reused: %q", got)
	}
	// EnsureDatabase creates once and is a no-op afterwards (restarts call it again).
	for range 2 {
		if err := c2.EnsureDatabase(ctx, "quire"); err != nil {
			t.Fatalf("ensure database: %v", err)
		}
	}
	if got := query(t, c2, "SELECT count(*) FROM pg_database WHERE datname = 'quire'"); got != "1" {
		t.Fatalf("quire databases: %s", got)
	}

	// An owner killed without stopping its cluster leaves it running; the next
	// start must take it over instead of failing on the pid file.
	c3, err := Start(ctx, Options{Dir: dir})
	if err != nil {
		t.Fatalf("start over a running cluster: %v", err)
	}
	if got := query(t, c3, "SELECT v FROM kept"); got != "survives restarts" {
		t.Fatalf("data not reused after takeover: %q", got)
	}
	if c3.Port != c2.Port || c3.SocketDir != c2.SocketDir {
		t.Fatalf("takeover must reuse the running server: %d %s vs %d %s", c3.Port, c3.SocketDir, c2.Port, c2.SocketDir)
	}
	if err := c3.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if p := running(dir); len(p) > 0 {
		t.Fatalf("postgres still running: %v", p)
	}
}

func TestStartRefusesForeignFolder(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(tempRoot(t), "notpg")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "thesis.tex"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Start(context.Background(), Options{Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "holds no PostgreSQL cluster") {
		t.Fatalf("err = %v", err)
	}
}

func TestFindBinaries(t *testing.T) {
	t.Parallel()
	if _, err := FindBinaries(t.TempDir()); !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("empty hint folder: %v", err)
	}
	if !strings.Contains(ErrNoBinaries.Error(), "apt-get install postgresql") || !strings.Contains(ErrNoBinaries.Error(), "docker compose up") {
		t.Fatal("the message must name the package and the docker compose route")
	}
	dir, err := FindBinaries("")
	if err != nil {
		t.Fatal(err)
	}
	if !hasServer(dir) {
		t.Fatalf("%s lacks the server binaries", dir)
	}
	if v := version("/usr/lib/postgresql/16/bin"); v != 16 {
		t.Fatalf("version = %d", v)
	}
}

func TestURLUsesPrivateSocket(t *testing.T) {
	t.Parallel()
	c := &Cluster{SocketDir: "/tmp/sock dir", Port: 5555}
	u := c.URL("quire")
	if !strings.HasPrefix(u, "postgres://postgres@/quire?") || !strings.Contains(u, "host=%2Ftmp%2Fsock+dir") || !strings.Contains(u, "port=5555") {
		t.Fatalf("URL = %s", u)
	}
}

func TestScratch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := StartScratch(ctx, "quire-scratch-test-")
	if err != nil {
		t.Fatal(err)
	}
	if got := query(t, s.Cluster, "SELECT count(*) FROM pg_database WHERE datname = 'quire'"); got != "1" {
		t.Fatalf("quire databases: %s", got)
	}
	s.Close()
	if p := running(filepath.Join(s.Dir, "pg")); len(p) > 0 {
		t.Fatalf("postgres still running after Close: %v", p)
	}
	if _, err := os.Stat(s.Dir); !os.IsNotExist(err) {
		t.Fatalf("scratch folder left behind: %v", err)
	}
}
