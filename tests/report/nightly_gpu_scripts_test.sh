#!/usr/bin/env bash
# The GPU nightly's guards, checked without a GPU: ci/nightly/gpu-prereqs.sh names every missing
# prerequisite (a CPU torch, Debian's torch, nvcc, ninja, the data) and passes when all are there
# (stand-in tools on an otherwise empty PATH); ci/nightly/require-cuda.sh refuses this build's
# claimcheck (no CUDA device) and accepts one that reports a device; the Slurm shard refuses to
# train without CUDA; .github/scripts/gpu-build.sh calls ci/cuda-build.sh with PYTHON and a build
# directory outside the checkout that stays the same across runs of one runner; and nightly.yml
# runs the merge on a hosted CPU runner, the shard's checks before it trains.
# Usage: nightly_gpu_scripts_test.sh <claimcheck binary> <scratch dir> <source root>
set -euo pipefail
bin=$1
work=$2
root=$3
bash=$(command -v bash)
python=$(command -v python3) || { echo "SKIP: python3 is not installed"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"
mkdir -p "$work"

# --- gpu-prereqs.sh, on a PATH of stand-ins only --------------------------------------------
fake=$work/fake-bin
mkdir -p "$fake"
stand_in() { printf '#!%s\n%s\n' "$bash" "$2" >"$fake/$1"; chmod +x "$fake/$1"; }
for tool in cmake ninja nvcc c++; do stand_in "$tool" "exit 0"; done
stand_in python-cuda "echo 2.14.1+cu130 13.0 /opt/venv/lib/python3.11/site-packages/torch/__init__.py"
stand_in python-cpu "echo 2.13.0+cpu None /opt/venv/lib/python3.11/site-packages/torch/__init__.py"
stand_in python-debian "echo 1.13.0a0 None /usr/lib/python3/dist-packages/torch/__init__.py"
data=$work/data
for set in mnist fashion-mnist; do
  mkdir -p "$data/$set"
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    : >"$data/$set/$f.gz"
  done
done
mkdir -p "$data/tinyshakespeare"
echo "First Citizen:" >"$data/tinyshakespeare/input.txt"
prereqs() {  # prereqs PYTHON [VAR=VALUE ...]: runs the check, output in $work/prereqs.out
  local py=$1
  shift
  env -i PATH="$fake" HOME="$work" CUDA_HOME="$work/no-cuda" CLAIMCHECK_DATA="$data" PYTHON="$py" \
    "$@" "$bash" "$root/ci/nightly/gpu-prereqs.sh" >"$work/prereqs.out" 2>&1
}
prereqs python-cuda || { cat "$work/prereqs.out"; fail "gpu-prereqs.sh refuses a complete machine"; }
grep -q "torch 2.14.1+cu130 (CUDA 13.0)" "$work/prereqs.out" || fail "gpu-prereqs.sh does not say which torch"
rc=0; prereqs python-cpu || rc=$?
[ "$rc" -eq 2 ] && grep -q "a CPU build (pip's CPU wheel?)" "$work/prereqs.out" ||
  { cat "$work/prereqs.out"; fail "a CPU torch passes the prerequisites (exit $rc)"; }
rc=0; prereqs python-debian || rc=$?
[ "$rc" -eq 2 ] && grep -q "Debian's python3-torch" "$work/prereqs.out" ||
  { cat "$work/prereqs.out"; fail "Debian's torch passes the prerequisites (exit $rc)"; }
rm "$fake/nvcc" "$fake/ninja"
rm "$data/fashion-mnist/t10k-labels-idx1-ubyte.gz"
rc=0; prereqs python-cuda || rc=$?
[ "$rc" -eq 2 ] || fail "gpu-prereqs.sh passes without nvcc, ninja and a data set"
for what in "nvcc: not on PATH" "ninja: not on PATH" "data: $data/fashion-mnist/t10k-labels-idx1-ubyte"; do
  grep -qF "$what" "$work/prereqs.out" || { cat "$work/prereqs.out"; fail "gpu-prereqs.sh does not name '$what'"; }
done
rc=0; prereqs no-such-python || rc=$?
[ "$rc" -eq 2 ] && grep -q "'no-such-python' is not on PATH" "$work/prereqs.out" || fail "a missing python is not named"

# --- require-cuda.sh -------------------------------------------------------------------------
rc=0
PYTHON=$python bash "$root/ci/nightly/require-cuda.sh" "$bin" >"$work/require.out" 2>&1 || rc=$?
if "$bin" env | grep -q '"available": true'; then
  echo "note: this machine has a CUDA device; the refusal is checked with stand-ins only"
else
  [ "$rc" -eq 2 ] && grep -q "sees no CUDA device" "$work/require.out" ||
    { cat "$work/require.out"; fail "require-cuda.sh accepts a claimcheck without a CUDA device (exit $rc)"; }
fi
stand_in claimcheck-gpu 'echo "{\"cuda\": {\"available\": true, \"device_count\": 1, \"version\": \"13.0\"}}"'
stand_in claimcheck-cpu 'echo "{\"cuda\": {\"available\": false, \"device_count\": 0}}"'
stand_in claimcheck-old 'echo "{\"libtorch\": \"2.13.0\"}"'
PYTHON=$python bash "$root/ci/nightly/require-cuda.sh" "$fake/claimcheck-gpu" >"$work/require.out" 2>&1 ||
  { cat "$work/require.out"; fail "require-cuda.sh refuses a claimcheck with a CUDA device"; }
for refused in claimcheck-cpu claimcheck-old; do
  rc=0
  PYTHON=$python bash "$root/ci/nightly/require-cuda.sh" "$fake/$refused" >"$work/require.out" 2>&1 || rc=$?
  [ "$rc" -eq 2 ] || { cat "$work/require.out"; fail "require-cuda.sh accepts $refused"; }
done

# --- the Slurm shard refuses to train without CUDA ---------------------------------------------
mkdir -p "$work/slurm"
rc=0
CLAIMCHECK=$fake/claimcheck-cpu CLAIMCHECK_ROOT=$root CLAIMCHECK_WORK=$work/slurm SLURM_ARRAY_TASK_ID=1 \
  PYTHON=$python bash "$root/ci/slurm/nightly.sbatch" shard >"$work/slurm/out" 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { cat "$work/slurm/out"; fail "the Slurm shard trained without a CUDA device (exit $rc)"; }
[ ! -e "$work/slurm/shard-1" ] || fail "the Slurm shard made a store before its CUDA check"

# --- gpu-build.sh: ci/cuda-build.sh, PYTHON, a build directory outside the checkout ------------
checkout=$work/checkout
mkdir -p "$checkout/.github/scripts" "$checkout/ci"
cp "$root/.github/scripts/gpu-build.sh" "$checkout/.github/scripts/"
cat >"$checkout/ci/cuda-build.sh" <<'SH'
echo "PYTHON=$PYTHON CLAIMCHECK_BUILD_DIR=$CLAIMCHECK_BUILD_DIR" >>"$CUDA_BUILD_LOG"
mkdir -p "$CLAIMCHECK_BUILD_DIR"
printf '#!/bin/sh\n' >"$CLAIMCHECK_BUILD_DIR/claimcheck"
chmod +x "$CLAIMCHECK_BUILD_DIR/claimcheck"
SH
gpu_build() {  # gpu_build RUNNER_NAME: one shard job's build step
  CUDA_BUILD_LOG=$work/cuda-build.log GITHUB_OUTPUT=$work/gh-output RUNNER_NAME=$1 \
    PYTHON=/opt/cuda-python/bin/python CLAIMCHECK_GPU_BUILD_ROOT=$work/build-root \
    bash "$checkout/.github/scripts/gpu-build.sh" >/dev/null 2>"$work/gpu-build.err" ||
    { cat "$work/gpu-build.err"; fail "gpu-build.sh failed"; }
}
gpu_build runner-a
gpu_build runner-a
gpu_build runner-b
mapfile -t calls <"$work/cuda-build.log"
[ "${#calls[@]}" -eq 3 ] || fail "expected 3 calls of ci/cuda-build.sh, got ${#calls[@]}"
for c in "${calls[@]}"; do
  [[ $c == "PYTHON=/opt/cuda-python/bin/python CLAIMCHECK_BUILD_DIR=$work/build-root/"* ]] ||
    fail "ci/cuda-build.sh called with '$c' (want PYTHON and a directory under the build root)"
  [[ $c != *"=$checkout"* ]] || fail "the CUDA build is inside the checkout (checkout cleans it): $c"
done
[ "${calls[0]}" = "${calls[1]}" ] || fail "one runner's second job builds elsewhere: ${calls[0]} vs ${calls[1]}"
[ "${calls[0]}" != "${calls[2]}" ] || fail "two runners share one build directory"
dir=${calls[0]#*CLAIMCHECK_BUILD_DIR=}
grep -qx "claimcheck=$dir/claimcheck" "$work/gh-output" || { cat "$work/gh-output"; fail "no step output claimcheck=$dir/claimcheck"; }

# --- nightly.yml: where each job runs and in which order the shard's steps come ---------------
"$python" - "$root/.github/workflows/nightly.yml" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
jobs, job = {}, None
for line in text.splitlines():
    m = re.match(r"^  ([a-z][a-z0-9-]*):\s*$", line)
    if m:
        job = m.group(1)
        jobs[job] = {"runs-on": None, "runs": []}
    elif job and (m := re.match(r"^    runs-on:\s*(.+)$", line)):
        jobs[job]["runs-on"] = m.group(1).strip()
    elif job and (m := re.match(r"^\s+run:\s*(.+)$", line)):
        jobs[job]["runs"].append(m.group(1).strip())
for name in ("plan", "shard", "merge"):
    if name not in jobs:
        sys.exit(f"FAIL: nightly.yml has no job '{name}' (jobs: {sorted(jobs)})")
merge, shard = jobs["merge"], jobs["shard"]
if merge["runs-on"] != "ubuntu-latest":
    sys.exit(f"FAIL: the merge job runs on {merge['runs-on']}, not a hosted CPU runner (ubuntu-latest)")
if "gpu" not in text or "labels" not in shard["runs-on"]:
    sys.exit(f"FAIL: the shard job runs on {shard['runs-on']}, not the GPU runner labels")
if any("gpu-build" in r or "cuda-build" in r for r in merge["runs"]):
    sys.exit("FAIL: the merge job makes a CUDA build")
order = ["ci/nightly/gpu-prereqs.sh", ".github/scripts/gpu-build.sh", "ci/nightly/require-cuda.sh",
         "ci/nightly/shard.sh"]
at = []
for step in order:
    hits = [i for i, r in enumerate(shard["runs"]) if step in r]
    if not hits:
        sys.exit(f"FAIL: the shard job does not run {step}")
    at.append(hits[0])
if at != sorted(at):
    sys.exit(f"FAIL: the shard job's steps are not in the order {order}: {shard['runs']}")
if "steps.build.outputs.claimcheck" not in text:
    sys.exit("FAIL: the shard does not train with the binary the CUDA build step made")
print("ok: nightly.yml: merge on ubuntu-latest; shard: prerequisites, build, CUDA check, train")
PY
echo "ok: the GPU nightly's prerequisite, CUDA and build checks"
