package expertise

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/expertise/expertisedb"
	"github.com/quirehq/quire/internal/problem"
)

var q = expertisedb.New()

// Service keeps each person's publications.
type Service struct {
	DB    *pgxpool.Pool
	Clock clock.Clock
}

// Entry is a stored publication as its owner sees it.
type Entry struct {
	ID       int64     `json:"id"`
	Title    string    `json:"title"`
	Abstract string    `json:"abstract"`
	Year     int       `json:"year,omitempty"`
	Venue    string    `json:"venue"`
	Source   string    `json:"source"`
	Added    time.Time `json:"added_at"`
}

// Added says what an upload did.
type Added struct {
	Read, Added int
}

// Add reads a file and keeps its publications for uid; titles already
// listed are skipped. With replace, the person's earlier list goes first.
func (s *Service) Add(ctx context.Context, uid int64, format string, data []byte, replace bool) (Added, error) {
	pubs, err := Parse(format, data)
	if err != nil {
		return Added{}, err
	}
	out := Added{Read: len(pubs)}
	now := s.Clock.Now()
	err = pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		if replace {
			if _, err := q.RemoveAllPublications(ctx, tx, uid); err != nil {
				return err
			}
		}
		for _, p := range pubs {
			var year *int32
			if p.Year > 0 {
				y := int32(p.Year)
				year = &y
			}
			n, err := q.AddPublication(ctx, tx, expertisedb.AddPublicationParams{UserID: uid, Title: p.Title, Abstract: p.Abstract,
				Year: year, Venue: p.Venue, Source: format, AddedAt: now})
			if err != nil {
				return err
			}
			out.Added += int(n)
		}
		return nil
	})
	return out, err
}

// List is the person's publications, newest first.
func (s *Service) List(ctx context.Context, uid int64) ([]Entry, error) {
	rows, err := q.ListPublications(ctx, s.DB, uid)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(rows))
	for _, r := range rows {
		e := Entry{ID: r.ID, Title: r.Title, Abstract: r.Abstract, Venue: r.Venue, Source: r.Source, Added: r.AddedAt}
		if r.Year != nil {
			e.Year = int(*r.Year)
		}
		out = append(out, e)
	}
	return out, nil
}

var errNoEntry = problem.New(problem.ErrNotFound, "publication_not_found", "you have no such publication listed")

// Remove takes one publication off the person's list.
func (s *Service) Remove(ctx context.Context, uid, id int64) error {
	n, err := q.RemovePublication(ctx, s.DB, expertisedb.RemovePublicationParams{ID: id, UserID: uid})
	if err != nil {
		return err
	}
	if n == 0 {
		return errNoEntry
	}
	return nil
}

// Weight is how many times a publication's text counts in its author's
// expertise: recent work (this year and the three before) twice.
func Weight(year, now int) int {
	if year > 0 && year >= now-3 {
		return 2
	}
	return 1
}
