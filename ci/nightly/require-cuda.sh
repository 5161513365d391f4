#!/usr/bin/env bash
# Fails unless the claimcheck binary sees a CUDA device: a GPU shard that silently trained on the
# CPU would write CPU numbers under a GPU job's name (and take all night doing it). Prints
# `claimcheck env`, then checks its "cuda" block: available, at least one device. Exit 0 with a
# device, 2 otherwise (naming why: a CPU-only LibTorch, no driver or device, or no such binary).
#
#   ci/nightly/require-cuda.sh CLAIMCHECK_BINARY      env: PYTHON (reads the JSON; default python3)
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 CLAIMCHECK_BINARY" >&2; exit 2; }
bin=$1
python=${PYTHON:-python3}
[ -x "$bin" ] || { echo "require-cuda.sh: no claimcheck binary at $bin (build it with ci/cuda-build.sh)" >&2; exit 2; }
env_json=$("$bin" env) || { echo "require-cuda.sh: '$bin env' failed" >&2; exit 2; }
printf '%s\n' "$env_json"
printf '%s' "$env_json" | "$python" -c '
import json, sys
cuda = json.load(sys.stdin).get("cuda")
if not isinstance(cuda, dict) or "available" not in cuda:
    sys.exit("require-cuda.sh: claimcheck env has no cuda.available: cannot tell whether it sees a GPU")
if not cuda["available"] or cuda.get("device_count", 0) < 1:
    sys.exit("require-cuda.sh: claimcheck sees no CUDA device (cuda: %s): a CPU-only LibTorch, or "
             "no driver or GPU visible to this job (CUDA_VISIBLE_DEVICES, Slurm --gres=gpu)" % json.dumps(cuda))
print("require-cuda.sh: ok: %d CUDA device(s)" % cuda["device_count"])
' || exit 2
