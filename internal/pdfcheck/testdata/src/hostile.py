"""Make the hostile corpus files from a good paper.

usage: python3 hostile.py GOOD.pdf OUTDIR
Writes truncated.pdf (the first 45% of GOOD), damaged.pdf (GOOD with its
middle overwritten by noise and its cross-reference data gone), bomb.pdf
(one page whose content stream is flate inside flate: about 4 KB on disk,
2000 MiB of content once decoded) and bomb-hex.pdf (the same stream wrapped
in ASCIIHexDecode, which the checker's own stream scan does not decode, so
that only poppler's time limit stops it).
"""
import os
import random
import sys
import zlib

good = open(sys.argv[1], "rb").read()
out = sys.argv[2]

open(os.path.join(out, "truncated.pdf"), "wb").write(good[: len(good) * 45 // 100])

rng = random.Random(5)
noise = bytes(rng.randrange(256) for _ in range(len(good)))
damaged = good[:15] + noise[15 : len(good) - 30] + b"\nstartxref\n999999\n%%EOF\n"
open(os.path.join(out, "damaged.pdf"), "wb").write(damaged)


def deflate_spaces(total):
    c = zlib.compressobj(9)
    chunk = b" " * (16 << 20)
    parts = []
    for _ in range(total // len(chunk)):
        parts.append(c.compress(chunk))
    parts.append(c.flush())
    return b"".join(parts)


inner = deflate_spaces(2000 << 20)
outer = zlib.compress(inner, 9)


def write_pdf(name, filters, stream):
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << >> >>",
        b"<< /Length %d /Filter [%s] >>\nstream\n" % (len(stream), filters) + stream + b"\nendstream",
    ]
    pdf = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        pdf += b"%010d 00000 n \n" % off
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    open(os.path.join(out, name), "wb").write(bytes(pdf))


write_pdf("bomb.pdf", b"/FlateDecode /FlateDecode", outer)
write_pdf("bomb-hex.pdf", b"/ASCIIHexDecode /FlateDecode /FlateDecode", outer.hex().encode() + b">")
