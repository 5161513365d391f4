#!/usr/bin/env bash
# The Slurm nightly without Slurm: run the job array's shard commands one after another, then
# the merge, and check that the merged report equals an unsharded run's (same analysis, same
# comparison, same suite rows). Then: a shard that lost its runs makes the merge exit 1 naming
# them, a shard that never ran makes it exit 2, and `submit` chains the merge after the array
# after the build job (a stand-in sbatch records what would be submitted).
# Usage: slurm_shards_test.sh <claimcheck binary> <scratch dir>
set -euo pipefail
bin=$1
work=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
python=/usr/bin/python3
[ -x "$python" ] || { echo "SKIP: $python (Debian's python3) is not installed"; exit 77; }
source "$root/tests/cli/lib.sh"
fixture_dir "$bin" "$work"
fixture_claim "$root/tests/claims/data/tiny.json" tiny \
  title="Tiny: GeGLU(2) vs ReLU(2) on MNIST (Slurm shard test)" -hypotheses.1 \
  profiles='{"nightly": {"replicates": 3, "device": "cpu", "resamples": 999}}' \
  >"$work/claims/tiny.json"
# The default CPU build trains here: the shards' CUDA check is off (nightly_gpu_scripts_test.sh
# checks that it refuses this binary).
export CLAIMCHECK=$bin CLAIMCHECK_ROOT=$root CLAIMCHECK_SHARDS=2 CLAIMCHECK_WORK=$work/sharded
export CLAIMCHECK_REQUIRE_CUDA=0
export CLAIMCHECK_ARGS="--claims-dir $work/claims --baselines-dir $work/baselines"
sbatch_script=$root/ci/slurm/nightly.sbatch

# The array's tasks, one after another, then the merge.
for i in 1 2; do
  SLURM_ARRAY_TASK_ID=$i bash "$sbatch_script" shard 2>"$work/shard-$i.err" ||
    { cat "$work/shard-$i.err"; fail "shard $i exited $?"; }
done
rc=0
bash "$sbatch_script" merge >"$work/merged.md" 2>"$work/merge.err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/merge.err"; fail "merge exited $rc, expected 1 (no baseline yet)"; }

# Unsharded: one store, one report.
cc run tiny --profile nightly --store "$work/whole" >/dev/null 2>&1 || true
rc=0
cc report --store "$work/whole" --profile nightly \
  --report-dir "$work/whole-report" >"$work/whole.md" 2>"$work/whole.err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$work/whole.err"; fail "unsharded report exited $rc"; }

"$python" - "$work/sharded/report" "$work/whole-report" <<'PY'
import json, sys
sharded, whole = sys.argv[1], sys.argv[2]
a = json.load(open(f"{sharded}/tiny/nightly/report.json"))
b = json.load(open(f"{whole}/tiny/nightly/report.json"))
for key in ("analysis", "comparison"):
    if a[key] != b[key]:
        sys.exit(f"FAIL: the merged report's {key} differs from the unsharded run's")
sa, sb = json.load(open(f"{sharded}/suite.json")), json.load(open(f"{whole}/suite.json"))
for s in (sa, sb):
    s.pop("stores")
    for e in s["entries"]:
        e.pop("bless", None)  # names the store
if sa != sb:
    sys.exit("FAIL: the merged suite.json differs from the unsharded one")
print(f"ok: merged == unsharded ({len(a['analysis']['runs'])} runs, "
      f"{len(a['analysis']['hypotheses'])} hypotheses)")
PY
grep -qF "| \`tiny\` | nightly |" "$work/merged.md" || fail "the merged Markdown has no row for tiny"

# A shard whose runs are lost: the merge names what is missing and the command (exit 1).
mv "$work/sharded/shard-1/tiny.jsonl" "$work/lost.jsonl"
rc=0
bash "$sbatch_script" merge >/dev/null 2>"$work/merge-lost.err" || rc=$?
[ "$rc" -eq 1 ] || fail "merge with a lost shard exited $rc, expected 1"
grep -q "runs are not in the stores" "$work/merge-lost.err" || { cat "$work/merge-lost.err"; fail "no missing-runs message"; }
grep -q "run tiny --profile nightly" "$work/merge-lost.err" || fail "no command that trains the missing runs"
# A shard that never ran (no store at all): exit 2 naming it.
rm -rf "$work/sharded/shard-1"
rc=0
bash "$sbatch_script" merge >/dev/null 2>"$work/merge-gone.err" || rc=$?
[ "$rc" -eq 2 ] || fail "merge without a shard store exited $rc, expected 2"
grep -q "shard-1: no such directory" "$work/merge-gone.err" || { cat "$work/merge-gone.err"; fail "the missing shard store is not named"; }

# submit: the build, the array after it, then the merge depending on the array (a stand-in
# sbatch logs its arguments).
mkdir -p "$work/fake-bin"
cat >"$work/fake-bin/sbatch" <<'SH'
#!/usr/bin/env bash
echo "$*" >>"$SBATCH_LOG"
echo "4242;cluster"
SH
chmod +x "$work/fake-bin/sbatch"
SBATCH_LOG=$work/sbatch.log PATH="$work/fake-bin:$PATH" CLAIMCHECK_SHARDS=3 \
  bash "$sbatch_script" >"$work/submit.out"
grep -q -- "--gres=none .*nightly.sbatch build$" "$work/sbatch.log" || { cat "$work/sbatch.log"; fail "no build job (without a GPU) submitted"; }
grep -q -- "--array=1-3 --dependency=afterok:4242 --kill-on-invalid-dep=yes .*nightly.sbatch shard$" "$work/sbatch.log" || { cat "$work/sbatch.log"; fail "no array of 3 shards after the build"; }
[ "$(head -1 "$work/sbatch.log" | grep -c 'nightly.sbatch build$')" -eq 1 ] || fail "the build is not submitted first"
grep -q -- "--dependency=afterany:4242 .*nightly.sbatch merge$" "$work/sbatch.log" || { cat "$work/sbatch.log"; fail "the merge does not depend on the array"; }
echo "ok: shards + merge == unsharded; lost and absent shards fail the merge; submit chains build, array, merge"
