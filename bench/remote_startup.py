#!/usr/bin/env python3
"""Start-up to first request served: starts `helpsite remote --port P [--root R]`, then sends
`GET /username/demo.git/info/refs?service=git-upload-pack` in a tight loop until an HTTP answer
comes back; prints the median, min and max over RUNS runs, in milliseconds.
Usage: remote_startup.py HELPSITE_BINARY RUNS [ROOT]"""
import os, signal, socket, statistics, subprocess, sys, tempfile, time

binary, runs = os.path.abspath(sys.argv[1]), int(sys.argv[2])
root = sys.argv[3] if len(sys.argv) > 3 else None

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def first_answer(port, deadline):
    request = b"GET /username/demo.git/info/refs?service=git-upload-pack HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    while time.perf_counter() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(request)
                if s.recv(12).startswith(b"HTTP/1.1"):
                    return True
        except OSError:
            time.sleep(0.0005)
    return False

times = []
with tempfile.TemporaryDirectory() as cwd:
    for _ in range(runs):
        port = free_port()
        args = [binary, "remote", "--port", str(port)] + (["--root", root] if root else [])
        t0 = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL)
        ok = first_answer(port, t0 + 10)
        times.append((time.perf_counter() - t0) * 1000)
        proc.send_signal(signal.SIGINT)
        proc.wait()
        if not ok:
            sys.exit("no answer within 10 s")
print(f"start-up to first request served: median {statistics.median(times):.1f} ms "
      f"(min {min(times):.1f}, max {max(times):.1f}, {runs} runs)")
