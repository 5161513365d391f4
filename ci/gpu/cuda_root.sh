#!/usr/bin/env bash
# The CUDA toolkit root that PyTorch's CMake config (Caffe2's public/cuda.cmake) can use, printed
# as CMake arguments on stdout, one per line. Sourced by ci/cuda-build.sh and ci/gpu/check.sh.
#
#   cuda_cmake_args PYTHON DIR     prints -DCUDA_TOOLKIT_ROOT_DIR=... -DCMAKE_CUDA_COMPILER=...
#
# What the config needs (read off torch 2.14.1's share/cmake/Caffe2): FindCUDA's include dir and
# cudart from the toolkit root, nvcc (enable_language(CUDA)), libnvrtc.so (TORCH_CUDA_LIBRARIES),
# and the cuBLAS/cuSPARSE/cuSOLVER headers that <ATen/cuda/CUDAContext.h> includes. cuDNN is not
# needed by the wheel's config (it says USE_CUDNN 0); its headers are merged in only if present.
#
# A full toolkit (/usr/local/cuda with the math libraries) is used as it is. A pip-style one,
# nvcc and cudart only, with cuBLAS, nvrtc and cuDNN in the wheel's site-packages/nvidia/*
# packages (versioned .so.N, no dev symlinks), is merged into DIR: symlinks to the toolkit first,
# then to every nvidia/*/include and nvidia/*/lib entry it lacks, plus libX.so -> libX.so.N.
# Nothing is copied; DIR is recreated on every call.
#
# Not executable on its own: `source ci/gpu/cuda_root.sh` defines cuda_cmake_args.

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

cuda_cmake_args() {
  local python=$1 dir=$2 toolkit site
  toolkit=${CUDA_HOME:-$(cuda_toolkit_of_nvcc)} || {
    echo "cuda_root.sh: no nvcc on PATH and CUDA_HOME unset" >&2
    return 1
  }
  [ -x "$toolkit/bin/nvcc" ] || {
    echo "cuda_root.sh: $toolkit/bin/nvcc not found (CUDA_HOME?)" >&2
    return 1
  }
  local libdir=$toolkit/lib64
  [ -d "$libdir" ] || libdir=$toolkit/lib
  if [ -f "$toolkit/include/cublas_v2.h" ] && [ -e "$libdir/libnvrtc.so" ]; then
    printf '%s\n' "-DCUDA_TOOLKIT_ROOT_DIR=$toolkit" "-DCMAKE_CUDA_COMPILER=$toolkit/bin/nvcc"
    return 0
  fi
  site=$("$python" -c 'import os, torch; print(os.path.dirname(os.path.dirname(torch.__file__)))' 2>/dev/null) || {
    echo "cuda_root.sh: $python cannot import torch" >&2
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
  local src
  for src in "$toolkit/include" "$site"/nvidia/*/include; do
    [ -d "$src" ] || continue
    for entry in "$src"/*; do
      [ -e "$dir/include/${entry##*/}" ] || ln -s "$entry" "$dir/include/${entry##*/}"
    done
  done
  for src in "$libdir" "$site"/nvidia/*/lib; do
    [ -d "$src" ] || continue
    for entry in "$src"/*; do
      [ -e "$dir/lib64/${entry##*/}" ] || ln -s "$entry" "$dir/lib64/${entry##*/}"
    done
  done
  # Development symlinks: libcublas.so -> libcublas.so.13 (find_library looks for libX.so).
  local base
  for entry in "$dir"/lib64/*.so.*; do
    base=${entry##*/}
    base=${base%%.so.*}.so
    [ -e "$dir/lib64/$base" ] || ln -s "$(readlink "$entry")" "$dir/lib64/$base"
  done
  ln -s lib64 "$dir/lib"
  [ -f "$dir/include/cublas_v2.h" ] || {
    echo "cuda_root.sh: no cublas_v2.h in $toolkit/include nor in $site/nvidia/*/include" >&2
    return 1
  }
  [ -e "$dir/lib64/libnvrtc.so" ] || {
    echo "cuda_root.sh: no libnvrtc in $libdir nor in $site/nvidia/*/lib" >&2
    return 1
  }
  printf '%s\n' "-DCUDA_TOOLKIT_ROOT_DIR=$dir" "-DCMAKE_CUDA_COMPILER=$dir/bin/nvcc"
}
