package webui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/quirehq/quire/internal/app/apptest"
)

// chromiumPath finds Chromium. Without it the browser tests are skipped on
// a developer's machine, but fail in CI (CI set), where .ci/run installs it.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("QUIRE_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	if ci := os.Getenv("CI"); ci != "" && ci != "false" && ci != "0" {
		t.Fatal("CI is set but Chromium is missing: install the chromium package (apt-get install chromium)")
	}
	t.Skip("Chromium is not installed (apt-get install chromium); skipping the browser tests")
	return ""
}

// tab is one headless Chromium tab driving a running Quire.
type tab struct {
	t   *testing.T
	ctx context.Context
	s   *apptest.Server

	mu      sync.Mutex
	console []string // errors the page logged: script exceptions, CSP refusals
}

func newTab(t *testing.T, s *apptest.Server) *tab {
	t.Helper()
	// Far from UTC and from the venue, so "your time" is visibly the
	// browser's own.
	return newTabIn(t, s, "Asia/Tokyo")
}

// newTabIn is a tab whose browser lives in the time zone zone.
func newTabIn(t *testing.T, s *apptest.Server, zone string) *tab {
	t.Helper()
	exe := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 900),
		chromedp.Env("TZ="+zone),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	tb := &tab{t: t, ctx: ctx, s: s}
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first action starts the browser, which lives as long as the
	// context of that action: the tab's own, never a step's.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	go func() {
		for m, err := range chromedp.Console(ctx) {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleException || strings.Contains(m.Text, "Content Security Policy") {
				tb.mu.Lock()
				tb.console = append(tb.console, string(m.Type)+": "+m.Text)
				tb.mu.Unlock()
			}
		}
	}()
	// Registered after the cancels, so it runs before them: the tab is
	// still there to photograph.
	t.Cleanup(tb.onFailure)
	return tb
}

// stepTimeout bounds each action, so a page that never shows what a test
// waits for fails that step, with the tab still alive to photograph.
const stepTimeout = 20 * time.Second

func (tb *tab) step() context.Context {
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	tb.t.Cleanup(cancel)
	return ctx
}

// onFailure saves a screenshot and the page's HTML, and fails the test on
// script errors the page logged.
func (tb *tab) onFailure() {
	tb.mu.Lock()
	logged := tb.console
	tb.mu.Unlock()
	for _, m := range logged {
		tb.t.Errorf("the page logged %s", m)
	}
	if !tb.t.Failed() {
		return
	}
	dir := os.Getenv("QUIRE_TEST_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "quire-browser-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Logf("no artifacts: %v", err)
		return
	}
	base := filepath.Join(dir, regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(tb.t.Name(), "_")+"-"+time.Now().Format("150405"))
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		if err := os.WriteFile(base+".png", png, 0o644); err == nil {
			tb.t.Logf("screenshot of the failure: %s.png", base)
		}
	} else {
		tb.t.Logf("no screenshot: %v", err)
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		if err := os.WriteFile(base+".html", []byte(html), 0o644); err == nil {
			tb.t.Logf("its HTML: %s.html", base)
		}
	}
	if loc, err := chromedp.Run(ctx, chromedp.Location()); err == nil {
		tb.t.Logf("the tab was at %s", loc)
	}
}

// do runs steps, failing the test with what was being done.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.step(), steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a page of the server and waits for its main content.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do("opening "+path, chromedp.Navigate(tb.s.URL+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
}

// signIn opens the sign-in form, to come back to next, and signs in.
func (tb *tab) signIn(email, next string) {
	tb.t.Helper()
	tb.open("/login?next=" + next)
	tb.submitSignIn(email)
}

// submitSignIn fills in and sends the sign-in form the tab shows.
func (tb *tab) submitSignIn(email string) {
	tb.t.Helper()
	tb.do("signing in as "+email,
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), apptest.Password),
		chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.step(), chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("reading %s: %v", sel, err)
	}
	return s
}

// see waits until sel is visible and its text contains every want: after
// a click the old page may still be showing for a moment.
func (tb *tab) see(sel string, want ...string) {
	tb.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		tb.do("waiting for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
		got, err := chromedp.Run(tb.step(), chromedp.Text(chromedp.CSS(sel)))
		missing := ""
		for _, w := range want {
			if !strings.Contains(got, w) {
				missing = w
				break
			}
		}
		if err == nil && missing == "" {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s says %q; it lacks %q (%v)", sel, got, missing, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (tb *tab) eval(js string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.step(), chromedp.Evaluate[string](js))
	if err != nil {
		tb.t.Fatalf("evaluating %s: %v", js, err)
	}
	return s
}

func (tb *tab) location() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.step(), chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	return strings.TrimPrefix(loc, tb.s.URL)
}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// checkAccessibility runs axe-core (read from web/vendor, never served to
// people) on the page as it stands and fails on serious or critical
// violations; lesser ones are logged. With QUIRE_TEST_SCREENSHOTS set to a
// folder, it also photographs each page it checks, for a person to look at.
func (tb *tab) checkAccessibility(page string) {
	tb.t.Helper()
	for _, v := range tb.axe(page) {
		msg := fmt.Sprintf("accessibility on %s: %s (%s): %s\n\t%s", page, v.ID, v.Impact, v.Help, strings.Join(v.Nodes, "\n\t"))
		if v.Impact == "serious" || v.Impact == "critical" {
			tb.t.Error(msg)
		} else {
			tb.t.Log(msg)
		}
	}
	if dir := os.Getenv("QUIRE_TEST_SCREENSHOTS"); dir != "" {
		png, err := chromedp.Run(tb.step(), chromedp.FullScreenshot(100))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(page, "-")+".png"), png, 0o644)
		}
		if err != nil {
			tb.t.Logf("screenshot of %s: %v", page, err)
		}
	}
}

// axe returns the violations axe-core finds on the page as it stands.
func (tb *tab) axe(page string) []axeViolation {
	tb.t.Helper()
	axeOnce.Do(func() {
		var b []byte
		b, axeErr = os.ReadFile(filepath.Join("..", "..", "web", "vendor", "axe-core", "axe.min.js"))
		axeSource = string(b)
	})
	if axeErr != nil {
		tb.t.Fatalf("axe-core: %v", axeErr)
	}
	if _, err := chromedp.Run(tb.step(), chromedp.Evaluate[bool](axeSource+";true")); err != nil {
		tb.t.Fatalf("injecting axe-core on %s: %v", page, err)
	}
	out, err := chromedp.Run(tb.step(), chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(
		r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
			nodes: v.nodes.map(n => n.target.join(" ") + ": " + (n.failureSummary || "").replace(/\s+/g, " "))}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("axe.run on %s: %v", page, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		tb.t.Fatalf("axe results on %s: %v", page, err)
	}
	return vs
}

// fitsPhone checks that the page needs no sideways scrolling on a 360 px
// wide phone.
func (tb *tab) fitsPhone(path string) {
	tb.t.Helper()
	tb.do("a phone-sized window", chromedp.EmulateViewport(360, 740))
	defer tb.do("a desktop-sized window", chromedp.EmulateViewport(1280, 900))
	tb.open(path)
	if w := tb.eval(`String(document.documentElement.scrollWidth)`); w != "360" {
		wide := tb.eval(`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > 360.5 && !e.parentElement.closest(".scroll"))
			.slice(-5).map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : "") + " " + Math.round(e.getBoundingClientRect().right)).join(", ")`)
		tb.t.Errorf("%s is %s px wide on a 360 px phone; too wide: %s", path, w, wide)
	}
}

// TestTheBrowserChecksCanFail makes sure the accessibility and phone-width
// checks see what they are for, on a page built to fail both.
func TestTheBrowserChecksCanFail(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	tb := newTab(t, s)
	const bad = `<html><body><main><h1>Bad</h1><input type="text"><p style="color:#ccc;background:#fff">faint</p>` +
		`<div style="width:500px">wide</div></main></body></html>`
	tb.do("a bad page", chromedp.Navigate("data:text/html,"+url.PathEscape(bad)), chromedp.WaitVisible(chromedp.CSS("h1")))
	found := map[string]string{}
	for _, v := range tb.axe("a bad page") {
		found[v.ID] = v.Impact
	}
	for id, impact := range map[string]string{"label": "critical", "color-contrast": "serious"} {
		if found[id] != impact {
			t.Errorf("axe found %v; want %s (%s)", found, id, impact)
		}
	}
	tb.do("a phone-sized window", chromedp.EmulateViewport(360, 740))
	if w := tb.eval(`String(document.documentElement.scrollWidth)`); w == "360" {
		t.Error("a 500 px wide block must make the page wider than a 360 px phone")
	}
}
