#!/usr/bin/env python3
"""Fit each tool's growth exponent over the sizes bench/build-vs-hugo.sh has run.

usage: growth.py [bench-work]  -> reads results-*/summary.json; prints, per tool, the
least-squares slope of log(median wall) and log(peak RSS) against log(pages) (1.0 = linear),
and the cost of the largest run relative to the 10,000-page one.
"""
import glob
import json
import math
import os
import sys


def slope(points):
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else float("nan")


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else "bench-work"
    runs = sorted((json.load(open(p)) for p in glob.glob(os.path.join(work, "results-*/summary.json"))),
                  key=lambda s: s["pages"])
    if len(runs) < 2:
        sys.exit("growth.py: need summaries of two sizes or more")
    print("sizes: " + ", ".join(str(r["pages"]) for r in runs))
    for tool in ("helpsite", "hugo"):
        wall = [(r["pages"], r["tools"][tool]["median_s"]) for r in runs]
        rss = [(r["pages"], r["tools"][tool]["peak_rss_mib"]) for r in runs]
        line = "%-8s wall exponent %.2f, peak-RSS exponent %.2f" % (tool, slope(wall), slope(rss))
        by = dict(wall)
        if 10000 in by and runs[-1]["pages"] > 10000:
            line += ", %d pages cost %.1f× the 10,000-page build" % (
                runs[-1]["pages"], by[runs[-1]["pages"]] / by[10000])
        print(line)


if __name__ == "__main__":
    main()
