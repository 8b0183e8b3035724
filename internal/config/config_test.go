package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadErrorsNameTheSetting(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		mode Mode
		args []string
		env  map[string]string
		want []string
	}{
		{"serve needs a database", ModeServe, nil, nil, []string{"DATABASE_URL (--database-url): is required"}},
		{"bad database scheme", ModeDev, nil, map[string]string{"DATABASE_URL": "mysql://x"}, []string{"DATABASE_URL", "postgres://"}},
		{"bad listen", ModeDev, []string{"--listen", "8080"}, nil, []string{"QUIRE_LISTEN (--listen): must be host:port"}},
		{"bad port", ModeDev, nil, map[string]string{"QUIRE_LISTEN": ":99999"}, []string{"QUIRE_LISTEN", "between 0 and 65535"}},
		{"relative base url", ModeDev, nil, map[string]string{"QUIRE_BASE_URL": "/quire"}, []string{"QUIRE_BASE_URL (--base-url)"}},
		{"bad bool", ModeDev, nil, map[string]string{"QUIRE_AUTO_MIGRATE": "yes please"}, []string{"QUIRE_AUTO_MIGRATE", "true or false"}},
		{"bad size", ModeDev, nil, map[string]string{"QUIRE_MAX_BODY": "lots"}, []string{"QUIRE_MAX_BODY", "positive size"}},
		{"bad smtp", ModeDev, nil, map[string]string{"QUIRE_SMTP_URL": "mail.example.org"}, []string{"QUIRE_SMTP_URL"}},
		{"fake now is dev only", ModeServe, []string{"--database-url", "postgres://x/y"}, map[string]string{"QUIRE_FAKE_NOW": "2023-10-08T00:00:00Z"}, nil},
		{"bad fake now", ModeDev, nil, map[string]string{"QUIRE_FAKE_NOW": "yesterday"}, []string{"QUIRE_FAKE_NOW", "RFC 3339"}},
		{"missing secret file", ModeDev, nil, map[string]string{"DATABASE_URL_FILE": "/nonexistent/secret"}, []string{"DATABASE_URL", "reading DATABASE_URL_FILE"}},
		{"bad blob url", ModeDev, nil, map[string]string{"QUIRE_BLOB_URL": "https://bucket.example.org", "QUIRE_JWT_KEYS": "k:x"}, []string{"QUIRE_BLOB_URL (--blob-url): must look like s3://"}},
		{"object store needs shared keys", ModeDev, nil, map[string]string{"QUIRE_BLOB_URL": "s3://quire?endpoint=http://127.0.0.1:8333"}, []string{"QUIRE_JWT_KEYS (--jwt-keys): is required with QUIRE_BLOB_URL"}},
		{"object store with keys", ModeDev, nil, map[string]string{"QUIRE_BLOB_URL": "s3://quire?endpoint=http://127.0.0.1:8333", "QUIRE_JWT_KEYS": "k:x", "QUIRE_S3_SECRET_KEY_FILE": "/nonexistent/key"}, []string{"QUIRE_S3_SECRET_KEY", "reading QUIRE_S3_SECRET_KEY_FILE"}},
		{"bad trusted proxy", ModeDev, nil, map[string]string{"QUIRE_TRUSTED_PROXIES": "10.0.0.0/8, the load balancer"}, []string{"QUIRE_TRUSTED_PROXIES", `"the load balancer" is not an address or CIDR`}},
		{"bad job interval", ModeDev, nil, map[string]string{"QUIRE_JOB_INTERVAL": "1ms"}, []string{"QUIRE_JOB_INTERVAL", "between 100ms and 1h"}},
		{"bad two-factor rule", ModeDev, nil, map[string]string{"QUIRE_REQUIRE_TWO_FACTOR": "everyone"}, []string{"QUIRE_REQUIRE_TWO_FACTOR (--require-two-factor): must be none, admins or chairs"}},
		{"several problems at once", ModeDev, nil, map[string]string{"QUIRE_LOG_FORMAT": "xml", "QUIRE_LOG_LEVEL": "loud"}, []string{"QUIRE_LOG_FORMAT", "QUIRE_LOG_LEVEL"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var out strings.Builder
			_, err := Load(tc.mode, "x", tc.args, env(tc.env), &out)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("want an error, got none")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadPrecedenceAndDefaults(t *testing.T) {
	t.Parallel()
	secret := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(secret, []byte("postgres://from-file/db\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(ModeServe, "serve", []string{"--listen", "127.0.0.1:9000"}, env(map[string]string{
		"QUIRE_LISTEN":      ":7000",
		"DATABASE_URL_FILE": secret,
		"QUIRE_MAX_UPLOAD":  "20MiB",
	}), &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:9000" {
		t.Errorf("flag must beat env: listen = %q", c.Listen)
	}
	if c.DatabaseURL != "postgres://from-file/db" {
		t.Errorf("secret file not read: %q", c.DatabaseURL)
	}
	if c.MaxUploadBytes != 20<<20 || c.MaxBodyBytes != 1<<20 {
		t.Errorf("sizes: upload %d body %d", c.MaxUploadBytes, c.MaxBodyBytes)
	}
	if c.AutoMigrate || c.LogFormat != "json" || c.ShutdownTimeout != 20*time.Second {
		t.Errorf("serve defaults wrong: %+v", c)
	}
	d, err := Load(ModeDev, "dev", nil, env(nil), &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	if !d.AutoMigrate || d.LogFormat != "text" || d.DatabaseURL != "" || !d.Demo || d.DataDir != "./.quire" {
		t.Errorf("dev defaults wrong: %+v", d)
	}
}

func TestHelpListsEverySetting(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	_, err := Load(ModeDev, "dev", []string{"-h"}, env(nil), &out)
	if err == nil {
		t.Fatal("want flag.ErrHelp")
	}
	for _, s := range settings(ModeDev) {
		if !strings.Contains(out.String(), s.env) || !strings.Contains(out.String(), "--"+s.flag) {
			t.Errorf("help lacks %s", s.env)
		}
	}
}

func TestParseSize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{"512": 512, "10KiB": 10240, "50MiB": 50 << 20, "1GB": 1e9, "3 MiB": 3 << 20} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "0", "ten", "5XB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}
