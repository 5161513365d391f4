#include "harness/env/determinism.h"

#include <ATen/Context.h>

#include <cstdlib>
#include <string>

namespace claimcheck::env {
namespace {

// cuBLAS accepts these two workspace configurations as deterministic (":16:8" trades speed for
// memory); any other value, or none, lets cuBLAS pick buffers per stream and reorder sums.
bool deterministic_workspace(const std::string& config) {
  return config == ":4096:8" || config == ":16:8";
}

std::string precision_name(at::Float32MatmulPrecision precision) {
  switch (precision) {
    case at::Float32MatmulPrecision::HIGHEST:
      return "highest";
    case at::Float32MatmulPrecision::HIGH:
      return "high";
    case at::Float32MatmulPrecision::MEDIUM:
      return "medium";
  }
  return "unknown";
}

}  // namespace

void make_cuda_deterministic() {
  // Before any cuBLAS handle exists; a value the user chose (e.g. ":16:8") is theirs to keep.
  setenv("CUBLAS_WORKSPACE_CONFIG", kCublasWorkspaceConfig, /*overwrite=*/0);
  at::Context& context = at::globalContext();
  context.setDeterministicAlgorithms(/*b=*/true, /*warn_only=*/false);
  context.setDeterministicCuDNN(true);
  context.setBenchmarkCuDNN(false);
  // The legacy setters, each consistent with the precision LibTorch 2.9+ tracks per backend:
  // mixing them with setFloat32Precision() makes the legacy getters throw ("mix of the legacy
  // and new API"), and cuDNN's TF32 default is on (so conv and LSTM trained at ~10 bits).
  context.setAllowTF32CuBLAS(false);
  context.setAllowTF32CuDNN(false);
  context.setFloat32MatmulPrecision("highest");
}

nlohmann::json determinism_settings() {
  const at::Context& context = at::globalContext();
  const char* workspace = std::getenv("CUBLAS_WORKSPACE_CONFIG");
  const std::string config = workspace == nullptr ? "" : workspace;
  nlohmann::json s = {
      {"cublas_workspace_config", config},
      {"deterministic_algorithms", context.deterministicAlgorithms()},
      {"deterministic_warn_only", context.deterministicAlgorithmsWarnOnly()},
      {"cudnn_deterministic", context.deterministicCuDNN()},
      {"cudnn_benchmark", context.benchmarkCuDNN()},
      {"allow_tf32_cublas", context.allowTF32CuBLAS()},
      {"allow_tf32_cudnn", context.allowTF32CuDNN()},
      {"float32_matmul_precision", precision_name(context.float32MatmulPrecision())}};
  s["cuda_deterministic"] = cuda_deterministic(s);
  return s;
}

bool cuda_deterministic(const nlohmann::json& s) {
  if (!s.is_object()) return false;
  auto flag = [&](const char* key, bool wanted) {
    return s.contains(key) && s[key].is_boolean() && s[key].get<bool>() == wanted;
  };
  return deterministic_workspace(s.value("cublas_workspace_config", "")) &&
         flag("deterministic_algorithms", true) && flag("deterministic_warn_only", false) &&
         flag("cudnn_deterministic", true) && flag("cudnn_benchmark", false) &&
         flag("allow_tf32_cublas", false) && flag("allow_tf32_cudnn", false) &&
         s.value("float32_matmul_precision", "") == "highest";
}

}  // namespace claimcheck::env
