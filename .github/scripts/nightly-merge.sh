#!/usr/bin/env bash
# nightly.yml's merge job: `claimcheck report` over every shard store (downloaded as artifacts
# store-shard-1..N into STORES_DIR; shards are numbered from 1, as `run --shard I/N`), the suite
# report into the job summary, and its exit code as the step output `code` (the issue step and
# the job's result read it). A shard without an artifact (it failed before training: build,
# prerequisites, no CUDA device) gets an empty store with a warning, so the report still covers
# the whole suite and names its runs as missing (exit 1) instead of writing nothing.
#   nightly-merge.sh SHARD_COUNT STORES_DIR REPORT_DIR
#   env: CLAIMCHECK (the binary, default build/claimcheck), as for ci/nightly/merge.sh
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 SHARD_COUNT STORES_DIR REPORT_DIR" >&2; exit 2; }
count=$1
store_root=$2
reports=$3
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ $count =~ ^[1-9][0-9]*$ ]] || { echo "nightly-merge.sh: SHARD_COUNT must be a positive integer, got '$count'" >&2; exit 2; }
stores=()
for ((i = 1; i <= count; i++)); do
  store="$store_root/store-shard-$i"
  if [ ! -d "$store" ]; then
    echo "::warning::shard $i of $count uploaded no store (it failed before training: see its log); its runs are reported missing"
    mkdir -p "$store"
  fi
  stores+=("$store")
done
rc=0
bash "$root/ci/nightly/merge.sh" "$reports" "${stores[@]}" >/dev/null || rc=$?
if [ -s "$reports/suite.md" ]; then
  cat "$reports/suite.md" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
else
  echo "❌ **claimcheck nightly: no report** (report exited $rc; see the log)" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
fi
echo "code=$rc" >>"${GITHUB_OUTPUT:-/dev/stdout}"
