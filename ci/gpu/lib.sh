# shellcheck shell=bash
# What ci/cuda-build.sh, ci/gpu/check.sh and ci/gpu/bundle.sh share (sourced, never run on its
# own): the CUDA toolkit root for PyTorch's CMake config, and the configure step of a CUDA build.
#
#   cuda_cmake_args PYTHON DIR     prints -DCUDA_TOOLKIT_ROOT_DIR=... -DCMAKE_CUDA_COMPILER=...
#                                  (one per line) for a toolkit root torch's config can use
#   configure_cuda_build PYTHON BUILD BUNDLE LOG [CMAKE ARGS...]
#                                  configures BUILD against PYTHON's torch (Torch_DIR pinned;
#                                  afresh when the cache names another LibTorch or bundle), from
#                                  the GPU bundle BUNDLE ("" for the Debian packages), bench off
#
# The toolkit root: torch's config (read off 2.14.1's share/cmake/Caffe2) needs FindCUDA's include
# dir and cudart under it, nvcc (enable_language(CUDA)), libnvrtc.so (TORCH_CUDA_LIBRARIES), and
# the cuBLAS/cuSPARSE/cuSOLVER headers that <ATen/cuda/CUDAContext.h> includes. cuDNN is not
# needed by the wheel's config (it says USE_CUDNN 0); its headers are merged in only if present.
#
# A full toolkit (/usr/local/cuda with the math libraries) is used as it is. A pip-style one,
# nvcc and cudart only, with cuBLAS, nvrtc and cuDNN in the wheel's site-packages/nvidia/*
# packages (versioned .so.N, no dev symlinks), is merged into DIR: symlinks to the toolkit first,
# then to every nvidia/*/include and nvidia/*/lib entry it lacks, plus libX.so -> libX.so.N.
# Nothing is copied; DIR is recreated on every call.

# Prints the toolkit root that nvcc belongs to (it may be a wrapper script on PATH).
cuda_toolkit_of_nvcc() {
  local nvcc
  nvcc=$(command -v nvcc) || return 1
  # A wrapper (`exec /usr/local/cuda-13.0/bin/nvcc "$@"`) names the real one.
  local real
  real=$(sed -n 's/^exec \([^ ]*\/bin\/nvcc\) .*/\1/p' "$nvcc" 2>/dev/null | head -1)
  [ -n "$real" ] && [ -x "$real" ] && nvcc=$real
  nvcc=$(readlink -f "$nvcc")
  dirname "$(dirname "$nvcc")"
}

# link_missing DEST SRC...: a symlink in DEST to every entry of each SRC directory that DEST does
# not hold yet (the first SRC wins).
link_missing() {
  local dest=$1 src entry
  shift
  for src in "$@"; do
    [ -d "$src" ] || continue
    for entry in "$src"/*; do
      [ -e "$dest/${entry##*/}" ] || ln -s "$entry" "$dest/${entry##*/}"
    done
  done
}

cuda_cmake_args() {
  local python=$1 dir=$2 toolkit site
  toolkit=${CUDA_HOME:-$(cuda_toolkit_of_nvcc)} || {
    echo "lib.sh: no nvcc on PATH and CUDA_HOME unset" >&2
    return 1
  }
  [ -x "$toolkit/bin/nvcc" ] || {
    echo "lib.sh: $toolkit/bin/nvcc not found (CUDA_HOME?)" >&2
    return 1
  }
  local libdir=$toolkit/lib64
  [ -d "$libdir" ] || libdir=$toolkit/lib
  if [ -f "$toolkit/include/cublas_v2.h" ] && [ -e "$libdir/libnvrtc.so" ]; then
    printf '%s\n' "-DCUDA_TOOLKIT_ROOT_DIR=$toolkit" "-DCMAKE_CUDA_COMPILER=$toolkit/bin/nvcc"
    return 0
  fi
  site=$("$python" -W ignore -c 'import os, torch; print(os.path.dirname(os.path.dirname(torch.__file__)))' 2>/dev/null) || {
    echo "lib.sh: $python cannot import torch" >&2
    return 1
  }
  rm -rf "$dir"
  mkdir -p "$dir/include" "$dir/lib64"
  local entry
  for entry in "$toolkit"/*; do
    case ${entry##*/} in
      include | lib | lib64) ;;
      *) ln -s "$entry" "$dir/${entry##*/}" ;;
    esac
  done
  link_missing "$dir/include" "$toolkit/include" "$site"/nvidia/*/include
  link_missing "$dir/lib64" "$libdir" "$site"/nvidia/*/lib
  # Development symlinks: libcublas.so -> libcublas.so.13 (find_library looks for libX.so).
  local base
  for entry in "$dir"/lib64/*.so.*; do
    base=${entry##*/}
    base=${base%%.so.*}.so
    [ -e "$dir/lib64/$base" ] || ln -s "$(readlink "$entry")" "$dir/lib64/$base"
  done
  ln -s lib64 "$dir/lib"
  [ -f "$dir/include/cublas_v2.h" ] || {
    echo "lib.sh: no cublas_v2.h in $toolkit/include nor in $site/nvidia/*/include" >&2
    return 1
  }
  [ -e "$dir/lib64/libnvrtc.so" ] || {
    echo "lib.sh: no libnvrtc in $libdir nor in $site/nvidia/*/lib" >&2
    return 1
  }
  printf '%s\n' "-DCUDA_TOOLKIT_ROOT_DIR=$dir" "-DCMAKE_CUDA_COMPILER=$dir/bin/nvcc"
}

configure_cuda_build() {
  local python=$1 build=$2 bundle=$3 log=$4
  shift 4
  local torch_dir
  torch_dir=$("$python" -W ignore -c 'import os, torch; print(os.path.join(torch.utils.cmake_prefix_path, "Torch"))') ||
    return 1
  mkdir -p "$build"
  local cuda_args=()
  mapfile -t cuda_args < <(cuda_cmake_args "$python" "$build/cuda-root")
  ((${#cuda_args[@]})) || return 1
  local fresh=()
  if [ -f "$build/CMakeCache.txt" ]; then
    local cached_torch cached_bundle
    cached_torch=$(sed -n 's/^Torch_DIR:[A-Z]*=//p' "$build/CMakeCache.txt")
    cached_bundle=$(sed -n 's/^CLAIMCHECK_BUNDLE_DIR:[A-Z]*=//p' "$build/CMakeCache.txt")
    if [ "$cached_torch" != "$torch_dir" ] || [ "$cached_bundle" != "$bundle" ]; then
      echo "$build was configured against LibTorch '${cached_torch:-?}', bundle '$cached_bundle': configuring afresh" >&2
      fresh=(--fresh)
    fi
  fi
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  cmake "${fresh[@]}" -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DTorch_DIR="$torch_dir" -DCLAIMCHECK_BUILD_BENCH=OFF -DCLAIMCHECK_BUNDLE_DIR="$bundle" \
    "${cuda_args[@]}" "${launcher[@]}" "$@" >"$log" 2>&1 || {
    tail -40 "$log" >&2
    echo "configure failed (log: $log)" >&2
    return 1
  }
  grep -q 'CLAIMCHECK_WITH_CUDA=1' "$build/compile_commands.json" || {
    echo "configured without CLAIMCHECK_WITH_CUDA: torch's CMake config found no CUDA (log: $log)" >&2
    return 1
  }
}
