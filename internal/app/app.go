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
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/config"
	"github.com/quirehq/quire/internal/database"
	"github.com/quirehq/quire/internal/httpapi"
	"github.com/quirehq/quire/web"
)

// App is a running Quire: its pool, its services and its HTTP handler.
type App struct {
	Config *config.Config
	Log    *slog.Logger
	Pool   *pgxpool.Pool
	Echo   *echo.Echo
}

// New connects, migrates when configured, refuses a schema it does not match,
// and builds the HTTP handler.
func New(ctx context.Context, cfg *config.Config, log *slog.Logger) (*App, error) {
	pool, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Log: log, Pool: pool}
	if err := a.prepareSchema(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		pool.Close()
		return nil, fmt.Errorf("QUIRE_DATA_DIR: %w", err)
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
	})
	if err != nil {
		pool.Close()
		return nil, err
	}
	return a, nil
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

// Close releases the database pool.
func (a *App) Close() {
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
