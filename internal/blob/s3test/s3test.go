// Package s3test runs a real S3 server for tests: SeaweedFS's `weed server`
// with its S3 gateway, on loopback ports, with a data folder of the test's
// own and one access key. No mock stands in for the object store.
//
// The binary is QUIRE_WEED, else `weed` on PATH, else bin/weed in the
// repository (`make weed` builds it from the Go module proxy). Without it the
// tests that need it skip, or fail when CI is set.
package s3test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// AccessKey and SecretKey are the one identity the server knows.
const (
	AccessKey = "quire-test"
	SecretKey = "quire-test-secret-key"
)

// Server is a running SeaweedFS with an S3 gateway.
type Server struct {
	// Endpoint is http://127.0.0.1:PORT of the S3 gateway.
	Endpoint string
	// Dir is the server's data folder: nothing of Quire's must appear in it
	// other than through the S3 API.
	Dir    string
	Client *minio.Client
	// Stop kills the server.
	Stop func()
	// logFile holds what the server printed.
	logFile string
}

// Binary finds the weed binary, failing or skipping t without it.
func Binary(t testing.TB) string {
	t.Helper()
	p, err := Find()
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatal(err)
	}
	t.Skip(err)
	return ""
}

// Find looks for the weed binary: QUIRE_WEED, then PATH, then bin/weed in
// the repository.
func Find() (string, error) {
	if p := os.Getenv("QUIRE_WEED"); p != "" {
		return p, nil
	}
	if p, err := exec.LookPath("weed"); err == nil {
		return p, nil
	}
	if root, err := repoRoot(); err == nil {
		p := filepath.Join(root, "bin", "weed")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no SeaweedFS weed binary (QUIRE_WEED, PATH or bin/weed): run `make weed`")
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working folder")
		}
		dir = parent
	}
}

// Start runs a SeaweedFS server for t, waits until its S3 gateway answers
// signed requests, and stops it (SIGKILL, it keeps nothing worth a clean
// shutdown) when t ends.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Binary(t)
	ports := freePorts(t, 4)
	s, err := Launch(bin, t.TempDir(), ports)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// Launch starts weed with its data in dir and its master, volume, filer and
// S3 servers on ports (four of them, each with port+10000 free for gRPC),
// and waits until it is ready. cmd/rush uses it outside tests.
func Launch(bin, dir string, ports []int) (*Server, error) {
	data := filepath.Join(dir, "data")
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, err
	}
	conf := filepath.Join(dir, "s3.json")
	identities := fmt.Sprintf(`{"identities":[{"name":"quire","credentials":[{"accessKey":%q,"secretKey":%q}],"actions":["Admin","Read","List","Tagging","Write"]}]}`, AccessKey, SecretKey)
	if err := os.WriteFile(conf, []byte(identities), 0o600); err != nil {
		return nil, err
	}
	s3port := ports[3]
	// Volumes are sparse, and every bucket gets its own: a low
	// -volume.max makes writes to a later bucket fail.
	cmd := exec.Command(bin, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-dir="+data,
		fmt.Sprintf("-master.port=%d", ports[0]), fmt.Sprintf("-volume.port=%d", ports[1]), fmt.Sprintf("-filer.port=%d", ports[2]),
		"-master.volumeSizeLimitMB=64", "-volume.max=300", "-filer", "-s3", fmt.Sprintf("-s3.port=%d", s3port), "-s3.config="+conf)
	logFile := filepath.Join(dir, "weed.log")
	out, err := os.Create(logFile)
	if err != nil {
		return nil, err
	}
	defer func() { _ = out.Close() }() // the child keeps its own descriptor
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	s := &Server{Endpoint: fmt.Sprintf("http://127.0.0.1:%d", s3port), Dir: data, logFile: logFile}
	s.Stop = func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-exited
	}
	client, err := minio.New(fmt.Sprintf("127.0.0.1:%d", s3port), &minio.Options{
		Creds: credentials.NewStaticV4(AccessKey, SecretKey, ""), Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		s.Stop()
		return nil, err
	}
	s.Client = client
	// Ready means a bucket can be made and an object written and read:
	// the gateway answers before its filer and volume server do.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := s.probe()
		if err == nil {
			return s, nil
		}
		select {
		case <-exited:
			return nil, fmt.Errorf("weed exited before it was ready: %s", s.Log())
		default:
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("weed not ready within 2 minutes: %v\n%s", err, s.Log())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (s *Server) probe() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Client.MakeBucket(ctx, "ready", minio.MakeBucketOptions{}); err != nil {
		if minio.ToErrorResponse(err).Code != "BucketAlreadyOwnedByYou" && minio.ToErrorResponse(err).Code != "BucketAlreadyExists" {
			return err
		}
	}
	if _, err := s.Client.PutObject(ctx, "ready", "probe", strings.NewReader("ok"), 2, minio.PutObjectOptions{}); err != nil {
		return err
	}
	obj, err := s.Client.GetObject(ctx, "ready", "probe", minio.GetObjectOptions{})
	if err != nil {
		return err
	}
	defer func() { _ = obj.Close() }()
	_, err = obj.Stat()
	return err
}

// Bucket makes a new bucket for t and returns its QUIRE_BLOB_URL.
func (s *Server) Bucket(t testing.TB, name string) string {
	t.Helper()
	u, err := s.MakeBucket(name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// MakeBucket makes a new bucket and returns its QUIRE_BLOB_URL.
func (s *Server) MakeBucket(name string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.Client.MakeBucket(ctx, name, minio.MakeBucketOptions{}); err != nil {
		return "", fmt.Errorf("making bucket %s: %w", name, err)
	}
	return fmt.Sprintf("s3://%s?endpoint=%s&region=us-east-1", name, s.Endpoint), nil
}

// Keys lists the object keys in bucket.
func (s *Server) Keys(t testing.TB, bucket string) []string {
	t.Helper()
	var keys []string
	for obj := range s.Client.ListObjectsIter(context.Background(), bucket, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			t.Fatalf("listing %s: %v", bucket, obj.Err)
		}
		keys = append(keys, obj.Key)
	}
	return keys
}

// Log is what the server printed, for a failing test's message.
func (s *Server) Log() string {
	b, err := os.ReadFile(s.logFile)
	if err != nil {
		return err.Error()
	}
	return tail(string(b), 4000)
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func freePorts(t testing.TB, n int) []int {
	t.Helper()
	p, err := FreePorts(n)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// FreePorts finds n free loopback ports whose gRPC companions (port+10000,
// SeaweedFS's convention) are free too.
func FreePorts(n int) ([]int, error) {
	var out []int
	var held []net.Listener
	defer func() {
		for _, l := range held {
			l.Close()
		}
	}()
	for tries := 0; len(out) < n && tries < 1000; tries++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		p := l.Addr().(*net.TCPAddr).Port
		if p+10000 > 65535 {
			l.Close()
			continue
		}
		g, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p+10000))
		if err != nil {
			l.Close()
			continue
		}
		held = append(held, l, g)
		out = append(out, p)
	}
	if len(out) < n {
		return nil, errors.New("no free ports for SeaweedFS")
	}
	return out, nil
}
