package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/dbtest"
)

// client talks JSON to a quire server started by a test.
type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) do(method, path string, body any, ct string) (int, []byte, error) {
	st, _, out, err := c.doWith(method, path, body, ct)
	return st, out, err
}

// doWith is do with more request headers (name, value pairs), returning
// the response's headers too.
func (c *client) doWith(method, path string, body any, ct string, headers ...string) (int, http.Header, []byte, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		buf, _ := json.Marshal(b)
		rd, ct = bytes.NewReader(buf), "application/json"
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, out, err
}

// revisionDigests maps each revision of a submission that has a file to
// the file's SHA-256; n counts all its revisions.
func (c *client) revisionDigests(id int64) (bySeq map[int]string, n int) {
	c.t.Helper()
	var revs []struct {
		Seq int
		Pdf *struct{ Sha256 string }
	}
	_, out, _ := c.do("GET", fmt.Sprintf("/api/v1/submissions/%d/revisions", id), nil, "")
	if err := json.Unmarshal(out, &revs); err != nil {
		c.t.Fatalf("revisions of %d: %v %s", id, err, out)
	}
	bySeq = map[int]string{}
	for _, r := range revs {
		if r.Pdf != nil {
			bySeq[r.Seq] = r.Pdf.Sha256
		}
	}
	return bySeq, len(revs)
}

func (c *client) must(method, path string, body any, want int) map[string]any {
	c.t.Helper()
	st, out, err := c.do(method, path, body, "")
	if err != nil || st != want {
		c.t.Fatalf("%s %s: %d %v %s", method, path, st, err, out)
	}
	var m map[string]any
	_ = json.Unmarshal(out, &m)
	return m
}

// startServe starts `quire serve` in its own process group, so its PDF
// workers die with it, and waits until it is ready.
func startServe(t *testing.T, env []string, port int) *os.Process {
	t.Helper()
	cmd := quire(t, env, "serve")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := run(t, cmd)
	t.Cleanup(func() { // before run's, which kills what is left
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(30 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		}
	})
	p.waitReady(t, port)
	return cmd.Process
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestCrashDuringUploadsLosesNothing kills the server (SIGKILL, workers and
// all) while authors upload, restarts it, and checks that every submission
// has a complete current revision and every acknowledged upload is there.
func TestCrashDuringUploadsLosesNothing(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	env := []string{"DATABASE_URL=" + dbtest.URL(t), "QUIRE_DATA_DIR=" + t.TempDir(), fmt.Sprintf("QUIRE_LISTEN=127.0.0.1:%d", port),
		"QUIRE_LOG_LEVEL=warn", "QUIRE_NEW_PASSWORD=crash test password"}
	if out, err := quire(t, env, "user", "create", "--admin", "--email", "admin@example.org", "--name", "Admin Chair").CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	proc := startServe(t, env, port)
	c := &client{t: t, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	c.token = c.must("POST", "/api/v1/auth/login", map[string]string{"email": "admin@example.org", "password": "crash test password"}, 200)["access_token"].(string)
	ids := openVenue(t, c, 6)
	ups := startUploads(c, ids, testPDFs(t))
	ups.waitFor(t, 12)
	if err := syscall.Kill(-proc.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	acked := ups.stop()

	startServe(t, env, port)
	total := 0
	for _, id := range ids {
		cur := c.must("GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil, 200)
		bySeq, nrevs := c.revisionDigests(id)
		for _, a := range acked[id] {
			total++
			if bySeq[a.rev] != a.sha {
				t.Errorf("submission %d: acknowledged revision %d (%s) lost after the crash; have %v", id, a.rev, a.sha[:8], bySeq)
			}
		}
		// The current revision is complete: its file is there, byte for byte.
		if cur["pdf"] != nil {
			want := cur["pdf"].(map[string]any)["sha256"].(string)
			_, body, err := c.do("GET", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), nil, "")
			if err != nil || digest(body) != want {
				t.Errorf("submission %d: current file incomplete after the crash", id)
			}
			if int(cur["revision"].(float64)) != nrevs-1 {
				t.Errorf("submission %d: current revision %v but %d revisions", id, cur["revision"], nrevs)
			}
		}
	}
	if total < 12 {
		t.Fatalf("only %d acknowledged uploads: the test proved little", total)
	}
	t.Logf("%d acknowledged uploads, all present after SIGKILL and restart", total)
}

func TestMain(m *testing.M) {
	if os.Getenv("QUIRE_TEST_AS_MAIN") == "1" {
		os.Args = append([]string{"quire"}, os.Args[1:]...)
		main()
		return
	}
	dbtest.Main(m)
}

// ack is an upload the server acknowledged: the revision it made and the
// file's hash.
type ack struct {
	rev int
	sha string
}

// uploads is a stream of concurrent uploads, one uploader per submission,
// each sending the next PDF as soon as the last is answered, until stopped
// or until its server dies.
type uploads struct {
	mu    sync.Mutex
	acked map[int64][]ack
	// cut are the uploads in flight when the server died: each was sent
	// with an Idempotency-Key, to be retried with it.
	cut  map[int64]inFlight
	wg   sync.WaitGroup
	done chan struct{}
}

// inFlight is an upload that got no answer.
type inFlight struct {
	key string
	pdf []byte
}

func startUploads(c *client, ids []int64, pdfs [][]byte) *uploads {
	u := &uploads{acked: map[int64][]ack{}, cut: map[int64]inFlight{}, done: make(chan struct{})}
	for i, id := range ids {
		u.wg.Go(func() {
			for k := 0; ; k++ {
				select {
				case <-u.done:
					return
				default:
				}
				pdf := pdfs[(i+k)%len(pdfs)]
				key := fmt.Sprintf("upload-%d-%d", id, k)
				st, _, out, err := c.doWith("PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), pdf, "application/pdf", "Idempotency-Key", key)
				if err != nil { // the server died under us
					u.mu.Lock()
					u.cut[id] = inFlight{key, pdf}
					u.mu.Unlock()
					return
				}
				if st == 200 {
					var r struct {
						Submission struct{ Revision int } `json:"submission"`
					}
					_ = json.Unmarshal(out, &r)
					u.mu.Lock()
					u.acked[id] = append(u.acked[id], ack{r.Submission.Revision, digest(pdf)})
					u.mu.Unlock()
				}
			}
		})
	}
	return u
}

// waitFor returns once n uploads are acknowledged.
func (u *uploads) waitFor(t *testing.T, n int) {
	t.Helper()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	bound := time.After(startBound)
	for {
		u.mu.Lock()
		total := 0
		for _, a := range u.acked {
			total += len(a)
		}
		u.mu.Unlock()
		if total >= n {
			return
		}
		select {
		case <-tick.C:
		case <-bound:
			t.Fatalf("only %d uploads acknowledged within %v", total, startBound)
		}
	}
}

// stop ends the stream and returns what was acknowledged.
func (u *uploads) stop() map[int64][]ack {
	close(u.done)
	u.wg.Wait()
	return u.acked
}
