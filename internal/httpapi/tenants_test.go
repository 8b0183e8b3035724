package httpapi_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/quirehq/quire/api"
	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
)

// tenants is three venues in three phases at once, with people who hold a
// different role in each:
//
//	A (rev-2023, reviewing): chaired by Ola. #1 by Zed and Quinn, reviewed by
//	  Mia and Sol.
//	B (sub-2024, submitting): chaired by Zed. #1 by Mia and Piper.
//	C (cam-2023, camera-ready, decisions released): chaired by Mia. #1 by Ola
//	  and Rosa, accepted, assigned to Tao.
//
// Each secret below belongs to one venue's object and must reach nobody
// outside what that venue's roles allow, however many roles a person holds
// elsewhere.
type tenants struct {
	s      *apptest.Server
	tokens map[string]string
	ids    map[string]int64 // venue slug -> its submission
}

const (
	venueA, venueB, venueC = "rev-2023", "sub-2024", "cam-2023"
)

// secrets: who may see each one. Quinn co-authors A's paper: its authors
// and A's chair, not its reviewer Mia. Piper co-authors B's paper: its
// authors and B's chair. Sol and Tao are in A's and C's reviewer pools,
// which a venue's own people see by design (authors declare conflicts
// from it; who reviews which paper is kept by the single-venue sweep):
// nobody from another venue.
var secrets = map[string][]string{
	"Quinn Hidden":  {"quinn", "zed", "ola"},
	"Piper Private": {"piper", "mia", "zed"},
	"Sol Reviewer":  {"sol", "ola", "zed", "quinn", "mia"},
	"Tao Unseen":    {"tao", "mia", "ola", "rosa", "zed"},
}

func tenantYAML(t *testing.T, slug string, shift func(string) string) string {
	t.Helper()
	y := strings.Replace(string(venue.DemoYAML()), "slug: dlde-2023", "slug: "+slug, 1)
	return shift(y)
}

func newTenants(t *testing.T) *tenants {
	t.Helper()
	s := apptest.Start(t)
	s.CreateUser(t, "admin@example.org", "Site Admin", true)
	people := map[string]string{"mia": "Mia Many", "zed": "Zed Zweite", "ola": "Ola Olsen", "quinn": "Quinn Hidden", "sol": "Sol Reviewer",
		"piper": "Piper Private", "rosa": "Rosa Roth", "tao": "Tao Unseen"}
	// Each on a domain of their own, so that no conflict is inferred.
	email := func(who string) string { return who + "@" + who + ".example" }
	for who, name := range people {
		s.CreateUser(t, email(who), name, false)
	}
	tn := &tenants{s: s, tokens: map[string]string{}, ids: map[string]int64{}}
	admin := s.Login(t, "admin@example.org")
	yamls := map[string]string{
		venueA: tenantYAML(t, venueA, func(y string) string { return y }),
		venueB: tenantYAML(t, venueB, func(y string) string {
			// Open since September 2023, the deadlines a year later.
			return strings.Replace(strings.ReplaceAll(y, "2023-", "2024-"), "submission_opens: 2024-09-01", "submission_opens: 2023-09-01", 1)
		}),
		venueC: tenantYAML(t, venueC, func(y string) string {
			return strings.NewReplacer("submission_opens: 2023-09-01 00:00 AoE", "submission_opens: 2023-07-01 00:00 AoE",
				"at: 2023-10-08 AoE", "at: 2023-08-01 AoE", "bidding: 2023-10-11 AoE", "bidding: 2023-08-05 AoE",
				"review: 2023-10-18 AoE", "review: 2023-08-10 AoE", "decision: 2023-10-24 AoE", "decision: 2023-08-20 AoE").Replace(y)
		}),
	}
	chairs := map[string]string{venueA: "ola", venueB: "zed", venueC: "mia"}
	for slug, y := range yamls {
		if r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": y, "chairs": []string{email(chairs[slug])}}); r.StatusCode != 201 {
			t.Fatalf("venue %s: %s", slug, r.Body)
		}
	}
	// Papers are written while every venue still takes them: the clock
	// starts before all three deadlines... except C's, so C's paper is
	// written at its own time.
	submit := func(slug, by, co string) {
		t.Helper()
		tok := s.Session(t, email(by)).Access
		r := s.As(t, tok, "POST", "/api/v1/venues/"+slug+"/submissions", map[string]any{
			"title": "A paper in " + slug, "abstract": "About " + slug + ".", "track": "new-work", "declaration": true,
			"authors": []map[string]string{{"name": people[by], "email": email(by)}, {"name": people[co], "email": email(co)}}})
		if r.StatusCode != 201 {
			t.Fatalf("submitting to %s: %s", slug, r.Body)
		}
		id := int64(r.Map(t)["id"].(float64))
		if r := s.As(t, tok, "PUT", fmt.Sprintf("/api/v1/submissions/%d/pdf", id), corpus(t, "midpage4.pdf"), "Content-Type", "application/pdf"); r.StatusCode != 200 {
			t.Fatalf("upload to %s: %s", slug, r.Body)
		}
		tn.ids[slug] = id
	}
	invite := func(slug, chair, who string) {
		t.Helper()
		if r := s.As(t, s.Session(t, email(chair)).Access, "POST", "/api/v1/venues/"+slug+"/invitations", map[string]any{"email": email(who), "role": "reviewer"}); r.StatusCode >= 300 {
			t.Fatalf("inviting %s to %s: %s", who, slug, r.Body)
		}
		link := apptest.LinkIn(t, s.WaitMail(t, email(who), "nvit"), "/invitations/")
		if r := s.As(t, s.Session(t, email(who)).Access, "POST", "/api/v1/invitations/"+link[strings.LastIndex(link, "/")+1:]+"/accept", nil); r.StatusCode != 200 {
			t.Fatalf("%s joining %s: %s", who, slug, r.Body)
		}
	}
	assign := func(slug, chair string, who ...string) {
		t.Helper()
		var changes []map[string]any
		for _, w := range who {
			changes = append(changes, map[string]any{"number": 1, "email": email(w), "assign": true})
		}
		if r := s.As(t, s.Session(t, email(chair)).Access, "POST", "/api/v1/venues/"+slug+"/assignments", map[string]any{"changes": changes}); r.StatusCode != 204 {
			t.Fatalf("assigning in %s: %s", slug, r.Body)
		}
	}

	// C's timeline: submitted in July, reviewed, decided and released.
	s.Clock.Set(time.Date(2023, 7, 15, 12, 0, 0, 0, time.UTC))
	submit(venueC, "ola", "rosa")
	invite(venueC, "mia", "tao")
	invite(venueC, "mia", "zed")
	s.Clock.Set(time.Date(2023, 8, 7, 12, 0, 0, 0, time.UTC))
	assign(venueC, "mia", "tao", "zed")
	if r := s.As(t, s.Session(t, email("mia")).Access, "PUT", fmt.Sprintf("/api/v1/submissions/%d/decision", tn.ids[venueC]), map[string]string{"category": "accept-poster"}); r.StatusCode != 204 {
		t.Fatalf("deciding C: %s", r.Body)
	}
	s.Clock.Set(time.Date(2023, 8, 25, 12, 0, 0, 0, time.UTC))
	if r := s.As(t, s.Session(t, email("mia")).Access, "PUT", "/api/v1/venues/"+venueC+"/release", map[string]string{}); r.StatusCode != 200 {
		t.Fatalf("releasing C: %s", r.Body)
	}
	// A and B take papers in October.
	s.Clock.Set(time.Date(2023, 10, 1, 12, 0, 0, 0, time.UTC))
	submit(venueA, "zed", "quinn")
	submit(venueB, "mia", "piper")
	invite(venueA, "ola", "mia")
	invite(venueA, "ola", "sol")
	// A is reviewing; B still takes submissions; C waits for camera-ready versions.
	s.Clock.Set(reviewingTime)
	assign(venueA, "ola", "mia", "sol")
	for who := range people {
		tn.tokens[who] = s.Session(t, email(who)).Access
	}
	tn.tokens["anonymous"] = ""
	for _, who := range []string{"mia", "sol"} {
		if r := s.As(t, tn.tokens[who], "PUT", fmt.Sprintf("/api/v1/submissions/%d/reviews/mine", tn.ids[venueA]), map[string]any{"fields": goodReview(4), "submit": true}); r.StatusCode != 200 {
			t.Fatalf("%s reviewing A: %s", who, r.Body)
		}
	}
	return tn
}

// urls fills every GET operation of the contract with each venue and its
// paper.
func (tn *tenants) urls(t *testing.T) []string {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.Spec)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		if item.Get == nil || strings.Contains(path, "{token}") || strings.Contains(path, "{run}") {
			continue
		}
		for slug, id := range tn.ids {
			u := "/api/v1" + strings.NewReplacer("{venue}", slug, "{id}", fmt.Sprint(id), "{number}", "1").Replace(path)
			seen[u] = true
			if strings.HasSuffix(u, "/pdf") && strings.Contains(path, "{id}") {
				seen[u+"?copy=anonymised"] = true
			}
		}
	}
	var out []string
	for u := range seen {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// sweep returns every secret a person who may not see it finds anywhere.
func (tn *tenants) sweep(t *testing.T, urls []string) []string {
	t.Helper()
	var found []string
	for who, tok := range tn.tokens {
		for _, u := range urls {
			var r *apptest.Response
			if tok == "" {
				r = tn.s.Do(t, "GET", u, nil)
			} else {
				r = tn.s.As(t, tok, "GET", u, nil)
			}
			if r.StatusCode >= 500 {
				t.Errorf("%s GET %s: %s", who, u, r.Status)
			}
			text := readable(t, r)
			for secret, allowed := range secrets {
				ok := false
				for _, a := range allowed {
					ok = ok || a == who
				}
				if !ok && strings.Contains(text, secret) {
					found = append(found, fmt.Sprintf("%s sees %q in GET %s (%d)", who, secret, u, r.StatusCode))
				}
			}
		}
	}
	return found
}

// TestThreeVenuesThreePhasesNothingCrosses: three venues in different
// phases, people with a different role in each. Every GET of the contract,
// for every venue, as every person: no venue's secret reaches anyone its
// roles do not allow; each person sees exactly their own roles and papers;
// and a venue's paper answers as a missing one to everyone without a role
// in that venue.
func TestThreeVenuesThreePhasesNothingCrosses(t *testing.T) {
	t.Parallel()
	tn := newTenants(t)
	// The three phases, as the public list has them.
	var list []struct{ Slug, Phase string }
	tn.s.Do(t, "GET", "/api/v1/venues", nil).JSON(t, &list)
	phases := map[string]string{}
	for _, v := range list {
		phases[v.Slug] = v.Phase
	}
	if phases[venueA] != "reviewing" || phases[venueB] != "submission" || phases[venueC] != "camera_ready" {
		t.Fatalf("phases: %v", phases)
	}
	// The secrets are there to find for those allowed (else the sweep
	// proves nothing).
	for secret, allowed := range secrets {
		seenBy := false
		for _, u := range tn.urls(t) {
			if strings.Contains(readable(t, tn.s.As(t, tn.tokens[allowed[len(allowed)-1]], "GET", u, nil)), secret) {
				seenBy = true
				break
			}
		}
		if !seenBy {
			t.Errorf("%q is visible to nobody, not even %s: the sweep would prove nothing", secret, allowed[len(allowed)-1])
		}
	}
	urls := tn.urls(t)
	for _, f := range tn.sweep(t, urls) {
		t.Error(f)
	}
	t.Logf("%d URLs x %d people", len(urls), len(tn.tokens))

	// Each person's own view: their roles, their papers.
	wantRoles := map[string]string{"mia": "chair@cam-2023 reviewer@rev-2023", "zed": "chair@sub-2024 reviewer@cam-2023", "ola": "chair@rev-2023"}
	for who, want := range wantRoles {
		var me struct {
			Roles []struct{ Role, Venue string }
		}
		tn.s.As(t, tn.tokens[who], "GET", "/api/v1/me", nil).JSON(t, &me)
		var got []string
		for _, r := range me.Roles {
			got = append(got, r.Role+"@"+r.Venue)
		}
		sort.Strings(got)
		if strings.Join(got, " ") != want {
			t.Errorf("%s's roles: %v, want %s", who, got, want)
		}
	}
	wantPapers := map[string]string{"mia": venueB, "zed": venueA, "ola": venueC, "sol": ""}
	for who, want := range wantPapers {
		var mine []struct{ Venue string }
		tn.s.As(t, tn.tokens[who], "GET", "/api/v1/me/submissions", nil).JSON(t, &mine)
		var got []string
		for _, m := range mine {
			got = append(got, m.Venue)
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s's submissions: %v, want %q", who, got, want)
		}
	}
	// Without a role in a venue, its paper does not exist.
	roles := map[string]map[string]bool{
		"mia": {venueA: true, venueB: true, venueC: true}, "zed": {venueA: true, venueB: true, venueC: true},
		"ola": {venueA: true, venueC: true}, "sol": {venueA: true}, "tao": {venueC: true}, "quinn": {venueA: true},
		"piper": {venueB: true}, "rosa": {venueC: true},
	}
	for who, has := range roles {
		for slug, id := range tn.ids {
			if has[slug] {
				continue
			}
			r := tn.s.As(t, tn.tokens[who], "GET", fmt.Sprintf("/api/v1/submissions/%d", id), nil)
			if r.StatusCode != http.StatusNotFound || !strings.Contains(string(r.Body), "submission_not_found") {
				t.Errorf("%s, without a role in %s, got %s for its paper", who, slug, r.Status)
			}
		}
	}
}

// TestThreeVenueSweepCatchesAnExposure is the test of the test: an endpoint
// that shows venue A's co-author to anyone is caught for every person who
// may not see it, and for nobody else.
func TestThreeVenueSweepCatchesAnExposure(t *testing.T) {
	t.Parallel()
	tn := newTenants(t)
	tn.s.App.Echo.GET("/api/v1/leaky", func(c echo.Context) error {
		return c.JSON(200, map[string]string{"coauthor": "Quinn Hidden"})
	})
	flagged := map[string]bool{}
	for _, f := range tn.sweep(t, []string{"/api/v1/leaky"}) {
		flagged[strings.Fields(f)[0]] = true
	}
	for who := range tn.tokens {
		allowed := who == "zed" || who == "ola" || who == "quinn"
		if flagged[who] == allowed {
			t.Errorf("%s flagged %v, allowed %v", who, flagged[who], allowed)
		}
	}
}
