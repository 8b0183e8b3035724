package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestComposeFileIsValid checks docker-compose.yml with Debian's
// docker-compose (no engine needed). CI installs it; on a laptop without it
// the test is skipped rather than silently passing.
func TestComposeFileIsValid(t *testing.T) {
	t.Parallel()
	bin, err := exec.LookPath("docker-compose")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("docker-compose is not installed; .ci/run must install it")
		}
		t.Skip("docker-compose not installed (apt-get install docker-compose)")
	}
	cmd := exec.Command(bin, "-f", "../../docker-compose.yml", "config")
	cmd.Env = append(os.Environ(), "POSTGRES_PASSWORD=test-secret")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("docker-compose config: %v\n%s", err, out)
	}
	cfg := string(out)
	for _, want := range []string{
		"image: postgres:16", "pg_isready", "condition: service_healthy", "axllent/mailpit",
		`QUIRE_AUTO_MIGRATE: "true"`, "QUIRE_SMTP_URL: smtp://mail:1025", "postgres://quire:test-secret@db:5432/quire",
		"/var/lib/postgresql/data", "/var/lib/quire", "/readyz",
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("resolved compose config lacks %q:\n%s", want, cfg)
		}
	}
}
