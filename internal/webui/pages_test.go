package webui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/quirehq/quire/internal/app/apptest"
)

func TestSignedOutPeopleAreSentToSignIn(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b := newBrowser(t, s)
	for path, next := range map[string]string{"/submissions": "%2Fsubmissions", "/submissions/1/history": "%2Fsubmissions%2F1%2Fhistory",
		"/venues/dlde-2023/submit": "%2Fvenues%2Fdlde-2023%2Fsubmit"} {
		if p := b.get(path); p.status != http.StatusSeeOther || p.location != "/login?next="+next {
			t.Errorf("GET %s: %d to %q", path, p.status, p.location)
		}
	}
	// Public pages answer anyone.
	mustContain(t, b.get("/venues/dlde-2023"), "DLDE III", "2023-10-08 23:59:59 AoE", "2023-10-09 11:59:59 UTC", "Open for submissions")
	if p := b.get("/venues/nope"); p.status != http.StatusNotFound || !strings.Contains(p.body, "There is no venue nope.") {
		t.Errorf("unknown venue: %d", p.status)
	}
	// A forged access cookie is no session.
	b.client.Jar.SetCookies(b.base, []*http.Cookie{{Name: "quire_access", Value: "forged", Path: "/"}})
	if p := b.get("/submissions"); p.status != http.StatusSeeOther {
		t.Errorf("forged cookie: %d", p.status)
	}
}

func TestSignInSetsTheAPIsCookies(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	b := newBrowser(t, s)

	bad := b.post("/login", url.Values{"email": {"ada@uni.example"}, "password": {"wrong password"}, "next": {"/submissions"}})
	if bad.status != http.StatusUnauthorized {
		t.Errorf("bad password: %d", bad.status)
	}
	mustContain(t, bad, "The email or the password is wrong.", `value="ada@uni.example"`)

	web := b.signIn("ada@uni.example", apptest.Password)
	api := s.Do(t, "POST", "/api/v1/auth/login", map[string]string{"email": "ada@uni.example", "password": apptest.Password})
	attrs := func(h http.Header) map[string]string {
		out := map[string]string{}
		for _, c := range (&http.Response{Header: h}).Cookies() {
			out[c.Name] = c.Path + "|" + (map[bool]string{true: "HttpOnly"})[c.HttpOnly] + "|" + (map[bool]string{true: "Secure"})[c.Secure] +
				"|" + map[http.SameSite]string{http.SameSiteLaxMode: "Lax", http.SameSiteStrictMode: "Strict"}[c.SameSite]
		}
		return out
	}
	wa, aa := attrs(web.header), attrs(api.Header)
	if len(wa) != 3 {
		t.Errorf("the page set %v", wa)
	}
	for name, a := range aa {
		if wa[name] != a {
			t.Errorf("cookie %s: page sets %q, the API %q", name, wa[name], a)
		}
	}
	// The page's session works for the API's cookie mode, CSRF included.
	req, _ := http.NewRequest(http.MethodPatch, s.URL+"/api/v1/me", strings.NewReader(`{"affiliation":"University of Examples"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", b.csrf())
	if p := b.do(req); p.status != http.StatusOK {
		t.Errorf("PATCH /api/v1/me with the page's cookies: %d %s", p.status, p.body)
	}
	// Signed in, the sign-in page sends people on.
	if p := b.get("/login?next=/venues/dlde-2023"); p.status != http.StatusSeeOther || p.location != "/venues/dlde-2023" {
		t.Errorf("signed-in /login: %d %q", p.status, p.location)
	}
	// Signing out needs the CSRF field, then forgets the session.
	if p := b.post("/logout", url.Values{"csrf": {"nope"}}); p.status != http.StatusForbidden {
		t.Errorf("logout without CSRF: %d", p.status)
	}
	if p := b.post("/logout", url.Values{"csrf": {b.csrf()}}); p.status != http.StatusSeeOther || b.cookie("quire_access") != nil {
		t.Errorf("logout: %d, access cookie %v", p.status, b.cookie("quire_access"))
	}
	if p := b.get("/submissions"); p.status != http.StatusSeeOther {
		t.Errorf("after logout: %d", p.status)
	}
}

func TestRegisterShowsErrorsByTheField(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	b := newBrowser(t, s)
	p := b.post("/register", url.Values{"name": {" "}, "email": {"not-an-email"}, "password": {"short"}})
	if p.status != http.StatusBadRequest {
		t.Errorf("status %d", p.status)
	}
	// The domain reports the first problem it finds, next to its field.
	mustContain(t, p, `id="f-email-error"`, "Must be an email address.", `aria-describedby="f-email-error"`, `value="not-an-email"`)
	p = b.post("/register", url.Values{"name": {"Nia"}, "email": {"nia@uni.example"}, "password": {"a good long passphrase"}})
	mustContain(t, p, "Check your inbox", "nia@uni.example")
	link := apptest.LinkIn(t, s.WaitMail(t, "nia@uni.example", ""), "/verify")
	u, _ := url.Parse(link)
	mustContain(t, b.get(u.RequestURI()), `name="token" value="`+u.Query().Get("token")+`"`, "Confirm my address")
	mustContain(t, b.post("/verify", url.Values{"token": {u.Query().Get("token")}}), "Your email address is confirmed")
	if p := b.post("/verify", url.Values{"token": {u.Query().Get("token")}}); p.status != http.StatusBadRequest || !strings.Contains(p.body, "already used") {
		t.Errorf("a used link: %d", p.status)
	}
}

var submissionURL = regexp.MustCompile(`^/submissions/(\d+)\?created=1$`)

// paperForm is the submit form as a person fills it in without script:
// six author rows, unused ones empty.
func paperForm(csrf string) url.Values {
	f := url.Values{"csrf": {csrf}, "title": {"Neural ODEs with Learned Step Sizes"}, "abstract": {"We learn step sizes."},
		"keywords": {"neural differential equations, hypersolvers"}, "track": {"new-work"}, "declaration": {"yes"}}
	rows := [][3]string{{"Ada Author", "ada@uni.example", "University of Examples"}, {"", "", ""}, {"Bob Coauthor", "bob@lab.example", "Example Lab"}, {}, {}, {}}
	for _, r := range rows {
		f.Add("author_name", r[0])
		f.Add("author_email", r[1])
		f.Add("author_affiliation", r[2])
	}
	return f
}

func TestSubmitAndUploadWithoutScript(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada Author", false)
	b := newBrowser(t, s)
	b.signIn("ada@uni.example", apptest.Password)

	form := b.get("/venues/dlde-2023/submit")
	mustContain(t, form, `value="Ada Author"`, `value="ada@uni.example"`, `id="f-authors-5-name"`, `name="csrf" value="`+b.csrf()+`"`)

	// Without the CSRF field nothing happens.
	noToken := paperForm("")
	if p := b.post("/venues/dlde-2023/submit", noToken); p.status != http.StatusForbidden {
		t.Errorf("no CSRF: %d", p.status)
	}
	// Problems are shown next to their fields, on the row they were typed in.
	bad := paperForm(b.csrf())
	bad.Set("title", "")
	bad.Del("declaration")
	bad["author_email"][2] = "bob-at-lab"
	p := b.post("/venues/dlde-2023/submit", bad)
	if p.status != http.StatusBadRequest {
		t.Errorf("bad form: %d", p.status)
	}
	mustContain(t, p, `id="f-title-error"`, `id="f-declaration-error"`, `id="f-authors-2-email-error"`, `value="bob-at-lab"`,
		`href="#f-authors-2-email"`, "Please correct the 3 problems below.")

	p = b.post("/venues/dlde-2023/submit", paperForm(b.csrf()))
	m := submissionURL.FindStringSubmatch(p.location)
	if p.status != http.StatusSeeOther || m == nil {
		t.Fatalf("create: %d %q %s", p.status, p.location, p.body)
	}
	id := m[1]
	mustContain(t, b.get(p.location), "Your submission was created", "Incomplete: no accepted PDF yet", "Bob Coauthor", "No PDF has been accepted yet.")

	// The CSRF field must come first, and be right.
	if p := b.upload("/submissions/"+id+"/pdf", "", "midpage4.pdf"); p.status != http.StatusForbidden {
		t.Errorf("upload without CSRF: %d", p.status)
	}
	if p := b.upload("/submissions/"+id+"/pdf", b.csrf(), ""); p.status != http.StatusBadRequest || !strings.Contains(p.body, `id="f-pdf-error"`) {
		t.Errorf("upload without a file: %d", p.status)
	}
	// Over the limit, with nothing accepted before.
	p = b.upload("/submissions/"+id+"/pdf", b.csrf(), "sixpage.pdf")
	if p.status != http.StatusUnprocessableEntity {
		t.Errorf("six pages: %d", p.status)
	}
	mustContain(t, p, "Upload refused", `data-refused="over_page_limit"`, "Nothing was stored", "6 body pages, the limit is 4", "Yes: over the limit")
	// Within the limit: accepted, and the page says so after a redirect.
	p = b.upload("/submissions/"+id+"/pdf", b.csrf(), "midpage4.pdf")
	if p.status != http.StatusSeeOther || p.location != "/submissions/"+id+"?uploaded=1" {
		t.Fatalf("four pages: %d %q %s", p.status, p.location, p.body)
	}
	mustContain(t, b.get(p.location), "Your new PDF was accepted", "Within the page limit", "The body has 4 pages, within the limit of 4.")
	// Over again: refused, and the accepted version stands.
	p = b.upload("/submissions/"+id+"/pdf", b.csrf(), "sixpage.pdf")
	mustContain(t, p, "Upload refused", "Your previous version is unchanged", "The body has 4 pages, within the limit of 4.", "2 pages too many")

	h := b.get("/submissions/" + id + "/history")
	mustContain(t, h, "Revision 1: New PDF", "Revision 0: Created", "current")
	if strings.Count(h.body, "<h2>Revision ") != 2 {
		t.Errorf("refused uploads must leave no revision:\n%s", h.body)
	}
	mine := b.get("/submissions")
	mustContain(t, mine, "Neural ODEs with Learned Step Sizes", "Submitted", "4 body pages of 4", `data-countdown="2023-10-09T12:00:00Z"`)

	// Someone else sees neither the page nor the upload form.
	s.CreateUser(t, "eve@elsewhere.example", "Eve", false)
	eve := newBrowser(t, s)
	eve.signIn("eve@elsewhere.example", apptest.Password)
	for _, path := range []string{"/submissions/" + id, "/submissions/" + id + "/history"} {
		if p := eve.get(path); p.status != http.StatusNotFound {
			t.Errorf("a stranger on %s: %d", path, p.status)
		}
	}
	if p := eve.upload("/submissions/"+id+"/pdf", eve.csrf(), "midpage4.pdf"); p.status != http.StatusNotFound {
		t.Errorf("a stranger's upload: %d", p.status)
	}
}
