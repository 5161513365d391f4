#!/usr/bin/env bash
# The nightly merge over the real claims/ and baselines/ (every claim, not a tiny stand-in), as
# the three callers run it: ci/nightly/merge.sh, GitHub's .github/scripts/nightly-merge.sh
# (artifacts downloaded to stores/store-shard-1..N) and the Slurm merge job. Training the nightly
# profile takes hours, so the shard stores here exist but hold no runs (a night whose shards
# all died): the merge must still write suite.{md,html,json} naming every claim, each nightly
# claim as incomplete with the command that trains it, each claim without a nightly profile as
# "no nightly profile", and exit 1. The expected split is read from the specs themselves, so a
# new claim is checked without editing this test.
# Usage: nightly_merge_test.sh <claimcheck binary> <scratch dir>
set -euo pipefail
bin=$1
work=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
python=$(command -v python3) || { echo "SKIP: python3 is not installed"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work"
export CLAIMCHECK=$bin
export CLAIMCHECK_ARGS="--claims-dir $root/claims --baselines-dir $root/baselines"

# check_suite REPORT_DIR MARKDOWN_FILE: every claim of claims/ is in the report files.
check_suite() {
  "$python" - "$root/claims" "$1" "$2" <<'PY'
import json, pathlib, sys
claims_dir, reports, md_file = map(pathlib.Path, sys.argv[1:])
specs = [json.loads(f.read_text()) for f in sorted(claims_dir.glob("*.json"))]
nightly = sorted(s["id"] for s in specs if "nightly" in s.get("profiles", {}))
other = sorted(s["id"] for s in specs if "nightly" not in s.get("profiles", {}))
if len(specs) < 4 or not nightly or not other:
    sys.exit(f"FAIL: expected nightly claims and smoke-only canaries in {claims_dir}, found "
             f"{len(specs)} specs: nightly {nightly}, other {other}")
for name in ("suite.md", "suite.html", "suite.json"):
    if not (reports / name).is_file() or (reports / name).stat().st_size == 0:
        sys.exit(f"FAIL: the merge wrote no {reports / name}")
suite = json.loads((reports / "suite.json").read_text())
entries = {e["claim"]: e for e in suite["entries"] if e["profile"] == "nightly"}
if sorted(entries) != nightly:
    sys.exit(f"FAIL: suite.json reports {sorted(entries)}, the nightly claims are {nightly}")
for claim, e in entries.items():
    if e["outcome"] != "incomplete" or f"run {claim} --profile nightly" not in e["missing"]:
        sys.exit(f"FAIL: {claim}: expected incomplete naming its run command, got {e}")
listed = sorted(n["claim"] for n in suite["no_profile"])
if listed != other:
    sys.exit(f"FAIL: suite.json lists {listed} as without a nightly profile, expected {other}")
if suite["all_pass"] or suite["counts"]["outcomes"].get("incomplete") != len(nightly):
    sys.exit(f"FAIL: counts {suite['counts']}")
md = md_file.read_text()
html = (reports / "suite.html").read_text()
for claim in nightly:
    if f"| `{claim}` | nightly | ❌ incomplete |" not in md:
        sys.exit(f"FAIL: no incomplete row for {claim} in {md_file}")
for claim in other:
    if f"| `{claim}` | nightly | ➖ no nightly profile |" not in md:
        sys.exit(f"FAIL: no 'no nightly profile' row for {claim} in {md_file}")
    if f"<td><code>{claim}</code></td><td>nightly</td><td>no nightly profile" not in html:
        sys.exit(f"FAIL: no 'no nightly profile' row for {claim} in suite.html")
print(f"ok: {reports}: {len(nightly)} nightly claims incomplete, {len(other)} listed")
PY
}

# 1. ci/nightly/merge.sh over two empty shard stores.
mkdir -p "$work/plain/shard-1" "$work/plain/shard-2"
rc=0
bash "$root/ci/nightly/merge.sh" "$work/plain/report" "$work/plain/shard-1" "$work/plain/shard-2" \
  >"$work/plain/out.md" 2>"$work/plain/err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/plain/err"; fail "merge.sh exited $rc, expected 1 (runs missing)"; }
cmp -s "$work/plain/out.md" "$work/plain/report/suite.md" || fail "merge.sh printed something else than suite.md"
check_suite "$work/plain/report" "$work/plain/out.md"

# 2. GitHub's merge step: artifacts store-shard-1..N (shards are numbered from 1) under a
# stores directory, the summary and the exit code as step outputs.
# Shard 2 uploaded nothing (it failed before training): a warning, and its runs count as missing.
mkdir -p "$work/gh/stores/store-shard-1" "$work/gh/stores/store-shard-3"
rc=0
GITHUB_STEP_SUMMARY=$work/gh/summary.md GITHUB_OUTPUT=$work/gh/output \
  bash "$root/.github/scripts/nightly-merge.sh" 3 "$work/gh/stores" "$work/gh/reports" \
  >"$work/gh/log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || { cat "$work/gh/log"; fail "nightly-merge.sh exited $rc (it reports the code as an output)"; }
grep -qx "code=1" "$work/gh/output" || { cat "$work/gh/output" "$work/gh/log"; fail "nightly-merge.sh: expected code=1"; }
check_suite "$work/gh/reports" "$work/gh/summary.md"
grep -q "store-shard-3" "$work/gh/reports/suite.json" || fail "the third shard store was not merged"
grep -q "::warning::shard 2 of 3 uploaded no store" "$work/gh/log" || { cat "$work/gh/log"; fail "no warning for the shard without a store"; }

# 3. The Slurm merge job.
mkdir -p "$work/slurm/shard-1" "$work/slurm/shard-2"
rc=0
CLAIMCHECK_ROOT=$root CLAIMCHECK_SHARDS=2 CLAIMCHECK_WORK=$work/slurm \
  bash "$root/ci/slurm/nightly.sbatch" merge >"$work/slurm/out.md" 2>"$work/slurm/err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/slurm/err"; fail "nightly.sbatch merge exited $rc, expected 1"; }
check_suite "$work/slurm/report" "$work/slurm/out.md"
echo "ok: the nightly merge reports every claim of claims/ (merge.sh, GitHub, Slurm)"
