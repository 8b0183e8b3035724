// Package outbox delivers mail reliably: a message is stored in the same
// transaction as the change that causes it, and a worker sends it later over
// SMTP with retries and backoff. A message whose cause rolled back is never
// sent; a message whose cause committed is never lost while SMTP is down.
package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/outbox/outboxdb"
)

var q = outboxdb.New()

// Enqueue stores msg for delivery, once per dedupeKey: enqueueing the same key
// again (a retried request, a restarted batch) does nothing. Pass the
// transaction of the change that causes the message.
func Enqueue(ctx context.Context, db outboxdb.DBTX, template, dedupeKey string, msg mail.Message, now time.Time) (bool, error) {
	n, err := q.Enqueue(ctx, db, outboxdb.EnqueueParams{
		DedupeKey: dedupeKey, Template: template, ToAddr: msg.To,
		Subject: msg.Subject, Body: msg.Text, CreatedAt: now,
	})
	if err != nil {
		return false, fmt.Errorf("enqueueing mail: %w", err)
	}
	return n == 1, nil
}

// Sender delivers one message; mail.Sender is the SMTP one.
type Sender interface {
	Send(ctx context.Context, m mail.Message) error
}

// Worker drains the outbox. Several workers (on several nodes) can run at
// once: each message is leased before sending.
type Worker struct {
	DB          outboxdb.DBTX
	Sender      Sender
	Clock       clock.Clock
	Log         *slog.Logger
	Poll        time.Duration // how often to look for due mail without a kick
	MaxAttempts int           // temporary failures before giving up
	// MessageDomain names this Quire in Message-IDs, which are derived from
	// the outbox id so a resent message keeps its identity.
	MessageDomain string

	kickOnce sync.Once
	kick     chan struct{}
}

func (w *Worker) kicks() chan struct{} {
	w.kickOnce.Do(func() { w.kick = make(chan struct{}, 1) })
	return w.kick
}

// Kick asks the worker to look for mail now rather than at the next poll.
func (w *Worker) Kick() {
	select {
	case w.kicks() <- struct{}{}:
	default:
	}
}

// Run delivers mail until ctx is cancelled.
func (w *Worker) Run(ctx context.Context) {
	poll := w.Poll
	if poll <= 0 {
		poll = 2 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		if _, err := w.DrainOnce(ctx); err != nil && ctx.Err() == nil {
			w.Log.Warn("outbox: draining failed; will retry", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-w.kicks():
		}
	}
}

// Lease is how long a claimed batch is a worker's without a renewal; the
// worker renews it every Lease/3 while it sends, so the batch of a worker
// that died (its replica killed) goes to another within Lease.
const Lease = 15 * time.Second

// DrainOnce sends every message that is due now and returns how many went out.
func (w *Worker) DrainOnce(ctx context.Context) (int, error) {
	sent := 0
	for {
		now := w.Clock.Now()
		lease := now.Add(Lease)
		batch, err := q.ClaimDue(ctx, w.DB, outboxdb.ClaimDueParams{LeaseUntil: &lease, Now: now, Batch: 20})
		if err != nil {
			return sent, err
		}
		if len(batch) == 0 {
			return sent, nil
		}
		stop := w.keepLeased(ctx, batch)
		n, err := w.deliverAll(ctx, batch)
		stop()
		sent += n
		if err != nil {
			return sent, err
		}
	}
}

// keepLeased renews the lease on a batch every Lease/3 until stop.
func (w *Worker) keepLeased(ctx context.Context, batch []outboxdb.Outbox) (stop func()) {
	ids := make([]int64, len(batch))
	for i, m := range batch {
		ids[i] = m.ID
	}
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				until := w.Clock.Now().Add(Lease)
				if err := q.RenewLease(ctx, w.DB, outboxdb.RenewLeaseParams{LeaseUntil: &until, Ids: ids}); err != nil && ctx.Err() == nil {
					w.Log.Warn("outbox: renewing a lease failed", "err", err)
				}
			}
		}
	}()
	return func() { close(quit); <-done }
}

// deliverAll sends a leased batch in order and returns how many went out.
func (w *Worker) deliverAll(ctx context.Context, batch []outboxdb.Outbox) (int, error) {
	sent := 0
	for _, m := range batch {
		ok, err := w.deliver(ctx, m)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
	}
	return sent, nil
}

// deliver sends one leased message and records the outcome.
func (w *Worker) deliver(ctx context.Context, m outboxdb.Outbox) (bool, error) {
	msg := mail.Message{
		To: m.ToAddr, Subject: m.Subject, Text: m.Body,
		MessageID:      "outbox-" + strconv.FormatInt(m.ID, 10) + "@" + w.MessageDomain,
		IdempotencyKey: m.DedupeKey,
	}
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	err := w.Sender.Send(sctx, msg)
	cancel()
	now := w.Clock.Now()
	if err == nil {
		w.Log.Info("mail sent", "outbox_id", m.ID, "template", m.Template, "attempt", m.Attempts)
		return true, q.MarkSent(ctx, w.DB, outboxdb.MarkSentParams{ID: m.ID, SentAt: &now})
	}
	max := w.MaxAttempts
	if max <= 0 {
		max = 12
	}
	if !mail.IsTemporary(err) || int(m.Attempts) >= max {
		w.Log.Error("mail failed for good", "outbox_id", m.ID, "template", m.Template, "attempts", m.Attempts, "err", err)
		return false, q.MarkFailed(ctx, w.DB, outboxdb.MarkFailedParams{ID: m.ID, FailedAt: &now, LastError: err.Error()})
	}
	next := now.Add(Backoff(int(m.Attempts)))
	w.Log.Warn("mail not sent; will retry", "outbox_id", m.ID, "attempt", m.Attempts, "next", next, "err", err)
	return false, q.MarkRetry(ctx, w.DB, outboxdb.MarkRetryParams{ID: m.ID, NextAttemptAt: next, LastError: err.Error()})
}

// Backoff is the wait after the n-th failed attempt: 10 s doubling, at most an hour.
func Backoff(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	d := 10 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// DomainOf picks the host of a base URL for Message-IDs.
func DomainOf(base *url.URL) string {
	if base == nil || base.Hostname() == "" {
		return "quire.invalid"
	}
	return base.Hostname()
}

// LogSender "delivers" mail to the log. It is what `quire dev` uses when no
// SMTP server is configured, so a newcomer can read verification links.
type LogSender struct{ Log *slog.Logger }

// Send writes the whole message to the log.
func (s LogSender) Send(_ context.Context, m mail.Message) error {
	s.Log.Info("mail (no SMTP server configured; shown here instead)", "to", m.To, "subject", m.Subject, "body", m.Text)
	return nil
}
