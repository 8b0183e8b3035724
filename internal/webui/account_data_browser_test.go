package webui_test

import (
	"testing"
)

// TestExportDataInChromium: from her profile Ada follows the export link
// (fetched by the page, as the download would be) and gets a ZIP whose
// first entry is account.json.
func TestExportDataInChromium(t *testing.T) {
	t.Parallel()
	s := startUI(t)
	s.CreateUser(t, "ada@uni.example", "Ada", false)
	tb := newTab(t, s)
	tb.signIn("ada@uni.example", "/profile")
	tb.see("main", "Download your data")
	tb.checkAccessibility("/profile")
	got := tb.eval(`(() => {
		const a = document.querySelector('a[data-export]');
		const x = new XMLHttpRequest();
		x.open('GET', a.href, false);
		x.overrideMimeType('text/plain; charset=x-user-defined');
		x.send();
		const b = x.responseText;
		return [x.status, x.getResponseHeader('Content-Type'), b.slice(0, 2), b.indexOf('account.json') > 0, a.hasAttribute('download')].join(' ');
	})()`)
	if got != "200 application/zip PK true true" {
		t.Fatalf("the export link gave %q, not a ZIP with account.json", got)
	}
}
