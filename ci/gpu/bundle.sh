#!/usr/bin/env bash
# Writes .gpu-bundle/ (git-ignored): what ci/gpu/check.sh needs on a bare GPU machine that has
# CUDA PyTorch, nvcc, CMake and ninja but no network and no Debian dev packages.
#
#   bash ci/gpu/bundle.sh            then carry .gpu-bundle to the GPU machine with the checkout
#
# The header set is found, not listed: a scratch build directory is configured (not built) the
# way the GPU build is, every translation unit in its compile_commands.json is preprocessed with
# `-M`, and every header it reads outside LibTorch, CUDA and the checkout is kept unless dpkg says
# it belongs to the C library or the compiler (libc6-dev, linux-libc-dev, libstdc++, gcc), which
# the GPU machine has. GoogleTest comes as its source tree (/usr/src/googletest) and is built there;
# zlib's headers are kept and the machine's libz.so.1 is linked. Data: MNIST's four IDX files
# gzipped (harness/data/idx.cpp inflates .gz) and Tiny Shakespeare, each checked against the
# checksums ci/setup.sh verifies. The bundle must stay under 64 MiB (the device tool's limit).
#
# Environment:
#   PYTHON               the Python whose torch configures the scan (default CLAIMCHECK_CUDA_VENV or .venv-cuda's, else
#                        .venv's): a CUDA torch compiles the CLAIMCHECK_WITH_CUDA paths too
#   CLAIMCHECK_DATA      data directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/claimcheck/data)
#   CLAIMCHECK_GTEST_SOURCE_DIR   googletest sources (default /usr/src/googletest)
#   CLAIMCHECK_BUNDLE    output directory (default .gpu-bundle/ in the checkout)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bundle=${CLAIMCHECK_BUNDLE:-$root/.gpu-bundle}
data=${CLAIMCHECK_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/claimcheck/data}
gtest_src=${CLAIMCHECK_GTEST_SOURCE_DIR:-/usr/src/googletest}
python=${PYTHON:-}
if [ -z "$python" ]; then
  python=${CLAIMCHECK_CUDA_VENV:-$root/.venv-cuda}/bin/python
  [ -x "$python" ] || python=$root/.venv/bin/python
fi
limit_mib=64

say() { printf '== [%4ss] %s\n' "$SECONDS" "$*" >&2; }
die() { printf 'bundle.sh: error: %s\n' "$*" >&2; exit 2; }

missing=()
[ -x "$python" ] || missing+=("a Python with torch (PYTHON=$python)")
for tool in cmake ninja g++ dpkg gzip sha256sum md5sum; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
[ -f "$gtest_src/CMakeLists.txt" ] || missing+=("googletest sources at $gtest_src (Debian: googletest)")
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  [ -f "$data/mnist/$f" ] || [ -f "$data/mnist/$f.gz" ] || missing+=("$data/mnist/$f")
done
[ -f "$data/tinyshakespeare/input.txt" ] || missing+=("$data/tinyshakespeare/input.txt")
((${#missing[@]} == 0)) || die "missing: ${missing[*]} (bash ci/setup.sh --no-run provides the data)"

scan=$(mktemp -d)
trap 'rm -rf "$scan"' EXIT

# --- 1. The translation units of the GPU build --------------------------------------------
torch_dir=$("$python" -W ignore -c 'import os, torch; print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))')
torch_cuda=$("$python" -W ignore -c 'import torch; print(torch.version.cuda or "")')
cuda_args=()
if [ -n "$torch_cuda" ]; then
  # shellcheck source=ci/gpu/lib.sh
  source "$root/ci/gpu/lib.sh"
  mapfile -t cuda_args < <(cuda_cmake_args "$python" "$scan/cuda-root") ||
    die "no usable CUDA toolkit for $python's torch (CUDA $torch_cuda)"
fi
say "configuring a scratch build against $torch_dir (torch CUDA: ${torch_cuda:-none})"
cmake -S "$root" -B "$scan/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTorch_DIR="$torch_dir" \
  -DCLAIMCHECK_BUILD_BENCH=OFF "${cuda_args[@]}" >"$scan/configure.log" 2>&1 ||
  { tail -30 "$scan/configure.log" >&2; die "configure failed (log above)"; }

# --- 2. Every header they read --------------------------------------------------------------
# Each compile command with its output dropped and -M added: the full dependency list, system
# headers included (-MM would leave out -isystem and /usr/include, the very headers we want); -MG
# lists the headers the build generates (build_info.h) instead of failing on them.
mkdir -p "$scan/deps"
"$python" - "$scan/build/compile_commands.json" "$scan/deps" >"$scan/commands" <<'EOF'
import json, shlex, sys
for i, entry in enumerate(json.load(open(sys.argv[1]))):
    args = shlex.split(entry["command"]) if "command" in entry else entry["arguments"]
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
            continue
        if a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
            continue
        if a in ("-MD", "-MMD") or a.startswith("-Winvalid-pch"):
            continue
        out.append(a)
    print(shlex.quote(entry["directory"]) + "\t" + " ".join(shlex.quote(a) for a in out + ["-M", "-MG", "-MF", f"{sys.argv[2]}/{i}.d"]))
EOF
units=$(wc -l <"$scan/commands")
say "preprocessing $units translation units with -M ($(nproc) at a time)"
# shellcheck disable=SC2016  # $1 and $2 are the inner shell's
tr '\n' '\0' <"$scan/commands" |
  xargs -0 -P "$(nproc)" -n 1 sh -c 'dir=${1%%	*}; cmd=${1#*	}; cd "$dir" && eval "nice -n 19 $cmd"' sh \
    >/dev/null 2>"$scan/deps.err" || { head -20 "$scan/deps.err" >&2; die "a translation unit did not preprocess"; }
torch_prefix=$(readlink -f "$("$python" -W ignore -c 'import os, torch; print(os.path.dirname(os.path.dirname(torch.__file__)))')")
cat "$scan"/deps/*.d | sed 's/[[:space:]\\]\+/\n/g' | grep '^/' | grep -v ':$' |
  xargs -r readlink -f | sort -u |
  grep -v -e "^$root/" -e "^$torch_prefix/" -e "^$scan/" -e '^/usr/local/cuda' -e '^/usr/lib/gcc/' \
    -e '^/usr/include/c++/' -e '^/usr/include/x86_64-linux-gnu/c++/' >"$scan/headers" || true

# --- 3. Keep what the C library and the compiler do not provide -----------------------------
: >"$scan/owned"
xargs -r dpkg -S <"$scan/headers" 2>/dev/null >"$scan/owned" || true
declare -A package_of=()
while IFS= read -r line; do
  package_of[${line#*: }]=${line%%: *}
done <"$scan/owned"
rm -rf "$bundle"
mkdir -p "$bundle/include" "$bundle/data/mnist" "$bundle/data/tinyshakespeare"
kept=0
declare -A kept_packages=()
while IFS= read -r header; do
  package=${package_of[$header]:-none}
  package=${package%%:*}  # libc6-dev:amd64 -> libc6-dev
  case $package in
    libc6-dev | linux-libc-dev | libstdc++-*-dev | libgcc-*-dev | gcc-* | libcrypt-dev) continue ;;
    googletest | libgtest-dev | libgmock-dev) continue ;;  # built from the bundled sources
    libtorch*) die "$header is Debian's LibTorch ($package): the scan must use the Python's torch only" ;;
  esac
  case $header in
    /usr/include/*) rel=${header#/usr/include/} ;;
    /usr/local/include/*) rel=${header#/usr/local/include/} ;;
    *) die "$header (package $package) lies outside /usr/include: teach bundle.sh where it goes" ;;
  esac
  mkdir -p "$bundle/include/$(dirname "$rel")"
  cp "$header" "$bundle/include/$rel"
  kept=$((kept + 1))
  kept_packages[$package]=1
done <"$scan/headers"
versions=()
for package in "${!kept_packages[@]}"; do
  versions+=("$package $(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || echo unknown)")
done
say "headers: $kept of $(wc -l <"$scan/headers") kept, from ${#kept_packages[@]} packages"

# --- 4. GoogleTest sources, data, manifest --------------------------------------------------
cp -r "$gtest_src" "$bundle/googletest"
declare -A mnist_md5=(
  [train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
  [train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
  [t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
  [t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)
for f in "${!mnist_md5[@]}"; do
  if [ -f "$data/mnist/$f" ]; then
    gzip -9 -n -c "$data/mnist/$f" >"$bundle/data/mnist/$f.gz"
  else
    cp "$data/mnist/$f.gz" "$bundle/data/mnist/$f.gz"
  fi
  [ "$(gzip -dc "$bundle/data/mnist/$f.gz" | md5sum | cut -d' ' -f1)" = "${mnist_md5[$f]}" ] ||
    die "MNIST $f fails its MD5 check (want ${mnist_md5[$f]})"
done
ts_sha=86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed
cp "$data/tinyshakespeare/input.txt" "$bundle/data/tinyshakespeare/input.txt"
[ "$(sha256sum "$bundle/data/tinyshakespeare/input.txt" | cut -d' ' -f1)" = "$ts_sha" ] ||
  die "Tiny Shakespeare fails its SHA-256 check (want $ts_sha)"
{
  echo "# .gpu-bundle, written by ci/gpu/bundle.sh at commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "# scanned: $units translation units against torch at $torch_dir"
  echo "# packages whose headers are under include/:"
  printf '%s\n' "${versions[@]}" | sort
  echo "# googletest: $gtest_src ($(dpkg-query -W -f='${Version}' googletest 2>/dev/null || echo unknown))"
} >"$bundle/MANIFEST"

size_kib=$(du -sk "$bundle" | cut -f1)
say "wrote $bundle: $((size_kib / 1024)) MiB ($size_kib KiB); packages: $(printf '%s ' "${versions[@]}")"
((size_kib <= limit_mib * 1024)) || die "$bundle is $size_kib KiB, over the $limit_mib MiB limit"
