package webui

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/internal/account"
	"github.com/quirehq/quire/internal/clock"
	"github.com/quirehq/quire/internal/problem"
	"github.com/quirehq/quire/internal/venue"
	"github.com/quirehq/quire/web"
)

// TestAccountPagesRender renders the account pages and the submission page
// after the release, checking what each must show and that no form of a
// signed-in person goes without its CSRF field.
func TestAccountPagesRender(t *testing.T) {
	t.Parallel()
	pages, err := parseTemplates(web.FS(""))
	if err != nil {
		t.Fatal(err)
	}
	u := &ui{Deps: Deps{Clock: clock.NewFake(time.Date(2023, 10, 26, 12, 0, 0, 0, time.UTC)), Web: web.FS("")}, pages: pages}
	if err := u.addPages(accountPageNames); err != nil {
		t.Fatal(err)
	}
	sess := &session{User: account.User{Name: "Ada <Author>", Email: "ada@uni.example"}, CSRF: "tok",
		Roles: []account.Role{{Venue: "dlde-2023", Role: "reviewer"}, {Venue: "other-2023", Role: "chair"}}}
	pwErr := formErrorsOf(problem.Invalid("x", problem.FieldError{Field: "password", Message: "too short"}), nil)
	released := submissionPage{ID: 7, Title: "Neural ODEs", Status: "submitted",
		Decision:    &decisionView{Label: "Accept (spotlight)", Note: "Keep it <short>.", Accept: true},
		Reviews:     []reviewView{{Label: "Reviewer 1", Fields: []reviewFieldView{{Label: "Overall", Value: "5: Strong accept"}, {Label: "Summary", Value: "Neat.", Text: true}}}},
		CameraReady: true, FinalAuthors: padAuthors([]authorRow{{Name: "Ada", Email: "ada@uni.example"}}),
		FinalErrors: formErrorsOf(problem.Invalid("x", problem.FieldError{Field: "authors[1].name", Message: "must not be empty"}), nil)}
	closed := released
	closed.CameraReadyClosed = "Camera-ready is closed."
	cases := []struct {
		name, page string
		v          view
		must, not  []string
	}{
		{"reset request", "account_reset", view{Page: resetPage{Email: "a@b.example", MinPassword: 10}},
			[]string{`action="/reset-password"`, `value="a@b.example"`}, []string{`name="token"`}},
		{"new password", "account_reset", view{Page: resetPage{Token: "t0k", MinPassword: 10, Errors: pwErr}},
			[]string{`name="token" value="t0k"`, `minlength="10"`, `id="f-password-error"`, `aria-describedby="f-password-error"`}, []string{`name="email"`}},
		{"profile", "account_profile", view{S: sess, Page: profilePage{Email: "ada@uni.example", Name: "Ada", Keywords: "a\nb"}},
			[]string{`action="/profile/verification"`, ">a\nb</textarea>", `href="/venues/dlde-2023/review"`, `href="/venues/other-2023/chair"`, "Ada &lt;Author&gt;"}, nil},
		{"verified profile", "account_profile", view{S: sess, Page: profilePage{Verified: true}}, []string{`data-verified="true"`}, []string{"/profile/verification"}},
		{"withdraw", "account_withdraw", view{S: sess, Page: withdrawPage{ID: 7, Title: "Neural <ODEs>"}},
			[]string{`action="/submissions/7/withdraw"`, "Neural &lt;ODEs&gt;"}, nil},
		{"invitation, newcomer", "invitation", view{Page: inviteLinkPage{Path: "/invitations/x", VenueName: "DLDE", RoleName: "reviewer", State: "pending", Errors: pwErr}},
			[]string{`action="/invitations/x/accept"`, `id="f-password-error"`, `action="/invitations/x/decline"`}, []string{`name="csrf"`}},
		{"invitation, existing account", "invitation", view{Page: inviteLinkPage{Path: "/invitations/x", State: "pending", HasAccount: true, LoginLink: "/login?next=%2Finvitations%2Fx"}},
			[]string{"Sign in first", `href="/login?next=%2Finvitations%2Fx"`}, []string{`name="password"`}},
		{"invitation, signed in", "invitation", view{S: sess, Page: inviteLinkPage{Path: "/invitations/x", State: "pending", RoleName: "reviewer", OtherEmail: "ada@uni.example"}},
			[]string{"Accept: become a reviewer", "You are signed in as ada@uni.example"}, []string{`name="password"`}},
		{"invitation, revoked", "invitation", view{Page: inviteLinkPage{State: "revoked"}}, []string{`data-invitation-state="revoked"`}, []string{"<form method=\"post\" action=\"/invitations"}},
		{"released submission", "submission", view{S: sess, Page: released},
			[]string{"Accept (spotlight)", "Keep it &lt;short&gt;.", "Reviewer 1", "5: Strong accept", `action="/submissions/7/camera-ready"`,
				`id="f-authors-1-name-error"`, `href="/submissions/7/withdraw"`}, []string{"Upload and check"}},
		{"camera-ready closed", "submission", view{S: sess, Page: closed}, []string{"Camera-ready is closed."}, []string{"/camera-ready"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec)
			tc.v.Title = tc.name
			if err := u.render(c, http.StatusOK, tc.page, tc.v); err != nil {
				t.Fatal(err)
			}
			html := rec.Body.String()
			for _, want := range tc.must {
				if !strings.Contains(html, want) {
					t.Errorf("missing %q", want)
				}
			}
			for _, bad := range tc.not {
				if strings.Contains(html, bad) {
					t.Errorf("has %q", bad)
				}
			}
			if inlineScript.MatchString(html) || handlerAttr.MatchString(html) || jsURL.MatchString(html) {
				t.Error("inline script, event handler or javascript: URL: the CSP forbids them")
			}
			if tc.v.S != nil && strings.Count(html, `method="post"`) != strings.Count(html, `name="csrf"`) {
				t.Errorf("%d forms, %d CSRF fields", strings.Count(html, `method="post"`), strings.Count(html, `name="csrf"`))
			}
		})
	}
}

func TestReviewFieldValues(t *testing.T) {
	t.Parallel()
	score := venue.FormField{Kind: venue.KindScore, Points: []venue.Point{{Value: 1, Label: "Reject"}, {Value: 5, Label: "Strong accept"}}}
	tests := []struct {
		name  string
		field venue.FormField
		v     any
		want  string
	}{
		{"a score from JSON", score, float64(5), "5: Strong accept"},
		{"a score as int", score, 1, "1: Reject"},
		{"off the scale", score, float64(3), "3"},
		{"text", venue.FormField{Kind: venue.KindText}, "Clear.", "Clear."},
		{"something else", venue.FormField{}, true, "true"},
	}
	for _, tt := range tests {
		if got := fieldValue(tt.field, tt.v); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
