#!/usr/bin/env bash
# The smoke GPT's training step in LibTorch (bench/gpt_step_bench.cpp) and in Python eager
# PyTorch (bench/gpt_step_eager.py), back to back on the same machine, and their ratio.
# Usage: bench/compare_gpt_step.sh [build dir]   (Python: the venv's torch, the LibTorch the build
# uses; PYTHON overrides)
set -euo pipefail
build=${1:-build}
python=${PYTHON:-$(dirname "$0")/../.venv/bin/python}
for mlp in relu2 swiglu; do
  cpp=$("$build/bench/gpt_step_bench" --benchmark_filter="BM_GptStep/$mlp\$" \
    --benchmark_repetitions=7 --benchmark_report_aggregates_only=true --benchmark_format=json |
    python3 -c 'import json,sys; r=[b for b in json.load(sys.stdin)["benchmarks"] if b["name"].endswith("_median")][0]; print(r["real_time"])')
  py=$("$python" "$(dirname "$0")/gpt_step_eager.py" "$mlp" | sed -E 's/.*: ([0-9.]+) ms.*/\1/')
  python3 -c "print(f'$mlp: LibTorch {float($cpp):.3f} ms/step, Python eager {float($py):.3f} ms/step, Python/LibTorch = {float($py)/float($cpp):.2f}')"
done
