#!/usr/bin/env python3
"""Start-up to the first SSH request served: starts `helpsite remote --ssh-port P`, then
connects to P in a tight loop until the server's SSH identification line (`SSH-2.0-…`) arrives,
the first thing it serves; and, separately, until a whole `ssh -T git@bitbucket.org` (key
exchange, public-key authentication, the greeting) has been answered. Prints medians, min and
max over RUNS runs, in milliseconds.
Usage: ssh_startup.py HELPSITE_BINARY RUNS SCENARIO SSH_CONFIG"""
import os, re, signal, socket, statistics, subprocess, sys, tempfile, time

binary, runs, scenario, ssh_config = os.path.abspath(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def banner(port, deadline):
    while time.perf_counter() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                if s.recv(8).startswith(b"SSH-2.0-"):
                    return True
        except OSError:
            time.sleep(0.0005)
    return False

def greeting(port, config, deadline):
    args = ["ssh", "-F", config, "-p", str(port), "-T", "git@bitbucket.org"]
    while time.perf_counter() < deadline:
        out = subprocess.run(args, capture_output=True, text=True)
        if "authenticated via ssh key." in out.stdout + out.stderr:
            return True
        time.sleep(0.001)
    return False

def measure(kind):
    times = []
    with tempfile.TemporaryDirectory() as cwd:
        for _ in range(runs):
            port = free_port()
            args = [binary, "remote", "--port", "0", "--ssh-port", str(port), "--scenario", scenario]
            t0 = time.perf_counter()
            proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL)
            if kind == "banner":
                ok = banner(port, t0 + 10)
            else:
                ok = greeting(port, ssh_config, t0 + 10)
            times.append((time.perf_counter() - t0) * 1000)
            proc.send_signal(signal.SIGINT)
            proc.wait()
            if not ok:
                sys.exit(f"no {kind} within 10 s")
    return times

# `ssh -T` alone, against an already running mock: the client's own cost, to subtract.
port = free_port()
proc = subprocess.Popen([binary, "remote", "--port", "0", "--ssh-port", str(port), "--scenario", scenario], stdout=subprocess.DEVNULL)
banner(port, time.perf_counter() + 10)
client = []
for _ in range(runs):
    t0 = time.perf_counter()
    subprocess.run(["ssh", "-F", ssh_config, "-p", str(port), "-T", "git@bitbucket.org"], capture_output=True)
    client.append((time.perf_counter() - t0) * 1000)
proc.send_signal(signal.SIGINT)
proc.wait()

for kind in ("banner", "greeting"):
    t = measure(kind)
    print(f"start-up to first SSH {kind}: median {statistics.median(t):.1f} ms (min {min(t):.1f}, max {max(t):.1f}, {runs} runs; target < 50 ms)")
print(f"one ssh -T against a running mock (the client's own cost): median {statistics.median(client):.1f} ms")
