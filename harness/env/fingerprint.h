// The environment fingerprint stored with every run and baseline: what produced these numbers.
#pragma once

#include <torch/types.h>
#include <nlohmann/json.hpp>

#include <istream>
#include <string>

namespace claimcheck::env {

/// The host's fingerprint (`claimcheck env`), JSON with: libtorch (version), cuda (available,
/// device_count, version: the CUDA runtime LibTorch was built with, cudnn, device_name and
/// compute_capability of device 0 when one is visible), blas (name, the library loaded, and
/// LibTorch's build setting), determinism (determinism_settings()), compiler, build_type,
/// git_commit (+ dirty), threads (intra-op, inter-op, hardware), cpu model, os.
nlohmann::json fingerprint();

/// The fingerprint of runs trained on `device`: fingerprint() plus device {type, name,
/// compute_capability (CUDA)}, and on CUDA blas names cuBLAS (the host's BLAS under blas.host).
nlohmann::json fingerprint(torch::Device device);

/// The BLAS library mapped into this process (e.g. ".../openblas-openmp/libblas.so.3"), or
/// "unknown" where /proc/self/maps is unavailable or shows none (pip's wheel links MKL in).
std::string loaded_blas();

/// loaded_blas() on the text of a /proc/<pid>/maps: the CPU BLAS library's path, cuBLAS left out.
std::string cpu_blas_in_maps(std::istream& maps);

/// The CPU BLAS's name from the library loaded and LibTorch's BLAS_INFO build setting: "MKL
/// (linked into LibTorch)" for a static MKL, "OpenBLAS", "MKL", "reference BLAS (...)", or
/// "unknown (BLAS_INFO=...)" when neither says.
std::string blas_name(const std::string& loaded, const std::string& build_setting);

/// "12.8" from CUDA's integer version 12080 (cudaRuntimeGetVersion's encoding).
std::string cuda_version_text(long version);

/// "9.1.0" from cuDNN's integer version (90100 from cuDNN 9 on, 8906 before: cudnn_version.h).
std::string cudnn_version_text(long version);

}  // namespace claimcheck::env
