package webui

import (
	"regexp"
	"strings"
	"testing"
)

// TestMarkdownCannotInjectScript: the call for papers is chairs' Markdown
// shown to everyone; nothing in it may run or load in a reader's browser.
func TestMarkdownCannotInjectScript(t *testing.T) {
	t.Parallel()
	src := strings.Join([]string{
		"# Call for papers",
		"",
		"**Bold** and [our page](https://example.org/dlde) and [mail us](mailto:dlde@example.org).",
		"",
		"<script>alert('raw')</script>",
		"",
		`<img src=x onerror="alert('img')">`,
		"",
		"[click](javascript:alert('link')) [again](JaVaScRiPt:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=)",
		"[vb](vbscript:msgbox) [relative](/admin) [spaced]( javascript:alert(2))",
		"",
		"<javascript:alert('autolink')> <https://example.org/auto> <dlde@example.org>",
		"",
		"![tracker](https://tracker.example/pixel.png)",
		"",
		"Text with <b onclick=\"alert(3)\">inline html</b>.",
	}, "\n")
	out := string(renderMarkdown(src))
	for _, bad := range []string{"<script", "onerror", "onclick", "<img", "<b ", "tracker.example"} {
		if strings.Contains(strings.ToLower(out), bad) {
			t.Errorf("rendered call contains %q:\n%s", bad, out)
		}
	}
	// Every link the page keeps goes to http(s) or mail; the others are text.
	for _, m := range regexp.MustCompile(`(?i)\b(href|src)\s*=\s*"([^"]*)"`).FindAllStringSubmatch(out, -1) {
		if !strings.HasPrefix(m[2], "https://") && !strings.HasPrefix(m[2], "mailto:") {
			t.Errorf("a link to %q survived:\n%s", m[2], out)
		}
	}
	if n := strings.Count(out, "<a "); n != 4 {
		t.Errorf("%d links, want the 4 allowed ones:\n%s", n, out)
	}
	for _, good := range []string{"<h1", "<strong>Bold</strong>", `<a href="https://example.org/dlde">our page</a>`, `<a href="mailto:dlde@example.org">mail us</a>`,
		`<a href="https://example.org/auto">`, `href="mailto:dlde@example.org">dlde@example.org</a>`, "click", "relative", "tracker"} {
		if !strings.Contains(out, good) {
			t.Errorf("rendered call lacks %q:\n%s", good, out)
		}
	}
}
