package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/config"
	"github.com/quirehq/quire/internal/groupmail"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/outbox"
)

// newClock is the real clock, or in dev a clock started at QUIRE_FAKE_NOW
// (config refuses that setting outside dev).
func newClock(cfg *config.Config) clock.Clock {
	if cfg.FakeNow.IsZero() {
		return clock.Real()
	}
	return clock.Offset(time.Now, cfg.FakeNow)
}

// signingKeys reads QUIRE_JWT_KEYS, or keeps a generated key in the data
// folder so a single node's sessions survive restarts. Several nodes must
// share QUIRE_JWT_KEYS.
func signingKeys(cfg *config.Config) ([]auth.SigningKey, error) {
	if cfg.JWTKeys != "" {
		keys, err := auth.ParseKeys(cfg.JWTKeys)
		if err != nil {
			return nil, fmt.Errorf("QUIRE_JWT_KEYS: %w", err)
		}
		return keys, nil
	}
	path := filepath.Join(cfg.DataDir, "jwt.keys")
	if b, err := os.ReadFile(path); err == nil {
		keys, err := auth.ParseKeys(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return keys, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	k, err := auth.GenerateKey("k" + strconv.FormatInt(time.Now().Unix(), 36))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(auth.EncodeKeys([]auth.SigningKey{k})+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("keeping the signing key: %w", err)
	}
	return []auth.SigningKey{k}, nil
}

// openBlobs opens the store for uploaded files: an S3 bucket when
// QUIRE_BLOB_URL names one (uploads in progress staged in the data dir),
// otherwise a folder in the data dir.
func openBlobs(ctx context.Context, cfg *config.Config) (blob.Files, error) {
	if cfg.BlobURL == "" {
		fs, err := blob.NewFS(filepath.Join(cfg.DataDir, "blobs"))
		if err != nil {
			return nil, fmt.Errorf("QUIRE_DATA_DIR: %w", err)
		}
		return fs, nil
	}
	s3, err := blob.NewS3(ctx, blob.S3Options{URL: cfg.BlobURL, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey,
		TempDir: filepath.Join(cfg.DataDir, "blobs-tmp")})
	if err != nil {
		return nil, fmt.Errorf("QUIRE_BLOB_URL: %w", err)
	}
	return s3, nil
}

// smtpConfig turns QUIRE_SMTP_URL into the sender's settings: smtp:// uses
// STARTTLS when the server offers it, smtps:// TLS from the first byte;
// ?tls=none forces plain text (a loopback catcher), ?tls=required demands STARTTLS.
func smtpConfig(raw, from string, now func() time.Time) (mail.SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return mail.SMTPConfig{}, err
	}
	port, _ := strconv.Atoi(u.Port())
	c := mail.SMTPConfig{Host: u.Hostname(), Port: port, From: from, Now: now, TLS: mail.TLSOpportunistic}
	if u.Scheme == "smtps" {
		c.TLS = mail.TLSImplicit
	}
	switch u.Query().Get("tls") {
	case "none":
		c.TLS = mail.TLSNone
	case "required":
		c.TLS = mail.TLSStartTLS
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	return c, nil
}

// groupMail is the chairs' mail to groups, over the services it reads.
func (a *App) groupMail() *groupmail.Service {
	return &groupmail.Service{DB: a.Pool, Clock: a.Clock, Venues: a.Services.Venues, Matching: a.Services.Matching,
		Decisions: a.Services.Decisions, Mail: outbox.Mailer{Clock: a.Clock}, Link: a.link}
}
