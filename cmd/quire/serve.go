package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/quirehq/quire/internal/app"
	"github.com/quirehq/quire/internal/config"
	"github.com/quirehq/quire/internal/database"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/pgcluster"
)

func runServe(ctx context.Context, args []string, _, stderr io.Writer) int {
	cfg, err := config.Load(config.ModeServe, "serve", args, os.Getenv, stderr)
	if err != nil {
		return exitFor(err, stderr, "serve")
	}
	return serve(ctx, cfg, stderr)
}

func serve(ctx context.Context, cfg *config.Config, stderr io.Writer) int {
	log := app.NewLogger(cfg.LogFormat, cfg.LogLevel)
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return exitFor(err, stderr, "serve")
	}
	defer a.Close()
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return exitFor(fmt.Errorf("QUIRE_LISTEN: %w", err), stderr, "serve")
	}
	if err := a.Serve(ctx, ln); err != nil {
		return exitFor(err, stderr, "serve")
	}
	return 0
}

// runDev is the newcomer's path: with DATABASE_URL unset it runs a private
// PostgreSQL cluster in the data folder, then serves as `serve` would. The
// cluster is stopped after the server has drained, so no postgres process
// outlives Quire.
func runDev(ctx context.Context, args []string, _, stderr io.Writer) int {
	cfg, err := config.Load(config.ModeDev, "dev", args, os.Getenv, stderr)
	if err != nil {
		return exitFor(err, stderr, "dev")
	}
	if cfg.DatabaseURL != "" {
		return serve(ctx, cfg, stderr)
	}
	// The check app.New makes, before a cluster is started for nothing.
	if err := pdfcheck.NewToolbox(cfg.ToolsDir).Probe(ctx); err != nil {
		return exitFor(err, stderr, "dev")
	}
	log := app.NewLogger(cfg.LogFormat, cfg.LogLevel)
	bin, err := pgcluster.FindBinaries(cfg.PostgresBin)
	if err != nil {
		return exitFor(err, stderr, "dev")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return exitFor(fmt.Errorf("QUIRE_DATA_DIR: %w", err), stderr, "dev")
	}
	dir := filepath.Join(cfg.DataDir, "postgres")
	if !pgcluster.Reachable(dir) {
		dir = pgcluster.FallbackDir(cfg.DataDir)
		// Quire made these folders: make sure the postgres user can enter
		// them, whatever created them first.
		for p := filepath.Dir(dir); p != "/var/lib"; p = filepath.Dir(p) {
			if err := os.MkdirAll(p, 0o755); err == nil {
				_ = os.Chmod(p, 0o755)
			}
		}
		log.Warn("the postgres user cannot enter the data folder (running as root under /root?); keeping the cluster elsewhere", "cluster", dir)
	}
	cl, err := pgcluster.Start(ctx, pgcluster.Options{Dir: dir, Bin: bin, Log: log})
	if err != nil {
		return exitFor(err, stderr, "dev")
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := cl.Stop(sctx); err != nil {
			log.Error("stopping the embedded PostgreSQL", "err", err)
		}
	}()
	if err := cl.EnsureDatabase(ctx, "quire"); err != nil {
		return exitFor(err, stderr, "dev")
	}
	cfg.DatabaseURL = cl.URL("quire")
	// Let `quire user create` and friends find this database while we run.
	urlFile := filepath.Join(cfg.DataDir, devURLFile)
	if err := os.WriteFile(urlFile, []byte(cfg.DatabaseURL+"\n"), 0o600); err != nil {
		return exitFor(err, stderr, "dev")
	}
	defer os.Remove(urlFile)
	return serve(ctx, cfg, stderr)
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		fmt.Fprintln(stderr, "usage: quire migrate up|status  (needs DATABASE_URL)")
		return 2
	}
	cfg, err := config.Load(config.ModeServe, "migrate "+args[0], args[1:], os.Getenv, stderr)
	if err != nil {
		return exitFor(err, stderr, "migrate")
	}
	log := app.NewLogger(cfg.LogFormat, cfg.LogLevel)
	pool, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return exitFor(err, stderr, "migrate")
	}
	defer pool.Close()
	var st database.Status
	if args[0] == "up" {
		st, err = database.Migrate(ctx, pool, log)
	} else {
		st, err = database.GetStatus(ctx, pool)
	}
	if err != nil {
		return exitFor(err, stderr, "migrate")
	}
	fmt.Fprintf(stdout, "schema version %d, this binary knows up to %d, %d pending\n", st.Current, st.Latest, len(st.Pending))
	if err := st.Check(); err != nil && args[0] == "status" {
		fmt.Fprintln(stdout, err)
	}
	return 0
}
