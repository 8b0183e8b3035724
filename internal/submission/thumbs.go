package submission

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/quirehq/quire/internal/submission/submissiondb"
)

// The report's page thumbnails: enough pages to see where the body ends.
const (
	thumbPages = 12
	thumbWidth = 120
	// thumbMaxBytes bounds one stored PNG; a 120 px page is about 10 KiB.
	thumbMaxBytes = 1 << 20
)

// Drawing a paper's pages costs pdftoppm several times what pdftohtml
// costs to read its text, so an accepted upload is acknowledged without
// them. They are drawn once per file of a submission, whichever comes
// first: in the background once no upload is running on this server (so a
// deadline rush is not slowed by them), or when an author or a chair opens
// the report (WithThumbnails). Either way they go into every report of that
// file, current and revisions, where the pages and the garbage collection
// find them. A refused upload's are drawn at once: its refusal page shows
// them and nothing stores its report.
const (
	thumbQueueMax   = 10000 // files waiting; more are drawn when viewed
	thumbIdlePoll   = 200 * time.Millisecond
	thumbFailedFor  = 10 * time.Minute // a file pdftoppm failed on is not retried sooner
	thumbJobTimeout = time.Minute
)

// thumbWork is the state of the drawing: the queue, the files being drawn
// now (one drawing per file however many ask) and the uploads in flight.
type thumbWork struct {
	mu      sync.Mutex
	queue   []thumbJob
	running bool
	flights map[string]*thumbFlight
	failed  map[string]time.Time
	// uploads counts the PDF uploads in flight on this server.
	uploads atomic.Int64
	// closed stops the queue (Close): nothing is queued any more and the
	// drawing ends after the file it is on. idle is closed while nothing
	// is being drawn in the background.
	closed bool
	idle   chan struct{}
	stop   context.CancelFunc
}

type thumbJob struct {
	id  int64
	sha string
}

type thumbFlight struct {
	done chan struct{}
	shas []string
	err  error
}

// thumbnailsLater queues the file's pages for drawing in the background.
func (s *Service) thumbnailsLater(id int64, sha string) {
	t := &s.thumbs
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return // the page draws them when it is opened
	}
	if len(t.queue) < thumbQueueMax {
		t.queue = append(t.queue, thumbJob{id, sha})
	}
	if !t.running {
		t.running = true
		t.idle = make(chan struct{})
		ctx, stop := context.WithCancel(context.Background())
		t.stop = stop
		go s.drawQueued(ctx, t.idle)
	}
}

// ThumbnailsIdle waits until nothing is being drawn in the background, or
// ctx ends: for a garbage collection or a shutdown that must not race a
// drawing.
func (s *Service) ThumbnailsIdle(ctx context.Context) error {
	t := &s.thumbs
	t.mu.Lock()
	idle := t.idle
	running := t.running
	t.mu.Unlock()
	if !running || idle == nil {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops the background drawing: what is queued is dropped (the pages
// draw it when opened), the file being drawn is cancelled, and Close waits
// for the drawing to end, at most ctx's time.
func (s *Service) Close(ctx context.Context) error {
	t := &s.thumbs
	t.mu.Lock()
	t.closed = true
	t.queue = nil
	stop := t.stop
	t.mu.Unlock()
	if stop != nil {
		stop()
	}
	return s.ThumbnailsIdle(ctx)
}

// drawQueued draws the queued files one at a time, each once no upload is
// running here.
func (s *Service) drawQueued(base context.Context, idle chan struct{}) {
	t := &s.thumbs
	defer close(idle)
	for {
		t.mu.Lock()
		if len(t.queue) == 0 || t.closed {
			t.running = false
			t.mu.Unlock()
			return
		}
		j := t.queue[0]
		t.queue = t.queue[1:]
		t.mu.Unlock()
		for t.uploads.Load() > 0 && base.Err() == nil {
			time.Sleep(thumbIdlePoll)
		}
		ctx, cancel := context.WithTimeout(base, thumbJobTimeout)
		if _, err := s.fileThumbnails(ctx, j.id, j.sha); err != nil && s.Log != nil {
			s.Log.WarnContext(ctx, "no page thumbnails", "submission", j.id, "err", err)
		}
		cancel()
	}
}

// WithThumbnails returns sub with its report's page thumbnails, drawing
// them now if nobody has yet. It never fails: without thumbnails the
// report is shown without them.
func (s *Service) WithThumbnails(ctx context.Context, sub Submission) Submission {
	if sub.Report == nil || len(sub.Report.Thumbnails) > 0 || sub.PDF == nil {
		return sub
	}
	shas, err := s.fileThumbnails(ctx, sub.ID, sub.PDF.SHA256)
	if err != nil {
		if s.Log != nil {
			s.Log.WarnContext(ctx, "no page thumbnails", "submission", sub.ID, "err", err)
		}
		return sub
	}
	rep := *sub.Report
	rep.Thumbnails = shas
	sub.Report = &rep
	return sub
}

// fileThumbnails are the thumbnails of the file sha of submission id: those
// drawn already, or drawn now (by one caller; the others wait for it).
func (s *Service) fileThumbnails(ctx context.Context, id int64, sha string) ([]string, error) {
	t := &s.thumbs
	t.mu.Lock()
	if f, ok := t.flights[sha]; ok {
		t.mu.Unlock()
		select {
		case <-f.done:
			return f.shas, f.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if at, ok := t.failed[sha]; ok && time.Since(at) < thumbFailedFor {
		t.mu.Unlock()
		return nil, fmt.Errorf("drawing the pages failed %v ago", time.Since(at).Round(time.Second))
	}
	f := &thumbFlight{done: make(chan struct{})}
	if t.flights == nil {
		t.flights, t.failed = map[string]*thumbFlight{}, map[string]time.Time{}
	}
	t.flights[sha] = f
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		delete(t.flights, sha)
		if f.err != nil && ctx.Err() == nil {
			t.failed[sha] = time.Now()
		}
		t.mu.Unlock()
		close(f.done)
	}()
	f.shas, f.err = s.drawFile(ctx, id, sha)
	return f.shas, f.err
}

func (s *Service) drawFile(ctx context.Context, id int64, sha string) ([]string, error) {
	raw, err := q.FileThumbnails(ctx, s.DB, submissiondb.FileThumbnailsParams{ID: id, PdfSha: &sha})
	if err != nil {
		return nil, err
	}
	var shas []string
	if err := json.Unmarshal(raw, &shas); err != nil {
		return nil, err
	}
	if len(shas) == 0 {
		if shas, err = s.drawStored(ctx, sha); err != nil {
			return nil, err
		}
	}
	list, err := json.Marshal(shas)
	if err != nil {
		return nil, err
	}
	if err := q.SetThumbnails(ctx, s.DB, submissiondb.SetThumbnailsParams{Thumbnails: list, ID: id, PdfSha: sha}); err != nil {
		return nil, err
	}
	return shas, nil
}

// drawStored draws the pages of a stored file, which pdftoppm needs as a
// local file (the store may be a bucket).
func (s *Service) drawStored(ctx context.Context, sha string) ([]string, error) {
	r, size, err := s.Blobs.Open(ctx, sha)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	local, err := s.Blobs.Stage(ctx, r, size)
	if err != nil {
		return nil, err
	}
	defer local.Discard()
	return s.storeThumbnails(ctx, local.Path)
}

// thumbnails draws the first pages of the file at path and stores them,
// returning their shas in page order. They are a courtesy to the author:
// a failure is logged and the report goes without them, never the upload.
func (s *Service) thumbnails(ctx context.Context, path string) []string {
	shas, err := s.storeThumbnails(ctx, path)
	if err != nil {
		if s.Log != nil {
			s.Log.WarnContext(ctx, "no page thumbnails", "err", err)
		}
		return nil
	}
	return shas
}

func (s *Service) storeThumbnails(ctx context.Context, path string) ([]string, error) {
	dir, err := os.MkdirTemp("", "quire-thumbs-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	pngs, err := s.Checker.RenderThumbnails(ctx, path, dir, thumbPages, thumbWidth)
	if err != nil {
		return nil, err
	}
	shas := make([]string, 0, len(pngs))
	for _, p := range pngs {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		ref, err := s.Blobs.Put(ctx, f, thumbMaxBytes)
		_ = f.Close()
		if err != nil {
			return nil, fmt.Errorf("storing a thumbnail: %w", err)
		}
		shas = append(shas, ref.SHA256)
	}
	return shas, nil
}
