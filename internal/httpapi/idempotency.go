package httpapi

import (
	"bytes"
	"context"
	"net/http"

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
// retry while the first is still running gets a 409.
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
			prev, err := idempotency.Claim(req.Context(), db, p.UserID, key, scope, clk.Now())
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
			done := false
			defer func() {
				if !done {
					_ = idempotency.Complete(ctx, db, p.UserID, key, http.StatusInternalServerError, nil)
				}
			}()
			cw := &captureWriter{ResponseWriter: c.Response().Writer}
			c.Response().Writer = cw
			err = next(c)
			if err != nil {
				c.Error(err) // render now, so the stored answer is the one sent
			}
			done = true
			return idempotency.Complete(ctx, db, p.UserID, key, c.Response().Status, cw.buf.Bytes())
		}
	}
}
