package httpapi_test

import (
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
)

// venueYAML is the demo venue under another slug.
func venueYAML(t *testing.T, slug string) string {
	t.Helper()
	y := string(venue.DemoYAML())
	if slug != "dlde-2023" {
		y = strings.Replace(y, "slug: dlde-2023", "slug: "+slug, 1)
	}
	return y
}

// twoVenues sets up an admin, venues a and b, and a chair of each.
func twoVenues(t *testing.T, s *apptest.Server) (admin, chairA, chairB string) {
	t.Helper()
	s.CreateUser(t, "admin@example.org", "Site Admin", true)
	s.CreateUser(t, "chair.a@example.org", "Chair A", false)
	s.CreateUser(t, "chair.b@example.org", "Chair B", false)
	admin = s.Login(t, "admin@example.org")
	for _, v := range []struct{ slug, chair string }{{"venue-a", "chair.a@example.org"}, {"venue-b", "chair.b@example.org"}} {
		r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": venueYAML(t, v.slug), "chairs": []string{v.chair}})
		if r.StatusCode != 201 {
			t.Fatalf("create %s: %s %s", v.slug, r.Status, r.Body)
		}
	}
	return admin, s.Login(t, "chair.a@example.org"), s.Login(t, "chair.b@example.org")
}

func TestOnlyAdminsCreateVenues(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	s.CreateUser(t, "someone@example.org", "Someone", false)
	tok := s.Login(t, "someone@example.org")
	expectProblem(t, s.As(t, tok, "POST", "/api/v1/venues", map[string]any{"settings_yaml": venueYAML(t, "x-2024"), "chairs": []string{"someone@example.org"}}), 403, "not_admin")

	s.CreateUser(t, "root@example.org", "Root", true)
	admin := s.Login(t, "root@example.org")
	bad := strings.Replace(venueYAML(t, "bad-2024"), "tracks:", "trakcs:", 1)
	m := expectProblem(t, s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": bad, "chairs": []string{"someone@example.org"}}), 400, "invalid_settings")
	if !strings.Contains(string(mustJSON(t, m["errors"])), "trakcs") {
		t.Fatalf("the unknown field must be named: %v", m["errors"])
	}
	r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": venueYAML(t, "dlde-2023"), "chairs": []string{"someone@example.org", "new.chair@example.org"}})
	if r.StatusCode != 201 {
		t.Fatalf("create: %s %s", r.Status, r.Body)
	}
	expectProblem(t, s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": venueYAML(t, "dlde-2023"), "chairs": []string{"someone@example.org"}}), 409, "venue_exists")
	// The existing account is chair at once; the new address is invited.
	me := s.As(t, tok, "GET", "/api/v1/me", nil).Map(t)
	if roles := mustJSON(t, me["roles"]); !strings.Contains(string(roles), `"venue":"dlde-2023"`) || !strings.Contains(string(roles), `"role":"chair"`) {
		t.Fatalf("roles: %s", roles)
	}
	s.WaitMail(t, "new.chair@example.org", "")

	// The public venue shows deadlines in UTC and AoE and hides grace.
	v := s.Do(t, "GET", "/api/v1/venues/dlde-2023", nil)
	if v.StatusCode != 200 {
		t.Fatalf("get venue: %s", v.Status)
	}
	body := string(v.Body)
	for _, want := range []string{`"aoe":"2023-10-08 23:59:59 AoE"`, `"utc":"2023-10-09T11:59:59Z"`, `"phase":"submission"`} {
		if !strings.Contains(body, want) {
			t.Errorf("venue lacks %s: %s", want, body)
		}
	}
	if strings.Contains(body, "grace") {
		t.Errorf("grace periods must stay hidden: %s", body)
	}
	expectProblem(t, s.Do(t, "GET", "/api/v1/venues/nope-2000", nil), 404, "venue_not_found")
}

func TestInvitationLifecycle(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	_, chairA, _ := twoVenues(t, s)

	// One by JSON.
	r := s.As(t, chairA, "POST", "/api/v1/venues/venue-a/invitations", map[string]any{"email": "rev1@example.org", "name": "Reviewer One", "role": "reviewer", "keywords": []string{"neural operators"}})
	if r.StatusCode != 201 {
		t.Fatalf("invite: %s %s", r.Status, r.Body)
	}
	// Several by CSV, with a header; a bad row rejects the whole file.
	bad := "name,email,affiliation,keywords\nR Two,rev2@example.org,MIT,PINNs;S4\nR Three,not-an-email,ETH,\n"
	m := expectProblem(t, s.As(t, chairA, "POST", "/api/v1/venues/venue-a/invitations?role=reviewer", bad, "Content-Type", "text/csv"), 400, "invalid_request")
	if !strings.Contains(string(mustJSON(t, m["errors"])), "line 3.email") {
		t.Fatalf("the bad line must be named: %v", m["errors"])
	}
	good := "name,email,affiliation,keywords\nR Two,rev2@example.org,MIT,PINNs;S4\nR Three,rev3@example.org,ETH,\n"
	r = s.As(t, chairA, "POST", "/api/v1/venues/venue-a/invitations?role=reviewer", good, "Content-Type", "text/csv")
	if r.StatusCode != 201 {
		t.Fatalf("csv: %s %s", r.Status, r.Body)
	}
	// Importing again invites nobody twice.
	again := s.As(t, chairA, "POST", "/api/v1/venues/venue-a/invitations?role=reviewer", good, "Content-Type", "text/csv")
	var first, second []map[string]any
	r.JSON(t, &first)
	again.JSON(t, &second)
	if len(second) != 2 || second[0]["id"] != first[0]["id"] || second[0]["send_count"] != float64(1) {
		t.Fatalf("second import: %s", again.Body)
	}

	// Reviewer One accepts by creating an account from the emailed link.
	link := apptest.LinkIn(t, s.WaitMail(t, "rev1@example.org", ""), "/invitations/")
	token := link[strings.LastIndex(link, "/")+1:]
	view := s.Do(t, "GET", "/api/v1/invitations/"+token, nil).Map(t)
	if view["venue"] != "venue-a" || view["role"] != "reviewer" || view["state"] != "pending" {
		t.Fatalf("view: %v", view)
	}
	expectProblem(t, s.Do(t, "POST", "/api/v1/invitations/"+token+"/accept", map[string]any{}), 400, "invalid_request")
	acc := s.Do(t, "POST", "/api/v1/invitations/"+token+"/accept", map[string]any{"password": "reviewing is fun 2023"})
	if acc.StatusCode != 200 {
		t.Fatalf("accept: %s %s", acc.Status, acc.Body)
	}
	tokens := acc.Map(t)["tokens"].(map[string]any)
	me := s.As(t, tokens["access_token"].(string), "GET", "/api/v1/me", nil).Map(t)
	if me["email_verified"] != true || me["name"] != "Reviewer One" || !strings.Contains(string(mustJSON(t, me["roles"])), `"role":"reviewer"`) {
		t.Fatalf("new reviewer: %v", me)
	}
	expectProblem(t, s.Do(t, "POST", "/api/v1/invitations/"+token+"/accept", map[string]any{"password": "reviewing is fun 2023"}), 409, "invitation_not_pending")

	// Reviewer Two's link is replaced by a resend; the old one stops working.
	list := s.As(t, chairA, "GET", "/api/v1/venues/venue-a/invitations", nil)
	var invs []map[string]any
	list.JSON(t, &invs)
	ids := map[string]float64{}
	for _, i := range invs {
		ids[i["email"].(string)] = i["id"].(float64)
	}
	old := apptest.LinkIn(t, s.WaitMail(t, "rev2@example.org", ""), "/invitations/")
	rs := s.As(t, chairA, "POST", "/api/v1/venues/venue-a/invitations/"+itoa(int64(ids["rev2@example.org"]))+"/resend", nil)
	if rs.StatusCode != 200 || rs.Map(t)["send_count"] != float64(2) {
		t.Fatalf("resend: %s %s", rs.Status, rs.Body)
	}
	expectProblem(t, s.Do(t, "GET", "/api/v1/invitations/"+old[strings.LastIndex(old, "/")+1:], nil), 404, "invitation_not_found")

	// Reviewer Three declines; then the chair cannot revoke an answered invitation.
	l3 := apptest.LinkIn(t, s.WaitMail(t, "rev3@example.org", ""), "/invitations/")
	d := s.Do(t, "POST", "/api/v1/invitations/"+l3[strings.LastIndex(l3, "/")+1:]+"/decline", map[string]string{"reason": "on leave"})
	if d.StatusCode != 200 || d.Map(t)["state"] != "declined" {
		t.Fatalf("decline: %s %s", d.Status, d.Body)
	}
	expectProblem(t, s.As(t, chairA, "POST", "/api/v1/venues/venue-a/invitations/"+itoa(int64(ids["rev3@example.org"]))+"/revoke", nil), 409, "invitation_not_pending")
	rv := s.As(t, chairA, "POST", "/api/v1/venues/venue-a/invitations/"+itoa(int64(ids["rev2@example.org"]))+"/revoke", nil)
	if rv.StatusCode != 200 || rv.Map(t)["state"] != "revoked" {
		t.Fatalf("revoke: %s %s", rv.Status, rv.Body)
	}
	list = s.As(t, chairA, "GET", "/api/v1/venues/venue-a/invitations", nil)
	states := map[string]string{}
	list.JSON(t, &invs)
	for _, i := range invs {
		states[i["email"].(string)] = i["state"].(string)
	}
	if states["rev1@example.org"] != "accepted" || states["rev2@example.org"] != "revoked" || states["rev3@example.org"] != "declined" {
		t.Fatalf("states: %v", states)
	}
}

func TestRolesStayInTheirVenue(t *testing.T) {
	t.Parallel()
	s := apptest.Start(t)
	_, chairA, chairB := twoVenues(t, s)
	s.CreateUser(t, "rev@example.org", "Reviewer A", false)
	s.CreateUser(t, "author@example.org", "Author", false)
	s.As(t, chairA, "POST", "/api/v1/venues/venue-a/invitations", map[string]any{"email": "rev@example.org", "role": "reviewer"})
	rev := s.Login(t, "rev@example.org")
	link := apptest.LinkIn(t, s.WaitMail(t, "rev@example.org", ""), "/invitations/")
	if r := s.As(t, rev, "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != 200 {
		t.Fatalf("accept signed in: %s %s", r.Status, r.Body)
	}
	author := s.Login(t, "author@example.org")
	cases := []struct {
		name, token, method, path string
		body                      any
		code                      string
	}{
		{"chair of A lists B", chairA, "GET", "/api/v1/venues/venue-b/invitations", nil, "not_chair"},
		{"chair of B invites into A", chairB, "POST", "/api/v1/venues/venue-a/invitations", map[string]string{"email": "x@example.org", "role": "reviewer"}, "not_chair"},
		{"reviewer of A lists A", rev, "GET", "/api/v1/venues/venue-a/invitations", nil, "not_chair"},
		{"reviewer of A invites into B", rev, "POST", "/api/v1/venues/venue-b/invitations", map[string]string{"email": "x@example.org", "role": "chair"}, "not_chair"},
		{"author lists A", author, "GET", "/api/v1/venues/venue-a/invitations", nil, "not_chair"},
		{"author creates a venue", author, "POST", "/api/v1/venues", map[string]any{"settings_yaml": venueYAML(t, "c-2024"), "chairs": []string{"author@example.org"}}, "not_admin"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			expectProblem(t, s.As(t, c.token, c.method, c.path, c.body), 403, c.code)
		})
	}
	expectProblem(t, s.Do(t, "GET", "/api/v1/venues/venue-a/invitations", nil), 401, "unauthorized")
}
