package outbox_test

import (
	"context"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/dbtest"
	"github.com/quirehq/quire/internal/mail"
	"github.com/quirehq/quire/internal/mail/smtptest"
	"github.com/quirehq/quire/internal/outbox"
	"github.com/quirehq/quire/internal/outbox/outboxdb"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func setup(t *testing.T) (*outbox.Worker, *smtptest.Server, *clock.Fake, outbox.Mailer) {
	t.Helper()
	pool := dbtest.Pool(t)
	srv := smtptest.New(t)
	clk := clock.NewFake(time.Date(2023, 10, 9, 11, 0, 0, 0, time.UTC))
	sender, err := mail.NewSender(mail.SMTPConfig{Host: srv.Host(), Port: srv.Port(), TLS: mail.TLSNone, From: "quire@example.org", Timeout: 30 * time.Second, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	w := &outbox.Worker{DB: pool, Sender: sender, Clock: clk, Log: slog.New(slog.DiscardHandler), MessageDomain: "quire.test"}
	return w, srv, clk, outbox.Mailer{Clock: clk}
}

func queue(t *testing.T, w *outbox.Worker, m outbox.Mailer, key, to string) {
	t.Helper()
	pool := w.DB.(interface {
		Begin(context.Context) (pgx.Tx, error)
	})
	tx, err := pool.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Queue(context.Background(), tx, mail.TemplateNotice, key, to, mail.NoticeData{Name: "N", Subject: "Decision for #17", Body: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestMailSurvivesSMTPOutage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, srv, clk, m := setup(t)
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	queue(t, w, m, "decision:17:a", "author@example.org")

	n, err := w.DrainOnce(ctx)
	if err != nil || n != 0 {
		t.Fatalf("with SMTP down: sent %d, err %v", n, err)
	}
	rows, err := outboxdb.New().ListMessages(ctx, w.DB)
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %v %v", rows, err)
	}
	r := rows[0]
	if r.SentAt != nil || r.FailedAt != nil || r.Attempts != 1 || r.LastError == "" || !r.NextAttemptAt.Equal(clk.Now().Add(outbox.Backoff(1))) {
		t.Fatalf("after a failed attempt: %+v", r)
	}
	// Not due yet: nothing is tried.
	if n, _ := w.DrainOnce(ctx); n != 0 {
		t.Fatal("retried before the backoff")
	}
	if rows, _ := outboxdb.New().ListMessages(ctx, w.DB); rows[0].Attempts != 1 {
		t.Fatalf("attempted before due: %+v", rows[0])
	}

	if err := srv.Restart(); err != nil {
		t.Fatal(err)
	}
	clk.Advance(outbox.Backoff(1) + time.Second)
	if n, err := w.DrainOnce(ctx); err != nil || n != 1 {
		t.Fatalf("after the outage: sent %d, err %v", n, err)
	}
	if n, _ := w.DrainOnce(ctx); n != 0 {
		t.Fatal("sent twice")
	}
	got := srv.Messages()
	if len(got) != 1 || !got[0].SentTo("author@example.org") || got[0].Subject != "Decision for #17" || got[0].MessageID == "" {
		t.Fatalf("received %+v", got)
	}
}

func TestEnqueueOncePerKeyAndNeverAfterRollback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, srv, _, m := setup(t)
	queue(t, w, m, "same-key", "a@example.org")
	queue(t, w, m, "same-key", "a@example.org")

	pool := w.DB.(interface {
		Begin(context.Context) (pgx.Tx, error)
	})
	tx, _ := pool.Begin(ctx)
	if err := m.Queue(ctx, tx, mail.TemplateNotice, "rolled-back", "b@example.org", mail.NoticeData{Subject: "never", Body: "x"}); err != nil {
		t.Fatal(err)
	}
	_ = tx.Rollback(ctx)

	if n, err := w.DrainOnce(ctx); err != nil || n != 1 {
		t.Fatalf("sent %d, %v", n, err)
	}
	for _, msg := range srv.Messages() {
		if msg.SentTo("b@example.org") {
			t.Fatal("mail of a rolled-back transaction was sent")
		}
	}
	if len(srv.Messages()) != 1 {
		t.Fatalf("got %d messages, want 1", len(srv.Messages()))
	}
}

func TestPermanentFailureIsRecorded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, srv, _, m := setup(t)
	srv.FailRecipient("gone@example.org", 550)
	queue(t, w, m, "k", "gone@example.org")
	if _, err := w.DrainOnce(ctx); err != nil {
		t.Fatal(err)
	}
	rows, _ := outboxdb.New().ListMessages(ctx, w.DB)
	if rows[0].FailedAt == nil || rows[0].SentAt != nil {
		t.Fatalf("a 550 must fail for good: %+v", rows[0])
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	t.Parallel()
	prev := time.Duration(0)
	for n := 1; n < 20; n++ {
		b := outbox.Backoff(n)
		if b < prev || b > time.Hour {
			t.Fatalf("Backoff(%d) = %v after %v", n, b, prev)
		}
		prev = b
	}
	if outbox.Backoff(1) != 10*time.Second || outbox.Backoff(30) != time.Hour {
		t.Fatal("backoff ends")
	}

}

// TestADeadWorkersBatchIsTakenOverWithinTheLease: a worker that claimed a
// batch and died (its replica killed before sending) holds it no longer
// than outbox.Lease; another worker then sends each message, under the
// Message-ID it would have had, so a receiver can drop a duplicate.
func TestADeadWorkersBatchIsTakenOverWithinTheLease(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w, srv, clk, m := setup(t)
	queue(t, w, m, "decision:17:a", "author@example.org")
	queue(t, w, m, "decision:18:a", "other@example.org")
	// The dead worker's claim: leased, never sent, never renewed.
	lease := clk.Now().Add(outbox.Lease)
	claimed, err := outboxdb.New().ClaimDue(ctx, w.DB, outboxdb.ClaimDueParams{LeaseUntil: &lease, Now: clk.Now(), Batch: 20})
	if err != nil || len(claimed) != 2 {
		t.Fatalf("the dead worker's claim: %v %v", claimed, err)
	}
	clk.Advance(outbox.Lease - time.Second)
	if n, err := w.DrainOnce(ctx); err != nil || n != 0 {
		t.Fatalf("within the lease: sent %d, %v", n, err)
	}
	clk.Advance(2 * time.Second)
	if n, err := w.DrainOnce(ctx); err != nil || n != 2 {
		t.Fatalf("past the lease: sent %d, %v", n, err)
	}
	for _, c := range claimed {
		got, err := srv.WaitFor(ctx, func(msg smtptest.Message) bool { return msg.SentTo(c.ToAddr) })
		if err != nil {
			t.Fatal(err)
		}
		if want := "outbox-" + strconv.FormatInt(c.ID, 10) + "@quire.test"; got.MessageID != want {
			t.Errorf("Message-ID %q, want %q", got.MessageID, want)
		}
	}
}
