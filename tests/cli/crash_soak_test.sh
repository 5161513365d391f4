#!/usr/bin/env bash
# Crash soak: SIGKILL `claimcheck run` of a tiny claim at <kills> random moments, resuming each
# time, and check that nothing is lost or doubled: the store never holds a key twice or a key
# the plan does not have, and every time it fills up, a resume's analysis equals an
# uninterrupted run's (kill_resume_test.sh does this for one kill; this is its generalisation).
#
# Kill moments, reproducible from <seed> (bash's RANDOM, seeded): in turn
#   - startup: a delay in [0, 300) ms (libraries, data loading, plan, the store's lock);
#   - write:   as soon as the store grows by a record (the moment of a store write);
#   - anywhere (twice): a delay in [0, 1.2 T), T the uninterrupted run's wall time (training,
#     store writes, analysis, report writing).
# Only kills that land count (the process died of SIGKILL); a run that finished first is a
# completed resume. Whenever the store holds every planned run it is checked and started afresh,
# so kills keep landing on training and store writes rather than only on a complete store.
#
# Usage: crash_soak_test.sh <claimcheck binary> <scratch dir> <kills> [seed]
set -euo pipefail
bin=$1
work=$2
kills=$3
RANDOM=${4:-20240611}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fixture_dir "$bin" "$work"
fixture_claim mnist crash-soak \
  title="Crash soak: SIGKILL at random moments, resume (test fixture)" \
  training='{"optimizer": {"type": "adam"}, "steps": 20, "batch": 64, "lr": 0.001}' \
  profiles.smoke.replicates=6 >"$work/claims/crash-soak.json"
args=(--claims-dir "$work/claims" --baselines-dir "$work/baselines" run crash-soak --profile smoke)
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Reference: one uninterrupted run (no baseline, so exit 1 is expected); its keys are the plan.
start=$(now_ms)
rc=0
"$bin" "${args[@]}" --store "$work/ref" >/dev/null 2>"$work/ref.err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/ref.err"; fail "reference run exited $rc"; }
span=$(($(now_ms) - start))
echo "reference run: ${span} ms"

# check <store dir> complete|partial: no key twice, no key outside the plan (torn or invalid
# lines skipped, as the reader skips them); `complete` also needs every planned key and a report
# whose analysis equals the reference's. Prints the number of distinct keys stored.
check() {
  python3 - "$work/ref" "$1" "$2" <<'EOF'
import json, sys
ref, cut, mode = sys.argv[1:]
def keys(path):
    counts = {}
    try:
        lines = open(path).read().split("\n")
    except FileNotFoundError:
        return counts
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # empty, or a torn last line
        counts[record["key"]] = counts.get(record["key"], 0) + 1
    return counts
plan = keys(ref + "/crash-soak.jsonl")
got = keys(cut + "/crash-soak.jsonl")
twice = sorted(k for k, n in got.items() if n > 1)
unknown = sorted(set(got) - set(plan))
assert not twice, f"keys stored twice: {twice}"
assert not unknown, f"keys the plan does not have: {unknown}"
if mode == "complete":
    assert set(got) == set(plan), f"missing runs: {sorted(set(plan) - set(got))}"
    report = "/reports/crash-soak/smoke/report.json"
    a = json.load(open(ref + report))["analysis"]
    b = json.load(open(cut + report))["analysis"]
    assert a == b, "the resumed analysis differs from the uninterrupted one"
print(len(got))
EOF
}

planned=$(check "$work/ref" partial)
store="$work/cut"
declare -A by_mode=([startup]=0 [write]=0 [anywhere]=0)
before_first_write=0
stored=0
landed=0
finished=0
episodes=0
attempts=0
while [ "$landed" -lt "$kills" ]; do
  attempts=$((attempts + 1))
  [ "$attempts" -le $((kills * 3)) ] || fail "only $landed of $kills kills landed in $attempts runs"
  file="$store/crash-soak.jsonl"
  size=$(stat -c %s "$file" 2>/dev/null || echo 0)
  # The binary itself in the background (a function's subshell would outlive the kill).
  "$bin" "${args[@]}" --store "$store" >/dev/null 2>"$work/last.err" &
  pid=$!
  modes=(write startup anywhere anywhere)
  mode=${modes[$((attempts % 4))]}
  stored_before=$stored
  case $((attempts % 4)) in
    0) # write: poll for the store to grow (up to 5 s), then kill at once
      for _ in $(seq 1 2500); do
        [ "$(stat -c %s "$file" 2>/dev/null || echo 0)" -gt "$size" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.002
      done ;;
    1) delay=$((RANDOM % 300)) ;;
    *) delay=$((RANDOM * span * 12 / 10 / 32768)) ;;
  esac
  if [ $((attempts % 4)) -ne 0 ]; then
    sleep "$((delay / 1000)).$(printf '%03d' $((delay % 1000)))"
  fi
  kill -KILL "$pid" 2>/dev/null || true
  rc=0
  wait "$pid" 2>/dev/null || rc=$?
  stored=$(check "$store" partial) || fail "after run $attempts (exit $rc)"
  if [ "$rc" -eq 137 ]; then
    landed=$((landed + 1))
    by_mode[$mode]=$((by_mode[$mode] + 1))
    [ "$stored" -gt "$stored_before" ] || before_first_write=$((before_first_write + 1))
  elif [ "$rc" -eq 1 ]; then
    finished=$((finished + 1))
  else
    cat "$work/last.err"
    fail "run $attempts exited $rc (expected SIGKILL's 137, or 1: no baseline)"
  fi
  if [ "$stored" -eq "$planned" ]; then
    # Full: a resume trains nothing and must reproduce the reference analysis; then start over.
    rc=0
    "$bin" "${args[@]}" --store "$store" >/dev/null 2>"$work/last.err" || rc=$?
    [ "$rc" -eq 1 ] || { cat "$work/last.err"; fail "resume of a full store exited $rc"; }
    check "$store" complete >/dev/null || fail "full store after run $attempts"
    episodes=$((episodes + 1))
    rm -rf "$store"
    stored=0
  fi
done

# Finish the last episode: resume until done, then the same checks.
rc=0
"$bin" "${args[@]}" --store "$store" >/dev/null 2>"$work/last.err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/last.err"; fail "final resume exited $rc"; }
check "$store" complete >/dev/null || fail "final store"
episodes=$((episodes + 1))
echo "$landed kills landed (${by_mode[startup]} at startup delays, ${by_mode[write]} at a store" \
  "write, ${by_mode[anywhere]} anywhere; $before_first_write before the killed run stored a" \
  "record); $finished runs finished first; $episodes stores filled: every run stored exactly" \
  "once, every analysis identical to the uninterrupted run's"
echo PASS
