#!/bin/sh
# Regenerates the pdfcheck test corpus from the sources in src/.
# Needs pdflatex (texlive-latex-base, -recommended, -fonts-recommended,
# -latex-extra), qpdf, poppler-utils (pdftoppm), python3, and optionally
# LibreOffice (libreoffice-writer-nogui) and chromium for the two non-LaTeX
# samples. The tests only read the PDFs this writes; they need none of this.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/src/* "$work"/
cd "$work"
# Fixed dates, so rebuilding changes no byte that the sources did not change.
export SOURCE_DATE_EPOCH=1696464000 FORCE_SOURCE_DATE=1 TZ=UTC

latex() { pdflatex -interaction=nonstopmode -halt-on-error "$@" >/dev/null; }

latex -jobname=alice-mueller-plot fig-plot.tex
for p in exact4 midpage4 spill5 acks checklist appendix sixpage authorblock twocol; do
	latex "$p.tex" && latex "$p.tex"
	cp "$p.pdf" "$here/$p.pdf"
done
cp alice-mueller-plot.pdf "$here/smallpage.pdf"

# leaks.pdf: then an attachment (qpdf) and an incremental update that hides
# the author from readers while the old revision keeps it in the file.
latex leaks.tex && latex leaks.tex
qpdf --object-streams=disable leaks.pdf --add-attachment notes.txt --key=notes.txt -- leaks-att.pdf
python3 incremental.py leaks-att.pdf "$here/leaks.pdf"

# Active content and names outside the page text, added with qpdf.
python3 active.py exact4.pdf "$here"

# The scanned paper is pictures of the pages of midpage4.
pdftoppm -r 40 -gray -png -f 1 -l 3 midpage4.pdf scan
cp scan-1.png scan-2.png scan-3.png "$here/src/"
latex scanned.tex
cp scanned.pdf "$here/scanned.pdf"

qpdf --encrypt secret-user secret-owner 256 -- midpage4.pdf "$here/encrypted.pdf"
qpdf --encrypt "" secret-owner 256 --modify=none -- midpage4.pdf "$here/restricted.pdf"
python3 hostile.py midpage4.pdf "$here"
cp word.docx "$here/notpdf.pdf"

if command -v soffice >/dev/null; then
	profile="file://$work/lo-profile"
	soffice --headless "-env:UserInstallation=$profile" --convert-to 'docx:MS Word 2007 XML' word.html >/dev/null 2>&1
	soffice --headless "-env:UserInstallation=$profile" --convert-to pdf word.docx >/dev/null 2>&1
	cp word.docx "$here/src/word.docx"
	cp word.pdf "$here/word.pdf"
else
	echo "soffice missing: word.pdf not rebuilt" >&2
fi
if command -v chromium >/dev/null; then
	chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
		"--print-to-pdf=$work/chromium.pdf" "file://$work/word.html" >/dev/null 2>&1
	cp chromium.pdf "$here/chromium.pdf"
else
	echo "chromium missing: chromium.pdf not rebuilt" >&2
fi
