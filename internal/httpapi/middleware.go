package httpapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/problem"
)

// accessLog logs every request once, with its id, route, status and latency.
func accessLog(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err) // sets the status before we read it
			}
			req, res := c.Request(), c.Response()
			level := slog.LevelInfo
			if res.Status >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(req.Context(), level, "request",
				slog.String("request_id", res.Header().Get(echo.HeaderXRequestID)),
				slog.String("method", req.Method),
				slog.String("path", req.URL.Path),
				slog.String("route", c.Path()),
				slog.Int("status", res.Status),
				slog.Int64("bytes", res.Size),
				slog.Duration("latency", time.Since(start)),
				slog.String("remote", c.RealIP()),
			)
			return nil
		}
	}
}

// recoverPanics turns a handler panic into a logged 500 with the stack.
func recoverPanics(log *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) (err error) {
			defer func() {
				if r := recover(); r != nil {
					if r == http.ErrAbortHandler {
						panic(r)
					}
					log.ErrorContext(c.Request().Context(), "panic in handler",
						"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
						"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
					err = errors.New("panic recovered")
				}
			}()
			return next(c)
		}
	}
}

// securityHeaders sets the headers every response should carry. The content
// security policy allows only same-origin scripts and styles: the UI vendors
// its few scripts instead of loading them from a CDN.
func securityHeaders(https bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "same-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
			if https {
				h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
			}
			return next(c)
		}
	}
}

// bodyLimit caps request bodies: small for JSON, larger for upload routes.
// A declared length over the limit is refused before reading; an undeclared
// one is cut off while streaming.
func bodyLimit(jsonLimit, uploadLimit int64, isUpload func(echo.Context) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			limit := jsonLimit
			if isUpload(c) {
				limit = uploadLimit
			}
			req := c.Request()
			if req.ContentLength > limit {
				return problem.New(problem.ErrTooLarge, "payload_too_large",
					"the request body of "+strconv.FormatInt(req.ContentLength, 10)+" bytes is larger than the limit of "+strconv.FormatInt(limit, 10)+" bytes")
			}
			capped := http.MaxBytesReader(c.Response(), req.Body, limit)
			req.Body = bodyReader{r: capped, c: capped}
			return next(c)
		}
	}
}
