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
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/dbtest"
	"github.com/quirehq/quire/internal/venue"
)

// client talks JSON to a quire server started by a test.
type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) do(method, path string, body any, ct string) (int, []byte, error) {
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
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return res.StatusCode, out, err
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
	// The demo venue, moved to a future year so the real clock is inside the submission phase.
	yaml := strings.ReplaceAll(string(venue.DemoYAML()), "2023-", "2099-")
	yaml = strings.ReplaceAll(yaml, "2099-09-01", "2020-09-01") // opened long ago
	c.must("POST", "/api/v1/venues", map[string]any{"settings_yaml": yaml, "chairs": []string{"admin@example.org"}}, 201)

	pdfs := [][]byte{}
	for _, n := range []string{"midpage4.pdf", "exact4.pdf", "acks.pdf"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "internal", "pdfcheck", "testdata", n))
		if err != nil {
			t.Fatal(err)
		}
		pdfs = append(pdfs, b)
	}
	const n = 6
	ids := make([]int64, n)
	for i := range ids {
		m := c.must("POST", "/api/v1/venues/dlde-2023/submissions", map[string]any{
			"title": fmt.Sprintf("Paper %d", i), "abstract": "An abstract.", "track": "new-work", "declaration": true,
			"authors": []map[string]string{{"name": "Admin Chair", "email": "admin@example.org"}},
		}, 201)
		ids[i] = int64(m["id"].(float64))
	}

	type ack struct {
		rev int
		sha string
	}
	var mu sync.Mutex
	acked := map[int64][]ack{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i, id := range ids {
		wg.Go(func() {
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				pdf := pdfs[(i+k)%len(pdfs)]
				st, out, err := c.do("PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), pdf, "application/pdf")
				if err != nil {
					return // the server died under us
				}
				if st == 200 {
					var r struct {
						Submission struct{ Revision int } `json:"submission"`
					}
					_ = json.Unmarshal(out, &r)
					mu.Lock()
					acked[id] = append(acked[id], ack{r.Submission.Revision, digest(pdf)})
					mu.Unlock()
				}
			}
		})
	}
	// Let uploads run, then kill the whole process group mid-flight.
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	bound := time.After(startBound)
	for total := 0; total < 12; {
		select {
		case <-tick.C:
		case <-bound:
			t.Fatalf("only %d uploads acknowledged within %v", total, startBound)
		}
		mu.Lock()
		total = 0
		for _, a := range acked {
			total += len(a)
		}
		mu.Unlock()
	}
	if err := syscall.Kill(-proc.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()

	startServe(t, env, port)
	total := 0
	for _, id := range ids {
		cur := c.must("GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil, 200)
		var revs []struct {
			Seq int
			Pdf *struct{ Sha256 string }
		}
		_, out, _ := c.do("GET", fmt.Sprintf("/api/v1/submissions/%d/revisions", id), nil, "")
		if err := json.Unmarshal(out, &revs); err != nil {
			t.Fatal(err)
		}
		bySeq := map[int]string{}
		for _, r := range revs {
			if r.Pdf != nil {
				bySeq[r.Seq] = r.Pdf.Sha256
			}
		}
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
			if int(cur["revision"].(float64)) != len(revs)-1 {
				t.Errorf("submission %d: current revision %v but %d revisions", id, cur["revision"], len(revs))
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
