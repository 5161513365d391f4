#!/usr/bin/env bash
# Ctrl-C during `claimcheck run`: the command stops promptly (in-flight runs are abandoned at
# their next step), exits 130, says how many runs were kept and how to continue; the kept runs
# are whole records, and running the same command again trains exactly the rest.
# Usage: interrupt_test.sh <claimcheck binary> <scratch dir>
set -euo pipefail
bin=$1
work=$2
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fixture_dir "$bin" "$work"
fixture_claim mnist interrupt title="Ctrl-C keeps finished runs (test fixture)" \
  profiles.smoke.replicates=12 >"$work/claims/interrupt.json"
store="$work/runs/interrupt.jsonl"
"$bin" --claims-dir "$work/claims" --baselines-dir "$work/baselines" \
  run interrupt --profile smoke --store "$work/runs" >/dev/null 2>"$work/run.err" &
pid=$!
wait_for_lines "$store" 3
start=$(date +%s%N)
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
kept=$(wc -l <"$store")
echo "exit $rc after ${elapsed_ms} ms, $kept runs kept"
[ "$rc" -eq 130 ] || { echo "FAIL: exit $rc, expected 130"; cat "$work/run.err"; exit 1; }
grep -q "interrupted: $kept of 24 runs of interrupt (smoke) are kept in $store" "$work/run.err" ||
  { echo "FAIL: no 'interrupted: $kept of 24 ...' line"; cat "$work/run.err"; exit 1; }
grep -q "run the same command again to train the other $((24 - kept))" "$work/run.err" ||
  { echo "FAIL: no hint for the remaining runs"; cat "$work/run.err"; exit 1; }
[ "$elapsed_ms" -lt 5000 ] || { echo "FAIL: took ${elapsed_ms} ms to stop"; exit 1; }
python3 -c "
import json, sys
for line in open('$store'):
    json.loads(line)  # every kept line is a whole record
"
# Resume trains exactly the rest.
rc=0
cc run interrupt --profile smoke --store "$work/runs" >/dev/null 2>"$work/resume.err" || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: resume exited $rc (expected 1: no baseline)"; cat "$work/resume.err"; exit 1; }
trained=$(grep -c '^\[' "$work/resume.err" || true)
[ "$trained" -eq $((24 - kept)) ] || { echo "FAIL: resume trained $trained, expected $((24 - kept))"; exit 1; }
echo PASS
