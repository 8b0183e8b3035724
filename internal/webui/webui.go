// Package webui is the browser face of Quire: server-rendered pages over the
// same domain services the API calls, under the same visibility policy. Every
// core form works without JavaScript; web/static/ui.js only adds a live
// countdown, times in the viewer's own zone, an upload progress bar and a
// silent session refresh.
package webui

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/quirehq/quire/internal/decision"
	"github.com/quirehq/quire/internal/expertise"
	"github.com/quirehq/quire/internal/fault"
	"github.com/quirehq/quire/internal/groupmail"
	"github.com/quirehq/quire/internal/invitation"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/publication"
	"github.com/quirehq/quire/internal/reminder"
	"github.com/quirehq/quire/internal/review"
	"github.com/quirehq/quire/internal/schedule"
	"github.com/quirehq/quire/internal/site"
	"github.com/quirehq/quire/internal/speakerphoto"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/submission"
	"github.com/quirehq/quire/internal/venue"
)

// Deps is what the pages need from the rest of the program.
type Deps struct {
	Accounts    *account.Service
	Venues      *venue.Store
	Submissions *submission.Service
	Invitations *invitation.Service
	Matching    *matching.Service
	Reviews     *review.Service
	Decisions   *decision.Service
	Schedule    *schedule.Service
	Publication *publication.Service
	Reminders   *reminder.Service
	Expertise   *expertise.Service
	Site        *site.Service
	GroupMail   *groupmail.Service
	// DB is the pool the venue store reads through.
	DB    *pgxpool.Pool
	Clock clock.Clock
	// Web holds templates/*.html (and the static files httpapi serves).
	Web   fs.FS
	HTTPS bool
	Log   *slog.Logger

	// SpeakerPhotos are the photos beside the speakers' bios.
	SpeakerPhotos *speakerphoto.Service
}

type ui struct {
	Deps
	pages map[string]*template.Template
}

// Register adds the pages to e, next to the API that httpapi.New set up.
func Register(e *echo.Echo, d Deps) error {
	if d.Accounts == nil || d.Venues == nil || d.Submissions == nil || d.DB == nil || d.Clock == nil || d.Web == nil || d.Log == nil || d.Schedule == nil || d.Decisions == nil || d.Site == nil {
		return errors.New("webui: every dependency must be set")
	}
	pages, err := parseTemplates(d.Web)
	if err != nil {
		return err
	}
	u := &ui{Deps: d, pages: pages}

	e.GET("/", u.page(u.home))
	e.GET("/login", u.page(u.loginForm))
	e.POST("/login", u.page(u.login))
	e.GET("/register", u.page(u.registerForm))
	e.POST("/register", u.page(u.register))
	e.GET("/verify", u.page(u.verifyForm))
	e.POST("/verify", u.page(u.verify))
	e.POST("/logout", u.page(u.logout))
	e.GET("/venues/:slug", u.page(u.venuePage))
	e.GET("/venues/:slug/submit", u.signedIn(u.submitForm))
	e.POST("/venues/:slug/submit", u.form(u.submit))
	e.GET("/submissions", u.signedIn(u.mySubmissions))
	e.GET("/submissions/:id", u.signedIn(u.submissionPage))
	// The upload checks its CSRF field itself, from the stream: parsing the
	// form first would buffer the file.
	e.POST("/submissions/:id/pdf", u.signedIn(u.uploadPDF))
	e.GET("/submissions/:id/history", u.signedIn(u.history))
	e.GET("/submissions/:id/edit", u.signedIn(u.editDetailsForm))
	e.POST("/submissions/:id/edit", u.form(u.editDetails))
	e.POST("/submissions/:id/supplementary", u.signedIn(u.uploadSupplementary))
	for _, register := range []func(*echo.Echo) error{u.registerAccount, u.registerReviewer, u.registerChair, u.registerChairAdmin, u.registerThumbs, u.registerSite, u.registerChairSchedule, u.registerChairProgramme, u.registerAdmin, u.registerChairMail, u.registerPublic, u.registerChairReciprocal, u.registerChairSpeakers} {
		if err := register(e); err != nil {
			return fmt.Errorf("webui: %w", err)
		}
	}
	return nil
}

// pageNames are the templates that are whole pages; layout.html wraps each.
var pageNames = []string{"home", "login", "register", "verify", "message", "venue", "submissions", "submit", "submission", "history", "error"}

func parseTemplates(web fs.FS) (map[string]*template.Template, error) {
	pages := make(map[string]*template.Template, len(pageNames))
	if err := parsePages(pages, web, pageNames); err != nil {
		return nil, err
	}
	return pages, nil
}

// parsePages parses each named page onto the layout, the shared partials
// and any further partials files (names without ".html"), into pages.
func parsePages(pages map[string]*template.Template, web fs.FS, names []string, partials ...string) error {
	files := []string{"templates/layout.html", "templates/partials.html"}
	for _, p := range partials {
		files = append(files, path.Join("templates", p+".html"))
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(web, files...)
	if err != nil {
		return fmt.Errorf("webui: parsing the layout: %w", err)
	}
	for _, name := range names {
		t, err := base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(web, path.Join("templates", name+".html")); err != nil {
			return fmt.Errorf("webui: parsing %s: %w", name, err)
		}
		pages[name] = t
	}
	return nil
}

// addPages parses more whole pages, next to the routes that use them.
func (u *ui) addPages(names []string, partials ...string) error {
	return parsePages(u.pages, u.Web, names, partials...)
}

// view is what every page template receives: the page's own data in Page,
// the signed-in person (or nil) in S.
type view struct {
	Title string
	S     *session
	// Notice is a one-line confirmation shown at the top of the page.
	Notice string
	Page   any
	// ServerNow lets the page script count down from the server's clock,
	// not from a viewer's clock that may be off.
	ServerNow string
}

// render executes a page into memory first, so a template error becomes a
// clean 500 instead of half a page.
func (u *ui) render(c echo.Context, status int, name string, v view) error {
	t, ok := u.pages[name]
	if !ok {
		return fmt.Errorf("webui: no page %q", name)
	}
	v.ServerNow = u.Clock.Now().UTC().Format(time.RFC3339)
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("webui: rendering %s: %w", name, err)
	}
	h := c.Response().Header()
	// Pages carry CSRF tokens and personal data: never cache them.
	h.Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// handler is a page handler; s is nil when nobody is signed in.
type handler func(c echo.Context, s *session) error

// page serves h to anyone, with the session when there is one, and turns
// errors into HTML pages rather than the API's problem+json.
func (u *ui) page(h handler) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := u.currentSession(c)
		if err != nil {
			return u.finish(c, nil, err)
		}
		if s != nil {
			if err := u.secondFactorGate(c, s); err != nil || c.Response().Committed {
				return u.finish(c, s, err)
			}
		}
		return u.finish(c, s, h(c, s))
	}
}

// signedIn serves h only to a signed-in person; others are sent to sign in
// and brought back afterwards.
func (u *ui) signedIn(h handler) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, err := u.currentSession(c)
		if err != nil {
			return u.finish(c, nil, err)
		}
		if s == nil {
			return toLogin(c)
		}
		if err := u.secondFactorGate(c, s); err != nil || c.Response().Committed {
			return u.finish(c, s, err)
		}
		return u.finish(c, s, h(c, s))
	}
}

// form is signedIn for urlencoded POSTs, which must carry the CSRF field.
func (u *ui) form(h handler) echo.HandlerFunc {
	return u.signedIn(func(c echo.Context, s *session) error {
		if !s.csrfOK(c.FormValue(csrfField)) {
			return errCSRF
		}
		return h(c, s)
	})
}

func toLogin(c echo.Context) error {
	next, ended := c.Request().URL.RequestURI(), ""
	if c.Request().Method != http.MethodGet {
		// Come back to the page the form was on, not to its POST target,
		// and say that what was sent was not saved.
		next, ended = "/", "&ended=1"
		if ref, err := url.Parse(c.Request().Referer()); err == nil && ref.Host == c.Request().Host {
			next = ref.RequestURI()
		}
	}
	return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(safeNext(next))+ended)
}

// finish renders err, if any, as an HTML page.
func (u *ui) finish(c echo.Context, s *session, err error) error {
	if err == nil || c.Response().Committed {
		return nil
	}
	status, title, detail := describe(err)
	if status == http.StatusUnauthorized {
		return toLogin(c)
	}
	var pe *problem.Error
	if errors.As(fault.Classify(err), &pe) && pe.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(pe.RetryAfter.Seconds()+0.999)))
	}
	if status >= 500 {
		u.Log.ErrorContext(c.Request().Context(), "page failed", "path", c.Request().URL.Path,
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "err", err)
	}
	if rerr := u.render(c, status, "error", view{Title: title, S: s, Page: errorPage{Status: status, Title: title, Detail: detail,
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}}); rerr != nil {
		u.Log.ErrorContext(c.Request().Context(), "error page failed", "err", rerr)
		return c.String(http.StatusInternalServerError, "something went wrong on our side")
	}
	return nil
}

type errorPage struct {
	Status        int
	Title, Detail string
	RequestID     string
}

// safeNext keeps a post-login redirect on this site: a path of this host
// and nothing a browser could read as another one. Browsers drop tabs and
// newlines, turn backslashes into slashes and undo percent-encoding in ways
// that differ, so next is refused (and "/" used) when it holds anything
// that is not printable ASCII, a backslash or a "//", or when any of its
// percent-decoded forms holds a control character, whitespace, a
// backslash or a "//".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "/login") {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if next[i] <= ' ' || next[i] >= 0x7f {
			return "/"
		}
	}
	form := next
	for range 4 {
		if !plainPath(form) {
			return "/"
		}
		decoded, err := url.PathUnescape(form)
		if err != nil {
			return "/"
		}
		if decoded == form {
			return sameHostPath(next)
		}
		form = decoded
	}
	return "/" // still encoded after four rounds: nobody writes that by hand
}

// plainPath reports whether p starts with one slash and holds no control
// character, no (Unicode) whitespace, no invisible formatting character, no
// backslash and no "//".
func plainPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.Contains(p, "//") || strings.ContainsRune(p, '\\') {
		return false
	}
	for _, r := range p {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// sameHostPath returns next if it parses as a path with neither scheme nor
// host, "/" otherwise.
func sameHostPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return next
}
