#!/usr/bin/env python3
"""Save -> browser-reload latency of `helpsite serve`.

usage: bench/serve-reload.py [--site DIR | --corpus PAGES] [--page REL] [--runs N] [--bin PATH]

Copies the site (content/, templates/, helpsite.toml) into a temp dir, or generates the
synthetic corpus there (/work/shared/bench/gen_corpus.py, or $GEN_CORPUS), starts
`helpsite serve --port 0` on it, listens to the live-reload event stream as an open page does,
then N times: appends a line to one page (a save), waits for the `reload` event and fetches the
page's HTML again (what the browser's reload does first). Prints each run and the median.
Only loopback is contacted. Build the binary first: cargo build --release.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
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


def run(args, work):
    page = pick_page(work, args.page)
    log = open(os.path.join(work, "serve.log"), "w+")
    started = time.perf_counter()
    server = subprocess.Popen([args.bin, "serve", "--port", "0", "--root", work,
                               "--out", os.path.join(work, "out")],
                              stdout=subprocess.PIPE, stderr=log, text=True)
    try:
        line = server.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            raise SystemExit("no URL from helpsite serve: %r" % line)
        port = int(match.group(1))
        print("first build + start: %.0f ms" % ((time.perf_counter() - started) * 1000))
        events = open_events(port)
        assert next_event(events) == "hello"
        original = open(page).read()
        event_ms, reload_ms = [], []
        for i in range(args.runs):
            time.sleep(0.3)
            t0 = time.perf_counter()
            with open(page, "w") as f:
                f.write(original + "\nBench edit %d.\n" % i)
            name = next_event(events)
            t1 = time.perf_counter()
            if name != "reload":
                raise SystemExit("expected reload, got %s (see %s)" % (name, log.name))
            fetch(port, "/")
            t2 = time.perf_counter()
            event_ms.append((t1 - t0) * 1000)
            reload_ms.append((t2 - t0) * 1000)
            print("run %d: reload event %.0f ms, page fetched %.0f ms" % (i + 1, event_ms[-1],
                                                                         reload_ms[-1]))
        log.seek(0)
        builds = [int(m) for m in re.findall(r"built in (\d+) ms", log.read())][1:]
        print("page: %s" % os.path.relpath(page, work))
        print("median save -> reload event: %.0f ms" % statistics.median(event_ms))
        print("median save -> page fetched: %.0f ms (min %.0f, max %.0f)" % (
            statistics.median(reload_ms), min(reload_ms), max(reload_ms)))
        if builds:
            print("median rebuild (server side): %d ms" % statistics.median(builds))
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
