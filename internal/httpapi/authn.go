package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/access"
	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/apigen"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/submission"
)

// Cookie names. The access and refresh cookies are HttpOnly; the CSRF cookie
// is readable by the page's script, which echoes it in X-CSRF-Token.
const (
	cookieAccess  = "quire_access"
	cookieRefresh = "quire_refresh"
	cookieCSRF    = "quire_csrf"
	headerCSRF    = "X-CSRF-Token"
)

// The refresh cookie goes to every path, so that a page can renew an
// expired access token within the very request a form is posted in. It
// used to go to the auth endpoints only; such a cookie, once stale, would
// be sent before the new one and read as a replayed token, so it is expired
// wherever the cookies are set or cleared.
const legacyRefreshPath = APIPrefix + "/auth"

type requestInfoKey struct{}

// requestInfo carries what strict handlers need from the HTTP request but
// cannot see: the client address and the refresh cookie.
type requestInfo struct {
	IP            string
	RefreshCookie string
}

func infoFrom(ctx context.Context) requestInfo {
	ri, _ := ctx.Value(requestInfoKey{}).(requestInfo)
	return ri
}

func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

// authenticate identifies the caller from a Bearer token or, for browsers,
// the access cookie. Cookie-authenticated requests that change state must
// carry the CSRF token. A presented but invalid token is a 401 even on public
// endpoints, so a client learns at once that its session ended.
func authenticate(accounts *account.Service, venue venueOf) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			ri := requestInfo{IP: c.RealIP()}
			if ck, err := req.Cookie(cookieRefresh); err == nil {
				ri.RefreshCookie = ck.Value
			}
			ctx := context.WithValue(req.Context(), requestInfoKey{}, ri)
			ctx = account.WithClient(ctx, account.Client{Address: ri.IP, UserAgent: req.UserAgent()})
			token, fromCookie := "", false
			h := req.Header.Get(echo.HeaderAuthorization)
			if h == "" && !isSafe(req.Method) && auth.CrossSite(req) {
				return errCrossSite
			}
			if h != "" {
				scheme, rest, ok := strings.Cut(h, " ")
				if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(rest) == "" {
					return problem.New(problem.ErrUnauthorized, "invalid_token", "the Authorization header must be `Bearer <access token>`")
				}
				token = strings.TrimSpace(rest)
			} else if ck, err := req.Cookie(cookieAccess); err == nil && ck.Value != "" {
				token, fromCookie = ck.Value, true
			}
			if !fromCookie && strings.HasPrefix(token, account.TokenPrefix) {
				p, err := accounts.AuthenticateAPIToken(ctx, token)
				if err != nil {
					return err
				}
				if err := tokenMayCall(ctx, *p.Token, p.UserID, req.Method, strings.TrimPrefix(req.URL.Path, APIPrefix), venue); err != nil {
					return err
				}
				if err := secondFactorGate(ctx, accounts, p.UserID, req.Method, strings.TrimPrefix(req.URL.Path, APIPrefix)); err != nil {
					return err
				}
				c.SetRequest(req.WithContext(account.WithPrincipal(ctx, p)))
				return next(c)
			}
			if token != "" {
				p, err := accounts.Authenticate(ctx, token)
				if err != nil {
					return err
				}
				if fromCookie && !isSafe(req.Method) && !account.CSRFMatches(token, req.Header.Get(headerCSRF)) {
					return problem.New(problem.ErrForbidden, "csrf_token_invalid", "this request came with the session cookie but without a valid X-CSRF-Token header")
				}
				if err := secondFactorGate(ctx, accounts, p.UserID, req.Method, strings.TrimPrefix(req.URL.Path, APIPrefix)); err != nil {
					return err
				}
				ctx = account.WithPrincipal(ctx, p)
			}
			c.SetRequest(req.WithContext(ctx))
			return next(c)
		}
	}
}

// secondFactorGate refuses every request of a person the instance requires
// a second factor of and who has not set it up, but those that set it up,
// show who they are, or sign in and out.
func secondFactorGate(ctx context.Context, accounts *account.Service, uid int64, method, path string) error {
	seg := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case seg[0] == "auth",
		seg[0] == "me" && len(seg) == 1 && isSafe(method),
		seg[0] == "me" && len(seg) > 1 && seg[1] == "two-factor":
		return nil
	}
	owes, err := accounts.OwesSecondFactor(ctx, uid)
	if err != nil {
		return err
	}
	if owes {
		return account.ErrTwoFactorSetupRequired
	}
	return nil
}

// authorRoutes are the actions under /submissions/{id} that belong to the
// paper's authors: what the submit scope allows.
var authorRoutes = map[string]bool{"": true, "pdf": true, "supplementary": true, "revisions": true, "withdraw": true,
	"conflicts": true, "response": true, "camera-ready": true, "final-authors": true}

// chairRoutes are the actions under /submissions/{id} that belong to the
// venue's chairs: what the chair scope of the paper's venue allows.
var chairRoutes = map[string]bool{"reinstate": true, "waiver": true, "anonymity-hold": true, "decision": true,
	"meta-review": true, "comments": true}

// venueOf names the venue of a submission the caller may know of, for a
// token's chair scope; access.ErrNotFound when they may not.
type venueOf func(ctx context.Context, submission, user int64) (string, error)

// submissionVenue answers venueOf from the central policy's view of the
// paper, so that a token learns nothing of a paper its holder may not see.
func submissionVenue(subs *submission.Service, db *pgxpool.Pool) venueOf {
	if subs == nil || subs.Access == nil {
		return nil
	}
	return func(ctx context.Context, id, user int64) (string, error) {
		v, err := subs.Access.Of(ctx, db, id, user)
		if err != nil {
			return "", err
		}
		return v.Venue.Slug, nil
	}
}

// tokenMayCall is the one place that maps a request to the scope a
// personal API token needs for it (the domain still checks the person's
// roles as for any request):
//   - the account's secrets (/auth, /me/tokens, /me/sessions, /me/two-factor, changes to
//     /me, invitations) need a real sign-in, whatever the scopes;
//   - safe methods (GET, HEAD, OPTIONS) need read, which every scope includes;
//   - POST /venues/{slug}/submissions and changes under /submissions/{id}
//     that are an author's (the paper, its files, revisions, withdrawing,
//     the response, camera-ready) need submit;
//   - any other change under /venues/{slug}/ needs chair:{slug}, and so do
//     a chair's changes under /submissions/{id} (a decision, a waiver, a
//     hold, a meta-review, a comment) for the paper's venue;
//   - every other change (reviews, administration) is not open to tokens.
func tokenMayCall(ctx context.Context, g account.TokenGrant, user int64, method, path string, venue venueOf) error {
	seg := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case seg[0] == "auth" || seg[0] == "invitations",
		seg[0] == "me" && len(seg) > 1 && (seg[1] == "tokens" || seg[1] == "sessions" || seg[1] == "two-factor"),
		seg[0] == "me" && len(seg) == 1 && !isSafe(method):
		return errTokenSignInNeeded
	case isSafe(method):
		return nil
	}
	need := ""
	switch {
	case seg[0] == "venues" && len(seg) == 3 && seg[2] == "submissions":
		need = account.ScopeSubmit
	case seg[0] == "venues" && len(seg) > 2:
		need = account.ScopeChairPrefix + seg[1]
	case seg[0] == "submissions" && len(seg) >= 2:
		sub := ""
		if len(seg) > 2 {
			sub = seg[2]
		}
		switch id, err := strconv.ParseInt(seg[1], 10, 64); {
		case authorRoutes[sub]:
			need = account.ScopeSubmit
		case chairRoutes[sub] && err == nil && venue != nil:
			slug, err := venue(ctx, id, user)
			if err != nil && !errors.Is(err, access.ErrNotFound) {
				return err
			}
			if slug != "" {
				need = account.ScopeChairPrefix + slug
			}
		}
	}
	if need == "" || !g.Allows(need) {
		return problem.New(problem.ErrForbidden, "token_scope", tokenScopeMessage(need))
	}
	return nil
}

func tokenScopeMessage(need string) string {
	if need == "" {
		return "API tokens cannot make this change; sign in to make it"
	}
	return "this API token lacks the scope " + need + " that this request needs"
}

var errTokenSignInNeeded = problem.New(problem.ErrForbidden, "token_not_allowed",
	"API tokens cannot manage tokens, sessions, sign-in or the account; sign in to do that")

// errCrossSite refuses a request a browser sent from a page of another
// site without a bearer token. Cookie-authenticated ones fail the CSRF
// check anyway; this is for those made before there is a session: a
// cross-site form posting to the login (with a form body or JSON smuggled
// in text/plain) would otherwise sign the browser into someone else's
// account, and the login sets the session cookies.
var errCrossSite = problem.New(problem.ErrForbidden, "cross_site_request",
	"this request came from a page of another site; sign in and send it from Quire's own pages")

// sessionCookies sets (or clears) the browser cookies after operations that
// start, rotate or end a session.
func sessionCookies(secure bool, now func() time.Time) apigen.StrictMiddlewareFunc {
	return func(f apigen.StrictHandlerFunc, op string) apigen.StrictHandlerFunc {
		return func(c echo.Context, req any) (any, error) {
			res, err := f(c, req)
			if err != nil {
				// A dead refresh token ends the browser's session; a fault
				// (the database away) says nothing about it: the cookies stay.
				if op == "Refresh" && errors.Is(err, problem.ErrUnauthorized) {
					clearCookies(c, secure)
				}
				return res, err
			}
			var tp *apigen.TokenPair
			switch r := res.(type) {
			case apigen.Login200JSONResponse:
				t := apigen.TokenPair(r.TokensJSONResponse)
				tp = &t
			case apigen.Refresh200JSONResponse:
				t := apigen.TokenPair(r.TokensJSONResponse)
				tp = &t
			case apigen.AcceptInvitation200JSONResponse:
				tp = r.Tokens
			case apigen.Logout204Response:
				clearCookies(c, secure)
			}
			if tp != nil {
				setCookies(c, secure, *tp)
			}
			return res, nil
		}
	}
}

func setCookies(c echo.Context, secure bool, t apigen.TokenPair) {
	c.SetCookie(&http.Cookie{Name: cookieRefresh, Value: "", Path: legacyRefreshPath, MaxAge: -1, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	c.SetCookie(&http.Cookie{Name: cookieAccess, Value: t.AccessToken, Path: "/", MaxAge: t.ExpiresIn, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
	c.SetCookie(&http.Cookie{Name: cookieRefresh, Value: t.RefreshToken, Path: "/", MaxAge: t.RefreshExpiresIn, HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	c.SetCookie(&http.Cookie{Name: cookieCSRF, Value: t.CsrfToken, Path: "/", MaxAge: t.RefreshExpiresIn, Secure: secure, SameSite: http.SameSiteStrictMode})
}

func clearCookies(c echo.Context, secure bool) {
	for _, ck := range []struct{ name, path string }{{cookieAccess, "/"}, {cookieRefresh, "/"}, {cookieRefresh, legacyRefreshPath}, {cookieCSRF, "/"}} {
		c.SetCookie(&http.Cookie{Name: ck.name, Value: "", Path: ck.path, MaxAge: -1, HttpOnly: ck.name != cookieCSRF, Secure: secure, SameSite: http.SameSiteLaxMode})
	}
}
