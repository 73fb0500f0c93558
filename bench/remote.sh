#!/usr/bin/env bash
# Benchmark of the mock remote (issue 3): clone and push of a 10,000-commit / ~50 MB repository
# through the mock (plain HTTP, git http-backend behind the auth policy) against
# `git clone --no-local` / `git push` over file:// (the physical floor), with hyperfine; then the
# mock's start-up to first request served. Usage: bench/remote.sh [COMMITS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
COMMITS=${1:-10000}
RUNS=${2:-5}
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)"; exit 2; }
cargo build --release --quiet
BIN=$PWD/target/release/helpsite
W=$(mktemp -d)
trap 'kill "${MOCK:-}" 2>/dev/null || true; rm -rf "$W"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME=$W GIT_TERMINAL_PROMPT=0

SRC=$W/root/username/bench.git
bench_repo "$SRC" "$COMMITS"

cat > "$W/scenario.toml" <<TOML
[[accounts]]
username = "username"
[[credentials]]
kind = "api_token"
owner = "username"
secret = "made-up-bench-token"
scopes = ["read:repository:bitbucket", "write:repository:bitbucket"]
[[repositories]]
path = "username/bench"
members = { username = "admin" }
content = "empty"
[[repositories]]
path = "username/sink"
members = { username = "admin" }
content = "empty"
TOML
"$BIN" remote --port 0 --root "$W/root" --scenario "$W/scenario.toml" > "$W/mock.log" &
MOCK=$!
for _ in $(seq 100); do grep -q "^Ready" "$W/mock.log" 2>/dev/null && break; sleep 0.05; done
URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$W/mock.log" | head -1)
echo "mock: $URL"
MAP="-c url.$URL/.insteadOf=https://bitbucket.org/"
CRED='!f(){ echo username=username; echo password=made-up-bench-token; };f'
SINK=$W/root/username/sink.git

echo "== clone (bare, whole history)"
hyperfine --runs "$RUNS" --warmup 1 --export-json "$W/clone.json" \
  --prepare "rm -rf $W/c" \
  -n "file:// --no-local" "git clone -q --bare --no-local file://$SRC $W/c" \
  -n "mock (smart HTTP)" "git $MAP -c 'credential.helper=$CRED' clone -q --bare https://bitbucket.org/username/bench.git $W/c"

echo "== push (whole history into an empty repository)"
git clone -q --bare --no-local "file://$SRC" "$W/local.git"
hyperfine --runs "$RUNS" --warmup 1 --export-json "$W/push.json" \
  --prepare "rm -rf $SINK && git init -q --bare -b main $SINK" \
  -n "file://" "git --git-dir=$W/local.git push -q file://$SINK main" \
  -n "mock (smart HTTP)" "git --git-dir=$W/local.git $MAP -c 'credential.helper=$CRED' push -q https://bitbucket.org/username/sink.git main"

python3 - "$W/clone.json" "$W/push.json" <<'PY'
import json, statistics, sys
for path in sys.argv[1:]:
    r = json.load(open(path))["results"]
    floor, mock = (statistics.median(x["times"]) for x in r)
    kind = "clone" if "clone" in path else "push"
    print(f"{kind}: file:// median {floor*1000:.0f} ms, mock median {mock*1000:.0f} ms, ratio {mock/floor:.2f}x (target <= 1.5x)")
PY
kill "$MOCK"; wait "$MOCK" 2>/dev/null || true; MOCK=

echo "== start-up to first request served (fresh temp root: /dev/shm unless TMPDIR is set)"
python3 bench/remote_startup.py "$BIN" 20
echo "== start-up to first request served (fresh temp root on disk, TMPDIR=/tmp)"
TMPDIR=/tmp python3 bench/remote_startup.py "$BIN" 20
echo "== start-up to first request served (existing root)"
mkdir -p "$W/warm"
python3 bench/remote_startup.py "$BIN" 1 "$W/warm" >/dev/null
python3 bench/remote_startup.py "$BIN" 20 "$W/warm"
