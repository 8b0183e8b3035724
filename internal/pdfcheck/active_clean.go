package pdfcheck

import (
	"fmt"
	"sort"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// cleanPlan is what the reviewers' copy removes because the leak search
// found the authors there; the rest of the cleaning is unconditional.
type cleanPlan struct {
	dropOutlines, dropPageLabels, renameDests bool
}

// keptAnnots are the annotations reviewers get: links, once cleaned.
// Comments, their popups, form widgets, attachments, media and 3D go.
var keptAnnots = map[string]bool{"Link": true}

// removedNameTrees are the document's name trees that run or carry
// something: scripts, attachments, alternate presentations, media.
var removedNameTrees = []string{"JavaScript", "EmbeddedFiles", "AlternatePresentations", "Renditions"}

// cleanActive takes the active content and the hidden text out of the
// document in place, before anonymise writes it. The writer keeps only
// what the catalog still reaches, so whatever is cut loose here (and every
// object of an earlier revision) is not written at all.
func cleanActive(doc *document) error {
	ctx := doc.ctx
	for _, m := range doc.meta {
		if m.leaked && m.neutralise != nil {
			m.neutralise()
		}
	}
	root, err := ctx.Catalog()
	if err != nil || root == nil {
		return fmt.Errorf("catalog: %v", err)
	}
	if oa, ok := root["OpenAction"]; ok {
		// An open action that is only a destination (open at page 1) is
		// harmless; any other runs something.
		if o, err := ctx.Dereference(oa); err != nil || !isArray(o) {
			delete(root, "OpenAction")
		}
	}
	for _, k := range []string{"AA", "AcroForm", "Collection", "AF"} {
		delete(root, k)
	}
	if doc.clean.dropOutlines {
		delete(root, "Outlines")
		if nameOf(root["PageMode"]) == "UseOutlines" {
			delete(root, "PageMode")
		}
	}
	if doc.clean.dropPageLabels {
		delete(root, "PageLabels")
	}
	if names, err := ctx.DereferenceDict(root["Names"]); err == nil && names != nil {
		for _, k := range removedNameTrees {
			delete(names, k)
			delete(ctx.Names, k)
		}
		if len(names) == 0 {
			delete(root, "Names")
		}
	}
	if doc.clean.renameDests {
		renameDests(ctx, root)
	}
	if ocp, err := ctx.DereferenceDict(root["OCProperties"]); err == nil && ocp != nil {
		ocgs, _ := ctx.DereferenceArray(ocp["OCGs"])
		for i, o := range ocgs {
			if d, err := ctx.DereferenceDict(o); err == nil && d != nil {
				d["Name"] = types.StringLiteral(fmt.Sprintf("Layer %d", i+1))
			}
		}
	}
	for p := 1; p <= ctx.PageCount; p++ {
		pd, _, _, err := ctx.PageDict(p, false)
		if err != nil || pd == nil {
			return fmt.Errorf("page %d: %v", p, err)
		}
		delete(pd, "AA")
		annots, err := ctx.DereferenceArray(pd["Annots"])
		if err != nil || annots == nil {
			continue
		}
		kept := types.Array{}
		for _, a := range annots {
			ad, err := ctx.DereferenceDict(a)
			if err != nil || ad == nil || !keptAnnots[nameOf(ad["Subtype"])] {
				continue
			}
			for _, k := range []string{"AA", "Contents", "T", "RC", "Subj", "Popup"} {
				delete(ad, k)
			}
			cleanAction(ctx, ad)
			if _, ok := ad["A"]; !ok && ad["Dest"] == nil {
				continue // a link to nowhere, or to what was removed
			}
			kept = append(kept, a)
		}
		if len(kept) == 0 {
			delete(pd, "Annots")
		} else {
			pd["Annots"] = kept
		}
	}
	// Actions elsewhere: bookmarks, and whatever else points at one.
	for _, nr := range sortedObjects(ctx) {
		d, ok := tableDict(ctx, nr)
		if !ok {
			continue
		}
		walkDicts(d, 0, func(d types.Dict) {
			delete(d, "AA")
			if _, ok := d["A"]; ok {
				cleanAction(ctx, d)
			}
		})
	}
	return nil
}

// cleanAction replaces d's /A by a plain GoTo or a clicked web link, or
// removes it: every other action, every chained /Next and every mailto:
// goes.
func cleanAction(ctx *model.Context, d types.Dict) {
	o, ok := d["A"]
	if !ok {
		return
	}
	a, err := ctx.DereferenceDict(o)
	if err != nil || a == nil {
		delete(d, "A")
		return
	}
	switch nameOf(a["S"]) {
	case "GoTo":
		if dest, ok := a["D"]; ok {
			d["A"] = types.Dict{"S": types.Name("GoTo"), "D": dest}
			return
		}
	case "URI":
		if uri := textOf(ctx, a["URI"]); uri != "" {
			if _, mail := mailtoOf(uri); !mail {
				target, _ := ctx.Dereference(a["URI"])
				d["A"] = types.Dict{"S": types.Name("URI"), "URI": target}
				return
			}
		}
	}
	delete(d, "A")
}

func isArray(o types.Object) bool {
	_, ok := o.(types.Array)
	return ok
}

// renameDests gives every named destination a neutral name (d00001, in
// the old names' order, so the name tree stays sorted) and points every
// link and bookmark at the new names.
func renameDests(ctx *model.Context, root types.Dict) {
	var keys []string
	seen := map[string]bool{}
	addKey := func(k string) {
		if k != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	olddests, _ := ctx.DereferenceDict(root["Dests"])
	for k := range olddests {
		addKey(k)
	}
	var tree types.Dict
	if names, err := ctx.DereferenceDict(root["Names"]); err == nil && names != nil {
		tree, _ = ctx.DereferenceDict(names["Dests"])
	}
	var collect func(o types.Object, depth int)
	collect = func(o types.Object, depth int) {
		node, err := ctx.DereferenceDict(o)
		if err != nil || node == nil || depth > 16 {
			return
		}
		arr, _ := ctx.DereferenceArray(node["Names"])
		for i := 0; i < len(arr); i += 2 {
			addKey(textOf(ctx, arr[i]))
		}
		kids, _ := ctx.DereferenceArray(node["Kids"])
		for _, k := range kids {
			collect(k, depth+1)
		}
	}
	if tree != nil {
		collect(tree, 0)
	}
	sort.Strings(keys)
	rename := make(map[string]string, len(keys))
	for i, k := range keys {
		rename[k] = fmt.Sprintf("d%05d", i+1)
	}
	if olddests != nil {
		fresh := types.Dict{}
		for k, v := range olddests {
			fresh[rename[k]] = v
		}
		root["Dests"] = fresh
	}
	// The tree's nodes are rewritten in place; pdfcpu's cached copy of it
	// would write the old names back.
	delete(ctx.Names, "Dests")
	var rewrite func(o types.Object, depth int, isRoot bool) (lo, hi string)
	rewrite = func(o types.Object, depth int, isRoot bool) (lo, hi string) {
		node, err := ctx.DereferenceDict(o)
		if err != nil || node == nil || depth > 16 {
			return "", ""
		}
		span := func(a, b string) {
			if a != "" && (lo == "" || a < lo) {
				lo = a
			}
			if b != "" && b > hi {
				hi = b
			}
		}
		if arr, err := ctx.DereferenceArray(node["Names"]); err == nil {
			for i := 0; i < len(arr); i += 2 {
				if n, ok := rename[textOf(ctx, arr[i])]; ok {
					arr[i] = types.StringLiteral(n)
					span(n, n)
				}
			}
		}
		kids, _ := ctx.DereferenceArray(node["Kids"])
		for _, k := range kids {
			span(rewrite(k, depth+1, false))
		}
		if !isRoot && lo != "" {
			node["Limits"] = types.Array{types.StringLiteral(lo), types.StringLiteral(hi)}
		}
		return lo, hi
	}
	if tree != nil {
		rewrite(tree, 0, true)
	}
	renamed := func(o types.Object) (types.Object, bool) {
		switch v := o.(type) {
		case types.Name:
			if n, ok := rename[string(v)]; ok {
				return types.Name(n), true
			}
		case types.StringLiteral, types.HexLiteral:
			if n, ok := rename[textOf(ctx, v)]; ok {
				return types.StringLiteral(n), true
			}
		}
		return nil, false
	}
	for _, nr := range sortedObjects(ctx) {
		d, ok := tableDict(ctx, nr)
		if !ok {
			continue
		}
		walkDicts(d, 0, func(d types.Dict) {
			if n, ok := renamed(d["Dest"]); ok {
				d["Dest"] = n
			}
			if nameOf(d["S"]) == "GoTo" {
				if n, ok := renamed(d["D"]); ok {
					d["D"] = n
				}
			}
		})
	}
	if n, ok := renamed(root["OpenAction"]); ok {
		root["OpenAction"] = n
	}
}
