// Package pgcluster runs a private PostgreSQL cluster from the local server
// binaries. It is what lets `make run` and `make test` work on a machine that
// has the PostgreSQL package installed but no server configured.
package pgcluster

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrNoBinaries means no PostgreSQL server binaries were found. Its message
// tells a newcomer what to install.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: " +
	"install the PostgreSQL server package (Debian/Ubuntu: apt-get install postgresql; " +
	"Fedora: dnf install postgresql-server; macOS: brew install postgresql@16), " +
	"or point QUIRE_POSTGRES_BIN at their folder, or set DATABASE_URL to an existing server, " +
	"or run everything with `docker compose up`")

// FindBinaries returns the folder holding initdb, pg_ctl and postgres. It looks at
// hint first, then PATH, then `pg_config --bindir`, then the newest
// /usr/lib/postgresql/*/bin (Debian keeps the server binaries off PATH).
func FindBinaries(hint string) (string, error) {
	if hint != "" {
		if hasServer(hint) {
			return hint, nil
		}
		return "", fmt.Errorf("QUIRE_POSTGRES_BIN=%s has no initdb, pg_ctl and postgres: %w", hint, ErrNoBinaries)
	}
	if p, err := exec.LookPath("initdb"); err == nil && hasServer(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); hasServer(dir) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	dirs = append(dirs, globVersions("/usr/pgsql-*/bin")...)
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if hasServer(d) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func globVersions(pattern string) []string {
	m, _ := filepath.Glob(pattern)
	return m
}

// version extracts the major version from paths like /usr/lib/postgresql/15/bin.
func version(dir string) int {
	for _, part := range strings.Split(dir, string(filepath.Separator)) {
		part = strings.TrimPrefix(part, "pgsql-")
		if n, err := strconv.Atoi(part); err == nil {
			return n
		}
	}
	return 0
}

func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}
