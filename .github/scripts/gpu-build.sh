#!/usr/bin/env bash
# Builds claimcheck on a self-hosted GPU runner against PyTorch's own (CUDA) LibTorch, as the
# README's "Building on a CUDA machine" does; incremental when the runner keeps its workspace.
#   env: CLAIMCHECK_CMAKE_ARGS (extra configure arguments), PYTHON (default python3)
set -euo pipefail
python=${PYTHON:-python3}
prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
read -r -a extra <<<"${CLAIMCHECK_CMAKE_ARGS:-}"
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  -DCLAIMCHECK_BUILD_BENCH=OFF -DCLAIMCHECK_BUILD_TESTS=OFF "${extra[@]}"
cmake --build build --target claimcheck --parallel
build/claimcheck env
