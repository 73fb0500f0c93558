#!/usr/bin/env python3
"""Prints the table of bench/search-vs-pagefind.sh from its JSON lines: per query, the bytes the
server sent for each tool's search files (status line + headers + body), the number of
requests, the ratio helpsite / Pagefind, and the medians.

usage: search_vs_pagefind.py OUT RESULTS.jsonl   (OUT: the built site, for the gzip column)
"""
import gzip
import json
import os
import re
import statistics
import sys

HELPSITE = re.compile(r"^/static/search(\.js|-index\.js|/)")
PAGEFIND = re.compile(r"^/pagefind/")


def served(run, pattern):
    """(bytes, requests, paths) of what the server sent for `pattern` during one run."""
    hits = [(path, int(n)) for path, n in run.get("served", []) if pattern.match(path)]
    return sum(n for _, n in hits), len(hits), [p for p, _ in hits]


def gzipped(out, paths):
    """gzip -9 bytes of the bodies of helpsite's files, for a server that compresses."""
    total = 0
    for path in paths:
        with open(os.path.join(out, path.split("?")[0].lstrip("/")), "rb") as f:
            total += len(gzip.compress(f.read(), 9))
    return total


def main():
    out, path = sys.argv[1], sys.argv[2]
    rows = [json.loads(line) for line in open(path) if line.strip()]
    head = ("query", "helpsite bytes", "req", "(gzip -9)", "pagefind 5 bytes", "req",
            "pagefind 20 bytes", "req", "helpsite/pf5", "helpsite/pf20")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    cols = {k: [] for k in ("h", "g", "p5", "p20", "r5", "r20")}
    for row in rows:
        h, hn, hpaths = served(row["helpsite"], HELPSITE)
        p5, p5n, _ = served(row["pagefind5"], PAGEFIND)
        p20, p20n, _ = served(row["pagefind20"], PAGEFIND)
        if not (h and p5 and p20):
            print(f"| {row['query']} | measurement failed: {json.dumps(row)[:300]} |")
            continue
        g = gzipped(out, hpaths)
        r5, r20 = h / p5, h / p20
        for k, v in zip(cols, (h, g, p5, p20, r5, r20)):
            cols[k].append(v)
        print(f"| {row['query']} | {h:,} | {hn} | {g:,} | {p5:,} | {p5n} | {p20:,} | {p20n} | "
              f"{r5:.2f} | {r20:.2f} |")
    if cols["h"]:
        med = {k: statistics.median(v) for k, v in cols.items()}
        print(f"| **median** | {med['h']:,.0f} | | {med['g']:,.0f} | {med['p5']:,.0f} | | "
              f"{med['p20']:,.0f} | | {med['r5']:.2f} | {med['r20']:.2f} |")
    print()
    for row in rows:
        hs, pf = row["helpsite"], row["pagefind5"]
        print(f"{row['query']!r}: helpsite showed {hs.get('shown')} ({hs.get('status')!r}); "
              f"pagefind found {pf.get('status')!r}, data() of {pf.get('shown')} / "
              f"{row['pagefind20'].get('shown')}")
        for tool, pattern in (("helpsite", HELPSITE), ("pagefind5", PAGEFIND)):
            files = [f"{p.split('?')[0].rsplit('/', 1)[-1]} {n}" for p, n in row[tool].get("served", [])
                     if pattern.match(p)]
            print(f"  {tool}: " + ", ".join(files))


if __name__ == "__main__":
    main()
