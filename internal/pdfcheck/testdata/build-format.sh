#!/bin/sh
# Regenerates the format-check corpus (fmt-*.pdf) from src/fmt-*.tex, with
# the same LaTeX as build.sh (texlive-latex-base, -recommended,
# -fonts-recommended, -latex-extra). The tests only read the PDFs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here"/src/dlde.sty "$here"/src/filler.tex "$here"/src/fmt-* "$work"/
cd "$work"
export SOURCE_DATE_EPOCH=1696464000 FORCE_SOURCE_DATE=1 TZ=UTC
for p in ok final twocol geometry fontsize linespread vspace; do
	pdflatex -interaction=nonstopmode -halt-on-error "fmt-$p.tex" >/dev/null
	pdflatex -interaction=nonstopmode -halt-on-error "fmt-$p.tex" >/dev/null
	cp "fmt-$p.pdf" "$here/fmt-$p.pdf"
done
