package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/idempotency"
)

// captureWriter keeps a copy of a response body while writing it.
type captureWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.buf.Len() < 1<<20 {
		w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// idempotent makes POST and PUT requests that carry an Idempotency-Key safe
// to retry: the first answer is stored and replayed for the same key, and a
// retry while the first is still running gets a 409 with Retry-After. The
// claim is renewed while the request runs; once it stops, however, a retry
// takes the key over within idempotency.Bound.
func idempotent(db *pgxpool.Pool, clk clock.Clock) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			key := req.Header.Get("Idempotency-Key")
			if key == "" || (req.Method != http.MethodPost && req.Method != http.MethodPut) {
				return next(c)
			}
			p, ok := account.PrincipalFrom(req.Context())
			if !ok {
				return next(c)
			}
			scope := req.Method + " " + req.URL.Path
			claim, prev, err := idempotency.Claim(req.Context(), db, p.UserID, key, scope, clk.Now())
			if err != nil {
				return err
			}
			if prev != nil {
				c.Response().Header().Set("Idempotent-Replayed", "true")
				ct := "application/json"
				if prev.Status >= 400 {
					ct = "application/problem+json"
				}
				return c.Blob(prev.Status, ct, prev.Body)
			}
			// Finish the key even if the client goes away or the handler panics.
			ctx := context.WithoutCancel(req.Context())
			stop := renewWhileRunning(ctx, db, clk, claim)
			done := false
			defer func() {
				stop()
				if !done {
					_ = claim.Complete(ctx, db, http.StatusInternalServerError, nil)
				}
			}()
			c.SetRequest(req.WithContext(idempotency.With(req.Context(), claim)))
			cw := &captureWriter{ResponseWriter: c.Response().Writer}
			c.Response().Writer = cw
			err = next(c)
			if err != nil {
				c.Error(err) // render now, so the stored answer is the one sent
			}
			done = true
			stop()
			return claim.Complete(ctx, db, c.Response().Status, cw.buf.Bytes())
		}
	}
}

// renewWhileRunning renews the claim every idempotency.RenewEvery until
// stop is called (more than once is fine). A renewal that fails (the
// database away) is tried again at the next tick; the transaction that makes
// the change checks the claim itself.
func renewWhileRunning(ctx context.Context, db *pgxpool.Pool, clk clock.Clock, claim *idempotency.Claimed) (stop func()) {
	quit := make(chan struct{})
	var once sync.Once
	go func() {
		t := time.NewTicker(idempotency.RenewEvery)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
				_ = claim.Renew(ctx, db, clk.Now())
			}
		}
	}()
	return func() { once.Do(func() { close(quit) }) }
}
