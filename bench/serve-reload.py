#!/usr/bin/env python3
"""`helpsite serve` with its live snippet run: start -> every mark final, and save -> reload
while the snippets run, side by side with the same saves once they are idle.

usage: bench/serve-reload.py [--site DIR | --corpus PAGES] [--page REL] [--runs N] [--bin PATH]
                             [-- SERVE_FLAGS]   (e.g. -- --no-run: no live run, saves only)

Copies the site (content/, templates/, helpsite.toml; never a report, so every snippet runs)
into a temp dir, or generates the synthetic corpus there (/work/shared/bench/gen_corpus.py, or
$GEN_CORPUS), starts `helpsite serve --port 0` on it and listens to the event stream as an
open page does (on its own thread). While the snippets run it saves one page every 0.3 s
(appends a line) and times save -> `reload` event and save -> the page's HTML fetched with the
new line in it (what the browser's reload does first); then N more saves once the run has
ended. It prints each save, the time from start to the last mark event and to the report
being written, the marks that arrived live, and medians for both groups of saves.
Only loopback is contacted. Build the binary first: cargo build --release.
"""
import argparse
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def copy_site(src, dst):
    for name in ("content", "templates"):
        if os.path.isdir(os.path.join(src, name)):
            shutil.copytree(os.path.join(src, name), os.path.join(dst, name))
    if os.path.exists(os.path.join(src, "helpsite.toml")):
        shutil.copy(os.path.join(src, "helpsite.toml"), dst)


def open_events(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(b"GET /__helpsite/events HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
    return sock.makefile("rb")


def next_event(stream):
    name = None
    while True:
        line = stream.readline()
        if not line:
            raise SystemExit("event stream closed")
        line = line.decode().rstrip("\r\n")
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line == "" and name:
            return name


def fetch(port, path):
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(("GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" % path).encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", default=REPO, help="site folder to copy (default: this repo)")
    ap.add_argument("--corpus", type=int, help="generate a synthetic corpus of this many pages")
    ap.add_argument("--page", help="content file to edit, relative to content/")
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--bin", default=os.path.join(REPO, "target/release/helpsite"))
    ap.add_argument("serve_args", nargs="*", help="more `helpsite serve` flags (after --), "
                    "e.g. -- --no-run")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="serve-reload-")
    try:
        if args.corpus:
            gen = os.environ.get("GEN_CORPUS", "/work/shared/bench/gen_corpus.py")
            subprocess.run([sys.executable, gen, str(args.corpus), work], check=True,
                           stdout=subprocess.DEVNULL)
            mark_unrun_fences(os.path.join(work, "content"))
        else:
            copy_site(args.site, work)
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def mark_unrun_fences(content):
    """The corpus has `toml` and `rust` blocks without attributes, which the fence grammar
    rejects (a block that is not run must say why): give them an ignore reason."""
    for dirpath, _, files in os.walk(content):
        for name in files:
            if name.endswith(".md"):
                path = os.path.join(dirpath, name)
                text = open(path).read()
                for lang in ("toml", "rust"):
                    text = text.replace("```%s\n" % lang,
                                        "```%s {ignore=\"benchmark corpus\"}\n" % lang)
                open(path, "w").write(text)


def pick_page(work, wanted):
    if wanted:
        return os.path.join(work, "content", wanted)
    pages = sorted(os.path.join(d, n) for d, _, files in os.walk(os.path.join(work, "content"))
                   for n in files if n.endswith(".md"))
    if not pages:
        raise SystemExit("no page to edit")
    # A page rather than a section index when there is one.
    return next((p for p in pages if not os.path.basename(p).startswith("_")), pages[0])


def page_url(work, page):
    rel = os.path.relpath(page, os.path.join(work, "content")).replace(os.sep, "/")
    folder, name = os.path.split(rel)
    name = "index.html" if name == "_index.md" else name[:-3] + ".html"
    return "/" + (folder + "/" if folder else "") + name


class Stream(threading.Thread):
    """Reads the event stream on its own thread: (time, name, data) into a queue."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.events = open_events(port)
        self.queue = queue.Queue()

    def run(self):
        name, data = None, ""
        while True:
            line = self.events.readline()
            if not line:
                return
            line = line.decode().rstrip("\r\n")
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data += line[5:].strip()
            elif line == "" and name:
                self.queue.put((time.perf_counter(), name, data))
                name, data = None, ""


def save_and_wait(stream, port, page, url, original, i, log):
    """Appends a line to `page`; waits for a reload after which `url` shows it. Returns ms
    (save -> reload event, save -> page fetched) and the mark events seen meanwhile."""
    marker = "Bench edit %d." % i
    t0 = time.perf_counter()
    with open(page, "w") as f:
        f.write(original + "\n" + marker + "\n")
    marks = []
    while True:
        try:
            at, name, data = stream.queue.get(timeout=60)
        except queue.Empty:
            raise SystemExit("no reload within 60 s of a save (see %s)" % log.name)
        if name == "mark":
            marks.append((at, data))
            continue
        if name != "reload" or at < t0:
            continue
        body = fetch(port, url)
        t2 = time.perf_counter()
        if marker.encode() in body:
            return (at - t0) * 1000, (t2 - t0) * 1000, marks


def run(args, work):
    page = pick_page(work, args.page)
    url = page_url(work, page)
    report = os.path.join(work, ".helpsite-report.json")
    if os.path.exists(report):
        os.remove(report)
    log = open(os.path.join(work, "serve.log"), "w+")
    started = time.perf_counter()
    server = subprocess.Popen([args.bin, "serve", "--port", "0", "--root", work,
                               "--out", os.path.join(work, "out")] + args.serve_args,
                              stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            raise SystemExit("no URL from helpsite serve: %r" % line)
        port = int(match.group(1))
        print("first build + start: %.0f ms" % ((time.perf_counter() - started) * 1000))
        stream = Stream(port)
        stream.start()
        original = open(page).read()
        during, after, marks = [], [], []

        def run_done():
            log.seek(0)
            return re.search(r"snippets: .* report written", log.read())

        live = "--no-run" not in args.serve_args
        i = 0
        # Saves while the snippets run (the live run starts right after the first build).
        while live and not run_done() and i < 1000:
            time.sleep(0.3)
            if run_done():
                break
            event, fetched, seen = save_and_wait(stream, port, page, url, original, i, log)
            marks += seen
            i += 1
            if not run_done():
                during.append((event, fetched))
                print("save %d while snippets run: reload event %.0f ms, page fetched %.0f ms"
                      % (i, event, fetched))
        while live and not run_done():
            time.sleep(0.1)
        done_at = time.perf_counter()
        while not stream.queue.empty():
            at, name, data = stream.queue.get()
            if name == "mark":
                marks.append((at, data))
        # The same saves with nothing running, for comparison in the same session.
        for _ in range(args.runs):
            time.sleep(0.3)
            event, fetched, seen = save_and_wait(stream, port, page, url, original, i, log)
            marks += seen
            i += 1
            after.append((event, fetched))
            print("save %d, snippets idle: reload event %.0f ms, page fetched %.0f ms"
                  % (i, event, fetched))
        log.seek(0)
        text = log.read()
        print("page edited: %s (%s)" % (os.path.relpath(page, work), url))
        if live:
            summary = re.search(r"snippets: (.*) in ([0-9.]+) s; report written", text)
            final = [(at, d) for at, d in marks if "snippet-mark-running" not in d]
            verified = sum(1 for _, d in final
                           if "snippet-mark-verified" in d or "snippet-mark-reproduced" in d)
            failing = sum(1 for _, d in final if "snippet-mark-failing" in d)
            last = max((at for at, _ in final), default=done_at)
            print("live run: %s; %d marks arrived live (%d verified or reproduced, %d failing)"
                  % (summary.group(1) if summary else "?", len(final), verified, failing))
            print("serve start -> every mark final: %.1f s (last mark event); "
                  "-> report written: %.1f s" % (last - started, done_at - started))
        for label, rows in (("while snippets run", during), ("snippets idle", after)):
            if rows:
                ev = [r[0] for r in rows]
                fe = [r[1] for r in rows]
                print("%-19s n=%2d  save -> reload event median %.0f ms (min %.0f, max %.0f); "
                      "-> page fetched median %.0f ms (max %.0f); within 200 ms: %d/%d"
                      % (label, len(rows), statistics.median(ev), min(ev), max(ev),
                         statistics.median(fe), max(fe), sum(1 for f in fe if f <= 200),
                         len(rows)))
        builds = [int(m) for m in re.findall(r"built in (\d+) ms", text)][1:]
        if builds:
            print("median rebuild (server side): %d ms" % statistics.median(builds))
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
