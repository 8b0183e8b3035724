package webui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/auth"
	"github.com/quirehq/quire/internal/invitation"
	"github.com/quirehq/quire/internal/matching"
	"github.com/quirehq/quire/internal/problem"
)

var roleNames = map[string]string{"reviewer": "reviewer", "chair": "programme chair"}

// inviteLinkPage is an invitation as the holder of its link sees it. Which
// answer the page offers depends on who is looking: the signed-in person
// accepts or declines; someone signed out whose email has no account yet
// chooses a password to create one; an existing account signs in first.
type inviteLinkPage struct {
	Token, Path            string
	Venue, VenueName, Role string
	RoleName, Email, Name  string
	State                  string
	// OtherEmail is set when the signed-in account is not the invited one.
	OtherEmail  string
	HasAccount  bool
	LoginLink   string
	MinPassword int
	Errors      *formErrors
	Reason      string
	// LoadChoices are the loads a reviewer can state, 1 to the venue's
	// maximum; Load and Emergency keep what was chosen.
	LoadChoices []int
	Load        int
	Emergency   bool
}

func (u *ui) inviteModel(c echo.Context, s *session) (inviteLinkPage, error) {
	token := c.Param("token")
	v, err := u.Invitations.Get(c.Request().Context(), token)
	if err != nil {
		return inviteLinkPage{}, err
	}
	p := inviteLinkPage{Token: token, Path: "/invitations/" + url.PathEscape(token), Venue: v.Venue, VenueName: v.VenueName, Role: v.Role,
		RoleName: roleNames[v.Role], Email: v.Email, Name: strings.TrimSpace(v.Name), State: v.State, MinPassword: auth.MinPasswordChars}
	if p.RoleName == "" {
		p.RoleName = v.Role
	}
	p.LoginLink = "/login?next=" + url.QueryEscape(p.Path)
	for n := 1; n <= v.ReviewerMaxLoad; n++ {
		p.LoadChoices = append(p.LoadChoices, n)
	}
	p.Load = v.ReviewerMaxLoad
	switch {
	case s != nil:
		if !strings.EqualFold(s.User.Email, v.Email) {
			p.OtherEmail = s.User.Email
		}
	case v.State == "pending":
		_, exists, err := u.Accounts.ByEmail(c.Request().Context(), u.DB, v.Email)
		if err != nil {
			return inviteLinkPage{}, err
		}
		p.HasAccount = exists
	}
	return p, nil
}

func (u *ui) invitationPage(c echo.Context, s *session) error {
	p, err := u.inviteModel(c, s)
	if err != nil {
		return err
	}
	return u.render(c, http.StatusOK, "invitation", view{Title: "Invitation to " + p.VenueName, S: s, Page: p})
}

// acceptInvitation takes the role on the signed-in account or, for someone
// signed out, on a new account for the invited email, signing it in as
// the sign-in form does.
func (u *ui) acceptInvitation(c echo.Context, s *session) error {
	var caller *account.Principal
	var na *invitation.NewAccount
	if s != nil {
		if !s.csrfOK(c.FormValue(csrfField)) {
			return errCSRF
		}
		caller = &s.P
	} else {
		// Accepting signed out creates an account and signs it in: not
		// from a page of another site.
		if auth.CrossSite(c.Request()) {
			return errCrossSiteForm
		}
		na = &invitation.NewAccount{Name: c.FormValue("name"), Password: c.FormValue("password")}
	}
	cap, err := statedCapacity(c)
	var res invitation.Accepted
	if err == nil {
		res, err = u.Invitations.Accept(c.Request().Context(), c.Param("token"), caller, na, cap, c.RealIP())
	}
	if err != nil {
		if !inputError(err) {
			return err
		}
		p, merr := u.inviteModel(c, s)
		if merr != nil {
			return merr
		}
		if na != nil {
			p.Name = na.Name
		}
		if cap != nil {
			p.Load, p.Emergency = cap.MaxLoad, cap.EmergencyOnly
		}
		p.Errors = formErrorsOf(err, nil)
		status, _, _ := describe(err)
		return u.render(c, status, "invitation", view{Title: "Invitation to " + p.VenueName, S: s, Page: p})
	}
	if res.Tokens != nil {
		setSessionCookies(c, u.HTTPS, *res.Tokens, u.Clock.Now())
	}
	return c.Redirect(http.StatusSeeOther, "/invitations/"+url.PathEscape(c.Param("token")))
}

func (u *ui) declineInvitation(c echo.Context, s *session) error {
	if s != nil && !s.csrfOK(c.FormValue(csrfField)) {
		return errCSRF
	}
	if _, err := u.Invitations.Decline(c.Request().Context(), c.Param("token"), c.FormValue("reason"), c.RealIP()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/invitations/"+url.PathEscape(c.Param("token")))
}

// statedCapacity reads the load a reviewer states in a form (fields
// max_load and emergency_only); nil when the form has none.
func statedCapacity(c echo.Context) (*matching.Capacity, error) {
	v := strings.TrimSpace(c.FormValue("max_load"))
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return nil, problem.Invalid("the load is a number of papers", problem.FieldError{Field: "max_load", Message: "must be a whole number of papers"})
	}
	return &matching.Capacity{MaxLoad: n, EmergencyOnly: c.FormValue("emergency_only") == "yes"}, nil
}
