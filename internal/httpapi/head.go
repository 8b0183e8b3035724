package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// headAsGet answers HEAD wherever GET is answered (RFC 9110, 9.3.2): the
// request is routed and handled as the GET it stands for, with the same
// status and headers, and the body is dropped. It runs before routing, so
// every page, API read, file and probe gets it without a route of its own.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodHead {
			return next(c)
		}
		req.Method = http.MethodGet
		res := c.Response()
		res.Writer = bodyless{res.Writer}
		return next(c)
	}
}

// bodyless passes on the status and headers of a response and drops its
// body.
type bodyless struct{ http.ResponseWriter }

func (b bodyless) Write(p []byte) (int, error) { return len(p), nil }

// Unwrap lets http.ResponseController reach the connection (flushes).
func (b bodyless) Unwrap() http.ResponseWriter { return b.ResponseWriter }
