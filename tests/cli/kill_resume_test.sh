#!/usr/bin/env bash
# SIGKILL a claim run midway, run it again: only the missing runs are trained, and the analysis
# is identical to an uninterrupted run's (DESIGN.md: the store makes runs resumable).
# Usage: kill_resume_test.sh <claimcheck binary> <scratch dir>
set -euo pipefail
bin=$1
work=$2
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
fixture_dir "$bin" "$work"
fixture_claim mnist kill-resume title="Resume after SIGKILL (test fixture)" \
  profiles.smoke.replicates=24 >"$work/claims/kill-resume.json"
total=48

# Reference: one uninterrupted run (no baseline, so exit 1 is expected).
rc=0; cc run kill-resume --profile smoke --store "$work/ref" >/dev/null 2>"$work/ref.err" || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: reference run exited $rc"; cat "$work/ref.err"; exit 1; }

# Interrupted: SIGKILL once more than two groups (of 8) are stored.
store="$work/cut/kill-resume.jsonl"
# The binary itself in the background (not the cc function: its subshell would survive as the
# killed parent of a still-running claimcheck).
"$bin" --claims-dir "$work/claims" --baselines-dir "$work/baselines" \
  run kill-resume --profile smoke --store "$work/cut" >/dev/null 2>&1 &
pid=$!
wait_for_lines "$store" 17
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
before=$(grep -c '"key"' "$store" || true)
echo "killed with $before of $total runs stored"
[ "$before" -ge 17 ] && [ "$before" -lt "$total" ] || { echo "FAIL: expected a partial store, got $before lines"; exit 1; }

# The plan is replicate-major and the executor trains ensembles wave by wave (run_groups.h: at
# batch 64 a group holds 4 runs, so each arm's 24 replicates are waves of 4): what was stored is
# whole (relu, geglu) pairs of the first replicates, except for the groups the two workers had
# in flight, which span at most two waves (8 replicates) after the complete ones.
python3 - "$store" <<'EOF'
import json, sys
groups = {}
for line in open(sys.argv[1]):
    try:
        r = json.loads(line)
    except ValueError:
        continue  # a torn last line
    groups.setdefault(r["index"], set()).add(r["arm"])
incomplete = sorted(i for i, arms in groups.items() if len(arms) < 2)
complete = sorted(i for i, arms in groups.items() if len(arms) == 2)
assert complete == list(range(len(complete))), f"complete groups are not a prefix: {complete}"
assert all(i >= len(complete) for i in incomplete), f"a gap before complete groups: {incomplete}"
assert all(i < len(complete) + 8 for i in incomplete), f"more than two waves in flight: {incomplete}"
print(f"{len(complete)} complete replicate groups, {len(incomplete)} in flight")
EOF

# Resume: trains exactly the missing runs.
rc=0; cc run kill-resume --profile smoke --store "$work/cut" >/dev/null 2>"$work/resume.err" || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: resumed run exited $rc"; cat "$work/resume.err"; exit 1; }
trained=$(grep -c '^\[' "$work/resume.err" || true)
echo "resume trained $trained runs"
[ "$trained" -eq $((total - before)) ] || { echo "FAIL: trained $trained, expected $((total - before))"; exit 1; }

# Same numbers as the uninterrupted run, and `analyze` reproduces them without training.
cc analyze kill-resume --profile smoke --store "$work/cut" --report-dir "$work/analyzed" >/dev/null 2>&1 || true
python3 - "$work/ref/reports/kill-resume/smoke/report.json" "$work/cut/reports/kill-resume/smoke/report.json" \
  "$work/analyzed/report.json" <<'EOF'
import json, sys
def core(path):
    return json.load(open(path))["analysis"]  # wall time is not in it: byte-identical expected
ref, resumed, analyzed = (core(p) for p in sys.argv[1:])
assert ref == resumed, "resumed analysis differs from the uninterrupted one"
assert resumed == analyzed, "analyze differs from run"
print("identical analyses; estimate", ref["hypotheses"][0]["estimate"])
EOF
echo PASS
