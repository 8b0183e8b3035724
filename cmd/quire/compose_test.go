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
	config := func(env ...string) (string, error) {
		cmd := exec.Command(bin, "-f", "../../docker-compose.yml", "config")
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	// Replicas must share their session key: no key, no start.
	if out, err := config("POSTGRES_PASSWORD=test-secret", "QUIRE_JWT_KEYS="); err == nil || !strings.Contains(out, "set QUIRE_JWT_KEYS=") {
		t.Errorf("compose without QUIRE_JWT_KEYS: %v\n%s", err, out)
	}
	cfg, err := config("POSTGRES_PASSWORD=test-secret", "QUIRE_JWT_KEYS=k1:c2VjcmV0", "QUIRE_S3_SECRET_KEY=s3-secret")
	if err != nil {
		t.Fatalf("docker-compose config: %v\n%s", err, cfg)
	}
	for _, want := range []string{
		"image: postgres:16", "pg_isready", "condition: service_healthy", "axllent/mailpit",
		"QUIRE_SMTP_URL: smtp://mail:1025", "postgres://quire:test-secret@db:5432/quire",
		"/var/lib/postgresql/data", "/var/lib/quire", "/readyz",
		// The object store, its bucket and its key, given to it and to Quire.
		"chrislusf/seaweedfs:", "-bucket=quire", "AWS_SECRET_ACCESS_KEY: s3-secret", "QUIRE_S3_SECRET_KEY: s3-secret",
		"QUIRE_BLOB_URL: s3://quire?endpoint=http://s3:8333", "/healthz",
		// Two replicas with one key, one of them migrating, behind the proxy.
		"quire-a:", "quire-b:", "QUIRE_JWT_KEYS: k1:c2VjcmV0", `QUIRE_AUTO_MIGRATE: "true"`, `QUIRE_AUTO_MIGRATE: "false"`,
		"caddy reverse-proxy --from :8080 --to http://quire-a:8080 --to http://quire-b:8080", "QUIRE_TRUSTED_PROXIES:",
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("resolved compose config lacks %q:\n%s", want, cfg)
		}
	}
	if n := strings.Count(cfg, "QUIRE_JWT_KEYS: k1:c2VjcmV0"); n != 2 {
		t.Errorf("%d services have the shared session key, want both replicas", n)
	}
}
