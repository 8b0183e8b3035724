package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/config"
)

const blobUsage = `usage:
  quire blob migrate [--from DIR]   copy a filesystem store into QUIRE_BLOB_URL, verifying every hash
  quire blob check [--hash]         find files that submissions name but the store lacks (--hash: or returns damaged)
  quire blob collect [--grace 24h]  delete files nothing names and abort unfinished uploads older than the grace`

// runBlob implements the operations on the store of uploaded files.
func runBlob(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, blobUsage)
		return 2
	}
	switch args[0] {
	case "migrate":
		return blobMigrate(ctx, args, stdout, stderr)
	case "check", "collect":
		return blobMaintain(ctx, args, stdout, stderr)
	}
	fmt.Fprintln(stderr, blobUsage)
	return 2
}

// blobMaintain checks or collects the configured store against the
// database, as the serving replicas see it.
func blobMaintain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("blob "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	hash := fs.Bool("hash", false, "check: read every file back and check its hash")
	grace := fs.Duration("grace", 24*time.Hour, "collect: keep files and uploads younger than this (an upload in flight is young)")
	if err := fs.Parse(args[1:]); err != nil {
		return exitFor(err, stderr, "blob "+args[0])
	}
	a, err := openApp(ctx, "blob "+args[0], stderr)
	if err != nil {
		return exitFor(err, stderr, "blob "+args[0])
	}
	defer a.Close()
	subs := a.Services.Submissions
	if args[0] == "collect" {
		n, err := subs.CollectGarbage(ctx, *grace)
		if err != nil {
			return exitFor(err, stderr, "blob collect")
		}
		fmt.Fprintf(stdout, "%d unreferenced files deleted\n", n)
		return 0
	}
	res, err := subs.CheckBlobs(ctx, *hash)
	if err != nil {
		return exitFor(err, stderr, "blob check")
	}
	for _, sha := range res.Missing {
		fmt.Fprintf(stdout, "%s missing\n", sha)
	}
	for _, sha := range res.Damaged {
		fmt.Fprintf(stdout, "%s damaged\n", sha)
	}
	fmt.Fprintf(stdout, "%d files named, %d missing, %d damaged\n", res.Named, len(res.Missing), len(res.Damaged))
	if len(res.Missing)+len(res.Damaged) > 0 {
		return 1
	}
	return 0
}

// blobMigrate copies the filesystem store into the object store named by
// QUIRE_BLOB_URL, reading every blob back to check its hash. It needs no
// database, and can run while Quire serves from the filesystem: blobs are
// immutable, and a second run copies what arrived since.
func blobMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("blob migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the filesystem store's folder (default: QUIRE_DATA_DIR/blobs)")
	quiet := fs.Bool("q", false, "print only the summary")
	if err := fs.Parse(args[1:]); err != nil {
		return exitFor(err, stderr, "blob migrate")
	}
	cfg, err := config.Load(config.ModeOffline, "blob migrate", nil, os.Getenv, stderr)
	if err != nil {
		return exitFor(err, stderr, "blob migrate")
	}
	if cfg.BlobURL == "" {
		fmt.Fprintln(stderr, "quire blob migrate: set QUIRE_BLOB_URL to the object store to copy into")
		return 2
	}
	src := *from
	if src == "" {
		src = filepath.Join(cfg.DataDir, "blobs")
	}
	if _, err := os.Stat(filepath.Join(src, "sha256")); err != nil {
		fmt.Fprintf(stderr, "quire blob migrate: %s is not a filesystem store (no sha256 folder): %v\n", src, err)
		return 1
	}
	source, err := blob.NewFS(src)
	if err != nil {
		return exitFor(err, stderr, "blob migrate")
	}
	dest, err := blob.NewS3(ctx, blob.S3Options{URL: cfg.BlobURL, AccessKey: cfg.S3AccessKey, SecretKey: cfg.S3SecretKey,
		TempDir: filepath.Join(cfg.DataDir, "blobs-tmp")})
	if err != nil {
		return exitFor(err, stderr, "blob migrate")
	}
	rep, err := blob.Migrate(ctx, source, dest, func(sha string, copied bool) {
		if !*quiet {
			what := "present, verified"
			if copied {
				what = "copied, verified"
			}
			fmt.Fprintf(stdout, "%s %s\n", sha, what)
		}
	})
	fmt.Fprintf(stdout, "%d copied (%d bytes), %d already present; every one read back with its hash\n", rep.Copied, rep.Bytes, rep.Present)
	if err != nil {
		fmt.Fprintf(stderr, "quire blob migrate: %v\n", err)
		return 1
	}
	return 0
}
