// Package httpapi is Quire's HTTP edge: the one route table, the middleware
// every request passes through, and the translation of domain errors into
// problem+json. Handlers bind, call a domain service and map the result.
package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/blob"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/database"
	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/expertise"
	"github.com/quirehq/quire/internal/invitation"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/pdfcheck"
	"github.com/quirehq/quire/internal/publication"
	"github.com/quirehq/quire/internal/reminder"
	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/schedule"
	"github.com/quirehq/quire/internal/site"
	"github.com/quirehq/quire/internal/speakerphoto"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// Deps is what the HTTP layer needs from the rest of the program.
type Deps struct {
	Log            *slog.Logger
	Pool           *pgxpool.Pool
	Web            fs.FS
	HTTPS          bool
	MaxBodyBytes   int64
	MaxUploadBytes int64
	// TrustedProxies may name the client in X-Forwarded-For; nobody else may.
	TrustedProxies []*net.IPNet
	// Checker is the PDF check; /readyz probes its tools, /metrics shows them.
	Checker *pdfcheck.Checker
	Services
}

// Services are the domain services the handlers call.
type Services struct {
	Clock       clock.Clock
	DB          *pgxpool.Pool
	Accounts    *account.Service
	Venues      *venue.Store
	VenueAdmin  *venue.Admin
	Invitations *invitation.Service
	Site        *site.Service
	Submissions *submission.Service
	Matching    *matching.Service
	Reviews     *review.Service
	Decisions   *decision.Service
	Schedule    *schedule.Service
	Publication *publication.Service
	Reminders   *reminder.Service
	Expertise   *expertise.Service
	// SpeakerPhotos are the photos on the venues' public sites.
	SpeakerPhotos *speakerphoto.Service
}

// handlers implements the contract's operations: bind, call, map.
type handlers struct {
	Services
}

// APIPrefix is where the versioned API lives.
const APIPrefix = "/api/v1"

// New builds the Echo instance with every route Quire serves.
func New(d Deps) (*echo.Echo, error) {
	_, router, err := loadContract()
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(d.Log)
	e.IPExtractor = clientIP(d.TrustedProxies)
	e.Pre(headAsGet)
	m := newMetrics(d.Pool, d.Checker)

	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		// Accept a caller's id only when it looks like one, so logs stay clean.
		Generator: func() string { return newRequestID() },
	}))
	e.Use(accessLog(d.Log))
	e.Use(m.middleware)
	e.Use(recoverPanics(d.Log))
	e.Use(securityHeaders(d.HTTPS))
	e.Use(bodyLimit(d.MaxBodyBytes, d.MaxUploadBytes, isUpload))

	// Operations.
	e.GET("/healthz", healthz)
	var blobs blob.Files
	if d.Submissions != nil {
		blobs = d.Submissions.Blobs
	}
	e.GET("/readyz", readyz(d.Pool, d.Checker, blobs))
	e.GET("/metrics", m.handler())

	// The contract and its viewer.
	e.GET("/api/openapi.yaml", serveSpec)
	e.GET("/api/docs", serveDocs)
	static, err := staticFiles(d.Web)
	if err != nil {
		return nil, err
	}
	e.GET("/static/*", echo.WrapHandler(static))

	v1 := e.Group(APIPrefix, authenticate(d.Accounts, submissionVenue(d.Submissions, d.Pool)), validateRequests(router, APIPrefix), idempotent(d.DB, d.Clock))
	strict := apigen.NewStrictHandler(&handlers{d.Services}, []apigen.StrictMiddlewareFunc{sessionCookies(d.HTTPS, d.Clock.Now)})
	apigen.RegisterHandlers(v1, strict)
	return e, nil
}

func isUpload(c echo.Context) bool {
	p := c.Request().URL.Path
	return strings.HasSuffix(p, "/pdf") || strings.HasSuffix(p, "/supplementary") || strings.HasSuffix(p, "/camera-ready") ||
		strings.HasSuffix(p, "/photo") || p == "/admin/openreview-imports"
}

func healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 only when the database takes writes, its schema is the
// one this binary was built for, the blob store takes a write and the PDF
// checker's tools work, so a load balancer keeps traffic away otherwise.
func readyz(pool *pgxpool.Pool, checker *pdfcheck.Checker, blobs blob.Files) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
		defer cancel()
		if err := pool.Ping(ctx); err != nil {
			return echo.NewHTTPError(http.StatusServiceUnavailable, "the database does not answer")
		}
		// A standby answers but takes no write.
		var standby bool
		if err := pool.QueryRow(ctx, "SELECT pg_is_in_recovery()").Scan(&standby); err != nil || standby {
			return echo.NewHTTPError(http.StatusServiceUnavailable, "the database takes no writes (a standby, or not answering)")
		}
		st, err := database.GetStatus(ctx, pool)
		if err != nil {
			return echo.NewHTTPError(http.StatusServiceUnavailable, "the schema version cannot be read")
		}
		if err := st.Check(); err != nil {
			return echo.NewHTTPError(http.StatusServiceUnavailable, err.Error())
		}
		if blobs != nil {
			if err := blobs.Ping(ctx); err != nil {
				return echo.NewHTTPError(http.StatusServiceUnavailable, "the file store does not answer: "+err.Error())
			}
			if err := blobs.ProbeWrite(ctx); err != nil {
				return echo.NewHTTPError(http.StatusServiceUnavailable, "the file store takes no writes: "+err.Error())
			}
		}
		body := map[string]any{"status": "ready", "schema_version": st.Current}
		if checker != nil {
			// The tools get their own budget: the probe starts processes.
			tctx, cancel := context.WithTimeout(c.Request().Context(), 20*time.Second)
			defer cancel()
			if err := checker.Tools().Probe(tctx); err != nil {
				return echo.NewHTTPError(http.StatusServiceUnavailable, err.Error())
			}
			body["tools"] = checker.Tools().Status()
		}
		return c.JSON(http.StatusOK, body)
	}
}

// clientIP decides the address per-address limits and logs use. Echo's
// default believes any X-Forwarded-For, so a client could pick a new
// address for every sign-in guess; only the configured proxies are believed.
func clientIP(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
