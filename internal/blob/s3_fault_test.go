package blob

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/quirehq/quire/internal/fault"
	"github.com/quirehq/quire/internal/problem"
)

// TestAnObjectStoreThatIsGoneIsAStorageFault: once the store stops
// answering, every operation fails as fault.ErrStorage, which the edge
// answers with 503 storage_unavailable and Retry-After, never a 500.
func TestAnObjectStoreThatIsGoneIsAStorageFault(t *testing.T) {
	t.Parallel()
	// A store that answers the start-up check, then goes away.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) }))
	s, err := NewS3(context.Background(), S3Options{URL: "s3://gone?endpoint=" + srv.URL + "&region=us-east-1", AccessKey: "k", SecretKey: "s", TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	srv.Close()
	ctx := context.Background()
	_, putErr := s.Put(ctx, bytes.NewReader([]byte("a paper")), 1<<20)
	_, _, openErr := s.Open(ctx, sum([]byte("a paper")))
	_, existsErr := s.Exists(ctx, sum([]byte("a paper")))
	for name, err := range map[string]error{"put": putErr, "open": openErr, "exists": existsErr, "ping": s.Ping(ctx)} {
		if !errors.Is(err, fault.ErrStorage) {
			t.Errorf("%s: %v is not a storage fault", name, err)
			continue
		}
		var pe *problem.Error
		if !errors.As(fault.Classify(err), &pe) || pe.Code != fault.CodeStorage || !errors.Is(pe, problem.ErrUnavailable) || pe.RetryAfter <= 0 {
			t.Errorf("%s: classified as %v", name, fault.Classify(err))
		}
	}
}

// TestTheWriteProbeSeesAFullDisk: /readyz's write probe fails, as a storage
// fault, when the folder cannot take a file, though the folder is there.
func TestTheWriteProbeSeesAFullDisk(t *testing.T) {
	t.Parallel()
	f, err := NewFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := f.ProbeWrite(ctx); err != nil {
		t.Fatalf("a writable folder: %v", err)
	}
	if err := os.RemoveAll(f.tmp); err != nil { // as good as full: nothing can be created there
		t.Fatal(err)
	}
	if err := f.ProbeWrite(ctx); !errors.Is(err, fault.ErrStorage) {
		t.Errorf("a folder that takes no file: %v", err)
	}
}
