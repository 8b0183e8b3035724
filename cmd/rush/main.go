// Command rush measures the deadline rush: many authors uploading PDFs to
// the real Quire HTTP server on loopback until the submission deadline
// passes, then checks that no acknowledged upload is missing. It starts its
// own PostgreSQL cluster (with fsync on) and runs Quire in-process.
//
//	go run ./cmd/rush -authors 300 -duration 60s -size 1MiB
//
// Closed loop (the default): every author uploads again as soon as the
// previous upload is answered, so latency is bound by Little's law
// (authors / throughput). Open loop (-rate N): uploads arrive at N per
// second in total, spread over the authors, which shows latency at a load
// the machine can carry.
//
// With -replicas N the server runs as N processes on the one database,
// which the client visits in turn (round robin), as a load balancer would;
// with -s3 the files go to a SeaweedFS S3 server (bin/weed, `make weed`)
// instead of the data folder, and every acknowledged upload is also looked
// up in the bucket.
//
// With -bare D it also runs bare `pdftohtml -xml` (the checker's arguments,
// no sandbox, no worker) on the same paper, two at a time, for D before and
// after the rush, and prints accepted uploads/s over those files/s: the
// upload path against the one tool it cannot do without, on the same
// machine in the same minutes.
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/minio/minio-go/v7"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/app"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/blob/s3test"
	"github.com/quirehq/quire/internal/config"
	"github.com/quirehq/quire/internal/demo/pdfgen"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/pgcluster"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "pdfcheck-worker" {
		os.Exit(pdfcheck.RunWorker(os.Stdin, os.Stdout))
	}
	if len(os.Args) > 1 && os.Args[1] == "server-child" {
		if err := serveChild(); err != nil {
			fmt.Fprintln(os.Stderr, "rush server:", err)
			os.Exit(1)
		}
		return
	}
	authors := flag.Int("authors", 300, "authors uploading at once")
	duration := flag.Duration("duration", 60*time.Second, "time until the deadline")
	size := flag.Int("size", 1<<20, "bytes per PDF")
	rate := flag.Float64("rate", 0, "open loop: uploads per second in total (0: closed loop, as fast as they can)")
	replicas := flag.Int("replicas", 1, "server processes sharing the database, visited round robin")
	s3 := flag.Bool("s3", false, "keep the files in a SeaweedFS S3 bucket (bin/weed) instead of the data folder")
	bare := flag.Duration("bare", 0, "also measure bare pdftohtml -xml on the same paper, 2 at a time, for this long before and after the rush, and print the ratio (0: not)")
	paper := flag.String("paper", "", "write the rush's paper (of -size bytes) to this file and exit, e.g. for the checker's benchmark (QUIRE_BENCH_PDF)")
	flag.Parse()
	if *paper != "" {
		pdf, err := paddedPDF(*size)
		if err == nil {
			err = os.WriteFile(*paper, pdf, 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "rush:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(options{*authors, *duration, *size, *rate, *replicas, *s3, *bare}); err != nil {
		fmt.Fprintln(os.Stderr, "rush:", err)
		os.Exit(1)
	}
}

type ack struct {
	sub int64
	rev int
	sha string
}

type options struct {
	authors  int
	duration time.Duration
	size     int
	rate     float64
	replicas int
	s3       bool
	bare     time.Duration
}

func run(o options) error {
	nAuthors, duration, size, rate := o.authors, o.duration, o.size, o.rate
	if o.replicas < 1 {
		return errors.New("-replicas must be at least 1")
	}
	ctx := context.Background()
	cl, err := pgcluster.StartScratch(ctx, "quire-rush-")
	if err != nil {
		return err
	}
	defer cl.Close()
	dir := cl.Dir
	key, err := auth.GenerateKey("rush")
	if err != nil {
		return err
	}
	env := map[string]string{"DATABASE_URL": cl.URL("quire") + fmt.Sprintf("&pool_max_conns=%d", max(10, 40/o.replicas)), "QUIRE_DATA_DIR": filepath.Join(dir, "data"),
		"QUIRE_AUTO_MIGRATE": "true", "QUIRE_LOG_LEVEL": "error", "QUIRE_MAX_UPLOAD": "20MiB", "QUIRE_JWT_KEYS": auth.EncodeKeys([]auth.SigningKey{key})}
	var store *s3test.Server
	if o.s3 {
		bin, err := s3test.Find()
		if err != nil {
			return err
		}
		ports, err := s3test.FreePorts(4)
		if err != nil {
			return err
		}
		if store, err = s3test.Launch(bin, filepath.Join(dir, "s3"), ports); err != nil {
			return err
		}
		defer store.Stop()
		if env["QUIRE_BLOB_URL"], err = store.MakeBucket("rush"); err != nil {
			return err
		}
		env["QUIRE_S3_ACCESS_KEY"], env["QUIRE_S3_SECRET_KEY"] = s3test.AccessKey, s3test.SecretKey
	}
	cfg, err := config.Load(config.ModeServe, "serve", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		return err
	}
	exe, _ := os.Executable()
	cheap := auth.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}
	a, err := app.New(ctx, cfg, slog.New(slog.DiscardHandler), app.Options{Passwords: &cheap, PDFWorker: []string{exe, "pdfcheck-worker"}})
	if err != nil {
		return err
	}
	pdf, err := paddedPDF(size)
	if err != nil {
		return err
	}
	// The yardstick: the one tool the check cannot do without, on the
	// same paper, two at a time, on the same machine, before and after
	// the rush (the machine's load moves).
	var bareRates []float64
	bareRun := func() error {
		if o.bare <= 0 {
			return nil
		}
		r, err := bareRate(filepath.Join(dir, "bare.pdf"), pdf, o.bare)
		if err != nil {
			return err
		}
		fmt.Printf("bare pdftohtml -xml, 2 at a time: %.1f files/s\n", r)
		bareRates = append(bareRates, r)
		return nil
	}
	if err := bareRun(); err != nil {
		return err
	}

	fmt.Printf("setting up %d authors...\n", nAuthors)
	tokens, subs, deadline, err := setup(ctx, a, nAuthors, duration)
	a.Close()
	if err != nil {
		return err
	}
	// The servers run in processes of their own, so their memory is
	// measured apart from this client's.
	var children []*exec.Cmd
	var bases []string
	defer func() {
		for _, c := range children {
			_ = c.Process.Signal(syscall.SIGTERM)
			_ = c.Wait()
		}
	}()
	for i := range o.replicas {
		child := exec.Command(exe, "server-child")
		child.Env = os.Environ()
		for k, v := range env {
			if k == "QUIRE_DATA_DIR" {
				v = filepath.Join(dir, fmt.Sprintf("data-%d", i))
			}
			child.Env = append(child.Env, k+"="+v)
		}
		child.Stderr = os.Stderr
		out, err := child.StdoutPipe()
		if err != nil {
			return err
		}
		if err := child.Start(); err != nil {
			return err
		}
		children = append(children, child)
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			return fmt.Errorf("server child: %w", err)
		}
		bases = append(bases, "http://"+strings.TrimSpace(strings.TrimPrefix(line, "ready ")))
	}
	var turn atomic.Uint64

	var (
		mu        sync.Mutex
		acks      []ack
		latencies []time.Duration
		codes     = map[string]int{}
		inflight  atomic.Int64
	)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: nAuthors, MaxConnsPerHost: nAuthors}, Timeout: 5 * time.Minute}
	// Every upload is the paper with a nonce in the last 200 bytes, inside
	// the padding stream, so every upload is distinct; the client hashes
	// the common part once, so that its own CPU, on the same cores as the
	// server, stays small.
	head, tail0 := pdf[:len(pdf)-200], pdf[len(pdf)-200:]
	h := sha256.New()
	h.Write(head)
	headState, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		return err
	}
	upload := func(i int, nonce uint64) bool {
		tail := bytes.Clone(tail0)
		copy(tail, strconv.FormatUint(nonce, 16))
		h := sha256.New()
		if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(headState); err != nil {
			panic(err)
		}
		h.Write(tail)
		sum := h.Sum(nil)
		base := bases[turn.Add(1)%uint64(len(bases))]
		req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/api/v1/submissions/%d/pdf", base, subs[i]), io.MultiReader(bytes.NewReader(head), bytes.NewReader(tail)))
		req.ContentLength = int64(len(pdf))
		req.Header.Set("Content-Type", "application/pdf")
		req.Header.Set("Authorization", "Bearer "+tokens[i])
		inflight.Add(1)
		start := time.Now()
		res, err := client.Do(req)
		inflight.Add(-1)
		lat := time.Since(start)
		if err != nil {
			mu.Lock()
			codes["transport_error"]++
			mu.Unlock()
			return true
		}
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		mu.Lock()
		defer mu.Unlock()
		if res.StatusCode == 200 {
			var r struct {
				Submission struct{ Revision int } `json:"submission"`
			}
			_ = json.Unmarshal(out, &r)
			acks = append(acks, ack{subs[i], r.Submission.Revision, hex.EncodeToString(sum[:])})
			latencies = append(latencies, lat)
			codes["accepted"]++
			return true
		}
		var p struct{ Code string }
		_ = json.Unmarshal(out, &p)
		codes[p.Code]++
		return p.Code != "deadline_passed"
	}

	where := "files in the data folder"
	if o.s3 {
		where = "files in a SeaweedFS S3 bucket"
	}
	fmt.Printf("rush: %d authors, %s until the deadline, %d-byte PDFs, %s, %d server process(es), %s\n", nAuthors, duration, len(pdf), mode(rate), o.replicas, where)
	start := time.Now()
	var pids []int
	for _, c := range children {
		pids = append(pids, c.Process.Pid)
	}
	cpu0 := takeCPU(pids, dir)
	var cpuAtDeadline cpuSplit
	var acceptedAtDeadline int
	stopCPU := time.AfterFunc(time.Until(deadline), func() {
		c := takeCPU(pids, dir)
		mu.Lock()
		cpuAtDeadline, acceptedAtDeadline = c, codes["accepted"]
		mu.Unlock()
	})
	defer stopCPU.Stop()
	var wg sync.WaitGroup
	var nonce atomic.Uint64
	if rate <= 0 {
		for i := range nAuthors {
			wg.Go(func() {
				for upload(i, nonce.Add(1)) {
					if time.Now().After(deadline.Add(10 * time.Second)) {
						return
					}
				}
			})
		}
	} else {
		interval := time.Duration(float64(time.Second) / rate)
		for k := 0; time.Now().Before(deadline.Add(2 * time.Second)); k++ {
			i := k % nAuthors
			wg.Go(func() { upload(i, nonce.Add(1)) })
			time.Sleep(interval)
		}
	}
	wg.Wait()
	window := deadline.Sub(start)
	if err := bareRun(); err != nil {
		return err
	}

	// Every acknowledged upload must be a revision with the same file.
	db, err := pgx.Connect(ctx, cl.URL("quire"))
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	missing := 0
	for _, k := range acks {
		var got string
		err := db.QueryRow(ctx, `SELECT coalesce(snapshot->>'pdf_sha', '') FROM submission_revisions WHERE submission_id = $1 AND seq = $2`, k.sub, k.rev).Scan(&got)
		if err != nil || got != k.sha {
			missing++
			continue
		}
		if store != nil {
			if _, err := store.Client.StatObject(ctx, "rush", "sha256/"+k.sha[:2]+"/"+k.sha[2:], minio.StatObjectOptions{}); err != nil {
				missing++
			}
		}
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Round(time.Millisecond)
	}
	fmt.Printf("\naccepted uploads: %d in %.1f s = %.1f per second\n", codes["accepted"], window.Seconds(), float64(codes["accepted"])/window.Seconds())
	fmt.Printf("latency of accepted uploads: p50 %s, p90 %s, p99 %s, max %s\n", pct(0.50), pct(0.90), pct(0.99), pct(1))
	fmt.Printf("answers: %v\n", codes)
	mu.Lock()
	defer mu.Unlock()
	if acceptedAtDeadline > 0 {
		fmt.Printf("CPU per accepted upload until the deadline: %s\n", cpuAtDeadline.sub(cpu0).String(acceptedAtDeadline))
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Printf("load average after the rush: %s\n", strings.Join(strings.Fields(string(b))[:3], " "))
	}
	for i, c := range children {
		fmt.Printf("peak RSS of server process %d: %s (the checker's workers run in processes of their own, about 31 MiB each, 2 at a time)\n", i+1, peakRSS(c.Process.Pid))
	}
	if len(bareRates) > 0 {
		mean := 0.0
		for _, r := range bareRates {
			mean += r
		}
		mean /= float64(len(bareRates))
		fmt.Printf("ratio: %.1f accepted/s / %.1f bare pdftohtml files/s (mean of before and after) = %.2f\n",
			float64(codes["accepted"])/window.Seconds(), mean, float64(codes["accepted"])/window.Seconds()/mean)
	}
	fmt.Printf("acknowledged uploads missing afterwards: %d\n", missing)
	if missing > 0 {
		return errors.New("acknowledged uploads are missing")
	}
	return nil
}

// serveChild runs Quire with the environment the parent set, and says on
// stdout where it listens.
func serveChild() error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	// QUIRE_RUSH_CPUPROFILE=FILE profiles the server process (the check
	// workers have BenchmarkAnalyze in internal/pdfcheck).
	if p := os.Getenv("QUIRE_RUSH_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	cfg, err := config.Load(config.ModeServe, "serve", nil, os.Getenv, io.Discard)
	if err != nil {
		return err
	}
	exe, _ := os.Executable()
	a, err := app.New(ctx, cfg, slog.New(slog.DiscardHandler), app.Options{PDFWorker: []string{exe, "pdfcheck-worker"}})
	if err != nil {
		return err
	}
	defer a.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Printf("ready %s\n", ln.Addr())
	return a.Serve(ctx, ln)
}

func mode(rate float64) string {
	if rate <= 0 {
		return "closed loop"
	}
	return fmt.Sprintf("open loop at %.0f uploads/s", rate)
}

// setup creates the venue (deadline = now + duration, no grace), the authors,
// one submission each, and a session per author.
func setup(ctx context.Context, a *app.App, n int, duration time.Duration) ([]string, []int64, time.Time, error) {
	set, err := venue.DemoVenue()
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	now := time.Now().Truncate(time.Second)
	deadline := now.Add(duration + time.Duration(n)*20*time.Millisecond).Truncate(time.Second).Add(time.Second)
	d := &set.Deadlines
	d.SubmissionOpens = venue.Deadline{At: now.Add(-time.Hour)}
	d.Submission = venue.Deadline{At: deadline.Add(-time.Nanosecond).Truncate(time.Second)}
	d.Bidding = venue.Deadline{At: deadline.Add(24 * time.Hour)}
	d.Review = venue.Deadline{At: deadline.Add(48 * time.Hour)}
	d.Decision = venue.Deadline{At: deadline.Add(72 * time.Hour)}
	d.CameraReady = venue.Deadline{At: deadline.Add(96 * time.Hour)}
	yaml, err := venue.Export(set)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	sv := a.Services
	tokens := make([]string, n)
	users := make([]int64, n)
	err = pgx.BeginFunc(ctx, a.Pool, func(tx pgx.Tx) error {
		admin, err := sv.Accounts.Create(ctx, tx, account.NewAccount{Email: "admin@rush.example", Name: "Admin", Password: "rush admin password", Admin: true})
		if err != nil {
			return err
		}
		if _, err := sv.Site.CreateVenueTx(ctx, tx, &admin, yaml, []string{"admin@rush.example"}, ""); err != nil {
			return err
		}
		for i := range n {
			u, err := sv.Accounts.Create(ctx, tx, account.NewAccount{Email: fmt.Sprintf("author%03d@rush.example", i), Name: fmt.Sprintf("Author %d", i), Password: "rush author password"})
			if err != nil {
				return err
			}
			t, err := sv.Accounts.StartSession(ctx, tx, u.ID)
			if err != nil {
				return err
			}
			tokens[i], users[i] = t.Access, u.ID
		}
		return nil
	})
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	subs := make([]int64, n)
	for i := range n {
		s, err := sv.Submissions.Create(ctx, "dlde-2023", account.Principal{UserID: users[i]}, submission.Input{
			Title: fmt.Sprintf("Rush paper %d", i), Abstract: "An abstract.", Track: "new-work", Declaration: true,
			Authors: []submission.Author{{Name: fmt.Sprintf("Author %d", i), Email: fmt.Sprintf("author%03d@rush.example", i)}},
		})
		if err != nil {
			return nil, nil, time.Time{}, err
		}
		subs[i] = s.ID
	}
	return tokens, subs, d.Submission.End(), nil
}

var (
	reSize      = regexp.MustCompile(`/Size (\d+)`)
	reRoot      = regexp.MustCompile(`/Root (\d+ \d+ R)`)
	reStartxref = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)
)

// paddedPDF is a generated 4-page paper grown to size bytes by an
// incremental update that adds an unreferenced stream of random bytes, so it
// is a valid PDF that neither compresses nor deduplicates.
func paddedPDF(size int) ([]byte, error) {
	pdf := pdfgen.Bytes(pdfgen.Paper{Title: "A Paper in the Deadline Rush", Abstract: strings.Repeat("Neural differential equations meet deadlines. ", 8),
		BodyPages: 3.5, ReferencesCount: 12, Footer: "Submitted to DLDE III. Do not distribute."})
	ms, mr, mx := reSize.FindAllSubmatch(pdf, -1), reRoot.FindAllSubmatch(pdf, -1), reStartxref.FindSubmatch(pdf)
	if len(ms) == 0 || len(mr) == 0 || mx == nil {
		return nil, errors.New("the generated PDF has no classic trailer to extend")
	}
	obj, _ := strconv.Atoi(string(ms[len(ms)-1][1]))
	n := size - len(pdf) - 400
	if n < 1000 {
		return pdf, nil
	}
	var b bytes.Buffer
	b.Write(pdf)
	if !bytes.HasSuffix(pdf, []byte("\n")) {
		b.WriteByte('\n')
	}
	off := b.Len()
	fmt.Fprintf(&b, "%d 0 obj\n<< /Length %d >>\nstream\n", obj, n)
	pad := make([]byte, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range pad {
		pad[i] = byte(r.Uint32())
	}
	b.Write(pad)
	b.WriteString("\nendstream\nendobj\n")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %s /Prev %s >>\nstartxref\n%d\n%%%%EOF\n",
		obj, off, obj+1, mr[len(mr)-1][1], mx[1], xref)
	return b.Bytes(), nil
}

// bareRate runs pdftohtml with the checker's arguments (no sandbox, no
// worker, nothing else) on pdf, two at a time, for d, and returns files/s.
func bareRate(path string, pdf []byte, d time.Duration) (float64, error) {
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		return 0, err
	}
	tool, err := exec.LookPath("pdftohtml")
	if err != nil {
		return 0, err
	}
	var n atomic.Int64
	var firstErr error
	var once sync.Once
	start := time.Now()
	end := start.Add(d)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for time.Now().Before(end) {
				cmd := exec.Command(tool, "-xml", "-i", "-stdout", "-q", "-nodrm", "-zoom", "1", "-noroundcoord", path)
				cmd.Stdout = io.Discard
				if err := cmd.Run(); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return 0, fmt.Errorf("bare pdftohtml: %w", firstErr)
	}
	return float64(n.Load()) / time.Since(start).Seconds(), nil
}

func peakRSS(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "?"
}
