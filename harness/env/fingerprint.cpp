#include "harness/env/fingerprint.h"

#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <fstream>
#include <string>
#include <thread>

#include "harness/env/build_info.h"

#ifdef CLAIMCHECK_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#endif

namespace claimcheck::env {
namespace {

std::string compiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("gcc ") + __VERSION__;
#else
  return "unknown";
#endif
}

std::string first_line_with(const std::string& file, const std::string& prefix) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) {
      // "model name\t: Intel ..." in cpuinfo, PRETTY_NAME="Debian ..." in os-release.
      std::string value = line.substr(line.find_first_of(":=", prefix.size()) + 1);
      value.erase(0, value.find_first_not_of(" \t\""));
      value.erase(value.find_last_not_of(" \t\"") + 1);
      return value;
    }
  }
  return "unknown";
}

// LibTorch's own build setting (e.g. BLAS_INFO=generic on Debian, where the BLAS is chosen at run
// time through libblas.so.3 alternatives: hence loaded_blas() is the one that matters).
std::string blas_build_setting() {
  const std::string config = torch::show_config();
  const auto at = config.find("BLAS_INFO=");
  if (at == std::string::npos) return "unknown";
  const auto end = config.find_first_of(", \n", at);
  return config.substr(at + 10, end - at - 10);
}

}  // namespace

std::string loaded_blas() {
  std::ifstream maps("/proc/self/maps");
  if (!maps) return "unknown";
  std::string line;
  std::string found;
  while (std::getline(maps, line)) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const std::string name = path.substr(path.rfind('/') + 1);
    const bool is_blas = name.find("blas") != std::string::npos || name.find("mkl_rt") == 0;
    // Prefer the implementation (libopenblasp-r0.3.21.so) over the libblas.so.3 shim.
    if (is_blas && (found.empty() || name.find("openblas") != std::string::npos)) found = path;
  }
  return found.empty() ? "unknown" : found;
}

nlohmann::json fingerprint() {
  nlohmann::json cuda = {{"available", torch::cuda::is_available()},
                         {"device_count", torch::cuda::device_count()}};
#ifdef CLAIMCHECK_WITH_CUDA
  cuda["version"] =
      std::to_string(CUDA_VERSION / 1000) + "." + std::to_string(CUDA_VERSION % 1000 / 10);
  if (torch::cuda::is_available()) cuda["device_name"] = at::cuda::getDeviceProperties(0)->name;
#else
  cuda["version"] = "none (LibTorch built without CUDA)";
#endif
  const std::string blas_path = loaded_blas();
  std::string blas_name = "unknown";
  if (blas_path.find("openblas") != std::string::npos) {
    blas_name = "OpenBLAS";
  } else if (blas_path.find("mkl") != std::string::npos) {
    blas_name = "MKL";
  } else if (blas_path.find("blas") != std::string::npos) {
    blas_name = "reference BLAS (slow: install libopenblas0-openmp)";
  } else if (blas_build_setting() == "mkl") {
    // pip's LibTorch links MKL statically: no BLAS library of its own is mapped.
    blas_name = "MKL (linked into LibTorch)";
  }
  return {
      {"libtorch", TORCH_VERSION},
      {"cuda", cuda},
      {"blas",
       {{"name", blas_name}, {"loaded", blas_path}, {"build_setting", blas_build_setting()}}},
      {"compiler", compiler()},
      {"build_type", kBuildType},
      {"git_commit", kGitCommit},
      {"git_dirty", kGitDirty},
      {"threads",
       {{"intra_op", torch::get_num_threads()},
        {"inter_op", at::get_num_interop_threads()},
        {"hardware", std::thread::hardware_concurrency()}}},
      {"cpu", first_line_with("/proc/cpuinfo", "model name")},
      {"os", first_line_with("/etc/os-release", "PRETTY_NAME")},
  };
}

}  // namespace claimcheck::env
