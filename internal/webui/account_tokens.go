package webui

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/problem"
)

// registerTokens adds the page where a person makes and revokes personal
// API tokens for their scripts. The page, like the API, needs a real
// sign-in: tokens never work on pages.
func (u *ui) registerTokens(e *echo.Echo) error {
	if err := u.addPages([]string{"account_tokens"}); err != nil {
		return err
	}
	e.GET("/account/tokens", u.signedIn(u.tokensPage))
	e.POST("/account/tokens", u.form(u.createToken))
	e.POST("/account/tokens/:id/revoke", u.form(u.revokeToken))
	return nil
}

type tokensPage struct {
	Tokens []tokenRow
	// Venues are the slugs of the venues the person chairs: the chair scopes offered.
	Venues []string
	// Secret is the new token's, shown this once after creating it.
	Secret, SecretName string
	// Form is what was typed, kept when it had errors.
	Name, Expires  string
	Scopes         map[string]bool
	MinDay, MaxDay string
	Errors         *formErrors
}

type tokenRow struct {
	ID               int64
	Name, Scopes     string
	Created, Expires shownTime
	LastUsed         *shownTime
	Address          string
	Expired          bool
}

// tokenDays is the default lifetime the form offers.
const tokenDays = 90

func (u *ui) tokensView(c echo.Context, s *session, p tokensPage) (view, error) {
	ctx := c.Request().Context()
	list, err := u.Accounts.APITokens(ctx, s.P.UserID)
	if err != nil {
		return view{}, err
	}
	_, roles, err := u.Accounts.Get(ctx, s.P.UserID)
	if err != nil {
		return view{}, err
	}
	now := u.Clock.Now().UTC()
	for _, r := range roles {
		if r.Role == "chair" {
			p.Venues = append(p.Venues, r.Venue)
		}
	}
	for _, t := range list {
		row := tokenRow{ID: t.ID, Name: t.Name, Scopes: strings.Join(t.Scopes, ", "), Created: showTime(t.Created),
			Expires: showTime(t.Expires), Address: t.LastUsedAddress, Expired: t.Expired(now)}
		if t.LastUsed != nil {
			lu := showTime(*t.LastUsed)
			row.LastUsed = &lu
		}
		p.Tokens = append(p.Tokens, row)
	}
	if p.Expires == "" {
		p.Expires = now.AddDate(0, 0, tokenDays).Format(time.DateOnly)
	}
	if p.Scopes == nil {
		p.Scopes = map[string]bool{account.ScopeRead: true}
	}
	p.MinDay = now.AddDate(0, 0, 1).Format(time.DateOnly)
	p.MaxDay = now.Add(account.MaxTokenLifetime - 24*time.Hour).Format(time.DateOnly)
	return view{Title: "Your API tokens", S: s, Page: p}, nil
}

func (u *ui) tokensPage(c echo.Context, s *session) error {
	v, err := u.tokensView(c, s, tokensPage{})
	if err != nil {
		return err
	}
	if c.QueryParam("revoked") != "" {
		v.Notice = "The token was revoked: scripts using it are refused from now on."
	}
	return u.render(c, http.StatusOK, "account_tokens", v)
}

var errTokenDay = problem.Invalid("choose the day the token expires", problem.FieldError{Field: "expires_at", Message: "choose a day"})

// createToken makes the token and shows its secret in the answer itself,
// not after a redirect, so that it is never stored or shown again.
func (u *ui) createToken(c echo.Context, s *session) error {
	form, _ := c.FormParams()
	p := tokensPage{Name: c.FormValue("name"), Expires: c.FormValue("expires"), Scopes: map[string]bool{}}
	for _, sc := range form["scope"] {
		p.Scopes[sc] = true
	}
	// The token lasts to the end of the chosen day, in UTC.
	day, err := time.Parse(time.DateOnly, p.Expires)
	if err == nil {
		var t account.APIToken
		var secret string
		t, secret, err = u.Accounts.CreateAPIToken(c.Request().Context(), s.P.UserID,
			account.NewAPIToken{Name: p.Name, Scopes: form["scope"], Expires: day.Add(24*time.Hour - time.Second)})
		if err == nil {
			v, err := u.tokensView(c, s, tokensPage{Secret: secret, SecretName: t.Name})
			if err != nil {
				return err
			}
			return u.render(c, http.StatusCreated, "account_tokens", v)
		}
	} else {
		err = errTokenDay
	}
	if !inputError(err) {
		return err
	}
	p.Errors = formErrorsOf(err, nil)
	v, verr := u.tokensView(c, s, p)
	if verr != nil {
		return verr
	}
	return u.render(c, http.StatusBadRequest, "account_tokens", v)
}

var errBadTokenID = problem.New(problem.ErrNotFound, "token_not_found", "there is no such token of yours")

func (u *ui) revokeToken(c echo.Context, s *session) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return errBadTokenID
	}
	if err := u.Accounts.RevokeAPIToken(c.Request().Context(), s.P.UserID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/tokens?revoked=1")
}
