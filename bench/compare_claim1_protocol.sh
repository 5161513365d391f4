#!/usr/bin/env bash
# Claim 1's nightly protocol (368 runs), claimcheck against Python eager PyTorch, back to back on
# this machine, repeated; prints each wall time, the medians and their ratio (issue 11).
#   claimcheck: `build/claimcheck run geglu-vs-relu-mnist --profile nightly --device cpu` into a
#               fresh store (ensembles, 2 workers; includes analysis, baseline comparison and
#               report), then checks every run against a reference store when one is given.
#   python:     bench/claim1_protocol.py on the same runs (the venv's torch, the LibTorch the
#               build uses; 2 processes x 1 thread).
# Usage: bash bench/compare_claim1_protocol.sh [repeats (default 3)] [reference store]
#   e.g. bash bench/compare_claim1_protocol.sh 3 STORE_DIR/geglu-vs-relu-mnist.jsonl (a store of
#   the nightly runs trained before, to check the new ones are bit-identical)
# Needs build/claimcheck (cmake --build build --target claimcheck), MNIST (bash ci/setup.sh) and
# the venv (.venv/, ci/setup.sh makes it). Run it on a quiet machine: `uptime` is printed per pair.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repeats=${1:-3}
reference=${2:-}
python=${PYTHON:-$root/.venv/bin/python}
claimcheck=${CLAIMCHECK:-$root/build/claimcheck}
workers=${WORKERS:-$(nproc)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

cpp_walls=()
py_walls=()
for ((i = 1; i <= repeats; i++)); do
  echo "== pair $i/$repeats; $(uptime | sed 's/.*load/load/')"
  rm -rf "$tmp/store"
  t0=$(now)
  "$claimcheck" run geglu-vs-relu-mnist --profile nightly --device cpu --store "$tmp/store" \
    >"$tmp/cpp.out" 2>"$tmp/cpp.err" || {
    echo "claimcheck exited $? (1 = moved from the baseline); see below" >&2
    tail -20 "$tmp/cpp.err" >&2
  }
  t1=$(now)
  cpp=$(calc "$t1 - $t0")
  grep -h "(nightly):" "$tmp/cpp.err" | tail -1
  t0=$(now)
  "$python" "$root/bench/claim1_protocol.py" --runs "$tmp/store/geglu-vs-relu-mnist.jsonl" \
    --workers "$workers"
  t1=$(now)
  py=$(calc "$t1 - $t0")
  printf 'claimcheck %.1f s   python eager %.1f s   ratio %.2f\n' "$cpp" "$py" "$(calc "$py / $cpp")"
  cpp_walls+=("$cpp")
  py_walls+=("$py")
done
cpp_median=$(printf '%s\n' "${cpp_walls[@]}" | median)
py_median=$(printf '%s\n' "${py_walls[@]}" | median)
printf '\nmedian of %d: claimcheck %.1f s, python eager %.1f s: claimcheck is %.2fx faster\n' \
  "$repeats" "$cpp_median" "$py_median" "$(calc "$py_median / $cpp_median")"

if [ -n "$reference" ]; then
  "$python" - "$reference" "$tmp/store/geglu-vs-relu-mnist.jsonl" <<'PY'
import json, sys
def load(path):
    out = {}
    for line in open(path):
        if line.strip():
            r = json.loads(line)
            out.setdefault(r["key"], r)
    return out
ref, new = load(sys.argv[1]), load(sys.argv[2])
fields = ("metrics", "steps", "diverged", "parameters")
differ = [k for k in new if k not in ref or any(ref[k][f] != new[k][f] for f in fields)]
print(f"bit-identical to {sys.argv[1]}: {len(new) - len(differ)} of {len(new)} runs")
sys.exit(1 if differ else 0)
PY
fi
