// Package speakerphoto keeps the photos of a venue's invited speakers for
// its public site: uploaded by the venue's chairs, checked and drawn anew
// (image.go), stored in the blob store like every other file, and served
// at the few widths the site shows, each drawn once at the upload.
package speakerphoto

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/audit"
	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/policy"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/speakerphoto/speakerphotodb"
	"github.com/quirehq/quire/internal/venue"
)

var q = speakerphotodb.New()

// decodersAtOnce bounds the uploads decoded at the same time: each may
// hold up to MaxDecodedBytes of decoded picture (more for a progressive
// JPEG's coefficients) and its scaling buffers, a few hundred MB at the
// worst, and a chair uploads a photo now and then.
const decodersAtOnce = 1

// Service keeps the speakers' photos.
type Service struct {
	DB     *pgxpool.Pool
	Clock  clock.Clock
	Venues *venue.Store
	Blobs  blob.Store

	once     sync.Once
	decoding chan struct{}
}

// Photo is a speaker's stored photo.
type Photo struct {
	Speaker     string
	SHA256      string
	ContentType string
	Width       int
	Height      int
	UploadedAt  time.Time
	// Variants are the photo at each of Widths, by width asked for.
	Variants map[int]Variant
}

// Variant is the photo drawn at one of Widths: no wider than the photo.
type Variant struct {
	SHA256, ContentType string
	Width, Height       int
}

var (
	errNoPhoto   = problem.New(problem.ErrNotFound, "photo_not_found", "this speaker has no photo")
	errNotChair  = problem.New(problem.ErrForbidden, "not_chair", "only the venue's chairs change its speakers' photos")
	errBadWidth  = problem.Invalid(fmt.Sprintf("width must be one of %v", Widths), problem.FieldError{Field: "width", Message: "not a width the site serves"})
	errNoSpeaker = func(key string) error {
		return problem.New(problem.ErrNotFound, "speaker_not_found", fmt.Sprintf("the venue file lists no invited speaker %q", key))
	}
)

func listed(rec venue.Record, key string) bool {
	return slices.ContainsFunc(rec.Settings.Site.Speakers, func(sp venue.Speaker) bool { return sp.Key == key })
}

// chairOf loads the venue and lets only its chairs on.
func (s *Service) chairOf(ctx context.Context, slug string, by account.Principal) (venue.Record, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return rec, err
	}
	roles, err := s.Venues.RolesOf(ctx, s.DB, rec.ID, by.UserID)
	if err != nil {
		return rec, err
	}
	if !policy.CanChangeSpeakerPhoto(slices.Contains(roles, venue.RoleChair)) {
		return rec, errNotChair
	}
	return rec, nil
}

// Put takes an upload as the photo of the speaker key, replacing any
// earlier one. A refused upload changes nothing.
func (s *Service) Put(ctx context.Context, slug, key string, by account.Principal, r io.Reader, ip string) (Photo, error) {
	rec, err := s.chairOf(ctx, slug, by)
	if err != nil {
		return Photo{}, err
	}
	if !listed(rec, key) {
		return Photo{}, errNoSpeaker(key)
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return Photo{}, err
	}
	if len(data) > MaxFileBytes {
		return Photo{}, ErrFileTooLarge
	}
	pr, err := s.process(ctx, data)
	if err != nil {
		return Photo{}, err
	}
	// The blobs first, then the rows: until the rows commit the blobs are
	// young, and garbage collection leaves young blobs alone.
	photo := Photo{Speaker: key, ContentType: pr.Photo.ContentType, Width: pr.Photo.Width, Height: pr.Photo.Height,
		UploadedAt: s.Clock.Now(), Variants: map[int]Variant{}}
	if photo.SHA256, err = s.store(ctx, pr.Photo); err != nil {
		return Photo{}, err
	}
	for _, w := range Widths {
		v := pr.Variants[w]
		sha, err := s.store(ctx, v)
		if err != nil {
			return Photo{}, err
		}
		photo.Variants[w] = Variant{SHA256: sha, ContentType: v.ContentType, Width: v.Width, Height: v.Height}
	}
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if err := q.PutPhoto(ctx, tx, speakerphotodb.PutPhotoParams{VenueID: rec.ID, SpeakerKey: key, Sha: photo.SHA256,
			ContentType: photo.ContentType, Width: int32(photo.Width), Height: int32(photo.Height), UploadedBy: &by.UserID,
			UploadedAt: photo.UploadedAt}); err != nil {
			return err
		}
		if err := q.DeleteVariants(ctx, tx, speakerphotodb.DeleteVariantsParams{VenueID: rec.ID, SpeakerKey: key}); err != nil {
			return err
		}
		for _, w := range Widths {
			v := photo.Variants[w]
			if err := q.PutVariant(ctx, tx, speakerphotodb.PutVariantParams{VenueID: rec.ID, SpeakerKey: key, Size: int32(w),
				Sha: v.SHA256, ContentType: v.ContentType, Width: int32(v.Width), Height: int32(v.Height)}); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &by.UserID, Action: "speaker_photo.put", Subject: key,
			Detail: map[string]any{"sha256": photo.SHA256, "width": photo.Width, "height": photo.Height}, IP: ip, At: photo.UploadedAt})
	})
	return photo, err
}

// process runs Process, at most decodersAtOnce at a time.
func (s *Service) process(ctx context.Context, data []byte) (Processed, error) {
	s.once.Do(func() { s.decoding = make(chan struct{}, decodersAtOnce) })
	select {
	case s.decoding <- struct{}{}:
	case <-ctx.Done():
		return Processed{}, ctx.Err()
	}
	defer func() { <-s.decoding }()
	return Process(data)
}

func (s *Service) store(ctx context.Context, p Picture) (string, error) {
	ref, err := s.Blobs.Put(ctx, bytes.NewReader(p.Data), int64(len(p.Data)))
	return ref.SHA256, err
}

// Remove takes the speaker's photo off the site. Its blobs go with the
// next garbage collection after the grace period.
func (s *Service) Remove(ctx context.Context, slug, key string, by account.Principal, ip string) error {
	rec, err := s.chairOf(ctx, slug, by)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		n, err := q.DeletePhoto(ctx, tx, speakerphotodb.DeletePhotoParams{VenueID: rec.ID, SpeakerKey: key})
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoPhoto
		}
		return audit.Record(ctx, tx, audit.Entry{VenueID: &rec.ID, ActorID: &by.UserID, Action: "speaker_photo.remove", Subject: key,
			IP: ip, At: s.Clock.Now()})
	})
}

// Get is a speaker's photo as stored, for anyone who may see it.
func (s *Service) Get(ctx context.Context, slug, key string) (Photo, error) {
	rec, err := s.Venues.BySlug(ctx, s.DB, slug)
	if err != nil {
		return Photo{}, err
	}
	if !policy.CanSeeSpeakerPhoto(listed(rec, key)) {
		return Photo{}, errNoSpeaker(key)
	}
	row, err := q.GetPhoto(ctx, s.DB, speakerphotodb.GetPhotoParams{VenueID: rec.ID, SpeakerKey: key})
	if errors.Is(err, pgx.ErrNoRows) {
		return Photo{}, errNoPhoto
	}
	if err != nil {
		return Photo{}, err
	}
	photos, err := s.withVariants(ctx, rec.ID, []speakerphotodb.SpeakerPhoto{row})
	if err != nil {
		return Photo{}, err
	}
	return photos[key], nil
}

// List gives the photos of the speakers the venue file lists, by key: what
// the public site shows.
func (s *Service) List(ctx context.Context, rec venue.Record) (map[string]Photo, error) {
	rows, err := q.ListPhotos(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	rows = slices.DeleteFunc(rows, func(r speakerphotodb.SpeakerPhoto) bool { return !policy.CanSeeSpeakerPhoto(listed(rec, r.SpeakerKey)) })
	return s.withVariants(ctx, rec.ID, rows)
}

// Unlisted are the keys of photos whose speakers the venue file no longer
// lists: shown to no one, and kept (their blobs too) until a chair removes
// them or the file lists the speaker again under the same key.
func (s *Service) Unlisted(ctx context.Context, rec venue.Record, by account.Principal) ([]string, error) {
	if _, err := s.chairOf(ctx, rec.Slug, by); err != nil {
		return nil, err
	}
	rows, err := q.ListPhotos(ctx, s.DB, rec.ID)
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, r := range rows {
		if !listed(rec, r.SpeakerKey) {
			keys = append(keys, r.SpeakerKey)
		}
	}
	return keys, nil
}

func (s *Service) withVariants(ctx context.Context, venueID int64, rows []speakerphotodb.SpeakerPhoto) (map[string]Photo, error) {
	out := make(map[string]Photo, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	vars, err := q.ListVariants(ctx, s.DB, venueID)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.SpeakerKey] = Photo{Speaker: r.SpeakerKey, SHA256: r.Sha, ContentType: r.ContentType, Width: int(r.Width),
			Height: int(r.Height), UploadedAt: r.UploadedAt, Variants: map[int]Variant{}}
	}
	for _, v := range vars {
		if p, ok := out[v.SpeakerKey]; ok {
			p.Variants[int(v.Size)] = Variant{SHA256: v.Sha, ContentType: v.ContentType, Width: int(v.Width), Height: int(v.Height)}
		}
	}
	return out, nil
}

// Find names the picture of a speaker's photo to hand out: at width (one
// of Widths), or as stored when width is 0. Nothing is drawn here: every
// width was drawn once, when the photo was uploaded.
func (s *Service) Find(ctx context.Context, slug, key string, width int) (Variant, error) {
	if width != 0 && !slices.Contains(Widths, width) {
		return Variant{}, errBadWidth
	}
	p, err := s.Get(ctx, slug, key)
	if err != nil {
		return Variant{}, err
	}
	if width == 0 {
		return Variant{SHA256: p.SHA256, ContentType: p.ContentType, Width: p.Width, Height: p.Height}, nil
	}
	v, ok := p.Variants[width]
	if !ok {
		return Variant{}, errNoPhoto
	}
	return v, nil
}

// Open opens a picture Find named; the caller closes it.
func (s *Service) Open(ctx context.Context, v Variant) (io.ReadSeekCloser, int64, error) {
	return s.Blobs.Open(ctx, v.SHA256)
}
