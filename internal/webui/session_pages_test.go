package webui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

// sendForm posts form as a browser posts it from a page of the server (Origin
// and Referer set) or, with from empty, as a request that names no origin.
func (b *browser) sendForm(path, from string, form url.Values) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if from != "" {
		req.Header.Set("Origin", b.s.URL)
		req.Header.Set("Referer", b.s.URL+from)
	}
	return b.do(req)
}

// dropCookie makes the jar forget a cookie, as a browser forgets an
// expired one.
func (b *browser) dropCookie(name string) {
	b.client.Jar.SetCookies(b.base, []*http.Cookie{{Name: name, Path: "/", MaxAge: -1}})
}

func (b *browser) setCookie(name, value string) {
	b.client.Jar.SetCookies(b.base, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// rvSignedIn is Rex, signed in during reviewing with both papers assigned,
// and the path of his review form for the first.
func rvSignedIn(t *testing.T) (*rvWorld, *browser, string) {
	t.Helper()
	w := newRvWorld(t)
	w.assign(t)
	w.s.Clock.Set(rvReviewingAt)
	b := newBrowser(t, w.s)
	b.signIn(rexEmail, apptest.Password)
	form := fmt.Sprintf("/venues/dlde-2023/review/%d", w.ids[0])
	if p := b.get(form); p.status != http.StatusOK {
		t.Fatalf("the review form: %d %s", p.status, p.body)
	}
	return w, b, form
}

func withCSRF(v url.Values, csrf string) url.Values {
	v.Set("csrf", csrf)
	return v
}

// TestAnExpiredSessionIsRenewedWithinAFormPost: with the access cookie gone
// and the refresh cookie good, a review sent from its page is saved, the
// login rotated and the new cookies sent with the answer. The form's CSRF
// token, of the expired access token, still counts; a wrong one does not,
// and a post that names no origin of ours renews nothing.
func TestAnExpiredSessionIsRenewedWithinAFormPost(t *testing.T) {
	t.Parallel()
	_, b, form := rvSignedIn(t)
	csrf, refresh := b.csrf(), b.cookie("quire_refresh")
	if refresh == nil {
		t.Fatal("the pages are not sent the refresh cookie")
	}
	review := withCSRF(rvFullReview(4), csrf)
	review.Set("action", "submit")

	b.dropCookie("quire_access")
	if p := b.sendForm(form, "", review); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/login?") {
		t.Errorf("a post naming no origin: %d %q", p.status, p.location)
	}
	if b.cookie("quire_refresh") == nil || b.cookie("quire_refresh").Value != refresh.Value {
		t.Fatal("a post naming no origin touched the login")
	}

	bad := withCSRF(rvFullReview(4), "0123456789abcdef0123456789abcdef")
	bad.Set("action", "submit")
	if p := b.sendForm(form, form, bad); p.status != http.StatusForbidden {
		t.Errorf("a renewed post with a wrong CSRF token: %d", p.status)
	}
	// That renewal rotated the login; the page is shown again, as it
	// would be after the refusal, and its access cookie expires again.
	if b.cookie("quire_refresh").Value == refresh.Value {
		t.Error("the refresh token was not rotated")
	}
	if p := b.get(form); p.status != http.StatusOK || strings.Contains(p.body, "status-submitted") {
		t.Fatalf("after the refusal: %d", p.status)
	}
	csrf, refresh = b.csrf(), b.cookie("quire_refresh")
	b.dropCookie("quire_access")

	review.Set("csrf", csrf)
	p := b.sendForm(form, form, review)
	if p.status != http.StatusSeeOther || p.location != form+"?saved=submitted" {
		t.Fatalf("the renewed post: %d %q %s", p.status, p.location, p.body)
	}
	set := map[string]string{}
	for _, c := range (&http.Response{Header: p.header}).Cookies() {
		if c.MaxAge >= 0 {
			set[c.Name] = c.Value
		}
	}
	if set["quire_access"] == "" || set["quire_refresh"] == "" || set["quire_refresh"] == refresh.Value || set["quire_csrf"] == csrf {
		t.Errorf("the renewed post set the cookies %v", set)
	}
	mustContain(t, b.get(p.location), "Your review is submitted.", `data-review-status>Submitted`)
	// The renewal went through the login's rotation: the old refresh
	// token, used again, is a replay, and ends the login.
	r := b.s.Do(t, "POST", "/api/v1/auth/refresh", nil, "Cookie", "quire_refresh="+refresh.Value)
	if r.StatusCode != http.StatusUnauthorized || !strings.Contains(string(r.Body), "refresh_token_reused") {
		t.Errorf("the old refresh token again: %s %s", r.Status, r.Body)
	}
}

// TestAnExpiredSessionIsRenewedForAPage: a page opened after the access
// token expired (by the clock, with the cookie still sent) is shown, not
// the sign-in form; its forms carry the new session's CSRF token.
func TestAnExpiredSessionIsRenewedForAPage(t *testing.T) {
	t.Parallel()
	w, b, form := rvSignedIn(t)
	old := b.csrf()
	w.s.Clock.Set(rvReviewingAt.Add(20 * 60e9))
	p := b.get(form)
	if p.status != http.StatusOK {
		t.Fatalf("the review form after 20 minutes: %d %q", p.status, p.location)
	}
	if b.csrf() == old || !strings.Contains(p.body, `name="csrf" value="`+b.csrf()+`"`) {
		t.Errorf("the page's forms carry %q, not the renewed session's", old)
	}
}

// TestAnEndedLoginStillAsksToSignIn: with the refresh token unknown, a post
// goes to the sign-in page, which says why, and the cookies are cleared.
func TestAnEndedLoginStillAsksToSignIn(t *testing.T) {
	t.Parallel()
	_, b, form := rvSignedIn(t)
	review := withCSRF(rvFullReview(4), b.csrf())
	review.Set("action", "submit")
	b.dropCookie("quire_access")
	b.setCookie("quire_refresh", "not-a-refresh-token")
	p := b.sendForm(form, form, review)
	if p.status != http.StatusSeeOther || p.location != "/login?next="+url.QueryEscape(form)+"&ended=1" {
		t.Fatalf("a post with a dead login: %d %q", p.status, p.location)
	}
	if b.cookie("quire_refresh") != nil || b.cookie("quire_csrf") != nil {
		t.Error("the dead login's cookies were kept")
	}
	mustContain(t, b.get(p.location), "Your session had ended, so what you sent was not saved.")
	if p := b.get(form); p.status != http.StatusSeeOther || p.location != "/login?next="+url.QueryEscape(form) {
		t.Errorf("the form without a login: %d %q", p.status, p.location)
	}
}

// TestAFaultWhileRenewingKeepsTheLogin: when the database fails during the
// renewal, the person is shown an error but stays signed in, and the next
// try succeeds.
func TestAFaultWhileRenewingKeepsTheLogin(t *testing.T) {
	t.Parallel()
	w, b, form := rvSignedIn(t)
	review := withCSRF(rvFullReview(4), b.csrf())
	review.Set("action", "submit")
	refresh := b.cookie("quire_refresh").Value
	b.dropCookie("quire_access")
	ctx := context.Background()
	if _, err := w.s.App.Pool.Exec(ctx, `ALTER TABLE refresh_tokens RENAME TO refresh_tokens_away`); err != nil {
		t.Fatal(err)
	}
	p := b.sendForm(form, form, review)
	if _, err := w.s.App.Pool.Exec(ctx, `ALTER TABLE refresh_tokens_away RENAME TO refresh_tokens`); err != nil {
		t.Fatal(err)
	}
	if p.status != http.StatusInternalServerError {
		t.Errorf("a post while the database fails: %d %q", p.status, p.location)
	}
	if len(p.header.Values("Set-Cookie")) != 0 || b.cookie("quire_refresh") == nil || b.cookie("quire_refresh").Value != refresh {
		t.Fatalf("the fault changed the cookies: %v", p.header.Values("Set-Cookie"))
	}
	if p := b.sendForm(form, form, review); p.status != http.StatusSeeOther || p.location != form+"?saved=submitted" {
		t.Errorf("the next try: %d %q", p.status, p.location)
	}
}

// TestTheRefreshCookieMovesToEveryPath: a refresh cookie from before, kept
// for the API's auth path only, is expired when the API rotates it, so that
// only the new one, sent everywhere, is left.
func TestTheRefreshCookieMovesToEveryPath(t *testing.T) {
	t.Parallel()
	_, b, form := rvSignedIn(t)
	refresh := b.cookie("quire_refresh").Value
	authURL, _ := url.Parse(b.s.URL + "/api/v1/auth/refresh")
	b.client.Jar.SetCookies(b.base, []*http.Cookie{{Name: "quire_refresh", Path: "/", MaxAge: -1}})
	b.client.Jar.SetCookies(authURL, []*http.Cookie{{Name: "quire_refresh", Value: refresh, Path: "/api/v1/auth"}})
	b.dropCookie("quire_access")
	req, _ := http.NewRequest(http.MethodPost, authURL.String(), strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	if p := b.do(req); p.status != http.StatusOK {
		t.Fatalf("refreshing through the API: %d %s", p.status, p.body)
	}
	n := 0
	for _, c := range b.client.Jar.Cookies(authURL) {
		if c.Name != "quire_form" { // the sign-in form's token, not the session's
			n++
		}
	}
	if n != 3 {
		t.Errorf("the API's auth path is sent %d cookies, want access, refresh and CSRF once each: %v", n, b.client.Jar.Cookies(authURL))
	}
	b.dropCookie("quire_access")
	if p := b.get(form); p.status != http.StatusOK {
		t.Errorf("the page renewed with the moved cookie: %d %q", p.status, p.location)
	}
}
