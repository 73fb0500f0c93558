#!/usr/bin/env bash
# Benchmark of the mock's SSH channel (issue 11): clone and push of the ~50 MB bench repository
# (bench/remote_repo.py, 10,000 commits) over SSH to the mock (russh, git-upload-pack /
# git-receive-pack behind the same policy as HTTPS) against `git clone --no-local` / `git push`
# over file:// (the floor), alternating the two in each round, medians; then `helpsite remote`
# start-up to the first SSH request served (bench/ssh_startup.py).
# Usage: bench/ssh.sh [COMMITS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
COMMITS=${1:-10000}
ROUNDS=${2:-5}
cargo build --release --quiet
BIN=$PWD/target/release/helpsite
W=$(mktemp -d)
trap 'kill "${MOCK:-}" 2>/dev/null || true; rm -rf "$W"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=$W GIT_TERMINAL_PROMPT=0

mkdir -p "$W/.ssh"
SRC=$W/root/username/bench.git
bench_repo "$SRC" "$COMMITS"
ssh-keygen -q -t ed25519 -N '' -C bench@example.com -f "$W/.ssh/id_ed25519"

cat > "$W/scenario.toml" <<TOML
[[accounts]]
username = "username"
ssh_keys = ["$(cat "$W/.ssh/id_ed25519.pub")"]
[[repositories]]
path = "username/bench"
members = { username = "admin" }
content = "empty"
[[repositories]]
path = "username/sink"
members = { username = "admin" }
content = "empty"
TOML
"$BIN" remote --port 0 --ssh-port 0 --root "$W/root" --scenario "$W/scenario.toml" > "$W/mock.log" &
MOCK=$!
for _ in $(seq 100); do grep -q "^Ready" "$W/mock.log" 2>/dev/null && break; sleep 0.05; done
PORT=$(sed -n 's/^SSH: .* on 127.0.0.1:\([0-9]*\) .*/\1/p' "$W/mock.log")
echo "mock ssh port: $PORT"
cat > "$W/.ssh/config" <<CFG
Host bitbucket.org
    HostName 127.0.0.1
    Port $PORT
    HostKeyAlias bitbucket.org
    IdentityFile $W/.ssh/id_ed25519
    IdentitiesOnly yes
    StrictHostKeyChecking accept-new
    UserKnownHostsFile $W/.ssh/known_hosts
CFG
export GIT_SSH_COMMAND="ssh -F $W/.ssh/config"
ssh -F "$W/.ssh/config" -T git@bitbucket.org 2>&1 | head -1
SINK=$W/root/username/sink.git
git clone -q --bare --no-local "file://$SRC" "$W/local.git"

# ms CMD…: wall time of one run in milliseconds.
ms() { python3 -c 'import subprocess,sys,time; t=time.perf_counter(); subprocess.run(sys.argv[1:],check=True); print(round((time.perf_counter()-t)*1000))' "$@"; }
: > "$W/times"
for round in $(seq "$ROUNDS"); do
  rm -rf "$W/c"; echo "clone file $(ms git clone -q --bare --no-local "file://$SRC" "$W/c")" >> "$W/times"
  rm -rf "$W/c"; echo "clone ssh $(ms git clone -q --bare git@bitbucket.org:username/bench.git "$W/c")" >> "$W/times"
  rm -rf "$SINK"; git init -q --bare -b main "$SINK"
  echo "push file $(ms git --git-dir="$W/local.git" push -q "file://$SINK" main)" >> "$W/times"
  rm -rf "$SINK"; git init -q --bare -b main "$SINK"
  echo "push ssh $(ms git --git-dir="$W/local.git" push -q git@bitbucket.org:username/sink.git main)" >> "$W/times"
  echo "round $round done"
done
python3 - "$W/times" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    op, kind, ms = line.split()
    t.setdefault((op, kind), []).append(int(ms))
for op in ("clone", "push"):
    f, s = statistics.median(t[(op, "file")]), statistics.median(t[(op, "ssh")])
    print(f"{op}: file:// median {f:.0f} ms, ssh median {s:.0f} ms, ratio {s/f:.2f}x (target <= 1.5x); runs {t[(op,'ssh')]} vs {t[(op,'file')]}")
PY
kill "$MOCK"; wait "$MOCK" 2>/dev/null || true; MOCK=

echo "== start-up to the first SSH request served"
python3 bench/ssh_startup.py "$BIN" 20 "$W/scenario.toml" "$W/.ssh/config"
