package pdfcheck

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Text a PDF carries besides its pages, which a viewer shows to whoever
// looks: comments and their popups, form fields, bookmarks, link targets,
// named destinations, scripts, attachment names, layer names and page
// labels. A name there is as plain to a reviewer as one on page 1, so a
// finding there holds the paper like one in the page text (hidden fields
// are searched with hidden: true). The reviewers' copy removes or
// neutralises all of it as well (anonymise.go), so a chair's waiver never
// releases them.

// maxHiddenFields bounds what one file can make the leak search read.
const maxHiddenFields = 20000

// collectHidden adds every such string to doc.meta.
func (doc *document) collectHidden() {
	ctx := doc.ctx
	seenAnnot := map[types.IndirectRef]bool{}
	for p := 1; p <= ctx.PageCount; p++ {
		pd, _, _, err := ctx.PageDict(p, false)
		if err != nil || pd == nil {
			continue
		}
		annots, _ := ctx.DereferenceArray(pd["Annots"])
		for _, a := range annots {
			if ir, ok := a.(types.IndirectRef); ok {
				if seenAnnot[ir] {
					continue
				}
				seenAnnot[ir] = true
			}
			ad, err := ctx.DereferenceDict(a)
			if err != nil || ad == nil {
				continue
			}
			doc.annotationText(ad, p)
		}
	}
	root, err := ctx.Catalog()
	if err != nil || root == nil {
		return
	}
	doc.outlineText(root["Outlines"])
	if dests, err := ctx.DereferenceDict(root["Dests"]); err == nil && dests != nil {
		for _, k := range sortedKeys(dests) {
			doc.addHidden("named destination", k, func() { doc.clean.renameDests = true })
		}
	}
	if names, err := ctx.DereferenceDict(root["Names"]); err == nil && names != nil {
		for _, tree := range sortedKeys(names) {
			tree := tree
			doc.nameTreeKeys(names[tree], 0, func(key string) {
				what := fmt.Sprintf("name in the /%s name tree", tree)
				switch tree {
				case "Dests":
					what = "named destination"
				case "EmbeddedFiles":
					what = "attachment name"
				case "JavaScript":
					what = "document script name"
				}
				doc.addHidden(what, key, func() {
					if tree == "Dests" {
						doc.clean.renameDests = true
					}
				})
			})
		}
	}
	if af, err := ctx.DereferenceDict(root["AcroForm"]); err == nil && af != nil {
		fields, _ := ctx.DereferenceArray(af["Fields"])
		for _, f := range fields {
			doc.fieldText(f, 0)
		}
	}
	if ocp, err := ctx.DereferenceDict(root["OCProperties"]); err == nil && ocp != nil {
		ocgs, _ := ctx.DereferenceArray(ocp["OCGs"])
		for _, o := range ocgs {
			if d, err := ctx.DereferenceDict(o); err == nil && d != nil {
				doc.addHidden("layer name (optional content group)", textOf(ctx, d["Name"]), nil)
			}
		}
	}
	doc.pageLabelText(root["PageLabels"], 0)
	// Scripts and link targets anywhere: actions hide in outlines, form
	// fields, name trees and objects nothing uses any more.
	for _, nr := range sortedObjects(ctx) {
		d, ok := tableDict(ctx, nr)
		if !ok {
			continue
		}
		walkDicts(d, 0, func(d types.Dict) {
			if js, ok := d["JS"]; ok {
				doc.addHidden(fmt.Sprintf("JavaScript source (object %d)", nr), doc.scriptText(js), nil)
			}
			if nameOf(d["S"]) == "GoToR" || nameOf(d["S"]) == "Launch" {
				doc.addHidden(fmt.Sprintf("file an action opens (object %d)", nr), fileSpecText(doc, d["F"]), nil)
			}
		})
	}
}

// annotationText collects what one annotation says.
func (doc *document) annotationText(ad types.Dict, page int) {
	ctx := doc.ctx
	sub := nameOf(ad["Subtype"])
	if sub == "Widget" {
		return // form fields, read from the AcroForm
	}
	what := "comment"
	if sub == "Popup" { // also reached from its parent: said the same way, once
		if s := textOf(ctx, ad["Contents"]); s != "" {
			doc.addHidden(fmt.Sprintf("popup note on page %d", page), s, nil)
		}
		return
	}
	if s := textOf(ctx, ad["T"]); s != "" {
		doc.addHidden(fmt.Sprintf("comment author (/T) on page %d", page), s, nil)
	}
	for _, k := range []string{"Contents", "RC", "Subj"} {
		if s := textOf(ctx, ad[k]); s != "" {
			if sub == "Link" {
				what = "link"
			}
			doc.addHidden(fmt.Sprintf("%s text (/%s) on page %d", what, k, page), s, nil)
		}
	}
	if popup, err := ctx.DereferenceDict(ad["Popup"]); err == nil && popup != nil {
		if s := textOf(ctx, popup["Contents"]); s != "" {
			doc.addHidden(fmt.Sprintf("popup note on page %d", page), s, nil)
		}
	}
	if sub == "Link" {
		if a, err := ctx.DereferenceDict(ad["A"]); err == nil && a != nil && nameOf(a["S"]) == "URI" {
			doc.addLinkTarget(fmt.Sprintf("link target on page %d", page), textOf(ctx, a["URI"]), func() { delete(ad, "A") })
		}
	}
}

// addLinkTarget searches a URI as text, and also in the compact forms
// personal pages take (github.com/amueller, alicemueller.net).
func (doc *document) addLinkTarget(where, uri string, neutralise func()) {
	if uri == "" {
		return
	}
	doc.addHidden(where, uri, neutralise)
	doc.meta[len(doc.meta)-1].link = true
}

// outlineText walks the bookmarks.
func (doc *document) outlineText(o types.Object) {
	ctx := doc.ctx
	root, err := ctx.DereferenceDict(o)
	if err != nil || root == nil {
		return
	}
	seen := map[types.IndirectRef]bool{}
	var walk func(o types.Object, depth int)
	walk = func(o types.Object, depth int) {
		for n := 0; o != nil && n < maxHiddenFields && depth < 32; n++ {
			ir, ok := o.(types.IndirectRef)
			if !ok || seen[ir] {
				return
			}
			seen[ir] = true
			item, err := ctx.DereferenceDict(ir)
			if err != nil || item == nil {
				return
			}
			doc.addHidden("bookmark (outline) title", textOf(ctx, item["Title"]), func() { doc.clean.dropOutlines = true })
			if a, err := ctx.DereferenceDict(item["A"]); err == nil && a != nil && nameOf(a["S"]) == "URI" {
				doc.addLinkTarget("bookmark link target", textOf(ctx, a["URI"]), func() { doc.clean.dropOutlines = true })
			}
			walk(item["First"], depth+1)
			o = item["Next"]
		}
	}
	walk(root["First"], 0)
}

// nameTreeKeys calls fn with every key of a name tree.
func (doc *document) nameTreeKeys(o types.Object, depth int, fn func(string)) {
	if depth > 16 {
		return
	}
	node, err := doc.ctx.DereferenceDict(o)
	if err != nil || node == nil {
		return
	}
	if names, err := doc.ctx.DereferenceArray(node["Names"]); err == nil {
		for i := 0; i < len(names) && i < 2*maxHiddenFields; i += 2 {
			fn(textOf(doc.ctx, names[i]))
		}
	}
	kids, _ := doc.ctx.DereferenceArray(node["Kids"])
	for _, k := range kids {
		doc.nameTreeKeys(k, depth+1, fn)
	}
}

// fieldText reads a form field and its kids: names, tooltips and values.
func (doc *document) fieldText(o types.Object, depth int) {
	if depth > 16 {
		return
	}
	f, err := doc.ctx.DereferenceDict(o)
	if err != nil || f == nil {
		return
	}
	for _, k := range []string{"T", "TU", "TM", "V", "DV"} {
		doc.addHidden(fmt.Sprintf("form field (/%s)", k), textOf(doc.ctx, f[k]), nil)
	}
	kids, _ := doc.ctx.DereferenceArray(f["Kids"])
	for _, k := range kids {
		doc.fieldText(k, depth+1)
	}
}

// pageLabelText reads the prefixes of the page labels' number tree.
func (doc *document) pageLabelText(o types.Object, depth int) {
	if depth > 16 {
		return
	}
	node, err := doc.ctx.DereferenceDict(o)
	if err != nil || node == nil {
		return
	}
	nums, _ := doc.ctx.DereferenceArray(node["Nums"])
	for i := 1; i < len(nums); i += 2 {
		if d, err := doc.ctx.DereferenceDict(nums[i]); err == nil && d != nil {
			doc.addHidden("page label", textOf(doc.ctx, d["P"]), func() { doc.clean.dropPageLabels = true })
		}
	}
	kids, _ := doc.ctx.DereferenceArray(node["Kids"])
	for _, k := range kids {
		doc.pageLabelText(k, depth+1)
	}
}

// scriptText is a script's source, given as a string or a stream.
func (doc *document) scriptText(o types.Object) string {
	if s := textOf(doc.ctx, o); s != "" {
		return s
	}
	sd, _, err := doc.ctx.DereferenceStreamDict(o)
	if err != nil || sd == nil {
		return ""
	}
	return string(decodeSmall(*sd, maxMetadataBytes))
}

func fileSpecText(doc *document, o types.Object) string {
	if s := textOf(doc.ctx, o); s != "" {
		return s
	}
	if d, err := doc.ctx.DereferenceDict(o); err == nil && d != nil {
		for _, k := range []string{"UF", "F", "DOS", "Unix", "Mac"} {
			if s := textOf(doc.ctx, d[k]); s != "" {
				return s
			}
		}
	}
	return ""
}

func (doc *document) addHidden(where, text string, neutralise func()) {
	if strings.TrimSpace(text) == "" || doc.hiddenCount >= maxHiddenFields {
		return
	}
	if doc.hiddenSeen == nil {
		doc.hiddenSeen = map[[2]string]bool{}
	}
	if k := [2]string{where, text}; doc.hiddenSeen[k] {
		return
	} else {
		doc.hiddenSeen[k] = true
	}
	doc.hiddenCount++
	doc.meta = append(doc.meta, metaField{where: where, text: text, hidden: true, neutralise: neutralise})
}

// mailtoOf returns the address of a mailto: link.
func mailtoOf(uri string) (string, bool) {
	u := strings.TrimSpace(uri)
	if len(u) < 7 || !strings.EqualFold(u[:7], "mailto:") {
		return "", false
	}
	addr, _ := url.PathUnescape(u[7:])
	if i := strings.IndexByte(addr, '?'); i >= 0 {
		addr = addr[:i]
	}
	return addr, true
}

// personalForms are the ways a name is written in a web address or a
// user name: "alicemueller", "amueller", "muellera", "alice-mueller"
// folds to "alice mueller" already.
func personalForms(name string) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range []string{name, germanFold.Replace(name)} {
		toks := strings.Fields(wordsOf(n))
		if len(toks) < 2 {
			continue
		}
		first, last := toks[0], toks[len(toks)-1]
		for _, v := range []string{first + last, first[:1] + last, last + first[:1], last + first} {
			if len(v) >= 5 && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	return out
}

// webmail are e-mail domains many people share: an address there says
// nothing about the site of its owner.
var webmail = map[string]bool{"gmail.com": true, "googlemail.com": true, "outlook.com": true, "hotmail.com": true,
	"yahoo.com": true, "icloud.com": true, "me.com": true, "proton.me": true, "protonmail.com": true,
	"gmx.de": true, "gmx.net": true, "web.de": true, "qq.com": true, "163.com": true, "126.com": true, "live.com": true}

// linkFindings look at link targets for what the plain search misses: an
// author's compact name in a user name or a domain, and the author's own
// domain (the part after the @ of an author's address).
func linkFindings(id Identity, where, uri string) []Finding {
	var out []Finding
	low := strings.ToLower(uri)
	if addr, ok := mailtoOf(uri); ok {
		// Not the authors' own (the search names those): removed from the
		// copy all the same, and said so.
		out = append(out, Finding{Code: "mailto_link", Where: where,
			Message: fmt.Sprintf("a mailto: link to %s; the reviewers' copy removes it", addr)})
	}
	tokens := strings.Fields(wordsOf(low))
	for _, name := range id.Names {
		for _, v := range personalForms(name) {
			if slices.ContainsFunc(tokens, func(t string) bool { return strings.TrimRight(t, "0123456789") == v }) {
				out = append(out, Finding{Code: "author_name", Where: where, InText: true,
					Message: fmt.Sprintf("author name %q in a web address (%s)", name, quote(uri))})
				break
			}
		}
	}
	host := ""
	if u, err := url.Parse(strings.TrimSpace(uri)); err == nil {
		host = strings.ToLower(u.Hostname())
	}
	for _, e := range id.Emails {
		at := strings.LastIndexByte(e, '@')
		if at < 0 || host == "" {
			continue
		}
		dom := strings.ToLower(strings.TrimSpace(e[at+1:]))
		if dom == "" || webmail[dom] {
			continue
		}
		if host == dom || strings.HasSuffix(host, "."+dom) {
			out = append(out, Finding{Code: "author_domain", Where: where, InText: true,
				Message: fmt.Sprintf("a link to %s, the domain of an author's address", host)})
			break
		}
	}
	return out
}
