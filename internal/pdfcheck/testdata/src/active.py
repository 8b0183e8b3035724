"""Build the active-content and hidden-text papers from an ordinary one.

usage: python3 active.py IN.pdf OUTDIR   (needs qpdf)

active.pdf       every kind of active content the check names, written by
                 qpdf into object streams (so it is found there):
                 an /OpenAction JavaScript calling app.launchURL, a catalog
                 /AA on close with a URI, document-level JavaScript in the
                 /Names tree, a page /AA with SubmitForm on open and Launch
                 on close, links with GoToR, GoToE, ImportData and
                 JavaScript, a RichMedia and a 3D annotation, an XFA form.
revision.pdf     a Launch on page open that a later incremental revision
                 took out again: only the old bytes still hold it.
hidden.pdf       the authors named outside the page text, once in each
                 place: a comment's /Contents and /T, a popup note, a form
                 field value, a bookmark title, a mailto: link, a link to a
                 personal page, a named destination, a JavaScript comment,
                 an attachment name, a layer (OCG) name and a page label.
"""
import re
import subprocess
import sys
import os

src, outdir = sys.argv[1], sys.argv[2]
tmp = os.path.join(outdir, "_base.pdf")
subprocess.run(["qpdf", "--object-streams=disable", src, tmp], check=True)
base = open(tmp, "rb").read()
os.remove(tmp)


def show(data, what):
    p = os.path.join(outdir, "_show.pdf")
    open(p, "wb").write(data)
    out = subprocess.run(["qpdf", "--show-object=" + what, p], check=True, capture_output=True).stdout
    os.remove(p)
    return out.strip()


def pages(data):
    p = os.path.join(outdir, "_show.pdf")
    open(p, "wb").write(data)
    out = subprocess.run(["qpdf", "--show-pages", p], check=True, capture_output=True).stdout
    os.remove(p)
    return [int(n) for n in re.findall(rb"page \d+: (\d+) 0 R", out)]


def update(data, objs):
    """Append an incremental revision replacing or adding objs {nr: bytes}."""
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    trailer = show(data, "trailer")
    size = int(re.search(rb"/Size (\d+)", trailer).group(1))
    root = re.search(rb"/Root (\d+ \d+ R)", trailer).group(1)
    body = data if data.endswith(b"\n") else data + b"\n"
    xref = b"xref\n0 1\n0000000000 65535 f \n"
    for nr in sorted(objs):
        off = len(body)
        body += b"%d 0 obj\n%s\nendobj\n" % (nr, objs[nr])
        xref += b"%d 1\n%010d 00000 n \n" % (nr, off)
    size = max([size] + [n + 1 for n in objs])
    xref_off = len(body)
    return body + xref + b"trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, startxref, xref_off)


def next_nr(data):
    return int(re.search(rb"/Size (\d+)", show(data, "trailer")).group(1))


def with_keys(dict_bytes, extra):
    assert dict_bytes.endswith(b">>")
    return dict_bytes[:-2] + b" " + extra + b" >>"


def literal(s):
    return b"(" + s.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


trailer = show(base, "trailer")
root_nr = int(re.search(rb"/Root (\d+) 0 R", trailer).group(1))
root = show(base, str(root_nr))
p1, p2 = pages(base)[:2]
page1, page2 = show(base, str(p1)), show(base, str(p2))
n = next_nr(base)

# active.pdf
o = {}
js_open, js_tree, uri_close, submit, launch = n, n + 1, n + 2, n + 3, n + 4
o[js_open] = b"<< /S /JavaScript /JS (app.launchURL\\('https://track.example.org/opened?id=42', true\\);) >>"
o[js_tree] = b"<< /S /JavaScript /JS (this.submitForm\\('https://track.example.org/seen'\\);) >>"
o[uri_close] = b"<< /S /URI /URI (https://track.example.org/closed) >>"
o[submit] = b"<< /S /SubmitForm /F << /FS /URL /F (https://track.example.org/submit) >> >>"
launch_nr = launch
o[launch] = b"<< /S /Launch /F (calc.exe) >>"
annots = []
rect = b"/Rect [ 100 100 200 120 ] /Border [ 0 0 0 ]"
for k, action in enumerate([
    b"<< /S /GoToR /F (other.pdf) /D [ 0 /Fit ] >>",
    b"<< /S /GoToE /T << /R /C /N (attached.pdf) >> /D [ 0 /Fit ] >>",
    b"<< /S /ImportData /F (data.fdf) >>",
    b"<< /S /JavaScript /JS (app.alert\\(1\\);) >>",
    b"<< /S /URI /URI (https://example.org/clicked) >>",
]):
    nr = n + 5 + k
    o[nr] = b"<< /Type /Annot /Subtype /Link %s /A %s >>" % (rect, action)
    annots.append(nr)
rm, td = n + 10, n + 11
o[rm] = b"<< /Type /Annot /Subtype /RichMedia %s /RichMediaContent << /Assets << /Names [ (movie.swf) << /Type /Filespec /F (movie.swf) >> ] >> >> >>" % rect
o[td] = b"<< /Type /Annot /Subtype /3D %s /3DD << /Type /3DRef >> >>" % rect
annots += [rm, td]
xfa = n + 12
o[xfa] = b"<< /Fields [ ] /XFA (<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'/>) >>"
o[root_nr] = with_keys(root, b"/OpenAction %d 0 R /AA << /WC %d 0 R >> /Names << /JavaScript << /Names [ (init) %d 0 R ] >> >> /AcroForm %d 0 R"
                       % (js_open, uri_close, js_tree, xfa))
o[p1] = with_keys(page1, b"/AA << /O %d 0 R /C %d 0 R >> /Annots [ %s ]" % (submit, launch, b" ".join(b"%d 0 R" % a for a in annots)))
step = os.path.join(outdir, "_active.pdf")
open(step, "wb").write(update(base, o))
subprocess.run(["qpdf", "--min-version=1.7", "--object-streams=generate", step, os.path.join(outdir, "active.pdf")], check=True)
os.remove(step)

# revision.pdf: a Launch on page 2's open, then a revision without it.
launch = n
rev1 = update(base, {launch: b"<< /S /Launch /F (calc.exe) >>", p2: with_keys(page2, b"/AA << /O %d 0 R >>" % launch)})
rev2 = update(rev1, {launch: b"null", p2: page2})
open(os.path.join(outdir, "revision.pdf"), "wb").write(rev2)

# hidden.pdf
o = {}
name = "Bo Chen"
popup, comment, field, widget, outl, item = n, n + 1, n + 2, n + 3, n + 4, n + 5
mail, home, jsname, ef, ocg, dests = n + 6, n + 7, n + 8, n + 9, n + 10, n + 11
o[comment] = (b"<< /Type /Annot /Subtype /Text %s /T (Reviewer 2) /Contents (Remember to ask Bo Chen about the proof) /Popup %d 0 R >>" % (rect, popup))
o[popup] = b"<< /Type /Annot /Subtype /Popup /Rect [ 200 200 300 300 ] /Parent %d 0 R /Contents (see the notes of A. Mueller) >>" % comment
author_note = n + 12
o[author_note] = b"<< /Type /Annot /Subtype /Text /Rect [ 300 100 320 120 ] /T (Alice Mueller) /Contents (fine) >>"
o[field] = b"<< /FT /Tx /DA (/Helv 0 Tf 0 g) /T (signature) /V (Alice M\\374ller) /Kids [ %d 0 R ] >>" % widget
o[widget] = b"<< /Type /Annot /Subtype /Widget /Rect [ 400 100 500 120 ] /Parent %d 0 R >>" % field
o[outl] = b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count 1 >>" % (item, item)
o[item] = b"<< /Title (Notes for Bo Chen) /Parent %d 0 R /Dest [ %d 0 R /Fit ] >>" % (outl, p1)
o[mail] = b"<< /Type /Annot /Subtype /Link %s /A << /S /URI /URI (mailto:alice.mueller@uni-tuebingen.de) >> >>" % rect
o[home] = b"<< /Type /Annot /Subtype /Link /Rect [ 100 200 200 220 ] /A << /S /URI /URI (https://github.com/amueller/ode-control) >> >>"
goto = n + 13
o[goto] = b"<< /Type /Annot /Subtype /Link /Rect [ 100 300 200 320 ] /Dest (alice-mueller-notes) >>"
clicked = n + 14
o[clicked] = b"<< /Type /Annot /Subtype /Link /Rect [ 100 400 200 420 ] /A << /S /URI /URI (https://example.org/dataset) >> >>"
o[jsname] = b"<< /S /JavaScript /JS (// written by Bo Chen\\n) >>"
o[ef] = b"<< /Type /Filespec /F (bo-chen-notes.txt) /UF (bo-chen-notes.txt) /EF << >> >>"
o[ocg] = b"<< /Type /OCG /Name (Comments by Alice M\\374ller) >>"
o[dests] = b"<< /Names [ (alice-mueller-notes) [ %d 0 R /Fit ] ] >>" % p2
o[root_nr] = with_keys(root, b"/Outlines %d 0 R /Names << /Dests %d 0 R /JavaScript << /Names [ (chen) %d 0 R ] >> /EmbeddedFiles << /Names [ (bo-chen-notes.txt) %d 0 R ] >> >> /AcroForm << /Fields [ %d 0 R ] >> /OCProperties << /OCGs [ %d 0 R ] /D << /Order [ %d 0 R ] >> >> /PageLabels << /Nums [ 0 << /S /D /P (Bo Chen: ) >> ] >>"
                       % (outl, dests, jsname, ef, field, ocg, ocg))
o[p1] = with_keys(page1, b"/Annots [ %d 0 R %d 0 R %d 0 R %d 0 R %d 0 R %d 0 R %d 0 R %d 0 R ]" % (comment, popup, author_note, widget, mail, home, goto, clicked))
step = os.path.join(outdir, "_hidden.pdf")
open(step, "wb").write(update(base, o))
subprocess.run(["qpdf", "--min-version=1.7", step, os.path.join(outdir, "hidden.pdf")], check=True)
os.remove(step)

# orphan.pdf: a Launch action nothing refers to, appended inside an object
# stream (with a cross-reference stream), where only decoding the stream
# finds it: its bytes are compressed.
def update_objstm(data, objs, stm_nr):
    import zlib
    startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    trailer = show(data, "trailer")
    size = int(re.search(rb"/Size (\d+)", trailer).group(1))
    root = re.search(rb"/Root (\d+ \d+ R)", trailer).group(1)
    nrs = sorted(objs)
    head, body, off = b"", b"", 0
    for nr in nrs:
        head += b"%d %d " % (nr, off)
        body += objs[nr] + b"\n"
        off = len(body)
    raw = zlib.compress(head + body)
    out = data if data.endswith(b"\n") else data + b"\n"
    stm_off = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (stm_nr, len(nrs), len(head), len(raw)) + raw + b"\nendstream\nendobj\n"
    xref_nr = max(nrs + [stm_nr]) + 1
    xref_off = len(out)
    rows, index = b"", []
    for nr in sorted(nrs + [stm_nr, xref_nr]):
        if nr == stm_nr:
            rows += bytes([1]) + stm_off.to_bytes(4, "big") + (0).to_bytes(2, "big")
        elif nr == xref_nr:
            rows += bytes([1]) + xref_off.to_bytes(4, "big") + (0).to_bytes(2, "big")
        else:
            rows += bytes([2]) + stm_nr.to_bytes(4, "big") + nrs.index(nr).to_bytes(2, "big")
        index += [nr, 1]
    size = max(size, xref_nr + 1)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /Root %s /Prev %d /W [ 1 4 2 ] /Index [ %s ] /Length %d >>\nstream\n" % (
        xref_nr, size, root, startxref, b" ".join(b"%d" % i for i in index), len(rows)) + rows + b"\nendstream\nendobj\n"
    return out + b"startxref\n%d\n%%%%EOF\n" % xref_off


open(os.path.join(outdir, "orphan.pdf"), "wb").write(update_objstm(base, {n: b"<< /S /Launch /F (calc.exe) >>"}, n + 1))
