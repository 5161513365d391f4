#!/usr/bin/env bash
# The CUDA build, compiled, linked and checked on a machine that cannot run CUDA: builds
# build-cuda/ against a CUDA LibTorch (pip's torch 2.14.1+cu130 in .venv-cuda by default) and
# the local CUDA toolkit, with every CLAIMCHECK_WITH_CUDA path compiled, then checks that
#   - the binary links libtorch_cuda (ldd);
#   - `claimcheck env` says "CUDA build, no device" (a CUDA version, available false);
#   - the unit tests pass on the CPU (ctest -L unit; the CUDA-only tests skip and say why);
#   - one smoke claim (canary-null, CPU) passes against its committed baseline. The baseline was
#     blessed on the default build's LibTorch; another LibTorch version is another environment, so
#     the comparison is the statistical one (DESIGN.md, Baselines and regression), not bit for bit.
# Each step prints its time. The CTest test ci.CudaBuild (labels cuda-build;nightly, outside the
# default run) runs this script with --skip-if-missing.
#
#   bash ci/cuda-build.sh [--skip-if-missing]
#
# Dependencies: the Debian packages (ci/setup.sh), or the GPU bundle when .gpu-bundle/ exists
# (ci/gpu/bundle.sh; the same build then serves ci/gpu/check.sh here, no second build).
#
# Environment:
#   CLAIMCHECK_CUDA_VENV   an existing venv whose torch is a CUDA build, used as it is (e.g. one
#                          made elsewhere); by default .venv-cuda/ in the checkout, made here with
#                          `pip install torch==2.14.1` when it does not exist yet
#   PYTHON                 the Python whose torch is a CUDA build (overrides the venv's)
#   CLAIMCHECK_BUILD_DIR   build directory (default build-cuda/ in the checkout)
#   CLAIMCHECK_CMAKE_ARGS  extra arguments for the CMake configure step
#   CLAIMCHECK_BUNDLE      the GPU bundle to build from (default .gpu-bundle/ if it exists; set it
#                          empty to build from the Debian packages)
#   CLAIMCHECK_DATA        data directory for the smoke claim (default as ci/setup.sh)
#   CLAIMCHECK_JOBS        parallel build jobs (default nproc)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=${CLAIMCHECK_CUDA_VENV:-$root/.venv-cuda}
python=${PYTHON:-$venv/bin/python}
build=${CLAIMCHECK_BUILD_DIR:-$root/build-cuda}
bundle=${CLAIMCHECK_BUNDLE-$root/.gpu-bundle}
[ -n "$bundle" ] && [ ! -f "$bundle/MANIFEST" ] && [ -z "${CLAIMCHECK_BUNDLE+set}" ] && bundle=""
jobs=${CLAIMCHECK_JOBS:-$(nproc)}
missing_exit=2
for arg in "$@"; do
  case "$arg" in
    --skip-if-missing) missing_exit=77 ;;
    -h | --help) sed -n '2,26p' "$0"; exit 0 ;;
    *) echo "cuda-build.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

step_start=$SECONDS
step_name=""
step() {
  [ -n "$step_name" ] && printf '== %-28s %5ss\n' "$step_name" "$((SECONDS - step_start))" >&2
  step_name=$1
  step_start=$SECONDS
  printf '\n== %s\n' "$step_name" >&2
}
die() { printf 'cuda-build.sh: error: %s\n' "$*" >&2; exit "${2:-1}"; }

# --- 1. Prerequisites, all named at once ---------------------------------------------------
step "prerequisites"
missing=()
if [ -z "${CLAIMCHECK_CUDA_VENV:-}${PYTHON:-}" ] && [ ! -x "$python" ]; then
  # The default: a CUDA torch of its own, the way a fresh machine gets it (pip, from its index).
  echo "making $venv with torch==2.14.1 (CUDA)" >&2
  python3 -m venv "$venv" && "$venv/bin/pip" install --quiet torch==2.14.1 ||
    missing+=("a venv at $venv with torch==2.14.1 (python3 -m venv + pip install failed above)")
fi
torch_cuda=""
if [ ! -x "$python" ]; then
  missing+=("a Python with a CUDA torch at PYTHON=$python (pip install torch with CUDA into .venv-cuda)")
else
  probe=$("$python" -W ignore -c 'import os, torch
print(torch.__version__)
print(torch.version.cuda or "")
print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))
print(os.path.dirname(torch.__file__))' 2>/dev/null) || probe=""
  if [ -z "$probe" ]; then
    missing+=("torch: $python cannot import it")
  else
    { read -r torch_version; read -r torch_cuda; read -r torch_dir; read -r torch_pkg; } <<<"$probe"
    case $torch_pkg in
      /usr/lib/python3/dist-packages/*)
        missing+=("a pip CUDA torch: $python's is Debian's ($torch_version at $torch_pkg, CPU only)") ;;
    esac
    [ -n "$torch_cuda" ] ||
      missing+=("a CUDA build of torch: $python has torch $torch_version, a CPU build (torch.version.cuda is None)")
    [ -f "$torch_dir/TorchConfig.cmake" ] || missing+=("TorchConfig.cmake in $torch_dir")
  fi
fi
for tool in cmake ninja nvcc ldd; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ -n "$bundle" ] && [ ! -f "$bundle/MANIFEST" ]; then
  missing+=("the GPU bundle at CLAIMCHECK_BUNDLE=$bundle (bash ci/gpu/bundle.sh)")
fi
if ((${#missing[@]} == 0)); then
  # shellcheck source=ci/gpu/lib.sh
  source "$root/ci/gpu/lib.sh"
  mkdir -p "$build"
  cuda_out=$(cuda_cmake_args "$python" "$build/cuda-root" 2>&1) ||
    missing+=("a CUDA toolkit for torch's CMake config: $cuda_out")
fi
if ((${#missing[@]})); then
  printf 'cuda-build.sh: missing:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit "$missing_exit"
fi
echo "torch $torch_version (CUDA $torch_cuda) at $torch_dir" >&2
echo "nvcc: $(nvcc --version | tail -1); toolkit for CMake: $(head -1 <<<"$cuda_out")" >&2
echo "dependencies: ${bundle:-Debian packages}" >&2

# --- 2. Configure: Torch_DIR pinned, afresh when the cache names another LibTorch or bundle --
step "configure $build"
# The reference tests (tests/claims/pd_artifacts_test.sh) need numpy; a CUDA venv made for the
# build may lack it, then the default venv's Python (same numpy code, any torch) runs them.
ref_python=$python
if ! "$python" -c 'import numpy' 2>/dev/null; then
  for candidate in "$root/.venv/bin/python" "$(command -v python3 || true)"; do
    if [ -x "$candidate" ] && "$candidate" -c 'import numpy' 2>/dev/null; then
      ref_python=$candidate
      break
    fi
  done
  echo "$python has no numpy: the reference tests use $ref_python" >&2
fi
# shellcheck disable=SC2086  # CLAIMCHECK_CMAKE_ARGS is a list of arguments
configure_cuda_build "$python" "$build" "$bundle" "$build/cuda-build-configure.log" \
  -DCLAIMCHECK_PYTHON="$ref_python" ${CLAIMCHECK_CMAKE_ARGS:-} || die "configure failed (above)"

# --- 3. Build: the claimcheck binary and the unit tests (bench off) --------------------------
step "build (-j$jobs)"
cmake --build "$build" --parallel "$jobs"

# --- 4. Linked against libtorch_cuda ---------------------------------------------------------
step "ldd: libtorch_cuda"
ldd_line=$(ldd "$build/claimcheck" | grep 'libtorch_cuda' || true)
[ -n "$ldd_line" ] || die "$build/claimcheck does not link libtorch_cuda: $(ldd "$build/claimcheck" | grep -i torch)"
echo "$ldd_line"
[[ $ldd_line != *"not found"* ]] || die "libtorch_cuda is not found at run time: $ldd_line"

# --- 5. claimcheck env: a CUDA build, no device ----------------------------------------------
step "claimcheck env"
export CLAIMCHECK_DATA=${CLAIMCHECK_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/claimcheck/data}
env_json=$("$build/claimcheck" env)
echo "$env_json"
"$python" -W ignore - "$env_json" <<'EOF' || die "claimcheck env does not report a CUDA build (see above)"
import json, sys
env = json.loads(sys.argv[1])
if not env.get("build", "").startswith("CUDA build"):
    sys.exit(f"claimcheck env says build: {env.get('build')!r}, not a CUDA build")
print(env["build"])
cuda = env["cuda"]
version = str(cuda.get("version", ""))
if not version or version.startswith("none"):
    sys.exit(f"cuda.version is {version!r}: the binary was built without CUDA")
print(f"CUDA build {version}, available: {cuda.get('available')}, devices: {cuda.get('device_count')}")
EOF

# --- 6. The unit tests on the CPU ------------------------------------------------------------
step "unit tests (CPU)"
CUDA_VISIBLE_DEVICES="" ctest --test-dir "$build" -L unit -j "$jobs" --output-on-failure \
  --output-junit cuda-build-unit.xml

# --- 7. One smoke claim on the CPU against its committed baseline ---------------------------
step "smoke claim canary-null (CPU)"
store=$build/cuda-build-smoke
rm -rf "$store"
CUDA_VISIBLE_DEVICES="" "$build/claimcheck" run canary-null --profile smoke --device cpu \
  --store "$store" --report-dir "$store/report" >"$store.md" ||
  { cat "$store.md"; die "canary-null smoke did not pass against its baseline (exit above)"; }
cat "$store.md"

# --- 8. The same claim from the default (CPU) build: same numbers? ---------------------------
# The default build links another LibTorch (pip's CPU 2.13 here, 2.14.1 in this one): other
# kernels (MKL vs the CUDA wheel's CPU BLAS), other rounding, and 938 Adam steps amplify a 1-ulp
# start. So the stores are compared bitwise first (printed), and must agree metric by metric
# within CLAIMCHECK_REFERENCE_RTOL (default 2e-2: a cross-version bound for one MNIST epoch, not
# a same-environment one; exact reproduction is only required within one environment, DESIGN.md).
step "canary-null vs the default build"
reference=${CLAIMCHECK_REFERENCE_BUILD:-}
if [ -z "$reference" ]; then
  for candidate in "$root/build-pip" "$root/build"; do
    [ -x "$candidate/claimcheck" ] && reference=$candidate && break
  done
fi
if [ -z "$reference" ] || [ ! -x "$reference/claimcheck" ]; then
  echo "skipped: no default build (set CLAIMCHECK_REFERENCE_BUILD to a build dir with claimcheck)" >&2
else
  ref_store=$build/cuda-build-smoke-reference
  rm -rf "$ref_store"
  "$reference/claimcheck" run canary-null --profile smoke --device cpu --store "$ref_store" \
    --report-dir "$ref_store/report" >"$ref_store.md" ||
    { cat "$ref_store.md"; die "canary-null smoke failed in the default build $reference"; }
  echo "bitwise (every field but wall_seconds; the fingerprint names the LibTorch, so unequal across versions):" >&2
  "$python" "$root/ci/gpu/check_helpers.py" same-stores "$store" "$ref_store" >"$build/cuda-build-same-stores.json" || true
  grep -m1 '"equal"' "$build/cuda-build-same-stores.json" >&2
  "$python" "$root/ci/gpu/check_helpers.py" same-metrics "$store" "$ref_store" \
    "${CLAIMCHECK_REFERENCE_RTOL:-2e-2}" ||
    die "canary-null's metrics differ from the default build $reference beyond the tolerance (above)"
fi

step "done"
echo "cuda-build.sh: CUDA build at $build compiled, linked (libtorch_cuda), unit tests and canary-null smoke pass on the CPU" >&2
