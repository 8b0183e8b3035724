// Package app wires Quire together from a Config: the database, the domain
// services and the HTTP server. cmd/quire and the API test helper both build
// the program through it, so tests run exactly what production runs.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/access/accessdb"
	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/config"
	"github.com/quirehq/quire/internal/database"
	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/demo"
	"github.com/quirehq/quire/internal/expertise"
	"github.com/quirehq/quire/internal/httpapi"
	"github.com/quirehq/quire/internal/invitation"
	"github.com/quirehq/quire/internal/lease"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/outbox"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/publication"
	"github.com/quirehq/quire/internal/reminder"
	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/schedule"
	"github.com/quirehq/quire/internal/site"
	"github.com/quirehq/quire/internal/speakerphoto"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
	"github.com/quirehq/quire/internal/webui"
	"github.com/quirehq/quire/web"
)

// App is a running Quire: its pool, its services and its HTTP handler.
type App struct {
	Config   *config.Config
	Log      *slog.Logger
	Pool     *pgxpool.Pool
	Echo     *echo.Echo
	Clock    clock.Clock
	Services httpapi.Services
	// Checker is the sandboxed PDF check every upload goes through.
	Checker *pdfcheck.Checker
	// Outbox delivers mail; nil when no SMTP server is configured outside dev.
	Outbox *outbox.Worker

	releasePoll time.Duration
	leases      *lease.Holder
}

// Options change how New builds the program; tests inject a clock and
// faster polling.
type Options struct {
	Clock      clock.Clock
	Passwords  *auth.Params
	OutboxPoll time.Duration
	// ReleasePoll is how often due decision releases are looked for
	// (default: QUIRE_JOB_INTERVAL).
	ReleasePoll time.Duration
	// PDFWorker is the argv and extra environment of the PDF checker's
	// sandboxed child; empty means this binary's `pdfcheck-worker`.
	PDFWorker    []string
	PDFWorkerEnv []string
}

// New connects, migrates when configured, refuses a schema it does not match,
// and builds the HTTP handler.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger, opts ...Options) (*App, error) {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	// Without its tools the PDF check would take every paper for a scan:
	// refuse to start, before touching the database.
	checker := pdfcheck.NewChecker(pdfcheck.CheckerOptions{WorkerCommand: o.PDFWorker, Env: o.PDFWorkerEnv, ToolsDir: cfg.ToolsDir})
	if err := checker.Tools().Probe(ctx); err != nil {
		return nil, err
	}
	pool, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Log: log, Pool: pool, Clock: o.Clock, Checker: checker, releasePoll: o.ReleasePoll, leases: lease.NewHolder(pool)}
	if a.Clock == nil {
		a.Clock = newClock(cfg)
	}
	if a.releasePoll <= 0 {
		a.releasePoll = cfg.JobInterval
	}
	if err := a.prepareSchema(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		pool.Close()
		return nil, fmt.Errorf("QUIRE_DATA_DIR: %w", err)
	}
	if err := a.buildServices(ctx, o); err != nil {
		pool.Close()
		return nil, err
	}
	if cfg.Demo {
		sv := a.Services
		if _, err := demo.Load(ctx, pool, sv.Accounts, sv.Site, sv.Venues, sv.Submissions, sv.Matching, sv.Reviews, sv.Reminders, log); err != nil {
			pool.Close()
			return nil, fmt.Errorf("loading the demo venue: %w", err)
		}
	}
	webDir := ""
	if cfg.LogFormat == "text" { // dev: serve UI files from disk when run from the repo
		webDir = filepath.Join(".", "web")
	}
	a.Echo, err = httpapi.New(httpapi.Deps{
		Log:            log,
		Pool:           pool,
		Web:            web.FS(webDir),
		HTTPS:          cfg.BaseURL.Scheme == "https",
		MaxBodyBytes:   cfg.MaxBodyBytes,
		MaxUploadBytes: cfg.MaxUploadBytes,
		TrustedProxies: cfg.TrustedProxies,
		Checker:        a.Checker,
		Services:       a.Services,
	})
	if err != nil {
		pool.Close()
		return nil, err
	}
	// The browser UI: pages calling the same services under the same policy.
	if err := webui.Register(a.Echo, webui.Deps{
		Accounts: a.Services.Accounts, Venues: a.Services.Venues, Submissions: a.Services.Submissions,
		Invitations: a.Services.Invitations, Matching: a.Services.Matching, Reviews: a.Services.Reviews, Decisions: a.Services.Decisions, Schedule: a.Services.Schedule, Site: a.Services.Site,
		GroupMail: a.groupMail(), DB: a.Pool, Clock: a.Clock, Web: web.FS(webDir), HTTPS: cfg.BaseURL.Scheme == "https", Log: log,
		Publication: a.Services.Publication, Reminders: a.Services.Reminders, Expertise: a.Services.Expertise,
		SpeakerPhotos: a.Services.SpeakerPhotos,
	}); err != nil {
		pool.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) buildServices(ctx context.Context, o Options) error {
	keys, err := signingKeys(a.Config)
	if err != nil {
		return err
	}
	ring, err := auth.NewKeyRing(a.Config.BaseURL.String(), a.Config.BaseURL.String()+"/api", keys)
	if err != nil {
		return err
	}
	passwords := auth.DefaultParams()
	if o.Passwords != nil {
		passwords = *o.Passwords
	}
	mailer := outbox.Mailer{Clock: a.Clock}
	accounts := &account.Service{DB: a.Pool, Clock: a.Clock, Keys: ring, Passwords: passwords, Limits: account.SharedLimits(a.Pool),
		BaseURL: a.Config.BaseURL, Mail: mailer, Log: a.Log, TwoFactorRule: account.TwoFactorRule(a.Config.RequireTwoFactor)}
	venues := &venue.Store{Clock: a.Clock}
	blobs, err := openBlobs(ctx, a.Config)
	if err != nil {
		return err
	}
	checker := a.Checker
	match := &matching.Service{DB: a.Pool, Clock: a.Clock, Venues: venues, Accounts: accounts, Mail: mailer, Link: a.link, Log: a.Log}
	resolver := &access.Resolver{Venues: venues, Matching: match}
	decisions := &decision.Service{DB: a.Pool, Clock: a.Clock, Venues: venues, Access: resolver, Matching: match, Blobs: blobs, Checker: checker,
		Mail: mailer, Link: a.link, Log: a.Log}
	resolver.Released = func(ctx context.Context, db accessdb.DBTX, venueID int64) (bool, error) {
		return decisions.Released(ctx, db, venueID)
	}
	invitations := &invitation.Service{DB: a.Pool, Clock: a.Clock, Venues: venues, Accounts: accounts, Mail: mailer, Link: a.link, Matching: match}
	submissions := &submission.Service{DB: a.Pool, Clock: a.Clock, Venues: venues, Accounts: accounts, Blobs: blobs, Checker: checker,
		Access: resolver, Mail: mailer, Link: a.link, Log: a.Log}
	decisions.Submissions = submissions
	decisions.Admin = &venue.Admin{DB: a.Pool, Store: venues}
	a.Services = httpapi.Services{
		Clock: a.Clock, DB: a.Pool, Accounts: accounts, Venues: venues, Invitations: invitations,
		VenueAdmin:  decisions.Admin,
		Site:        &site.Service{DB: a.Pool, Clock: a.Clock, Accounts: accounts, Venues: venues, Invitations: invitations},
		Submissions: submissions,
		Matching:    match,
		Reviews:     &review.Service{DB: a.Pool, Clock: a.Clock, Venues: venues, Access: resolver, Accounts: accounts, Mail: mailer, Link: a.link, Log: a.Log},
		Decisions:   decisions,
	}
	a.Services.Expertise = &expertise.Service{DB: a.Pool, Clock: a.Clock}
	a.Services.SpeakerPhotos = &speakerphoto.Service{DB: a.Pool, Clock: a.Clock, Venues: venues, Blobs: blobs}
	a.Services.Reminders = &reminder.Service{DB: a.Pool, Clock: a.Clock, Venues: venues, Matching: match, Mail: mailer, Link: a.link, Log: a.Log}
	a.Services.Schedule = &schedule.Service{DB: a.Pool, Clock: a.Clock, Venues: venues, Admin: a.Services.VenueAdmin, Decisions: decisions}
	a.Services.Publication = &publication.Service{DB: a.Pool, Clock: a.Clock, Venues: venues, Access: resolver, Decisions: decisions, Blobs: blobs,
		Stamper: publication.NewStamper(a.Config.ToolsDir), Link: a.link}
	var sender outbox.Sender
	switch {
	case a.Config.SMTPURL != "":
		sc, err := smtpConfig(a.Config.SMTPURL, a.Config.MailFrom, a.Clock.Now)
		if err != nil {
			return fmt.Errorf("QUIRE_SMTP_URL: %w", err)
		}
		s, err := mail.NewSender(sc)
		if err != nil {
			return fmt.Errorf("QUIRE_SMTP_URL: %w", err)
		}
		sender = s
	case a.Config.LogFormat == "text":
		sender = outbox.LogSender{Log: a.Log}
	default:
		a.Log.Warn("QUIRE_SMTP_URL is not set: mail is kept in the outbox and sent once it is")
		return nil
	}
	a.Outbox = &outbox.Worker{DB: a.Pool, Sender: sender, Clock: a.Clock, Log: a.Log, Poll: o.OutboxPoll, MessageDomain: outbox.DomainOf(a.Config.BaseURL)}
	return nil
}

// link builds an absolute link into the UI for mail.
func (a *App) link(path string, query map[string]string) string {
	u := *a.Config.BaseURL
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	v := url.Values{}
	for k, val := range query {
		v.Set(k, val)
	}
	u.RawQuery = v.Encode()
	return u.String()
}

func (a *App) prepareSchema(ctx context.Context) error {
	if a.Config.AutoMigrate {
		_, err := database.Migrate(ctx, a.Pool, a.Log)
		return err
	}
	st, err := database.GetStatus(ctx, a.Pool)
	if err != nil {
		return err
	}
	return st.Check()
}

// Serve answers requests on ln until ctx is cancelled, then stops accepting,
// drains in-flight requests for up to the shutdown timeout, and returns.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.Echo,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	wctx, stopWorkers := context.WithCancel(context.Background())
	var workers sync.WaitGroup
	if a.Outbox != nil {
		workers.Go(func() { a.Outbox.Run(wctx) })
		workers.Go(func() { a.Outbox.Listen(wctx, a.Pool) })
	}
	// Timed work runs on one replica at a time, under a lease; the mail
	// outbox needs none (its workers lease messages with SKIP LOCKED).
	for _, j := range a.jobs() {
		workers.Go(func() { a.leases.Run(wctx, j, a.Log) })
	}
	// Each replica's staging folder is its own: every replica cleans it,
	// at start-up (what a killed predecessor left) and then periodically.
	workers.Go(func() { a.cleanStaging(wctx) })
	defer func() {
		stopWorkers()
		workers.Wait()
	}()
	a.Log.Info("Quire is serving", "addr", ln.Addr().String(), "url", a.Config.BaseURL.String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down: draining in-flight requests", "timeout", a.Config.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}

// jobs is the timed work of a replica. A scheduled release is noticed
// within one release poll, or within the lease's time to live (three polls)
// when the replica that held it died.
func (a *App) jobs() []lease.Job {
	poll := a.releasePoll
	if poll <= 0 {
		poll = 30 * time.Second
	}
	return []lease.Job{
		{Name: "release-decisions", Every: poll, Run: a.Services.Decisions.SendDueOnce},
		{Name: "send-reminders", Every: poll, Run: a.Services.Reminders.SendDueOnce},
		{Name: "collect-files", Every: time.Hour, Run: a.collectGarbage},
		{Name: "forget-rate-limits", Every: time.Hour, Run: a.forgetRateLimits},
	}
}

// collectGarbage removes stored files no revision names. Files younger
// than a day are kept, so an upload in flight is never touched.
func (a *App) collectGarbage(ctx context.Context) {
	n, err := a.Services.Submissions.CollectGarbage(ctx, 24*time.Hour)
	if err != nil {
		a.Log.Warn("collecting unreferenced files", "err", err)
	} else if n > 0 {
		a.Log.Info("collected unreferenced files", "deleted", n)
	}
}

// stagingAge is how old a staged file must be to be taken for a leftover:
// far longer than an upload is read and checked, so nothing in flight is
// touched even in a folder two processes were wrongly given.
const stagingAge = 15 * time.Minute

// cleanStaging removes this replica's staged files that no request will
// finish, now and every stagingAge, until ctx ends. File ages are the
// file system's, so it reads the real clock.
func (a *App) cleanStaging(ctx context.Context) {
	t := time.NewTicker(stagingAge)
	defer t.Stop()
	for {
		n, err := a.Services.Submissions.Blobs.CleanStaging(time.Now().Add(-stagingAge))
		if err != nil {
			a.Log.Warn("cleaning the staging folder", "err", err)
		} else if n > 0 {
			a.Log.Info("removed staged files a stopped process left", "removed", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// forgetRateLimits drops the shared limits' rows that mean "no attempts".
func (a *App) forgetRateLimits(ctx context.Context) {
	if _, err := account.ForgetFull(ctx, a.Pool, a.Clock.Now()); err != nil {
		a.Log.Warn("forgetting refilled rate limits", "err", err)
	}
}

// Close stops the background work that uses the database and the files
// (page drawings, warm PDF workers), then releases the database pool.
func (a *App) Close() {
	if a.Services.Submissions != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := a.Services.Submissions.Close(ctx); err != nil {
			a.Log.Warn("page thumbnails still drawing at shutdown", "err", err)
		}
		cancel()
	}
	if a.Checker != nil {
		a.Checker.Close()
	}
	a.Pool.Close()
}

// NewLogger builds the program's logger: JSON in production, text in dev.
func NewLogger(format, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: l}
	if format == "text" {
		return slog.New(slog.NewTextHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, opts))
}
