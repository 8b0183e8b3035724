package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/minio/minio-go/v7"

	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/blob/s3test"
	"github.com/quirehq/quire/internal/dbtest"
	"github.com/quirehq/quire/internal/idempotency"
	"github.com/quirehq/quire/internal/mail/smtptest"
	"github.com/quirehq/quire/internal/venue"
)

// cluster is one database and one bucket shared by `quire serve` replicas,
// each with a data folder and a port of its own, as behind a load balancer.
type cluster struct {
	t      *testing.T
	s3     *s3test.Server
	bucket string
	shared []string // the environment every replica and command gets
	dirs   []string // the replicas' data folders
	ports  []int
	procs  []*os.Process
}

func newCluster(t *testing.T, replicas int, extraEnv ...string) *cluster {
	t.Helper()
	srv := s3test.Start(t)
	key, err := auth.GenerateKey("shared")
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{t: t, s3: srv, bucket: "quire"}
	c.shared = []string{"DATABASE_URL=" + dbtest.URL(t), "QUIRE_BLOB_URL=" + srv.Bucket(t, c.bucket),
		"QUIRE_S3_ACCESS_KEY=" + s3test.AccessKey, "QUIRE_S3_SECRET_KEY=" + s3test.SecretKey,
		"QUIRE_JWT_KEYS=" + auth.EncodeKeys([]auth.SigningKey{key}), "QUIRE_LOG_LEVEL=warn", "QUIRE_NEW_PASSWORD=replica test password"}
	c.shared = append(c.shared, extraEnv...)
	for range replicas {
		c.dirs = append(c.dirs, t.TempDir())
		c.ports = append(c.ports, freePort(t))
	}
	if out, err := quire(t, c.env(0), "user", "create", "--admin", "--email", "admin@example.org", "--name", "Admin Chair").CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	for i := range replicas {
		c.procs = append(c.procs, startServe(t, c.env(i), c.ports[i]))
	}
	return c
}

func (c *cluster) env(i int) []string {
	return append([]string{"QUIRE_DATA_DIR=" + c.dirs[i], fmt.Sprintf("QUIRE_LISTEN=127.0.0.1:%d", c.ports[i])}, c.shared...)
}

// client signs in as the administrator on replica i.
func (c *cluster) client(i int) *client {
	cl := &client{t: c.t, base: fmt.Sprintf("http://127.0.0.1:%d", c.ports[i])}
	cl.token = cl.must("POST", "/api/v1/auth/login", map[string]string{"email": "admin@example.org", "password": "replica test password"}, 200)["access_token"].(string)
	return cl
}

// blobCmd runs `quire blob ARGS` with replica i's settings.
func (c *cluster) blobCmd(i int, args ...string) (string, error) {
	out, err := quire(c.t, c.env(i), append([]string{"blob"}, args...)...).CombinedOutput()
	return string(out), err
}

// object reads a blob's bytes straight from the bucket.
func (c *cluster) object(sha string) ([]byte, error) {
	obj, err := c.s3.Client.GetObject(context.Background(), c.bucket, "sha256/"+sha[:2]+"/"+sha[2:], minio.GetObjectOptions{})
	if err != nil {
		return nil, err
	}
	defer func() { _ = obj.Close() }()
	return io.ReadAll(obj)
}

// localFiles lists what the replicas keep on disk of uploads: nothing, once
// no upload is in flight.
func (c *cluster) localFiles() []string {
	var out []string
	for _, d := range c.dirs {
		_ = filepath.WalkDir(d, func(p string, e fs.DirEntry, err error) error {
			if err == nil && e.Type().IsRegular() && strings.Contains(p, "blobs") {
				out = append(out, p)
			}
			return nil
		})
	}
	return out
}

// openVenue creates the demo venue, moved to a year whose submission phase
// the real clock is in, chaired by the administrator and otherChairs, and n
// submissions by the administrator.
func openVenue(t *testing.T, c *client, n int, otherChairs ...string) []int64 {
	t.Helper()
	yaml := strings.ReplaceAll(string(venue.DemoYAML()), "2023-", "2099-")
	yaml = strings.ReplaceAll(yaml, "2099-09-01", "2020-09-01") // opened long ago
	c.must("POST", "/api/v1/venues", map[string]any{"settings_yaml": yaml, "chairs": append([]string{"admin@example.org"}, otherChairs...)}, 201)
	ids := make([]int64, n)
	for i := range ids {
		m := c.must("POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{
			"title": fmt.Sprintf("Paper %d", i), "abstract": "An abstract.", "track": "new-work", "declaration": true,
			"authors": []map[string]string{{"name": "Admin Chair", "email": "admin@example.org"}},
		}, 201)
		ids[i] = int64(m["id"].(float64))
	}
	return ids
}

func testPDFs(t *testing.T) [][]byte {
	t.Helper()
	var pdfs [][]byte
	for _, n := range []string{"midpage4.pdf", "exact4.pdf", "acks.pdf"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "internal", "pdfcheck", "testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		pdfs = append(pdfs, b)
	}
	return pdfs
}

// TestTwoReplicasShareTheObjectStore uploads through replica A and reads
// through replica B: the same bytes, kept in the bucket and not on either
// replica's disk.
func TestTwoReplicasShareTheObjectStore(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 2)
	a, b := c.client(0), c.client(1)
	id := openVenue(t, a, 1)[0]
	pdf := testPDFs(t)[0]
	st, out, err := a.do("PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), pdf, "application/pdf")
	if err != nil || st != 200 {
		t.Fatalf("upload through A: %d %v %s", st, err, out)
	}
	sub := b.must("GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil, 200)
	orig := sub["pdf"].(map[string]any)["sha256"].(string)
	if orig != digest(pdf) {
		t.Fatalf("B sees %s, A stored %s", orig, digest(pdf))
	}
	// The copy reviewers get, rewritten by A's checker, read through B.
	st, anonB, err := b.do("GET", fmt.Sprintf("/api/v1/submissions/%d/pdf?copy=anonymised", id), nil, "")
	if err != nil || st != 200 || !strings.HasPrefix(string(anonB), "%PDF") {
		t.Fatalf("anonymised copy through B: %d %v %.200s", st, err, anonB)
	}
	_, anonA, _ := a.do("GET", fmt.Sprintf("/api/v1/submissions/%d/pdf?copy=anonymised", id), nil, "")
	if digest(anonA) != digest(anonB) {
		t.Error("A and B serve different anonymised copies")
	}
	for _, want := range [][]byte{pdf, anonB} {
		got, err := c.object(digest(want))
		if err != nil || digest(got) != digest(want) {
			t.Errorf("bucket object %s: %d bytes, %v", digest(want)[:12], len(got), err)
		}
	}
	// A replica draws the page pictures after the acknowledgement, from a
	// local copy it removes when done: wait for that (a bound, not a
	// budget), then nothing of the upload may stay on its disk.
	files := c.localFiles()
	for bound := time.Now().Add(time.Minute); len(files) != 0 && time.Now().Before(bound); files = c.localFiles() {
		time.Sleep(100 * time.Millisecond)
	}
	if len(files) != 0 {
		t.Errorf("uploaded files on the replicas' disks: %v", files)
	}
	if out, err := c.blobCmd(1, "check", "--hash"); err != nil || !strings.Contains(out, "0 missing, 0 damaged") {
		t.Errorf("blob check: %v %s", err, out)
	}
	// /readyz answers for the object store too.
	if st, out, _ := b.do("GET", "/readyz", nil, ""); st != 200 {
		t.Errorf("readyz: %d %s", st, out)
	}
}

// TestReplicaKilledDuringUploadsLosesNothing kills replica A (SIGKILL, its
// PDF workers with it) in a stream of concurrent uploads. Every upload A
// acknowledged is then readable through B with the same bytes, every file a
// row names is in the bucket, and collection leaves only whole objects that
// rows name.
func TestReplicaKilledDuringUploadsLosesNothing(t *testing.T) {
	t.Parallel()
	c := newCluster(t, 2)
	a, b := c.client(0), c.client(1)
	ids := openVenue(t, a, 6)
	pdfs := testPDFs(t)

	ups := startUploads(a, ids, pdfs)
	ups.waitFor(t, 12)
	if err := syscall.Kill(-c.procs[0].Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	acked := ups.stop()

	total := 0
	for _, id := range ids {
		bySeq, _ := b.revisionDigests(id)
		for _, ak := range acked[id] {
			total++
			if bySeq[ak.rev] != ak.sha {
				t.Errorf("submission %d: acknowledged revision %d (%s) lost with replica A; B has %v", id, ak.rev, ak.sha[:8], bySeq)
			}
			if got, err := c.object(ak.sha); err != nil || digest(got) != ak.sha {
				t.Errorf("submission %d revision %d: the bucket's object reads back as %d bytes, %v", id, ak.rev, len(got), err)
			}
		}
		cur := b.must("GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil, 200)
		if cur["pdf"] != nil {
			want := cur["pdf"].(map[string]any)["sha256"].(string)
			if _, body, err := b.do("GET", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), nil, ""); err != nil || digest(body) != want {
				t.Errorf("submission %d: the current file through B is not the one its row names", id)
			}
		}
	}
	if total < 12 {
		t.Fatalf("only %d acknowledged uploads: the test proved little", total)
	}
	retryCut(t, b, ups.cut)
	// No row names a missing or damaged object.
	if out, err := c.blobCmd(1, "check", "--hash"); err != nil || !strings.Contains(out, " 0 missing, 0 damaged") {
		t.Errorf("blob check after the kill: %v %s", err, out)
	}
	// Collection (no grace: nothing is in flight any more) leaves exactly
	// the objects rows name, each whole, and no unfinished upload.
	if out, err := c.blobCmd(1, "collect", "--grace", "0s"); err != nil {
		t.Fatalf("blob collect: %v %s", err, out)
	}
	named := map[string]bool{}
	out, err := c.blobCmd(1, "check")
	if err != nil {
		t.Fatalf("blob check after collection: %v %s", err, out)
	}
	for _, key := range c.s3.Keys(t, c.bucket) {
		if key == blob.ProbeKey { // /readyz's write probe, not a blob
			continue
		}
		sha := strings.Replace(strings.TrimPrefix(key, "sha256/"), "/", "", 1)
		got, err := c.object(sha)
		if err != nil || digest(got) != sha {
			t.Errorf("object %s is not whole: %d bytes, %v", key, len(got), err)
		}
		named[sha] = true
	}
	for up := range c.s3.Client.ListIncompleteUploads(context.Background(), c.bucket, "", true) {
		t.Errorf("unfinished upload left in the bucket: %s %v", up.Key, up.Err)
	}
	var n int
	if _, err := fmt.Sscanf(out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:], "%d files named", &n); err != nil {
		t.Fatalf("blob check's summary: %v\n%s", err, out)
	}
	if len(named) != n {
		t.Errorf("%d objects in the bucket after collection, %d files named by rows:\n%s", len(named), n, out)
	}
	t.Logf("%d acknowledged uploads through A, all present through B after A was killed; %d objects kept", total, len(named))
}

// retryCut retries, through another replica, each upload that was in
// flight when its replica died, with its Idempotency-Key, as a client told
// to retry would: the key's claim is taken over within idempotency.Bound,
// and the upload then makes exactly one revision, or none if the killed
// request had made it (request_completed); never two.
func retryCut(t *testing.T, c *client, cut map[int64]inFlight) {
	t.Helper()
	if len(cut) == 0 {
		t.Log("no upload was in flight at the kill")
	}
	for id, up := range cut {
		_, before := c.revisionDigests(id)
		var st int
		var h http.Header
		var out []byte
		for deadline := time.Now().Add(2*idempotency.Bound + 30*time.Second); ; {
			var err error
			st, h, out, err = c.doWith("PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), up.pdf, "application/pdf", "Idempotency-Key", up.key)
			if err != nil {
				t.Fatalf("retrying %s: %v", up.key, err)
			}
			if st != http.StatusConflict || !strings.Contains(string(out), "request_in_progress") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s is still in progress %v after the kill", up.key, 2*idempotency.Bound+30*time.Second)
			}
			wait, _ := strconv.Atoi(h.Get("Retry-After"))
			time.Sleep(time.Duration(max(wait, 1)) * time.Second)
		}
		_, after := c.revisionDigests(id)
		switch {
		case st == http.StatusOK && h.Get("Idempotent-Replayed") != "true" && after == before+1:
		case st == http.StatusOK && h.Get("Idempotent-Replayed") == "true" && after == before:
		case st == http.StatusConflict && strings.Contains(string(out), "request_completed") && after == before:
		default:
			t.Errorf("retrying %s: %d %s; revisions %d before, %d after", up.key, st, out, before, after)
		}
	}
	t.Logf("%d uploads in flight at the kill retried with their keys, none made twice", len(cut))
}

// TestKilledLeaderStillReleasesOnTime: three replicas, one of which holds
// the release job's lease. It is killed (SIGKILL: no release of the lease)
// before the scheduled instant; another replica takes the lease over once it
// expires and sends the decisions, each author's once, within the bound
// QUIRE_JOB_INTERVAL promises: the lease's three intervals plus one tick.
func TestKilledLeaderStillReleasesOnTime(t *testing.T) {
	t.Parallel()
	const interval = time.Second
	mail := smtptest.New(t)
	c := newCluster(t, 3, fmt.Sprintf("QUIRE_SMTP_URL=smtp://%s:%d?tls=none", mail.Host(), mail.Port()), "QUIRE_JOB_INTERVAL="+interval.String())
	if out, err := quire(t, c.env(0), "user", "create", "--email", "chair@chairs.example", "--name", "Second Chair").CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	a := c.client(0)
	openVenue(t, a, 0, "chair@chairs.example")
	m := a.must("POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{
		"title": "Paper", "abstract": "An abstract.", "track": "new-work", "declaration": true,
		"authors": []map[string]string{{"name": "Admin Chair", "email": "admin@example.org"}, {"name": "Ada Lovelace", "email": "ada@uni.example"}},
	}, 201)
	id := int64(m["id"].(float64))
	if st, out, err := a.do("PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), testPDFs(t)[0], "application/pdf"); err != nil || st != 200 {
		t.Fatalf("upload: %d %v %s", st, err, out)
	}
	// The administrator wrote it: the other chair (of another domain, so not
	// taken for a colleague) decides.
	chair := &client{t: t, base: a.base}
	chair.token = chair.must("POST", "/api/v1/auth/login", map[string]string{"email": "chair@chairs.example", "password": "replica test password"}, 200)["access_token"].(string)
	chair.must("PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", id), map[string]string{"category": "accept-poster"}, 204)

	// Who leads the release job now: its lease row names the process.
	db, err := pgx.Connect(context.Background(), dbURL(c))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close(context.Background()) }()
	var holder string
	if err := db.QueryRow(context.Background(), "SELECT holder FROM leases WHERE name = 'release-decisions'").Scan(&holder); err != nil {
		t.Fatalf("no replica holds the release job: %v", err)
	}
	leader := -1
	for i, p := range c.procs {
		if strings.Contains(holder, fmt.Sprintf("/%d/", p.Pid)) {
			leader = i
		}
	}
	if leader < 0 {
		t.Fatalf("the lease holder %q is none of the replicas", holder)
	}
	releaseAt := time.Now().Add(3 * time.Second).Truncate(time.Second)
	a.must("PUT", "/api/v1/venues/dlde-2023/release", map[string]string{"at": releaseAt.UTC().Format(time.RFC3339)}, 200)
	if err := syscall.Kill(-c.procs[leader].Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, to := range []string{"admin@example.org", "ada@uni.example"} {
		if _, err := mail.WaitFor(ctx, func(m smtptest.Message) bool { return m.SentTo(to) && strings.Contains(m.Subject, "is accepted") }); err != nil {
			t.Fatalf("no decision mail to %s after the leader was killed: %v", to, err)
		}
	}
	var mailedAt time.Time
	if err := db.QueryRow(context.Background(), "SELECT mailed_at FROM releases").Scan(&mailedAt); err != nil {
		t.Fatal(err)
	}
	// The promise is 3 intervals (the dead leader's lease) and one tick; the
	// 10 s beyond it are for a machine too busy to run a tick on time.
	if late := mailedAt.Sub(releaseAt); late > 4*interval+10*time.Second {
		t.Errorf("the decisions went out %v after the release instant, beyond the lease bound", late)
	} else {
		t.Logf("leader killed; the decisions went out %v after the release instant", late.Round(time.Millisecond))
	}
	// Let the survivors tick a few more times, then count.
	time.Sleep(3 * interval)
	for _, to := range []string{"admin@example.org", "ada@uni.example"} {
		n := 0
		for _, m := range mail.Messages() {
			if m.SentTo(to) && strings.Contains(m.Subject, "is accepted") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s got the decision %d times, want once", to, n)
		}
	}
	if err := db.QueryRow(context.Background(), "SELECT holder FROM leases WHERE name = 'release-decisions'").Scan(&holder); err != nil || strings.Contains(holder, fmt.Sprintf("/%d/", c.procs[leader].Pid)) {
		t.Errorf("the release job's lease is still with the killed replica (%q, %v)", holder, err)
	}
}

func dbURL(c *cluster) string {
	for _, e := range c.shared {
		if u, ok := strings.CutPrefix(e, "DATABASE_URL="); ok {
			return u
		}
	}
	return ""
}
