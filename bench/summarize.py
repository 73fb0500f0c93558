#!/usr/bin/env python3
"""Summarize bench/build-vs-hugo.sh results: medians of the hyperfine rounds and peak RSS.

usage: summarize.py RESULTS_DIR PAGES  -> prints a table, writes summary.md and summary.json
"""
import glob
import json
import os
import re
import statistics
import sys


def wall_times(results):
    times = {}
    for path in sorted(glob.glob(os.path.join(results, "round-*.json"))):
        for r in json.load(open(path))["results"]:
            times.setdefault(r["command"], []).extend(r["times"])
    return times


def peak_rss_kib(results, tool):
    text = open(os.path.join(results, "time-%s.txt" % tool)).read()
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return int(m.group(1)) if m else None


def output_bytes(results, tool):
    path = os.path.join(results, "bytes-%s.txt" % tool)
    return int(open(path).read().strip()) if os.path.exists(path) else None


def main():
    results, pages = sys.argv[1], int(sys.argv[2])
    times = wall_times(results)
    rows = {}
    for tool in ("helpsite", "hugo"):
        ts = times.get(tool, [])
        rows[tool] = {
            "runs": len(ts),
            "median_s": statistics.median(ts) if ts else None,
            "min_s": min(ts) if ts else None,
            "max_s": max(ts) if ts else None,
            "peak_rss_mib": (peak_rss_kib(results, tool) or 0) / 1024,
            "output_bytes": output_bytes(results, tool),
        }
    h, g = rows["helpsite"], rows["hugo"]
    ratio_wall = h["median_s"] / g["median_s"] if h["median_s"] and g["median_s"] else None
    ratio_rss = h["peak_rss_mib"] / g["peak_rss_mib"] if g["peak_rss_mib"] else None
    lines = [
        "%d pages, %d alternating rounds" % (pages, h["runs"]),
        "",
        "| tool | median wall (s) | min–max (s) | peak RSS (MiB) | output (MB) | per page (KB) |",
        "|---|---|---|---|---|---|",
    ]
    for tool, r in rows.items():
        size = r["output_bytes"] or 0
        lines.append("| %s | %.2f | %.2f–%.2f | %.0f | %.0f | %.1f |" % (
            tool, r["median_s"], r["min_s"], r["max_s"], r["peak_rss_mib"], size / 1e6,
            size / 1e3 / pages))
    lines.append("")
    lines.append("helpsite / hugo: wall %.2f×, peak memory %.2f×" % (ratio_wall, ratio_rss))
    text = "\n".join(lines) + "\n"
    print(text, end="")
    open(os.path.join(results, "summary.md"), "w").write(text)
    summary = {"pages": pages, "tools": rows, "ratio_wall": ratio_wall, "ratio_peak_rss": ratio_rss}
    json.dump(summary, open(os.path.join(results, "summary.json"), "w"), indent=2)


if __name__ == "__main__":
    main()
