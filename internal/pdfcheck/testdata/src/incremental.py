"""Append an incremental update to a PDF that replaces its Info dictionary.

The new Info keeps the author (hyperref's UTF-16 pdfauthor, copied over) but
changes the title; the old Info object stays in the file as an earlier
revision that readers no longer show but the bytes still hold. The
anonymised copy must carry neither.
usage: python3 incremental.py IN OUT (IN written without object streams)
"""
import re
import sys

data = open(sys.argv[1], "rb").read()
startxref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
size = max(int(m) for m in re.findall(rb"/Size (\d+)", data))
root = re.findall(rb"/Root (\d+ \d+ R)", data)[-1]
author = re.findall(rb"/Author\s*(<[0-9a-fA-F]+>|\((?:[^()\\]|\\.)*\))", data)[-1]
info = b"<< /Title (Error-Controlled Training of Neural ODEs, revised) /Author %s /Producer (incremental.py) >>" % author
body = data if data.endswith(b"\n") else data + b"\n"
off = len(body)
obj = b"%d 0 obj\n%s\nendobj\n" % (size, info)
xref_off = off + len(obj)
xref = b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (size, off)
trailer = b"trailer\n<< /Size %d /Root %s /Info %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size + 1, root, size, startxref, xref_off)
open(sys.argv[2], "wb").write(body + obj + xref + trailer)
