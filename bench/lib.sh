# Sourced by the bench scripts. shared_bench: the folder with gen_corpus.py and hugo-site/ —
# $HELPSITE_BENCH_DIR, else the project's shared/bench beside the clone (../shared/bench) or
# beside the worktree folder (../../shared/bench).
shared_bench() {
  local dir
  for dir in "${HELPSITE_BENCH_DIR:-}" ../shared/bench ../../shared/bench; do
    if [ -n "$dir" ] && [ -f "$dir/gen_corpus.py" ]; then
      (cd "$dir" && pwd)
      return
    fi
  done
  echo "bench: cannot find shared/bench/gen_corpus.py; set HELPSITE_BENCH_DIR" >&2
  return 1
}
