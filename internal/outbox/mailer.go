package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/mail"
)

// channel is the PostgreSQL notification channel that wakes workers. NOTIFY
// is delivered on commit, so a worker never wakes for mail that rolled back.
const channel = "quire_outbox"

// Mailer renders a template and queues the message in the caller's transaction.
type Mailer struct {
	Clock clock.Clock
}

// Queue renders template with data and stores it for delivery to to, once per dedupeKey.
func (m Mailer) Queue(ctx context.Context, tx pgx.Tx, template, dedupeKey, to string, data any) error {
	msg, err := mail.Render(template, data)
	if err != nil {
		return fmt.Errorf("rendering %s: %w", template, err)
	}
	msg.To = to
	if _, err := Enqueue(ctx, tx, template, dedupeKey, msg, m.Clock.Now()); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, "SELECT pg_notify($1, '')", channel)
	return err
}

// Listen wakes the worker whenever a transaction that queued mail commits,
// on this node or another, until ctx ends. Lost connections are retried.
func (w *Worker) Listen(ctx context.Context, pool *pgxpool.Pool) {
	for ctx.Err() == nil {
		if err := w.listenOnce(ctx, pool); err != nil && ctx.Err() == nil {
			w.Log.Warn("outbox: listening for mail failed; polling meanwhile", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
			}
		}
	}
}

func (w *Worker) listenOnce(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return err
	}
	defer func() {
		// Do not hand a listening connection back to the pool.
		_ = conn.Conn().Close(context.Background())
	}()
	for {
		if _, err := conn.Conn().WaitForNotification(ctx); err != nil {
			return err
		}
		w.Kick()
	}
}
