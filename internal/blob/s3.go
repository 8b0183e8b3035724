package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/quirehq/quire/internal/fault"
)

// S3 stores blobs in a bucket of an S3-compatible object store (AWS S3,
// SeaweedFS, MinIO, Ceph RGW…), under the same keys as FS, behind an optional
// prefix. Uploads are staged and hashed on local disk first, as with FS, and
// only a complete file is sent; a PutObject becomes visible only once the
// server has all of it (for large files, once the multipart upload is
// completed), so a reader never sees half an object.
//
// Replicas sharing the bucket need nothing else in common: the key is the
// content's hash, so two replicas storing the same bytes write the same
// object.
type S3 struct {
	client *minio.Client
	bucket string
	prefix string // "" or ends in "/"
	stager
}

var _ Files = (*S3)(nil)
var _ GraceDeleter = (*S3)(nil)

// S3Options configures NewS3. URL has the form
//
//	s3://bucket[/prefix]?endpoint=http://127.0.0.1:8333&region=us-east-1
//
// where endpoint defaults to AWS (https://s3.amazonaws.com) and region to
// us-east-1; path-style requests are used for an explicit endpoint, which
// every S3-compatible server understands. Empty keys mean the standard
// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables (or an instance role).
type S3Options struct {
	URL       string
	AccessKey string
	SecretKey string
	// TempDir is the local folder for staged uploads; it is created.
	TempDir string
	// PartSize is the multipart part size (default 16 MiB); a file larger
	// than one part goes up as a multipart upload.
	PartSize uint64
}

// s3Location is what an s3:// URL names.
type s3Location struct {
	bucket, prefix, endpoint, region string
	secure, pathStyle                bool
}

func parseS3URL(raw string) (s3Location, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return s3Location{}, errors.New("must look like s3://bucket?endpoint=http://host:port&region=us-east-1")
	}
	loc := s3Location{bucket: u.Host, prefix: strings.Trim(u.Path, "/"), endpoint: "s3.amazonaws.com", region: "us-east-1", secure: true}
	if loc.prefix != "" {
		loc.prefix += "/"
	}
	q := u.Query()
	for k := range q {
		if k != "endpoint" && k != "region" {
			return s3Location{}, fmt.Errorf("unknown parameter %q (known: endpoint, region)", k)
		}
	}
	if r := q.Get("region"); r != "" {
		loc.region = r
	}
	if e := q.Get("endpoint"); e != "" {
		eu, err := url.Parse(e)
		if err != nil || (eu.Scheme != "http" && eu.Scheme != "https") || eu.Host == "" || (eu.Path != "" && eu.Path != "/") {
			return s3Location{}, fmt.Errorf("endpoint %q must be http://host:port or https://host", e)
		}
		loc.endpoint, loc.secure, loc.pathStyle = eu.Host, eu.Scheme == "https", true
	}
	return loc, nil
}

// NewS3 connects to the bucket named by o.URL and checks that it exists, so
// that a wrong name or key stops Quire at start-up rather than at the first
// upload.
func NewS3(ctx context.Context, o S3Options) (*S3, error) {
	loc, err := parseS3URL(o.URL)
	if err != nil {
		return nil, err
	}
	creds := credentials.NewChainCredentials([]credentials.Provider{&credentials.EnvAWS{}, &credentials.IAM{}})
	if o.AccessKey != "" || o.SecretKey != "" {
		creds = credentials.NewStaticV4(o.AccessKey, o.SecretKey, "")
	}
	lookup := minio.BucketLookupAuto
	if loc.pathStyle {
		lookup = minio.BucketLookupPath
	}
	// Four tries (about two seconds of back-off) ride out a store that
	// blinks; a store that is down is answered as such, 503 with
	// Retry-After, instead of holding the upload for the client's ten.
	client, err := minio.New(loc.endpoint, &minio.Options{Creds: creds, Secure: loc.secure, Region: loc.region, BucketLookup: lookup, TrailingHeaders: true,
		MaxRetries: 4})
	if err != nil {
		return nil, fmt.Errorf("blob: s3 client: %w", err)
	}
	tmp, err := filepath.Abs(o.TempDir)
	if err != nil {
		return nil, fmt.Errorf("blob: temp folder %q: %w", o.TempDir, err)
	}
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("blob: create %s: %w", tmp, err)
	}
	s := &S3{client: client, bucket: loc.bucket, prefix: loc.prefix, stager: stager{tmp: tmp}}
	part := o.PartSize
	if part == 0 {
		part = 16 << 20
	}
	s.commitFile = func(ctx context.Context, tf *os.File, ref Ref) error { return s.upload(ctx, tf, ref, part) }
	if err := s.Ping(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// ProbeKey is the object /readyz writes; it is outside sha256/, so no
// listing of blobs sees it.
const ProbeKey = "readyz"

// ProbeWrite overwrites a two-byte object, for /readyz.
func (s *S3) ProbeWrite(ctx context.Context) error {
	if _, err := s.client.PutObject(ctx, s.bucket, s.prefix+ProbeKey, strings.NewReader("ok"), 2, minio.PutObjectOptions{ContentType: "text/plain"}); err != nil {
		return fmt.Errorf("blob: s3 write probe: %w: %w", fault.ErrStorage, err)
	}
	return nil
}

// Ping checks that the bucket answers, for /readyz.
func (s *S3) Ping(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("blob: s3 bucket %s: %w: %w", s.bucket, fault.ErrStorage, err)
	}
	if !ok {
		return fmt.Errorf("blob: s3 bucket %s does not exist", s.bucket)
	}
	return nil
}

// Bucket names the bucket and prefix, for logs.
func (s *S3) Bucket() string { return s.bucket + "/" + s.prefix }

func (s *S3) key(sha string) (string, error) {
	k, err := Key(sha)
	if err != nil {
		return "", err
	}
	return s.prefix + k, nil
}

func (s *S3) Put(ctx context.Context, r io.Reader, max int64) (Ref, error) {
	tf, ref, err := s.spool(ctx, r, max, "put")
	if err != nil {
		return Ref{}, err
	}
	if err := s.commitFile(ctx, tf, ref); err != nil {
		return Ref{}, err
	}
	return ref, nil
}

// upload sends the spooled file tf and removes it. Content already stored is
// sent again all the same: the overwrite is of identical bytes, and it
// renews the object's LastModified, which restarts the collector's grace
// period exactly as FS's touch does. The server checks the SHA-256 of what it
// received (x-amz-checksum-sha256), so a corrupted transfer fails here and
// not at the reviewer's download.
func (s *S3) upload(ctx context.Context, tf *os.File, ref Ref, partSize uint64) error {
	defer discard(tf)
	key, err := s.key(ref.SHA256)
	if err != nil {
		return err
	}
	if _, err := tf.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("blob: rewind %s: %w", ref.SHA256, err)
	}
	info, err := s.client.PutObject(ctx, s.bucket, key, tf, ref.Size, minio.PutObjectOptions{
		ContentType: "application/octet-stream",
		PartSize:    partSize,
		Checksum:    minio.ChecksumSHA256,
	})
	if err != nil {
		return fmt.Errorf("blob: s3 put %s: %w: %w", ref.SHA256, fault.ErrStorage, err)
	}
	if info.Size != ref.Size {
		return fmt.Errorf("blob: s3 put %s: stored %d bytes, sent %d", ref.SHA256, info.Size, ref.Size)
	}
	return nil
}

// Open streams the object: minio's Object reads lazily and seeks by ranged
// GETs, so a download never holds the whole file in memory.
func (s *S3) Open(ctx context.Context, sha string) (io.ReadSeekCloser, int64, error) {
	key, err := s.key(sha)
	if err != nil {
		return nil, 0, err
	}
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return nil, 0, fmt.Errorf("blob: s3 get %s: %w: %w", sha, fault.ErrStorage, err)
	}
	st, err := obj.Stat()
	if err != nil {
		_ = obj.Close()
		if isNotFound(err) {
			return nil, 0, fmt.Errorf("%w: %s", ErrNotFound, sha)
		}
		return nil, 0, fmt.Errorf("blob: s3 get %s: %w: %w", sha, fault.ErrStorage, err)
	}
	return obj, st.Size, nil
}

func (s *S3) Exists(ctx context.Context, sha string) (bool, error) {
	_, err := s.stat(ctx, sha)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (s *S3) stat(ctx context.Context, sha string) (minio.ObjectInfo, error) {
	key, err := s.key(sha)
	if err != nil {
		return minio.ObjectInfo{}, err
	}
	info, err := s.client.StatObject(ctx, s.bucket, key, minio.StatObjectOptions{})
	if isNotFound(err) {
		return minio.ObjectInfo{}, fmt.Errorf("%w: %s", ErrNotFound, sha)
	} else if err != nil {
		return minio.ObjectInfo{}, fmt.Errorf("blob: s3 stat %s: %w: %w", sha, fault.ErrStorage, err)
	}
	return info, nil
}

func (s *S3) Delete(ctx context.Context, sha string) error {
	key, err := s.key(sha)
	if err != nil {
		return err
	}
	if err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{}); err != nil && !isNotFound(err) {
		return fmt.Errorf("blob: s3 delete %s: %w: %w", sha, fault.ErrStorage, err)
	}
	return nil
}

// DeleteIfOlder reads the object's LastModified again just before deleting
// it. S3 has no delete-if-unmodified-since, so a Put of the same content
// landing between the two requests is lost; that needs an orphaned blob to be
// uploaded again within one round trip of its collection, after a grace
// period of hours.
func (s *S3) DeleteIfOlder(ctx context.Context, sha string, olderThan time.Time) (bool, error) {
	info, err := s.stat(ctx, sha)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if !info.LastModified.Before(olderThan) {
		return false, nil
	}
	if err := s.Delete(ctx, sha); err != nil {
		return false, err
	}
	return true, nil
}

func (s *S3) List(ctx context.Context, fn func(sha string, size int64, modTime time.Time) error) error {
	base := s.prefix + "sha256/"
	for obj := range s.client.ListObjectsIter(ctx, s.bucket, minio.ListObjectsOptions{Prefix: base, Recursive: true}) {
		if obj.Err != nil {
			return fmt.Errorf("blob: s3 list: %w: %w", fault.ErrStorage, obj.Err)
		}
		sha := strings.Replace(strings.TrimPrefix(obj.Key, base), "/", "", 1)
		if k, err := s.key(sha); err != nil || k != obj.Key {
			continue // not a blob of ours
		}
		if err := fn(sha, obj.Size, obj.LastModified); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// CleanTemp removes stale local staging files and aborts the multipart
// uploads that a killed process started before olderThan, whose parts the
// store would otherwise keep (invisible, but billed) forever.
func (s *S3) CleanTemp(ctx context.Context, olderThan time.Time) (removed int, err error) {
	removed, err = s.cleanTemp(olderThan, nil)
	core := minio.Core{Client: s.client}
	var errs []error
	for up := range s.client.ListIncompleteUploads(ctx, s.bucket, s.prefix+"sha256/", true) {
		if up.Err != nil {
			errs = append(errs, fmt.Errorf("blob: s3 list uploads: %w: %w", fault.ErrStorage, up.Err))
			break
		}
		if !up.Initiated.Before(olderThan) {
			continue
		}
		if err := core.AbortMultipartUpload(ctx, s.bucket, up.Key, up.UploadID); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("blob: s3 abort upload of %s: %w: %w", up.Key, fault.ErrStorage, err))
			continue
		}
		removed++
	}
	return removed, errors.Join(append(errs, err)...)
}

func isNotFound(err error) bool {
	if err == nil {
		return false
	}
	r := minio.ToErrorResponse(err)
	return r.Code == "NoSuchKey" || r.Code == "NoSuchUpload" || r.StatusCode == http.StatusNotFound
}
