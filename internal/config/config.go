// Package config reads Quire's settings once, from flags and environment
// variables, into a typed Config. A bad value stops the program with a message
// naming the setting, so nothing later has to guess what an empty or malformed
// value meant.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Mode says which subcommand is running; defaults differ between them.
type Mode int

const (
	// ModeServe is production: JSON logs, migrations only when asked.
	ModeServe Mode = iota
	// ModeDev is the embedded default behind `make run`.
	ModeDev
	// ModeOffline is a one-shot command that needs no database and serves
	// nothing (`quire blob migrate`): production defaults, nothing required.
	ModeOffline
)

// Config is every setting Quire reads. It is built by Load and never changed.
type Config struct {
	DatabaseURL     string
	Listen          string
	DataDir         string
	BaseURL         *url.URL
	AutoMigrate     bool
	LogFormat       string
	LogLevel        string
	ShutdownTimeout time.Duration
	MaxBodyBytes    int64
	MaxUploadBytes  int64
	JWTKeys         string
	SMTPURL         string
	MailFrom        string
	PostgresBin     string
	ToolsDir        string
	// BlobURL names an S3 bucket for uploaded files; empty means the
	// filesystem store in DataDir.
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; empty means the connection's peer is the client.
	TrustedProxies []*net.IPNet
	// JobInterval is how often a replica looks for due timed work.
	JobInterval time.Duration
	BlobURL     string
	S3AccessKey string
	S3SecretKey string
	FakeNow     time.Time
	Demo        bool
	// RequireTwoFactor is whom sign-in needs a second factor of: "none",
	// "admins" or "chairs" (administrators and every venue's chairs).
	RequireTwoFactor string
}

// setting describes one configuration value: its flag, its variable and how to
// parse it. One table drives parsing, help text and error messages.
type setting struct {
	flag, env, def, help string
	secret               bool // also read from ENV_FILE, never printed
	devOnly              bool
	set                  func(c *Config, v string) error
}

func settings(mode Mode) []setting {
	listen, format, migrate, demo := ":8080", "json", "false", "false"
	if mode == ModeDev {
		listen, format, migrate, demo = "127.0.0.1:8080", "text", "true", "true"
	}
	return []setting{
		{"database-url", "DATABASE_URL", "", "PostgreSQL connection URL; in dev mode, unset means an embedded cluster in the data dir", true, false, func(c *Config, v string) error {
			if v == "" {
				if mode == ModeServe {
					return errors.New("is required for serve (use `quire dev` for an embedded database)")
				}
				return nil
			}
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
				return errors.New("must be a postgres:// or postgresql:// URL")
			}
			c.DatabaseURL = v
			return nil
		}},
		{"listen", "QUIRE_LISTEN", listen, "address the HTTP server listens on (host:port)", false, false, func(c *Config, v string) error {
			host, port, err := net.SplitHostPort(v)
			if err != nil {
				return fmt.Errorf("must be host:port: %w", err)
			}
			if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
				return fmt.Errorf("port %q is not a number between 0 and 65535", port)
			}
			_ = host
			c.Listen = v
			return nil
		}},
		{"data-dir", "QUIRE_DATA_DIR", "./.quire", "folder for uploaded files, keys and (in dev mode) the embedded PostgreSQL cluster", false, false, func(c *Config, v string) error {
			if strings.TrimSpace(v) == "" {
				return errors.New("must not be empty")
			}
			c.DataDir = v
			return nil
		}},
		{"base-url", "QUIRE_BASE_URL", "http://localhost:8080", "public URL of this Quire, used in links sent by mail", false, false, func(c *Config, v string) error {
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return errors.New("must be an absolute http(s) URL such as https://quire.example.org")
			}
			u.Path = strings.TrimSuffix(u.Path, "/")
			c.BaseURL = u
			return nil
		}},
		{"auto-migrate", "QUIRE_AUTO_MIGRATE", migrate, "apply database migrations at start-up", false, false, boolSetter(func(c *Config, b bool) { c.AutoMigrate = b })},
		{"log-format", "QUIRE_LOG_FORMAT", format, "log format: json or text", false, false, func(c *Config, v string) error {
			if v != "json" && v != "text" {
				return errors.New("must be json or text")
			}
			c.LogFormat = v
			return nil
		}},
		{"log-level", "QUIRE_LOG_LEVEL", "info", "log level: debug, info, warn or error", false, false, func(c *Config, v string) error {
			switch v {
			case "debug", "info", "warn", "error":
				c.LogLevel = v
				return nil
			}
			return errors.New("must be debug, info, warn or error")
		}},
		{"shutdown-timeout", "QUIRE_SHUTDOWN_TIMEOUT", "20s", "how long a graceful shutdown waits for in-flight requests", false, false, func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return errors.New("must be a positive duration such as 20s")
			}
			c.ShutdownTimeout = d
			return nil
		}},
		{"max-body", "QUIRE_MAX_BODY", "1MiB", "largest JSON request body", false, false, sizeSetter(func(c *Config, n int64) { c.MaxBodyBytes = n })},
		{"max-upload", "QUIRE_MAX_UPLOAD", "50MiB", "largest upload body the server reads at all (venues set lower limits)", false, false, sizeSetter(func(c *Config, n int64) { c.MaxUploadBytes = n })},
		{"jwt-keys", "QUIRE_JWT_KEYS", "", "token signing keys as kid:base64seed[,kid:base64seed...], first one signs; unset means keys kept in the data dir", true, false, func(c *Config, v string) error {
			c.JWTKeys = v
			return nil
		}},
		{"smtp-url", "QUIRE_SMTP_URL", "", "SMTP server for outgoing mail, smtp://user:pass@host:port (unset: mail is kept in the outbox unsent)", true, false, func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Port() == "" {
				return errors.New("must look like smtp://user:password@host:587 or smtps://host:465")
			}
			c.SMTPURL = v
			return nil
		}},
		{"mail-from", "QUIRE_MAIL_FROM", "Quire <quire@localhost>", "sender address of outgoing mail", false, false, func(c *Config, v string) error {
			if !strings.Contains(v, "@") {
				return errors.New("must contain an email address")
			}
			c.MailFrom = v
			return nil
		}},
		{"postgres-bin", "QUIRE_POSTGRES_BIN", "", "folder with the PostgreSQL server binaries for the embedded cluster (default: searched)", false, true, func(c *Config, v string) error {
			c.PostgresBin = v
			return nil
		}},
		{"tools-dir", "QUIRE_TOOLS_DIR", "", "folder holding pdftohtml, pdftoppm (Debian poppler-utils) and prlimit (util-linux), which the PDF check needs (default: searched on PATH)", false, false, func(c *Config, v string) error {
			c.ToolsDir = v
			return nil
		}},
		{"trusted-proxies", "QUIRE_TRUSTED_PROXIES", "", "reverse proxies or load balancers in front of Quire, as comma-separated CIDRs (10.0.0.0/8,127.0.0.1/32): only their X-Forwarded-For is believed for the client's address, which per-address limits use; unset means every forwarded header is ignored", false, false, func(c *Config, v string) error {
			for _, part := range strings.Split(v, ",") {
				part = strings.TrimSpace(part)
				if part == "" {
					continue
				}
				if !strings.Contains(part, "/") {
					if ip := net.ParseIP(part); ip != nil && ip.To4() != nil {
						part += "/32"
					} else if ip != nil {
						part += "/128"
					}
				}
				_, n, err := net.ParseCIDR(part)
				if err != nil {
					return fmt.Errorf("%q is not an address or CIDR such as 10.0.0.0/8", part)
				}
				c.TrustedProxies = append(c.TrustedProxies, n)
			}
			return nil
		}},
		{"job-interval", "QUIRE_JOB_INTERVAL", "30s", "how often timed work (a scheduled decision release) is looked for; one replica does it under a lease of three intervals, so a killed replica's work moves on within that", false, false, func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 100*time.Millisecond || d > time.Hour {
				return errors.New("must be a duration between 100ms and 1h, such as 30s")
			}
			c.JobInterval = d
			return nil
		}},
		{"blob-url", "QUIRE_BLOB_URL", "", "where uploaded files are kept: unset means the data dir; s3://bucket[/prefix]?endpoint=http://host:port&region=us-east-1 an S3-compatible object store", false, false, func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			u, err := url.Parse(v)
			if err != nil || u.Scheme != "s3" || u.Host == "" {
				return errors.New("must look like s3://bucket?endpoint=http://127.0.0.1:8333&region=us-east-1")
			}
			c.BlobURL = v
			return nil
		}},
		{"s3-access-key", "QUIRE_S3_ACCESS_KEY", "", "access key of the object store (unset: AWS_ACCESS_KEY_ID or the instance's role)", true, false, func(c *Config, v string) error {
			c.S3AccessKey = v
			return nil
		}},
		{"s3-secret-key", "QUIRE_S3_SECRET_KEY", "", "secret key of the object store (unset: AWS_SECRET_ACCESS_KEY or the instance's role)", true, false, func(c *Config, v string) error {
			c.S3SecretKey = v
			return nil
		}},
		{"fake-now", "QUIRE_FAKE_NOW", "", "dev only: start the clock at this RFC 3339 instant (replays a past timeline)", false, true, func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			if mode != ModeDev {
				return errors.New("is honoured only by `quire dev`")
			}
			t, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return errors.New("must be an RFC 3339 instant such as 2023-10-08T20:00:00Z")
			}
			c.FakeNow = t
			return nil
		}},
		{"require-two-factor", "QUIRE_REQUIRE_TWO_FACTOR", "none", "who must sign in with a second factor: none, admins, or chairs (administrators and every venue's chairs); those covered can do nothing but set it up until they have", false, false, func(c *Config, v string) error {
			switch v {
			case "none", "admins", "chairs":
				c.RequireTwoFactor = v
				return nil
			}
			return errors.New("must be none, admins or chairs")
		}},
		{"demo", "QUIRE_DEMO", demo, "load the DLDE III demo venue into an empty database", false, false, boolSetter(func(c *Config, b bool) { c.Demo = b })},
	}
}

func boolSetter(f func(*Config, bool)) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("must be true or false")
		}
		f(c, b)
		return nil
	}
}

func sizeSetter(f func(*Config, int64)) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := ParseSize(v)
		if err != nil {
			return err
		}
		f(c, n)
		return nil
	}
}

// ParseSize reads sizes like 512, 10KiB, 50MiB, 1GiB (and KB/MB/GB as powers of 1000).
func ParseSize(v string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	mult := int64(1)
	num := strings.TrimSpace(v)
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			mult, num = u.mult, strings.TrimSpace(strings.TrimSuffix(num, u.suffix))
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("must be a positive size such as 10MiB")
	}
	return n * mult, nil
}

// Load parses args and the environment. Precedence: flag, then variable, then
// the variable's _FILE for secrets, then the default. A returned error names the
// setting; flag.ErrHelp means help was printed.
func Load(mode Mode, name string, args []string, getenv func(string) string, out io.Writer) (*Config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	table := settings(mode)
	values := make([]*string, len(table))
	for i, s := range table {
		if s.devOnly && mode != ModeDev {
			continue
		}
		values[i] = fs.String(s.flag, "", "")
	}
	fs.Usage = func() { PrintHelp(out, mode, name) }
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	setByFlag := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { setByFlag[f.Name] = true })

	c := &Config{}
	var errs []error
	for i, s := range table {
		if values[i] == nil {
			continue
		}
		v, err := resolve(s, *values[i], setByFlag[s.flag], getenv)
		if err == nil {
			err = s.set(c, v)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s (--%s): %w", s.env, s.flag, err))
		}
	}
	if c.BlobURL != "" && c.JWTKeys == "" && mode != ModeOffline {
		// Keys generated into one replica's data dir would make every
		// session valid on that replica only.
		errs = append(errs, errors.New("QUIRE_JWT_KEYS (--jwt-keys): is required with QUIRE_BLOB_URL, so that replicas sharing the object store accept each other's sessions"))
	}
	return c, errors.Join(errs...)
}

func resolve(s setting, flagValue string, byFlag bool, getenv func(string) string) (string, error) {
	if byFlag {
		return flagValue, nil
	}
	if v := getenv(s.env); v != "" {
		return v, nil
	}
	if s.secret {
		if path := getenv(s.env + "_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return "", fmt.Errorf("reading %s_FILE: %w", s.env, err)
			}
			return strings.TrimSpace(string(b)), nil
		}
	}
	return s.def, nil
}

// PrintHelp lists every setting of a subcommand with its variable and default.
func PrintHelp(w io.Writer, mode Mode, name string) {
	fmt.Fprintf(w, "Usage: quire %s [flags]\n\nEvery flag can also be set by its environment variable; secrets also by VAR_FILE.\n\n", name)
	for _, s := range settings(mode) {
		if s.devOnly && mode != ModeDev {
			continue
		}
		def := s.def
		if def == "" {
			def = "unset"
		}
		file := ""
		if s.secret {
			file = " (or " + s.env + "_FILE)"
		}
		fmt.Fprintf(w, "  --%-17s %s%s\n      %s [default: %s]\n", s.flag, s.env, file, s.help, def)
	}
}
