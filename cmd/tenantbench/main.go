// Command tenantbench measures the pages people open most on a site that
// hosts many venues: 58 workshops (NeurIPS 2023's count) of about 100
// submissions and 60 reviewers each, reviewers shared across venues (each
// serves about six), every paper assigned three reviewers. It starts its own
// PostgreSQL cluster (fsync on), runs Quire in this process on loopback with
// the clock in the venues' reviewing period, and has 64 clients open, as
// fast as they are answered, a reviewer's home (their tasks across all their
// venues), a chair's dashboard and the public list of venues.
//
//	go run ./cmd/tenantbench -venues 58 -papers 100 -reviewers 60 -clients 1,64 -duration 30s
package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/config"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/pgcluster"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

type options struct {
	venues, papers, reviewers, pool int
	clients                         []int
	duration                        time.Duration
	cpuProfile                      string
	cpuRequests                     int
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "pdfcheck-worker" {
		os.Exit(pdfcheck.RunWorker(os.Stdin, os.Stdout))
	}
	var o options
	flag.IntVar(&o.venues, "venues", 58, "venues on the site")
	flag.IntVar(&o.papers, "papers", 100, "submissions per venue")
	flag.IntVar(&o.reviewers, "reviewers", 60, "reviewers per venue")
	flag.IntVar(&o.pool, "pool", 600, "distinct reviewers on the site, shared by the venues")
	clients := flag.String("clients", "64", "concurrent clients; a comma-separated list runs one round per number on the same site (1,64)")
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "how long the clients run")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the load phase here")
	flag.IntVar(&o.cpuRequests, "cpu", 300, "afterwards, open each page this many times one at a time and report the CPU time per page (0: not)")
	flag.Parse()
	for _, f := range strings.Split(*clients, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "tenantbench: -clients %q: want positive numbers separated by commas\n", *clients)
			os.Exit(2)
		}
		o.clients = append(o.clients, n)
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "tenantbench:", err)
		os.Exit(1)
	}
}

var (
	submitting = time.Date(2023, 10, 1, 12, 0, 0, 0, time.UTC)
	reviewing  = time.Date(2023, 10, 14, 12, 0, 0, 0, time.UTC)
)

func run(o options) error {
	if o.reviewers > o.pool {
		return errors.New("-reviewers must not exceed -pool")
	}
	ctx := context.Background()
	cl, err := pgcluster.StartScratch(ctx, "quire-tenantbench-")
	if err != nil {
		return err
	}
	defer cl.Close()
	dir := cl.Dir
	env := map[string]string{"DATABASE_URL": cl.URL("quire") + "&pool_max_conns=40", "QUIRE_DATA_DIR": filepath.Join(dir, "data"),
		"QUIRE_AUTO_MIGRATE": "true", "QUIRE_LOG_LEVEL": "error"}
	cfg, err := config.Load(config.ModeServe, "serve", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		return err
	}
	exe, _ := os.Executable()
	clk := clock.NewFake(submitting)
	cheap := auth.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	a, err := app.New(ctx, cfg, slog.New(slog.DiscardHandler), app.Options{Clock: clk, Passwords: &cheap, PDFWorker: []string{exe, "pdfcheck-worker"}})
	if err != nil {
		return err
	}
	defer a.Close()
	start := time.Now()
	users, err := seed(ctx, a, o)
	if err != nil {
		return err
	}
	fmt.Printf("seeded %d venues x %d papers, %d reviewers each from a pool of %d, in %s\n", o.venues, o.papers, o.reviewers, o.pool, time.Since(start).Round(time.Second))

	clk.Set(reviewing)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = a.Serve(sctx, ln) }()
	base := "http://" + ln.Addr().String()
	tokens := map[int64]string{}
	err = pgx.BeginFunc(ctx, a.Pool, func(tx pgx.Tx) error {
		for _, id := range append(append([]int64{}, users.reviewers...), users.chairs...) {
			t, err := a.Services.Accounts.StartSession(ctx, tx, id)
			if err != nil {
				return err
			}
			tokens[id] = t.Access
		}
		return nil
	})
	if err != nil {
		return err
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	for _, n := range o.clients {
		if err := load(base, n, o.duration, users, tokens); err != nil {
			return err
		}
	}
	if o.cpuRequests > 0 {
		return cpuPerPage(base, o.cpuRequests, users, tokens, cl.Cluster.Dir)
	}
	return nil
}

type people struct {
	reviewers []int64
	chairs    []int64 // chairs[i] chairs venue i
	slugs     []string
}

// seed builds the site through the services (venues, accounts, roles,
// submissions) and, for speed, writes the PDFs' hashes and the assignments
// straight into the tables: the pages measured read them, not the files.
func seed(ctx context.Context, a *app.App, o options) (people, error) {
	sv := a.Services
	var ps people
	rng := rand.New(rand.NewPCG(1, 2))
	mk := func(tx pgx.Tx, email, name string) (int64, error) {
		u, err := sv.Accounts.Create(ctx, tx, account.NewAccount{Email: email, Name: name, Password: "tenant bench password"})
		return u.ID, err
	}
	err := pgx.BeginFunc(ctx, a.Pool, func(tx pgx.Tx) error {
		admin, err := sv.Accounts.Create(ctx, tx, account.NewAccount{Email: "admin@bench.example", Name: "Admin", Password: "tenant bench password", Admin: true})
		if err != nil {
			return err
		}
		for r := range o.pool {
			id, err := mk(tx, fmt.Sprintf("reviewer%03d@r%03d.example", r, r), fmt.Sprintf("Reviewer %d", r))
			if err != nil {
				return err
			}
			ps.reviewers = append(ps.reviewers, id)
		}
		for v := range o.venues {
			slug := fmt.Sprintf("ws%02d-2023", v+1)
			chairEmail := fmt.Sprintf("chair%02d@c%02d.example", v+1, v+1)
			cid, err := mk(tx, chairEmail, fmt.Sprintf("Chair %d", v+1))
			if err != nil {
				return err
			}
			y := strings.Replace(string(venue.DemoYAML()), "slug: dlde-2023", "slug: "+slug, 1)
			y = strings.Replace(y, "name: The Symbiosis of Deep Learning and Differential Equations (DLDE III)", fmt.Sprintf("name: Workshop %d", v+1), 1)
			rec, err := sv.Site.CreateVenueTx(ctx, tx, &admin, []byte(y), []string{chairEmail}, "")
			if err != nil {
				return err
			}
			ps.chairs = append(ps.chairs, cid)
			ps.slugs = append(ps.slugs, slug)
			for _, k := range rng.Perm(o.pool)[:o.reviewers] {
				if err := sv.Venues.Grant(ctx, tx, rec.ID, ps.reviewers[k], venue.RoleReviewer, &cid); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return ps, err
	}
	// Submissions through the service, one author each, while open.
	for v, slug := range ps.slugs {
		for p := range o.papers {
			email := fmt.Sprintf("author%02d-%03d@a%02d%03d.example", v+1, p, v+1, p)
			var uid int64
			if err := pgx.BeginFunc(ctx, a.Pool, func(tx pgx.Tx) error {
				var err error
				uid, err = mk(tx, email, fmt.Sprintf("Author %d-%d", v+1, p))
				return err
			}); err != nil {
				return ps, err
			}
			if _, err := sv.Submissions.Create(ctx, slug, account.Principal{UserID: uid}, submission.Input{
				Title: fmt.Sprintf("Paper %d of workshop %d", p+1, v+1), Abstract: "Neural differential equations at scale.", Track: "new-work", Declaration: true,
				Keywords: []string{"neural differential equations"}, Authors: []submission.Author{{Name: fmt.Sprintf("Author %d-%d", v+1, p), Email: email}},
			}); err != nil {
				return ps, err
			}
		}
	}
	// Every paper "uploaded" and given three of its venue's reviewers.
	sha := hex.EncodeToString(make([]byte, 32))
	_, err = a.Pool.Exec(ctx, `UPDATE submissions SET pdf_sha = $1`, sha)
	if err != nil {
		return ps, err
	}
	_, err = a.Pool.Exec(ctx, `
		INSERT INTO assignments (submission_id, user_id, source, assigned_by, assigned_at)
		SELECT s.id, r.user_id, 'manual', c.user_id, $1
		FROM submissions s
		JOIN venue_roles c ON c.venue_id = s.venue_id AND c.role = 'chair'
		JOIN LATERAL (SELECT user_id FROM venue_roles WHERE venue_id = s.venue_id AND role = 'reviewer'
		              ORDER BY md5(user_id::text || s.id::text) LIMIT 3) r ON true`, submitting)
	return ps, err
}

type sample struct {
	page string
	lat  time.Duration
	code int
}

func load(base string, clients int, duration time.Duration, ps people, tokens map[int64]string) error {
	pages := []string{"reviewer home", "chair dashboard", "public venue list"}
	var mu sync.Mutex
	var samples []sample
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: time.Minute}
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 9))
			for time.Now().Before(deadline) {
				k := rng.IntN(len(pages))
				var path, tok string
				switch k {
				case 0:
					path, tok = "/", tokens[ps.reviewers[rng.IntN(len(ps.reviewers))]]
				case 1:
					v := rng.IntN(len(ps.slugs))
					path, tok = "/venues/"+ps.slugs[v]+"/chair", tokens[ps.chairs[v]]
				case 2:
					path = "/venues"
				}
				req, _ := http.NewRequest("GET", base+path, nil)
				if tok != "" {
					req.AddCookie(&http.Cookie{Name: "quire_access", Value: tok})
				}
				t0 := time.Now()
				res, err := client.Do(req)
				code := 0
				if err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					code = res.StatusCode
				}
				mu.Lock()
				samples = append(samples, sample{pages[k], time.Since(t0), code})
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	fmt.Printf("%d clients for %s: %d requests\n", clients, duration, len(samples))
	fmt.Printf("%-20s %8s %8s %8s %8s %s\n", "page", "count", "p50", "p99", "max", "non-200")
	for _, p := range pages {
		var lat []time.Duration
		bad := 0
		for _, s := range samples {
			if s.page == p {
				lat = append(lat, s.lat)
				if s.code != 200 {
					bad++
				}
			}
		}
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		q := func(f float64) time.Duration {
			if len(lat) == 0 {
				return 0
			}
			return lat[min(len(lat)-1, int(f*float64(len(lat))))].Round(100 * time.Microsecond)
		}
		fmt.Printf("%-20s %8d %8s %8s %8s %d\n", p, len(lat), q(0.5), q(0.99), q(1), bad)
		if bad > 0 {
			return fmt.Errorf("%d answers to %s were not 200", bad, p)
		}
	}
	return nil
}
