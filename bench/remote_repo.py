#!/usr/bin/env python3
"""Writes a git fast-import stream to stdout: N commits on main, each rewriting one of 50 files
with ~6 KB of incompressible, reproducible bytes (base64 of a seeded PRNG), fixed dates.
Usage: remote_repo.py [COMMITS] | git --git-dir=REPO fast-import --quiet"""
import base64, random, sys

commits = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
rng = random.Random(42)
out = sys.stdout.buffer
for i in range(commits):
    data = base64.encodebytes(rng.randbytes(4600))
    when = 1767225600 + 60 * i
    msg = f"commit {i}\n".encode()
    out.write(b"commit refs/heads/main\n")
    out.write(f"author Bench <bench@example.com> {when} +0000\n".encode())
    out.write(f"committer Bench <bench@example.com> {when} +0000\n".encode())
    out.write(b"data %d\n%s" % (len(msg), msg))
    out.write(b"M 100644 inline file-%02d.txt\ndata %d\n%s\n" % (i % 50, len(data), data))
