package blob

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/quirehq/quire/internal/blob/s3test"
)

func TestParseS3URL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want s3Location
		err  string
	}{
		{"s3://quire", s3Location{bucket: "quire", endpoint: "s3.amazonaws.com", region: "us-east-1", secure: true}, ""},
		{"s3://quire/files/dlde?endpoint=http://127.0.0.1:8333&region=eu-west-3",
			s3Location{bucket: "quire", prefix: "files/dlde/", endpoint: "127.0.0.1:8333", region: "eu-west-3", pathStyle: true}, ""},
		{"s3://quire?endpoint=https://s3.example.org", s3Location{bucket: "quire", endpoint: "s3.example.org", region: "us-east-1", secure: true, pathStyle: true}, ""},
		{"https://quire.s3.amazonaws.com", s3Location{}, "must look like s3://"},
		{"s3:///nobucket", s3Location{}, "must look like s3://"},
		{"s3://quire?endpoint=127.0.0.1:8333", s3Location{}, "must be http://host:port"},
		{"s3://quire?endpoint=http://h/path", s3Location{}, "must be http://host:port"},
		{"s3://quire?bucket=x", s3Location{}, `unknown parameter "bucket"`},
	}
	for _, c := range cases {
		got, err := parseS3URL(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one saying %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

func must(key string, err error) string {
	if err != nil {
		panic(err)
	}
	return key
}

// newS3 is a store on a bucket of its own in a real SeaweedFS.
func newS3(t *testing.T, srv *s3test.Server, bucket string, partSize uint64) *S3 {
	t.Helper()
	s, err := NewS3(context.Background(), S3Options{URL: srv.Bucket(t, bucket), AccessKey: s3test.AccessKey, SecretKey: s3test.SecretKey,
		TempDir: t.TempDir(), PartSize: partSize})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestS3Store walks the S3 store through what the upload paths and the
// collector ask of a store, against a real S3 server.
func TestS3Store(t *testing.T) {
	t.Parallel()
	srv := s3test.Start(t)
	ctx := context.Background()

	t.Run("refuses a missing bucket or a wrong key", func(t *testing.T) {
		_, err := NewS3(ctx, S3Options{URL: "s3://absent?endpoint=" + srv.Endpoint, AccessKey: s3test.AccessKey, SecretKey: s3test.SecretKey, TempDir: t.TempDir()})
		if err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("missing bucket: %v", err)
		}
		srv.Bucket(t, "wrongkey")
		_, err = NewS3(ctx, S3Options{URL: "s3://wrongkey?endpoint=" + srv.Endpoint, AccessKey: s3test.AccessKey, SecretKey: "not the secret", TempDir: t.TempDir()})
		if err == nil {
			t.Error("a wrong secret key was accepted")
		}
	})

	s := newS3(t, srv, "store", 5<<20)
	t.Run("put, open, seek and delete", func(t *testing.T) {
		data := body(300<<10, 1)
		ref, err := s.Put(ctx, bytes.NewReader(data), 1<<20)
		if err != nil || ref.SHA256 != sum(data) || ref.Size != int64(len(data)) {
			t.Fatalf("put: %+v, %v", ref, err)
		}
		if ok, err := s.Exists(ctx, ref.SHA256); !ok || err != nil {
			t.Fatalf("exists: %v, %v", ok, err)
		}
		r, n, err := s.Open(ctx, ref.SHA256)
		if err != nil || n != int64(len(data)) {
			t.Fatalf("open: %d, %v", n, err)
		}
		if _, err := r.Seek(1000, io.SeekStart); err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		r.Close()
		if err != nil || !bytes.Equal(got, data[1000:]) {
			t.Fatalf("read after seek: %d bytes, %v", len(got), err)
		}
		if err := s.Delete(ctx, ref.SHA256); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Open(ctx, ref.SHA256); !errors.Is(err, ErrNotFound) {
			t.Errorf("open after delete: %v, want ErrNotFound", err)
		}
		if err := s.Delete(ctx, ref.SHA256); err != nil {
			t.Errorf("deleting a missing blob: %v", err)
		}
	})
	t.Run("too large leaves nothing", func(t *testing.T) {
		data := body(2000, 2)
		if _, err := s.Put(ctx, bytes.NewReader(data), 1999); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("put: %v, want ErrTooLarge", err)
		}
		if ok, _ := s.Exists(ctx, sum(data)); ok {
			t.Error("a refused upload is in the bucket")
		}
		if left := files(t, s.tmp); len(left) != 0 {
			t.Errorf("staging files left: %v", left)
		}
	})
	t.Run("a large file goes up in parts and reads back whole", func(t *testing.T) {
		data := body(12<<20, 3) // three parts of 5 MiB
		st, err := s.Stage(ctx, bytes.NewReader(data), 20<<20)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(st.Path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the staged file is still on disk after commit: %v", err)
		}
		r, n, err := s.Open(ctx, st.Ref.SHA256)
		if err != nil || n != int64(len(data)) {
			t.Fatalf("open: %d, %v", n, err)
		}
		got, _ := io.ReadAll(r)
		r.Close()
		if sum(got) != sum(data) {
			t.Error("the multipart object differs from what was sent")
		}
	})
	t.Run("list and collect", func(t *testing.T) {
		c := newS3(t, srv, "collect", 0)
		keep, drop := body(100, 4), body(100, 5)
		rk, _ := c.Put(ctx, bytes.NewReader(keep), 1000)
		rd, _ := c.Put(ctx, bytes.NewReader(drop), 1000)
		seen := map[string]int64{}
		if err := c.List(ctx, func(sha string, size int64, _ time.Time) error { seen[sha] = size; return nil }); err != nil {
			t.Fatal(err)
		}
		if len(seen) != 2 || seen[rk.SHA256] != 100 || seen[rd.SHA256] != 100 {
			t.Fatalf("list: %v", seen)
		}
		live := func(sha string) (bool, error) { return sha == rk.SHA256, nil }
		// Inside the grace period nothing goes.
		if n, err := Collect(ctx, c, live, time.Now().Add(-time.Hour)); n != 0 || err != nil {
			t.Fatalf("collect within grace: %d, %v", n, err)
		}
		if n, err := Collect(ctx, c, live, time.Now().Add(time.Minute)); n != 1 || err != nil {
			t.Fatalf("collect: %d, %v", n, err)
		}
		if keys, want := srv.Keys(t, "collect"), must(Key(rk.SHA256)); len(keys) != 1 || keys[0] != want {
			t.Errorf("bucket after collection: %v", keys)
		}
	})
	t.Run("clean temp aborts unfinished multipart uploads", func(t *testing.T) {
		c := newS3(t, srv, "unfinished", 0)
		core := minio.Core{Client: srv.Client}
		key, _ := c.key(sum([]byte("never finished")))
		id, err := core.NewMultipartUpload(ctx, "unfinished", key, minio.PutObjectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := core.PutObjectPart(ctx, "unfinished", key, id, 1, bytes.NewReader(body(5<<20, 6)), 5<<20, minio.PutObjectPartOptions{}); err != nil {
			t.Fatal(err)
		}
		// A young upload may belong to a live replica: it stays.
		if n, err := c.CleanTemp(ctx, time.Now().Add(-time.Hour)); n != 0 || err != nil {
			t.Fatalf("clean temp within grace: %d, %v", n, err)
		}
		if n, err := c.CleanTemp(ctx, time.Now().Add(time.Minute)); n != 1 || err != nil {
			t.Fatalf("clean temp: %d, %v", n, err)
		}
		for up := range srv.Client.ListIncompleteUploads(ctx, "unfinished", "", true) {
			t.Errorf("upload %s of %s still open (%v)", up.UploadID, up.Key, up.Err)
		}
		if keys := srv.Keys(t, "unfinished"); len(keys) != 0 {
			t.Errorf("objects in the bucket: %v", keys)
		}
	})
	t.Run("migrate copies a filesystem store and verifies every blob", func(t *testing.T) {
		fs := newStore(t)
		var shas []string
		for i := range 5 {
			ref, err := fs.Put(ctx, bytes.NewReader(body(1000+i, byte(10+i))), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			shas = append(shas, ref.SHA256)
		}
		// One source file damaged on disk: reported, never stored under its name.
		bad, _ := fs.path(shas[4])
		if err := os.WriteFile(bad, []byte("bit rot"), 0o644); err != nil {
			t.Fatal(err)
		}
		dst := newS3(t, srv, "migrated", 0)
		rep, err := Migrate(ctx, fs, dst, nil)
		if err == nil || !strings.Contains(err.Error(), shas[4]) {
			t.Errorf("migrate: %v, want an error naming the damaged blob", err)
		}
		if rep.Copied != 4 || rep.Present != 0 {
			t.Errorf("report %+v, want 4 copied", rep)
		}
		for _, sha := range shas[:4] {
			if err := Verify(ctx, dst, sha); err != nil {
				t.Errorf("%s in the bucket: %v", sha, err)
			}
		}
		if ok, _ := dst.Exists(ctx, shas[4]); ok {
			t.Error("the damaged blob is in the bucket under its name")
		}
		// Again: everything intact is only verified.
		if err := os.Remove(bad); err != nil {
			t.Fatal(err)
		}
		rep, err = Migrate(ctx, fs, dst, nil)
		if err != nil || rep.Copied != 0 || rep.Present != 4 {
			t.Errorf("second run: %+v, %v; want 4 present", rep, err)
		}
	})
}
