package conflict

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// secondLevel holds labels that, under a two-letter country TLD, are a
// registry's public second level (ox.ac.uk, keio.ac.jp, unsw.edu.au,
// usp.com.br): there the institution is the third label from the right.
// A rule over labels rather than a list of suffixes covers the hundreds of
// ac.XX and edu.XX suffixes without shipping the public suffix list.
var secondLevel = map[string]bool{
	"ac": true, "co": true, "com": true, "edu": true, "gov": true, "gob": true,
	"net": true, "org": true, "or": true, "ne": true, "go": true, "re": true,
	"res": true, "ernet": true, "mil": true, "nic": true, "sch": true,
}

// publicBrands are mail providers whose name is theirs under any TLD
// (yahoo.co.uk, hotmail.fr, gmx.at).
var publicBrands = map[string]bool{
	"gmail": true, "googlemail": true, "hotmail": true, "outlook": true,
	"yahoo": true, "ymail": true, "gmx": true, "yandex": true,
	"protonmail": true, "rocketmail": true, "rediffmail": true,
}

// publicDomains are the remaining public providers, named in full because
// their first label is an ordinary word (live, me, web, mail) or a number.
var publicDomains = map[string]bool{
	"live.com": true, "live.co.uk": true, "live.fr": true, "live.de": true, "live.cn": true,
	"msn.com": true, "passport.com": true,
	"aol.com": true, "aim.com": true,
	"icloud.com": true, "me.com": true, "mac.com": true,
	"proton.me": true, "pm.me": true, "tutanota.com": true, "tuta.io": true,
	"qq.com": true, "foxmail.com": true, "163.com": true, "126.com": true,
	"yeah.net": true, "sina.com": true, "sina.cn": true, "sohu.com": true, "aliyun.com": true,
	"web.de": true, "t-online.de": true, "freenet.de": true, "posteo.de": true,
	"mail.ru": true, "bk.ru": true, "inbox.ru": true, "list.ru": true, "ya.ru": true,
	"rambler.ru": true,
	"zoho.com":   true, "fastmail.com": true, "fastmail.fm": true, "mail.com": true,
	"hushmail.com": true, "mailbox.org": true, "gmx.com": true,
	"naver.com": true, "daum.net": true, "hanmail.net": true,
	"orange.fr": true, "free.fr": true, "laposte.net": true, "sfr.fr": true, "wanadoo.fr": true,
	"libero.it": true, "virgilio.it": true, "tiscali.it": true,
	"seznam.cz": true, "wp.pl": true, "o2.pl": true, "interia.pl": true,
	"btinternet.com": true, "comcast.net": true, "verizon.net": true, "att.net": true,
	"sbcglobal.net": true, "bellsouth.net": true,
	"bol.com.br": true, "uol.com.br": true, "terra.com.br": true,
}

// EmailDomain returns the registrable part of an email address's domain,
// lowercased, so that jane@cs.stanford.edu and joe@stanford.edu share
// "stanford.edu" while ann@ox.ac.uk and bob@cam.ac.uk do not. public is true
// for mail providers anyone can sign up to; a shared public domain says
// nothing about two people and never makes a conflict. A malformed address
// gives "".
func EmailDomain(email string) (domain string, public bool) {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return "", false
	}
	host := strings.ToLower(norm.NFKC.String(strings.TrimSpace(email[at+1:])))
	host = strings.TrimSuffix(host, ".")
	if host == "" {
		return "", false
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if l == "" || strings.ContainsAny(l, " \t@") {
			return "", false
		}
	}
	keep := 2
	if n := len(labels); n >= 3 && len(labels[n-1]) == 2 && secondLevel[labels[n-2]] {
		keep = 3
	}
	if len(labels) > keep {
		labels = labels[len(labels)-keep:]
	}
	domain = strings.Join(labels, ".")
	public = publicDomains[domain] || (len(labels) >= 2 && publicBrands[labels[0]])
	return domain, public
}
