package conflict

import (
	"errors"
	"testing"
)

func TestEmailDomain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		email      string
		wantDomain string
		wantPublic bool
	}{
		{"jane@mit.edu", "mit.edu", false},
		{"Jane.Doe@MIT.EDU", "mit.edu", false},
		{"  jane@csail.mit.edu  ", "mit.edu", false},
		{"jane@cs.stanford.edu", "stanford.edu", false},
		{"joe@stanford.edu", "stanford.edu", false},
		{"a@robots.ox.ac.uk", "ox.ac.uk", false},
		{"b@cam.ac.uk", "cam.ac.uk", false},
		{"c@is.s.u-tokyo.ac.jp", "u-tokyo.ac.jp", false},
		{"d@sony.co.jp", "sony.co.jp", false},
		{"e@cse.unsw.edu.au", "unsw.edu.au", false},
		{"f@ime.usp.br", "usp.br", false},
		{"g@empresa.com.br", "empresa.com.br", false},
		{"h@kaist.ac.kr", "kaist.ac.kr", false},
		{"i@mails.tsinghua.edu.cn", "tsinghua.edu.cn", false},
		{"j@inria.fr", "inria.fr", false},
		{"k@mit.edu.", "mit.edu", false},
		{"user@localhost", "localhost", false},
		// Fullwidth characters fold to ASCII under NFKC.
		{"l@ＭＩＴ.edu", "mit.edu", false},
		// A .co or .com TLD is not a second level: only two-letter
		// country codes carry one.
		{"m@lab.ac.com", "ac.com", false},

		{"x@gmail.com", "gmail.com", true},
		{"x@GoogleMail.com", "googlemail.com", true},
		{"x@outlook.com", "outlook.com", true},
		{"x@hotmail.com", "hotmail.com", true},
		{"x@hotmail.co.uk", "hotmail.co.uk", true},
		{"x@live.com", "live.com", true},
		{"x@yahoo.com", "yahoo.com", true},
		{"x@yahoo.co.jp", "yahoo.co.jp", true},
		{"x@icloud.com", "icloud.com", true},
		{"x@me.com", "me.com", true},
		{"x@proton.me", "proton.me", true},
		{"x@protonmail.com", "protonmail.com", true},
		{"x@qq.com", "qq.com", true},
		{"x@163.com", "163.com", true},
		{"x@126.com", "126.com", true},
		{"x@gmx.de", "gmx.de", true},
		{"x@gmx.net", "gmx.net", true},
		{"x@web.de", "web.de", true},
		{"x@mail.ru", "mail.ru", true},
		{"x@yandex.ru", "yandex.ru", true},
		{"x@aol.com", "aol.com", true},
		{"x@zoho.com", "zoho.com", true},
		{"x@fastmail.com", "fastmail.com", true},
		// Subdomains of a provider are still the provider.
		{"x@ymail.yahoo.com", "yahoo.com", true},
		// A word that is a provider name elsewhere is not one here.
		{"x@web.mit.edu", "mit.edu", false},
		{"x@live.unc.edu", "unc.edu", false},

		{"", "", false},
		{"no-at-sign", "", false},
		{"x@", "", false},
		{"x@.", "", false},
		{"x@a..b", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			t.Parallel()
			d, pub := EmailDomain(tt.email)
			if d != tt.wantDomain || pub != tt.wantPublic {
				t.Errorf("EmailDomain(%q) = %q, %v; want %q, %v", tt.email, d, pub, tt.wantDomain, tt.wantPublic)
			}
		})
	}
}

func TestParseSource(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in        string
		want      Source
		automatic bool
		err       error
	}{
		{"same_email_domain", SameEmailDomain, true, nil},
		{"same_affiliation", SameAffiliation, true, nil},
		{"reviewer_is_author", ReviewerIsAuthor, true, nil},
		{"coauthor", Coauthor, true, nil},
		{"declared_by_author", DeclaredByAuthor, false, nil},
		{"declared_by_reviewer", DeclaredByReviewer, false, nil},
		{"added_by_chair", AddedByChair, false, nil},
		{"Coauthor", "", false, ErrUnknownSource},
		{"", "", false, ErrUnknownSource},
	}
	for _, tt := range tests {
		got, err := ParseSource(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("ParseSource(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
		if got.Automatic() != tt.automatic {
			t.Errorf("%q.Automatic() = %v, want %v", got, got.Automatic(), tt.automatic)
		}
	}
}
