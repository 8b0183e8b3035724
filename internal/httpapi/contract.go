package httpapi

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/api"
	"github.com/quirehq/quire/internal/problem"
)

// loadContract parses the embedded OpenAPI document and builds a router that
// finds the operation of a request.
// kin-openapi checks only the formats it is told about; the registry is
// global, so it is filled once.
func init() {
	openapi3.DefineStringFormatValidator("email", openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail))
}

func loadContract() (*openapi3.T, routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Spec)
	if err != nil {
		return nil, nil, fmt.Errorf("api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, nil, fmt.Errorf("api/openapi.yaml is not valid OpenAPI: %w", err)
	}
	// Match on paths alone: the server URL is relative, and the prefix is
	// added by the group the middleware is attached to.
	doc.Servers = nil
	// Authentication is ours (the authenticate middleware). The validator's
	// security check would read every request body into memory, uploads
	// included, to offer it to an authentication function: drop the
	// requirements from the copy used for validation (the served document
	// keeps them).
	doc.Security = nil
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			op.Security = nil
		}
	}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, nil, err
	}
	return doc, r, nil
}

// validateRequests checks every /api/v1 request against the contract and
// answers a mismatch with a 400 naming the field. Requests the contract does
// not know fall through to Echo, which answers 404 or 405. Binary upload
// bodies are streamed to their handler unread.
func validateRequests(router routers.Router, prefix string) echo.MiddlewareFunc {
	opts := &openapi3filter.Options{
		MultiError:         true,
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
	}
	uploadOpts := *opts
	uploadOpts.ExcludeRequestBody = true
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			// Route on the path below the prefix.
			r2 := req.Clone(req.Context())
			u := *req.URL
			u.Path = strings.TrimPrefix(u.Path, prefix)
			u.RawPath = ""
			r2.URL = &u
			r2.Body = req.Body
			route, params, err := router.FindRoute(r2)
			var re *routers.RouteError
			if errors.As(err, &re) && re.Reason == routers.ErrMethodNotAllowed.Error() {
				return methodNotAllowed(c, router, r2)
			}
			if err != nil {
				return next(c)
			}
			if err := checkBody(route.Operation, req); err != nil {
				return err
			}
			ct := req.Header.Get(echo.HeaderContentType)
			r2.Header.Set(echo.HeaderContentType, ct)
			o := opts
			if strings.HasPrefix(ct, "application/pdf") || strings.HasPrefix(ct, "application/zip") ||
				strings.HasPrefix(ct, "multipart/form-data") || strings.HasPrefix(ct, "application/octet-stream") {
				o = &uploadOpts
			}
			in := &openapi3filter.RequestValidationInput{Request: r2, PathParams: params, Route: route, Options: o}
			if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
				return contractProblem(err)
			}
			// The validator may have replaced the body with a re-readable copy.
			req.Body = r2.Body
			return next(c)
		}
	}
}

// methodNotAllowed answers a method the contract does not have on a path
// it has: 405, with the methods it has in Allow (HEAD wherever GET).
func methodNotAllowed(c echo.Context, router routers.Router, r *http.Request) error {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if m == http.MethodHead {
			probe.Method = http.MethodGet
		}
		// The router also matches /venues to /venues/{venue} with an empty
		// parameter: that is not the address asked for.
		if _, params, err := router.FindRoute(probe); err == nil && !slices.Contains(slices.Collect(maps.Values(params)), "") {
			allow = append(allow, m)
		}
	}
	c.Response().Header().Set(echo.HeaderAllow, strings.Join(allow, ", "))
	return echo.NewHTTPError(http.StatusMethodNotAllowed, "this address answers "+strings.Join(allow, ", ")+" only")
}

// contractProblem turns the validator's errors into one 400 listing each field.
func contractProblem(err error) error {
	var fields []problem.FieldError
	var walk func(error)
	walk = func(err error) {
		var multi openapi3.MultiError
		if errors.As(err, &multi) {
			for _, e := range multi {
				walk(e)
			}
			return
		}
		var re *openapi3filter.RequestError
		if errors.As(err, &re) {
			field := "body"
			if re.Parameter != nil {
				field = re.Parameter.In + "." + re.Parameter.Name
			}
			var se *openapi3.SchemaError
			inner := re.Err
			var innerMulti openapi3.MultiError
			if errors.As(inner, &innerMulti) {
				for _, e := range innerMulti {
					if errors.As(e, &se) {
						fields = append(fields, problem.FieldError{Field: schemaField(field, se), Message: se.Reason})
					}
				}
				return
			}
			if errors.As(inner, &se) {
				fields = append(fields, problem.FieldError{Field: schemaField(field, se), Message: se.Reason})
				return
			}
			msg := re.Reason
			if msg == "" && re.Err != nil {
				msg = re.Err.Error()
			}
			fields = append(fields, problem.FieldError{Field: field, Message: msg})
			return
		}
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			fields = append(fields, problem.FieldError{Field: schemaField("body", se), Message: se.Reason})
			return
		}
		fields = append(fields, problem.FieldError{Field: "request", Message: err.Error()})
	}
	walk(err)
	detail := "the request does not match the API contract"
	if len(fields) > 0 {
		detail += ": " + fields[0].Field + " " + fields[0].Message
	}
	return problem.Invalid(detail, fields...)
}

func schemaField(base string, se *openapi3.SchemaError) string {
	ptr := se.JSONPointer()
	if len(ptr) == 0 {
		return base
	}
	return base + "." + strings.Join(ptr, ".")
}

// docsPage renders the contract with Swagger UI, served from web/vendor so
// nothing is fetched from a CDN.
const docsPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Quire API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body></html>`

func serveSpec(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", api.Spec)
}

func serveDocs(c echo.Context) error {
	return c.HTML(http.StatusOK, docsPage)
}
