package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/invitation"
	"github.com/quirehq/quire/internal/mail/smtptest"
)

// TestInvitationMailShowsItsExpiry: the mail names the day the link stops
// working (it said 1 January 0001), the link does stop then, and a resend
// gives a new link with a new date.
func TestInvitationMailShowsItsExpiry(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	_, chairA, _ := twoVenues(t, s)
	sent := s.Clock.Now()
	r := s.As(t, chairA, "POST", "/api/v1/venues/venue-a/invitations", map[string]any{"email": "rev@example.org", "name": "Rev", "role": "reviewer"})
	if r.StatusCode != 201 {
		t.Fatalf("invite: %s %s", r.Status, r.Body)
	}
	var invs []map[string]any
	r.JSON(t, &invs)
	id := int64(invs[0]["id"].(float64))
	m := s.WaitMail(t, "rev@example.org", "")
	want := "The invitation expires on " + sent.Add(invitation.LinkTTL).UTC().Format("2 January 2006, 15:04 UTC") + "."
	if !strings.Contains(m.Text, want) || strings.Contains(m.Text, "0001") {
		t.Fatalf("the mail lacks %q:\n%s", want, m.Text)
	}
	link := apptest.LinkIn(t, m, "/invitations/")
	token := link[strings.LastIndex(link, "/")+1:]

	s.Clock.Advance(invitation.LinkTTL + time.Minute)
	expectProblem(t, s.Do(t, "POST", "/api/v1/invitations/"+token+"/accept", map[string]any{"password": "reviewing is fun 2023"}), 409, "invitation_expired")
	expectProblem(t, s.Do(t, "POST", "/api/v1/invitations/"+token+"/decline", map[string]string{}), 409, "invitation_expired")

	resent := s.Clock.Now()
	chairA = s.Login(t, "chair.a@example.org")
	if r := s.As(t, chairA, "POST", "/api/v1/venues/venue-a/invitations/"+itoa(id)+"/resend", nil); r.StatusCode != 200 {
		t.Fatalf("resend: %s %s", r.Status, r.Body)
	}
	want = "The invitation expires on " + resent.Add(invitation.LinkTTL).UTC().Format("2 January 2006, 15:04 UTC") + "."
	m = s.WaitMailWhere(t, "the resent invitation", func(m smtptest.Message) bool { return strings.Contains(m.Text, want) })
	link = apptest.LinkIn(t, m, "/invitations/")
	if r := s.Do(t, "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", map[string]any{"password": "reviewing is fun 2023"}); r.StatusCode != 200 {
		t.Fatalf("accepting the new link: %s %s", r.Status, r.Body)
	}
}
