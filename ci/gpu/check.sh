#!/usr/bin/env bash
# The GPU check: on a bare GPU machine (CUDA PyTorch 2.x for its python3, nvcc, CMake, ninja; no
# network, no Debian dev packages), in about 9 minutes on 16 cores, from the checkout and the
# bundle that ci/gpu/bundle.sh wrote (.gpu-bundle/):
#   probe          the machine: torch, CUDA, GPU, nvcc, cores
#   build          build-cuda/ against that machine's torch, dependencies from the bundle
#   env            `claimcheck env` (is it a CUDA build, is there a device)
#   agreement      one training step per model type, CUDA against CPU, within fp32 tolerances
#                  (tests/train/cuda_agreement_test.cpp, TF32 off)
#   lm_steps       20 steps each of ConvLM and TinyLSTM on CUDA, twice: no throw, no warning
#                  flood (stderr lines counted), identical stores
#   nightly_step   seconds per nightly training step of every claim with a nightly profile (one
#                  run each at 5 and at 25 steps; the difference removes setup and evaluation)
#   smoke_twice    canary-null smoke on CUDA twice into two stores: bitwise-equal records (all
#                  but wall_seconds) and a pass against the baseline (a CPU baseline is another
#                  environment: the comparison is statistical)
#   unit           the unit tests (ctest -L unit) with the GPU visible, so the CUDA-only tests
#                  run; started beside smoke_twice, after the timings
# Every step is recorded in RESULTS_DIR/steps/<step>.json (status pass | fail | timeout |
# skipped, seconds, exit code, reason, outputs) with its log in RESULTS_DIR/logs/, and all of them
# in RESULTS_DIR/summary.json. A failed step does not stop the others (those that need its
# output are skipped, saying so). Without a GPU the GPU steps are skipped with the reason, so the
# check runs anywhere. Exit 0 when no step failed, 1 otherwise, 2 on a usage error.
#
#   bash ci/gpu/bundle.sh                 here, on a machine with the Debian packages
#   bash ci/gpu/check.sh RESULTS_DIR      on the GPU machine (the device tool: carry .gpu-bundle)
#
# Environment:
#   PYTHON                  the Python whose torch to build against (default python3)
#   CLAIMCHECK_BUILD_DIR    build directory (default build-cuda/, the one ci/cuda-build.sh uses)
#   CLAIMCHECK_BUNDLE       the bundle (default .gpu-bundle/)
#   CLAIMCHECK_DATA         data directory (default the bundle's data/)
#   CLAIMCHECK_CHECK_SECONDS  the whole check's time budget (default 540); a step that would
#                           start with less than 15 s left is skipped, one running is cut to it
#   CLAIMCHECK_CHECK_DEVICE cpu: run the GPU steps on the CPU (a dry run of the check itself)
#   CLAIMCHECK_CHECK_SKIP   step names to skip, space-separated (e.g. "unit" where another job
#                           runs the unit tests)
#   CLAIMCHECK_JOBS         parallel jobs (default nproc)
set -uo pipefail

if [ $# -ne 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,42p' "$0"
  [ $# -eq 1 ] && exit 0
  exit 2
fi
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
results=$(mkdir -p "$1" && cd "$1" && pwd) || { echo "check.sh: cannot create $1" >&2; exit 2; }
python=${PYTHON:-python3}
build=${CLAIMCHECK_BUILD_DIR:-$root/build-cuda}
bundle=${CLAIMCHECK_BUNDLE:-$root/.gpu-bundle}
export CLAIMCHECK_DATA=${CLAIMCHECK_DATA:-$bundle/data}
jobs=${CLAIMCHECK_JOBS:-$(nproc)}
budget=${CLAIMCHECK_CHECK_SECONDS:-540}
forced_device=${CLAIMCHECK_CHECK_DEVICE:-}
skip_list=" ${CLAIMCHECK_CHECK_SKIP:-} "
helpers="$root/ci/gpu/check_helpers.py"
mkdir -p "$results/logs" "$results/out" "$results/work"
rm -f "$results"/steps/*.json "$results/summary.json"
export root results python build bundle jobs helpers
started=$SECONDS

# --- The step runner ------------------------------------------------------------------------
# run_step NAME LIMIT FUNCTION: runs FUNCTION (a bash function below, in a child bash) with its
# output in logs/NAME.log, cut at LIMIT seconds or the budget left; FUNCTION may write
# out/NAME.json (its outputs) and out/NAME.reason (one line). Exit 0 pass, 77 skipped, else fail.
# The step's status is also left in out/NAME.status for the steps after it.
run_step() {
  local name=$1 limit=$2 fn=$3 reason="" status rc left
  if [[ $skip_list == *" $name "* ]]; then
    record "$name" skipped 0 0 "CLAIMCHECK_CHECK_SKIP names it"
    return
  fi
  left=$((budget - (SECONDS - started) - 5))
  if ((left < 15)); then
    record "$name" skipped 0 0 "out of time: ${budget}s budget spent"
    return
  fi
  ((limit > left)) && limit=$left
  local t0=$SECONDS
  printf '== [%4ss] %s (limit %ss)\n' "$((SECONDS - started))" "$name" "$limit" >&2
  timeout --kill-after=10 "$limit" bash -c "$fn" >"$results/logs/$name.log" 2>&1
  rc=$?
  case $rc in
    0) status=pass ;;
    77) status=skipped ;;
    124 | 137) status=timeout reason="cut at ${limit}s" ;;
    *) status=fail ;;
  esac
  [ -s "$results/out/$name.reason" ] && reason="${reason:+$reason; }$(head -c 2000 "$results/out/$name.reason")"
  record "$name" "$status" "$((SECONDS - t0))" "$rc" "$reason"
  printf '   %s: %s %s\n' "$name" "$status" "$reason" >&2
}
record() {  # NAME STATUS SECONDS RC REASON
  echo "$2" >"$results/out/$1.status"
  "$python" -W ignore "$helpers" record "$results" "$1" "$2" "$3" "$4" "$5" "$results/out/$1.json"
}
status_of() { cat "$results/out/$1.status" 2>/dev/null || echo missing; }
# Inside a step: give the reason (one line) and exit with CODE.
# shellcheck disable=SC2317  # called by the steps, in the child shells
finish() {
  echo "$2" >"$results/out/$STEP.reason"
  exit "$1"
}
export -f finish

# --- The steps (each runs in a child bash: `export -f`) --------------------------------------
# shellcheck disable=SC2317,SC2030,SC2031  # run by name in child shells
step_probe() {
  STEP="probe"
  "$python" -W ignore - >"$results/out/probe.json" <<'EOF' || finish 1 "$python cannot import torch"
import json, os, platform, shutil, subprocess, torch
def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception as e:
        return f"unavailable ({e.__class__.__name__})"
cuda = torch.cuda.is_available()
print(json.dumps({
    "python": platform.python_version(), "torch": torch.__version__,
    "torch_cuda": torch.version.cuda, "cudnn": torch.backends.cudnn.version() if cuda else None,
    "cuda_available": cuda, "device_count": torch.cuda.device_count() if cuda else 0,
    "gpus": [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())] if cuda else [],
    "capability": list(torch.cuda.get_device_capability(0)) if cuda else None,
    "nvidia_smi": run("nvidia-smi", "--query-gpu=name,driver_version,memory.total", "--format=csv,noheader"),
    "nvcc": run("nvcc", "--version").splitlines()[-1:] or None,
    "cmake": run("cmake", "--version").splitlines()[:1], "ninja": run("ninja", "--version"),
    "ccache": shutil.which("ccache"), "cores": os.cpu_count(),
    "cmake_prefix_path": torch.utils.cmake_prefix_path}, indent=2))
EOF
  cat "$results/out/probe.json"
  [ -f "$bundle/MANIFEST" ] || finish 1 "no bundle at $bundle: run bash ci/gpu/bundle.sh where the Debian packages are, and carry .gpu-bundle"
  cat "$bundle/MANIFEST"
}

# shellcheck disable=SC2317,SC2030,SC2031
step_build() {
  STEP="build"
  # shellcheck source=ci/gpu/lib.sh
  source "$root/ci/gpu/lib.sh"
  local t0=$SECONDS
  configure_cuda_build "$python" "$build" "$bundle" "$results/logs/build-configure.log" \
    -DCLAIMCHECK_PYTHON="$(command -v "$python")" || finish 1 "configure failed (logs/build-configure.log)"
  local configured=$((SECONDS - t0))
  cmake --build "$build" --parallel "$jobs" || finish 1 "build failed (logs/build.log)"
  ldd_line=$(ldd "$build/claimcheck" | grep libtorch_cuda) || finish 1 "claimcheck does not link libtorch_cuda"
  printf '{"configure_seconds": %s, "build_seconds": %s, "ldd": "%s"}\n' "$configured" \
    "$((SECONDS - t0 - configured))" "$(echo "$ldd_line" | xargs)" >"$results/out/build.json"
}

# shellcheck disable=SC2317,SC2030,SC2031
step_env() {
  STEP="env"
  "$build/claimcheck" env >"$results/out/env.json" || finish 1 "claimcheck env failed"
  cat "$results/out/env.json"
  "$python" -W ignore - "$results/out/env.json" "$results/out/env.reason" <<'EOF'
import json, sys
env = json.load(open(sys.argv[1]))
cuda = env["cuda"]
version = str(cuda.get("version", ""))
built = env.get("build", "").startswith("CUDA build")
open(sys.argv[2], "w").write(f"{env.get('build')}; CUDA {version}, device available: {cuda.get('available')}")
sys.exit(0 if built else 1)
EOF
}

# shellcheck disable=SC2317,SC2030,SC2031
step_agreement() {
  STEP="agreement"
  local gtest=$results/out/agreement.gtest.json
  "$build/tests/train/train_test" --gtest_filter='CudaAgreement.*' --gtest_output="json:$gtest"
  local rc=$?
  [ -f "$gtest" ] && cp "$gtest" "$results/out/agreement.json"
  ((rc == 0)) || finish 1 "CUDA and CPU disagree (logs/agreement.log)"
  grep -q '\[  SKIPPED \]' "$results/logs/agreement.log" && [ "$DEVICE" = cuda ] &&
    finish 1 "skipped although a GPU is visible (logs/agreement.log)"
  finish 0 "every model type agrees within fp32 tolerance"
}

# Trains CLAIM (from CLAIMS) under PROFILE on $DEVICE into STORE; stderr to STORE.err.
# shellcheck disable=SC2317
train_claim() {  # CLAIMS CLAIM PROFILE STORE [ARGS...]
  local claims=$1 claim=$2 profile=$3 store=$4
  shift 4
  rm -rf "$store"
  mkdir -p "$claims/../baselines-empty"
  local baselines=$root/baselines
  [ "$claims" = "$root/claims" ] || baselines=$claims/../baselines-empty
  "$build/claimcheck" --claims-dir "$claims" --baselines-dir "$baselines" run "$claim" \
    --profile "$profile" --device "$DEVICE" --store "$store" "$@" >"$store.out" 2>"$store.err"
}
export -f train_claim

# shellcheck disable=SC2317,SC2030,SC2031
step_lm_steps() {
  STEP="lm_steps"
  local work=$results/work/lm_steps rc_a rc_b
  "$python" -W ignore "$helpers" lm-steps "$work/claims" 20 || finish 1 "cannot write the spec"
  train_claim "$work/claims" gpu-lm-steps smoke "$work/a"
  rc_a=$?
  train_claim "$work/claims" gpu-lm-steps smoke "$work/b"
  rc_b=$?
  tail -5 "$work/a.err" "$work/b.err"
  "$python" -W ignore "$helpers" same-stores "$work/a" "$work/b" >"$work/same.json"
  "$python" -W ignore - "$work" "$rc_a" "$rc_b" "$results/out/lm_steps.json" "$results/out/lm_steps.reason" <<'EOF'
import json, sys
work, rc_a, rc_b, out, reason = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
same = json.load(open(f"{work}/same.json"))
rows = [json.loads(l) for l in open(f"{work}/a/gpu-lm-steps.jsonl")] if same["records"] else []
lines = [sum(1 for _ in open(f"{work}/{x}.err")) for x in "ab"]
# A warning flood is one line per step (cuDNN's "weights not contiguous" on every LSTM call):
# 4 runs x 20 steps = 80; progress and a handful of one-time warnings stay far below.
flood = 40
res = {"exit_codes": [rc_a, rc_b], "stderr_lines": lines, "flood_limit": flood,
       "identical_stores": same["equal"], "first_difference": same["first_difference"],
       "runs": [{"arm": r["arm"], "index": r["index"], "steps": r["steps"], "diverged": r["diverged"],
                 "final_train_loss": r["metrics"].get("final_train_loss"),
                 "val_loss": r["metrics"].get("val_loss"), "wall_seconds": r["wall_seconds"]}
                for r in rows]}
json.dump(res, open(out, "w"), indent=2)
problems = []
if rc_a not in (0, 1) or rc_b not in (0, 1):  # 1: no baseline for this generated claim
    problems.append(f"claimcheck run exited {rc_a}, {rc_b} (stderr in work/lm_steps/*.err)")
if len(rows) != 4 or any(r["steps"] != 20 or r["diverged"] for r in rows):
    problems.append(f"want 4 runs of 20 steps, none diverged; got {[(r['arm'], r['steps'], r['diverged']) for r in rows]}")
if not same["equal"]:
    problems.append(f"the two stores differ: {same['first_difference']}")
if max(lines) > flood:
    problems.append(f"warning flood: {lines} stderr lines (limit {flood})")
open(reason, "w").write("; ".join(problems) or f"4 runs x 20 steps twice, identical; stderr lines {lines}")
sys.exit(1 if problems else 0)
EOF
}

# shellcheck disable=SC2317,SC2030,SC2031
step_nightly_step() {
  STEP="nightly_step"
  local work=$results/work/nightly_step claim ok=1
  mapfile -t claims < <("$python" -W ignore "$helpers" nightly-steps "$root" "$work/claims5" 5)
  "$python" -W ignore "$helpers" nightly-steps "$root" "$work/claims25" 25 >/dev/null
  : >"$work/times.jsonl"
  for claim in "${claims[@]}"; do
    # One run (the first of the plan): --shard 1/100000 of two seeds.
    if train_claim "$work/claims5" "$claim" nightly "$work/$claim-5" --seeds 2 --shard 1/100000 ||
      [ -s "$work/$claim-5/$claim.jsonl" ]; then :; fi
    train_claim "$work/claims25" "$claim" nightly "$work/$claim-25" --seeds 2 --shard 1/100000
    "$python" -W ignore "$helpers" step-time "$work/$claim-5" "$work/$claim-25" "$claim" 5 25 \
      >>"$work/times.jsonl" || { ok=0; echo "$claim: no timing (see $work/$claim-*.err)"; }
  done
  "$python" -W ignore -c 'import json, sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1])], indent=2))' \
    "$work/times.jsonl" >"$results/out/nightly_step.json"
  cat "$results/out/nightly_step.json"
  ((ok)) || finish 1 "a claim gave no timing"
  finish 0 "$(wc -l <"$work/times.jsonl") claims timed"
}

# shellcheck disable=SC2317,SC2030,SC2031
step_smoke_twice() {
  STEP="smoke_twice"
  local work=$results/work/smoke_twice rc_a rc_b
  mkdir -p "$work"
  train_claim "$root/claims" canary-null smoke "$work/a"
  rc_a=$?
  train_claim "$root/claims" canary-null smoke "$work/b"
  rc_b=$?
  cat "$work/a.out"
  "$python" -W ignore "$helpers" same-stores "$work/a" "$work/b" >"$work/same.json"
  local same=$?
  "$python" -W ignore -c 'import json, sys
same = json.load(open(sys.argv[1]))
print(json.dumps({"exit_codes": [int(sys.argv[2]), int(sys.argv[3])], "records": same["records"],
                  "identical_stores": same["equal"], "first_difference": same["first_difference"]}, indent=2))' \
    "$work/same.json" "$rc_a" "$rc_b" >"$results/out/smoke_twice.json"
  ((same == 0)) || finish 1 "the two stores differ (out/smoke_twice.json)"
  ((rc_a == 0 && rc_b == 0)) || finish 1 "identical stores, but canary-null exited $rc_a, $rc_b against its baseline (work/smoke_twice/a.out)"
  finish 0 "identical stores ($(grep -c . "$work/a/canary-null.jsonl") records), passes against its baseline"
}

# shellcheck disable=SC2317,SC2030,SC2031
step_unit() {
  STEP="unit"
  local junit=$results/out/unit.xml
  (cd "$build" && ctest -L unit -j "$jobs" --timeout 240 --output-on-failure --output-junit "$junit")
  local rc=$?
  local line
  line=$(grep -E '[0-9]+% tests passed' "$results/logs/unit.log" | tail -1)
  "$python" -W ignore - "$results/logs/unit.log" "$results/out/unit.json" <<'EOF'
import json, re, sys
log = open(sys.argv[1]).read()
m = re.search(r"(\d+)% tests passed, (\d+) tests failed out of (\d+)", log)
skipped = re.findall(r"\d+/\d+ Test +#\d+: (\S+) \.+\s*\*+Skipped", log)
failed = re.findall(r"\d+ - (\S+) \((Failed|Timeout|SEGFAULT|Subprocess aborted|Exception)\)", log)
json.dump({"total": int(m.group(3)) if m else None, "failed": int(m.group(2)) if m else None,
           "failed_tests": [f[0] for f in failed], "skipped_tests": skipped}, open(sys.argv[2], "w"), indent=2)
EOF
  ((rc == 0)) || finish 1 "${line:-ctest failed} (logs/unit.log)"
  finish 0 "${line}"
}
export -f step_probe step_build step_env step_agreement step_lm_steps step_nightly_step \
  step_smoke_twice step_unit

# --- The run --------------------------------------------------------------------------------
"$python" -W ignore -c 'import json, sys, time, socket
json.dump({"check": "ci/gpu/check.sh", "host": socket.gethostname(),
           "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "budget_seconds": int(sys.argv[1]),
           "build_dir": sys.argv[2], "bundle": sys.argv[3]}, open(sys.argv[4], "w"), indent=2)' \
  "$budget" "$build" "$bundle" "$results/meta.json"
run_step probe 60 step_probe
run_step build 420 step_build
if [ "$(status_of build)" = pass ]; then
  run_step env 30 step_env
else
  record env skipped 0 0 "the build did not pass"
fi

# The device for the GPU steps: CUDA when the binary sees it; else skipped, or the CPU when
# CLAIMCHECK_CHECK_DEVICE=cpu asks for a dry run.
gpu_reason=""
if [ "$(status_of build)" != pass ]; then
  gpu_reason="the build did not pass"
elif [ -n "$forced_device" ]; then
  DEVICE=$forced_device
elif "$python" -W ignore -c 'import json, sys; sys.exit(0 if json.load(open(sys.argv[1]))["cuda"]["available"] else 1)' \
  "$results/out/env.json" 2>/dev/null; then
  DEVICE=cuda
else
  gpu_reason="no CUDA device visible to claimcheck (claimcheck env: cuda.available false)"
fi
export DEVICE=${DEVICE:-none}
"$python" -W ignore -c 'import json, sys
m = json.load(open(sys.argv[1])); m["device"] = sys.argv[2]; m["gpu_steps_skipped_because"] = sys.argv[3] or None
json.dump(m, open(sys.argv[1], "w"), indent=2)' "$results/meta.json" "$DEVICE" "$gpu_reason"
if [ -z "$gpu_reason" ]; then
  run_step agreement 90 step_agreement
  run_step lm_steps 90 step_lm_steps
  run_step nightly_step 120 step_nightly_step
  # The unit tests beside the smoke claim (CPU-heavy tests beside a GPU one); the timings are done.
  run_step unit 300 step_unit &
  unit_pid=$!
  run_step smoke_twice 240 step_smoke_twice
  wait "$unit_pid"
else
  for name in agreement lm_steps nightly_step smoke_twice unit; do
    record "$name" skipped 0 0 "$gpu_reason"
  done
fi
"$python" -W ignore "$helpers" summary "$results"
