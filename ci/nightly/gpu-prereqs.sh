#!/usr/bin/env bash
# What a GPU nightly shard needs before it builds anything, checked up front: a Python whose
# torch is a CUDA build (torch.version.cuda set; Debian's python3-torch and pip's CPU wheel are
# not), CMake, Ninja, nvcc, a C++ compiler and the data sets. Every missing piece is named, with
# how to get it, and the script exits 2; otherwise it prints what it found and exits 0. Used by
# nightly.yml's shard job and ci/slurm/nightly.sbatch before ci/cuda-build.sh.
#
#   ci/nightly/gpu-prereqs.sh
#
# Environment:
#   PYTHON           the Python whose torch the CUDA build uses (default python3)
#   CUDA_HOME        where the CUDA toolkit is (default: nvcc on PATH, else /usr/local/cuda)
#   CLAIMCHECK_DATA  the data directory (default ${XDG_CACHE_HOME:-$HOME/.cache}/claimcheck/data)
#   CXX              the C++ compiler CMake will use (default: c++, g++ or clang++ on PATH)
set -euo pipefail
python=${PYTHON:-python3}
data=${CLAIMCHECK_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/claimcheck/data}
missing=()
found=()

# Python with a CUDA torch.
if ! command -v "$python" >/dev/null; then
  missing+=("python: '$python' is not on PATH (set PYTHON to the python with CUDA PyTorch)")
elif ! torch_info=$("$python" -c 'import torch; print(torch.__version__, torch.version.cuda, torch.__file__)' 2>/dev/null); then
  missing+=("torch: $python cannot import torch (pip install a CUDA torch, e.g. torch==2.14.1, or set PYTHON)")
else
  read -r torch_version torch_cuda torch_file <<<"$torch_info"
  if [ "$torch_cuda" = "None" ]; then
    where="pip's CPU wheel?"
    case "$torch_file" in /usr/lib/python3/dist-packages/*) where="Debian's python3-torch" ;; esac
    missing+=("CUDA torch: $python has torch $torch_version at ${torch_file%/__init__.py}, a CPU build ($where); set PYTHON to a python whose torch.version.cuda is set")
  else
    found+=("torch $torch_version (CUDA $torch_cuda) from $python")
  fi
fi

# Build tools.
for tool in cmake ninja; do
  if command -v "$tool" >/dev/null; then found+=("$tool"); else missing+=("$tool: not on PATH (pip install $tool, or apt-get install ${tool/ninja/ninja-build})"); fi
done
nvcc=$(command -v nvcc || true)
[ -n "$nvcc" ] || { [ -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc" ] && nvcc=${CUDA_HOME:-/usr/local/cuda}/bin/nvcc; }
if [ -n "$nvcc" ]; then found+=("nvcc ($nvcc)"); else missing+=("nvcc: not on PATH nor in ${CUDA_HOME:-/usr/local/cuda}/bin (install the CUDA toolkit that matches torch's CUDA, or set CUDA_HOME)"); fi
cxx=${CXX:-$(command -v c++ || command -v g++ || command -v clang++ || true)}
if [ -n "$cxx" ] && command -v "$cxx" >/dev/null; then found+=("C++ compiler ($cxx)"); else missing+=("C++ compiler: none found (install g++, or set CXX)"); fi

# Data sets (what harness/env/data_dir.cpp looks for; IDX files raw or .gz).
for set in mnist fashion-mnist; do
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    if [ ! -e "$data/$set/$f" ] && [ ! -e "$data/$set/$f.gz" ]; then
      missing+=("data: $data/$set/${f}[.gz] (run 'bash ci/setup.sh --no-run' once, or point CLAIMCHECK_DATA at a provisioned directory)")
      break
    fi
  done
done
[ -s "$data/tinyshakespeare/input.txt" ] ||
  missing+=("data: $data/tinyshakespeare/input.txt (run 'bash ci/setup.sh --no-run' once, or point CLAIMCHECK_DATA at a provisioned directory)")

if ((${#missing[@]})); then
  echo "gpu-prereqs.sh: this machine cannot run the GPU nightly; missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi
echo "gpu-prereqs.sh: ok: $(printf '%s; ' "${found[@]}")data in $data"
