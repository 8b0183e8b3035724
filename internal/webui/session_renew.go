package webui

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/problem"
)

// currentSession is the request's session: the access cookie's, or, once
// that has expired, a session renewed from the refresh cookie.
func (u *ui) currentSession(c echo.Context) (*session, error) {
	if s, err := u.sessionOf(c); s != nil || err != nil {
		return s, err
	}
	return u.renewedSession(c)
}

// renewedSession rotates the login of a request whose access token is gone
// (the browser drops the cookie when it expires) but whose refresh cookie
// is good, as POST /api/v1/auth/refresh does, and sends the new cookies
// with this response: a review typed for longer than an access token
// lives is then saved when it is sent, not lost on the way to sign in.
// A nil session without an error means nobody is signed in.
func (u *ui) renewedSession(c echo.Context) (*session, error) {
	req := c.Request()
	ck, err := req.Cookie(cookieRefresh)
	if err != nil || ck.Value == "" || !mayRenew(req) {
		return nil, nil
	}
	ctx := req.Context()
	t, err := u.Accounts.Refresh(ctx, ck.Value)
	if errors.Is(err, problem.ErrUnauthorized) {
		// The login is over (expired, revoked or replayed): forget it.
		clearSessionCookies(c, u.HTTPS)
		return nil, nil
	}
	if err != nil {
		// A fault says nothing about the login: the cookies stay, and the
		// next request can renew it.
		return nil, fmt.Errorf("webui: renewing the session: %w", err)
	}
	setSessionCookies(c, u.HTTPS, t, u.Clock.Now())
	p, err := u.Accounts.Authenticate(ctx, t.Access)
	if err != nil {
		return nil, fmt.Errorf("webui: a renewed access token: %w", err)
	}
	usr, roles, err := u.Accounts.Get(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	return &session{P: p, User: usr, Roles: roles, CSRF: t.CSRF, access: t.Access, priorCSRF: priorCSRF(req)}, nil
}

// mayRenew says whether a request may rotate the login. Only pages and
// their scripts' own requests do: a page's images, sent side by side with
// one refresh token, would each present it, and every one after the first
// would look like a replay and end the login. A request that changes
// something must come from this site's own pages.
func mayRenew(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Dest") {
	case "", "document", "empty":
	default:
		return false
	}
	return r.Method == http.MethodGet || r.Method == http.MethodHead || sameOrigin(r)
}

// sameOrigin reports whether a browser sent r from one of this site's
// pages: by its Fetch metadata, or by Origin where it sends none.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" {
		return site == "same-origin"
	}
	o, err := url.Parse(r.Header.Get("Origin"))
	return err == nil && o.Host != "" && o.Host == r.Host
}

// priorCSRF is the CSRF token the forms of a page shown before the renewal
// carry: the CSRF cookie, set with the access token that has expired since.
// The new access token has another one. The old token counts only for a
// request from this site's pages, and, while the old access cookie is still
// sent, only if it belongs to that cookie.
func priorCSRF(r *http.Request) string {
	cc, err := r.Cookie(cookieCSRF)
	if err != nil || cc.Value == "" || !sameOrigin(r) {
		return ""
	}
	if old, err := r.Cookie(cookieAccess); err == nil && old.Value != "" && !account.CSRFMatches(old.Value, cc.Value) {
		return ""
	}
	return cc.Value
}
