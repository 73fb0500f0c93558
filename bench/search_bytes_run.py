#!/usr/bin/env python3
"""Opens each measurement page in a fresh headless Chromium (a new chromedriver session: new
profile, empty cache), waits until the page has written its BENCH line, and prints one JSON
line per page with what the page saw plus "served": the [path, bytes] lines the server
(search_bytes_server.py) logged meanwhile. Only 127.0.0.1 is reachable.

usage: search_bytes_run.py CHROMEDRIVER CHROMIUM BASE_URL LOG PAGE…   (PAGE: path#fragment)
"""
import json
import socket
import subprocess
import sys
import time
import urllib.request


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)["value"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    driver_bin, chromium, base_url, log, pages = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
    port = free_port()
    driver = subprocess.Popen([driver_bin, f"--port={port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    wd = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                call(wd, "GET", "/status")
                break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-sync", "--disable-background-networking",
                     "--disable-component-update",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]}}}}
        for page in pages:
            session = call(wd, "POST", "/session", caps)["sessionId"]
            before = sum(1 for _ in open(log))
            try:
                call(wd, "POST", f"/session/{session}/url", {"url": base_url + page})
                seen = "BENCH pending"
                deadline = time.time() + 60
                while seen == "BENCH pending" and time.time() < deadline:
                    time.sleep(0.1)
                    seen = call(wd, "POST", f"/session/{session}/execute/sync", {
                        "script": "return document.getElementById('out').textContent;",
                        "args": []})
            finally:
                call(wd, "DELETE", f"/session/{session}")
            time.sleep(0.2)
            result = json.loads(seen[len("BENCH "):]) if seen.startswith("BENCH {") else {"error": seen}
            with open(log) as f:
                lines = f.readlines()[before:]
            result["served"] = [line.rstrip("\n").split("\t") for line in lines if line.strip()]
            print(json.dumps(result), flush=True)
    finally:
        driver.terminate()
        driver.wait()


if __name__ == "__main__":
    main()
