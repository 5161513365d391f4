#!/usr/bin/env bash
# Prediction-difference claims end to end on real artifacts: the PDs the harness reports equal an
# independent numpy computation on the same files (tests/claims/reference/pd_reference.py) to
# 1e-9; a damaged or deleted artifact makes `analyze` exit 2 naming the run and the command that
# retrains it; `run` then retrains exactly those runs and the analysis is identical to before.
# Usage: pd_artifacts_test.sh <claimcheck binary> <scratch dir>
set -euo pipefail
bin=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../cli/lib.sh"
fixture_dir "$bin" "$work"
fixture_claim charlm-pd pd-fixture >"$work/claims/pd-fixture.json"
store="$work/runs/pd-fixture.jsonl"
rc=0; cc run pd-fixture --profile smoke --store "$work/runs" >/dev/null 2>"$work/run.err" || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: run exited $rc (expected 1: no baseline)"; cat "$work/run.err"; exit 1; }
report="$work/runs/reports/pd-fixture/smoke/report.json"
cp "$report" "$work/first.json"

# 1. The harness's PDs equal numpy's on the same artifact files.
"${CLAIMCHECK_PYTHON:-python3}" "$here/reference/pd_reference.py" "$store" "$work/runs" relu gelu >"$work/ref.json"
"${CLAIMCHECK_PYTHON:-python3}" - "$report" "$work/ref.json" <<'PY'
import json, sys
analysis = json.load(open(sys.argv[1]))["analysis"]
ref = json.load(open(sys.argv[2]))
measure = {"tv": "total-variation", "label": "true-label", "top1": "top-1"}
checked = 0
for h in analysis["hypotheses"]:
    m = measure[h["id"]]
    for term in h["terms"]:
        ours, theirs = term["units"], ref[term["arm"]]["pairs"][m]
        assert len(ours) == len(theirs) == 6, (len(ours), len(theirs))
        for a, b in zip(ours, theirs):
            assert abs(a - b) <= 1e-9, (h["id"], term["arm"], a, b)
        assert abs(term["value"] - ref[term["arm"]]["mean"][m]) <= 1e-9
        checked += len(ours) + 1
    est = ref["gelu"]["mean"][m] - ref["relu"]["mean"][m]
    assert abs(h["estimate"] - est) <= 1e-9, (h["id"], h["estimate"], est)
for arm in analysis["arms"]:
    for m, v in arm["pd"].items():
        assert abs(v - ref[arm["name"]]["mean"][m]) <= 1e-9
print(f"PD equal to numpy within 1e-9: {checked} values")
PY

# 2. A damaged artifact and a deleted one: analyze exits 2 naming each run and how to retrain.
python3 - "$store" <<'PY' >"$work/victims"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
pick = [r for r in recs if (r["arm"], r["index"]) in {("relu", 1), ("gelu", 2)}]
for r in pick:
    print(r["arm"], r["index"], r["artifacts"]["predictions"]["file"])
PY
read -r arm1 idx1 file1 < <(sed -n 1p "$work/victims")
read -r _ _ file2 < <(sed -n 2p "$work/victims")
printf '\x00' | dd of="$work/runs/$file1" bs=1 seek=200 conv=notrunc status=none
rc=0; cc analyze pd-fixture --profile smoke --store "$work/runs" >/dev/null 2>"$work/an.err" || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: analyze with a damaged artifact exited $rc"; cat "$work/an.err"; exit 1; }
grep -q "run $arm1 replicate $idx1" "$work/an.err" && grep -q "damaged" "$work/an.err" &&
  grep -q "claimcheck .*run pd-fixture --profile smoke" "$work/an.err" ||
  { echo "FAIL: the message does not name the run, the damage and the command"; cat "$work/an.err"; exit 1; }
rm "$work/runs/$file2"
rc=0; cc analyze pd-fixture --profile smoke --store "$work/runs" >/dev/null 2>"$work/an2.err" || rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: analyze with a deleted artifact exited $rc"; exit 1; }
grep -q "missing" "$work/an2.err" || { echo "FAIL: deleted artifact not named"; cat "$work/an2.err"; exit 1; }

# 3. run retrains exactly those two runs; the analysis is identical to the first one.
rc=0; cc run pd-fixture --profile smoke --store "$work/runs" >/dev/null 2>"$work/rerun.err" || rc=$?
[ "$rc" -eq 1 ] || { echo "FAIL: rerun exited $rc"; cat "$work/rerun.err"; exit 1; }
trained=$(grep -c '^\[' "$work/rerun.err" || true)
[ "$trained" -eq 2 ] || { echo "FAIL: rerun trained $trained runs, expected 2"; cat "$work/rerun.err"; exit 1; }
python3 - "$work/first.json" "$report" <<'PY'
import json, sys
a, b = (json.load(open(p))["analysis"] for p in sys.argv[1:])
assert a == b, "the analysis after retraining differs"
print("retrained 2 runs; analysis identical")
PY
echo PASS
