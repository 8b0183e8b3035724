package webui_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/quirehq/quire/internal/app/apptest"
	"github.com/quirehq/quire/internal/venue"
	"github.com/quirehq/quire/internal/webui"
	"github.com/quirehq/quire/web"
)

// The test binary doubles as the PDF checker's worker (pages upload PDFs).
func TestMain(m *testing.M) { apptest.Main(m) }

// startUI runs Quire with its pages and the DLDE III venue, chaired by
// chair@example.org. The clock stands a week before the submission deadline.
func startUI(t *testing.T) *apptest.Server {
	t.Helper()
	s := apptest.Start(t)
	registerUI(t, s)
	s.CreateUser(t, "admin@example.org", "Admin", true)
	s.CreateUser(t, "chair@example.org", "Chair", false)
	admin := s.Login(t, "admin@example.org")
	r := s.As(t, admin, "POST", "/api/v1/venues", map[string]any{"settings_yaml": string(venue.DemoYAML()), "chairs": []string{"chair@example.org"}})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("creating the venue: %s %s", r.Status, r.Body)
	}
	return s
}

// registerUI adds the pages to a test server, until internal/app does.
func registerUI(t *testing.T, s *apptest.Server) {
	t.Helper()
	wired := false
	for _, r := range s.App.Echo.Routes() {
		if r.Method == http.MethodGet && r.Path == "/login" {
			wired = true
		}
	}
	if !wired {
		sv := s.App.Services
		err := webui.Register(s.App.Echo, webui.Deps{Accounts: sv.Accounts, Venues: sv.Venues, Submissions: sv.Submissions,
			DB: s.App.Pool, Clock: s.App.Clock, Web: web.FS(""), Log: s.App.Log})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// browser is a scriptless browser: a cookie jar, no redirects followed, so
// tests see each answer.
type browser struct {
	t      *testing.T
	s      *apptest.Server
	client *http.Client
	base   *url.URL
}

func newBrowser(t *testing.T, s *apptest.Server) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(s.URL)
	return &browser{t: t, s: s, base: base, client: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status   int
	location string
	body     string
	header   http.Header
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return page{status: res.StatusCode, location: res.Header.Get("Location"), body: string(body), header: res.Header}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.s.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// preSessionForms are the forms filled in before there is a session; they
// carry a token of their page (session_form.go). post fetches the page
// first, as a browser does, and sends its token.
var preSessionForms = map[string]bool{"/login": true, "/register": true, "/reset-password": true}

var hiddenCSRF = regexp.MustCompile(`name="csrf" value="([^"]*)"`)

func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	if preSessionForms[path] && !form.Has("csrf") {
		withToken := url.Values{"csrf": {b.formToken(path)}}
		for k, v := range form {
			withToken[k] = v
		}
		form = withToken
	}
	return b.postRaw(path, form)
}

// formToken is the token the form on the page at path carries. A browser
// signed in already is sent on from the sign-in page; it still holds the
// token of the form it signed in with, as in another tab, and sends that.
func (b *browser) formToken(path string) string {
	b.t.Helper()
	if m := hiddenCSRF.FindStringSubmatch(b.get(path).body); m != nil {
		return m[1]
	}
	if c := b.cookie("quire_form"); c != nil {
		return c.Value
	}
	return ""
}

// postRaw sends form as it is, with no token added.
func (b *browser) postRaw(path string, form url.Values) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.s.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// upload sends the upload form as a browser without script does: the CSRF
// field first, then the file.
func (b *browser) upload(path, csrf, file string) page {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if csrf != "" {
		_ = mw.WriteField("csrf", csrf)
	}
	name := "" // what a browser sends when no file was chosen
	if file != "" {
		name = filepath.Base(file)
	}
	fw, err := mw.CreateFormFile("pdf", name)
	if err != nil {
		b.t.Fatal(err)
	}
	if file != "" {
		data, err := os.ReadFile(filepath.Join("..", "pdfcheck", "testdata", file))
		if err != nil {
			b.t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.s.URL+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

func (b *browser) cookie(name string) *http.Cookie {
	for _, c := range b.client.Jar.Cookies(b.base) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// csrf is the token the pages put in their forms.
func (b *browser) csrf() string {
	if c := b.cookie("quire_csrf"); c != nil {
		return c.Value
	}
	return ""
}

func (b *browser) signIn(email, password string) page {
	b.t.Helper()
	p := b.post("/login", url.Values{"email": {email}, "password": {password}, "next": {"/submissions"}})
	if p.status != http.StatusSeeOther || p.location != "/submissions" {
		b.t.Fatalf("sign in %s: %d %s", email, p.status, p.body)
	}
	return p
}

func mustContain(t *testing.T, p page, want ...string) {
	t.Helper()
	missing := false
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			t.Errorf("the page (status %d) lacks %q", p.status, w)
			missing = true
		}
	}
	if missing {
		t.Logf("page:\n%s", p.body)
	}
}
