#!/usr/bin/env bash
# nightly.yml's shard job: the CUDA build, by ci/cuda-build.sh (Torch_DIR pinned to $PYTHON's
# CUDA torch, libtorch_cuda checked), in a build directory outside the workspace: actions/checkout
# cleans the workspace (git clean -ffdx wipes build*/), so a build inside it was redone by every
# job. One directory per runner and checkout path (CMake ties a build to its source directory),
# kept across nights, so a night rebuilds only what changed and a runner's later shards of the
# same night rebuild nothing; a lock keeps two jobs on one host from building into it at once.
# Prints the binary's path and writes it as the step output `claimcheck`.
#   env: PYTHON (the CUDA torch's python, default python3), CLAIMCHECK_GPU_BUILD_ROOT (default
#        ${XDG_CACHE_HOME:-$HOME/.cache}/claimcheck/build-cuda), RUNNER_NAME (set by the runner)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_root=${CLAIMCHECK_GPU_BUILD_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/claimcheck/build-cuda}
key=$(printf '%s:%s' "${RUNNER_NAME:-local}" "$root" | sha256sum | cut -c1-12)
build=$build_root/$key
mkdir -p "$build_root"
echo "CUDA build of $root in $build (PYTHON=${PYTHON:-python3})" >&2
(
  flock 9
  PYTHON=${PYTHON:-python3} CLAIMCHECK_BUILD_DIR=$build bash "$root/ci/cuda-build.sh"
) 9>"$build_root/$key.lock"
[ -x "$build/claimcheck" ] || { echo "gpu-build.sh: ci/cuda-build.sh left no $build/claimcheck" >&2; exit 2; }
echo "$build/claimcheck"
echo "claimcheck=$build/claimcheck" >>"${GITHUB_OUTPUT:-/dev/null}"
