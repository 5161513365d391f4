// The CUDA determinism setup: every flag it promises is set in LibTorch's context and in the
// environment, a workspace the user chose is kept, and the settings read back as deterministic.
// All of it is process state, so it runs (and can fail) on a CPU-only build; each test restores
// what it changed, so the other tests of this binary see LibTorch's defaults.
#include "harness/env/determinism.h"

#include <ATen/Context.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/env/device.h"

namespace claimcheck::env {
namespace {

// Saves the context's flags and CUBLAS_WORKSPACE_CONFIG; restores them on destruction.
class SavedSettings {
 public:
  SavedSettings()
      : deterministic_(context().deterministicAlgorithms()),
        warn_only_(context().deterministicAlgorithmsWarnOnly()),
        cudnn_deterministic_(context().deterministicCuDNN()),
        benchmark_(context().benchmarkCuDNN()),
        tf32_cublas_(context().allowTF32CuBLAS()),
        tf32_cudnn_(context().allowTF32CuDNN()) {
    if (const char* v = std::getenv("CUBLAS_WORKSPACE_CONFIG")) workspace_ = v;
  }
  ~SavedSettings() {
    context().setDeterministicAlgorithms(deterministic_, warn_only_);
    context().setDeterministicCuDNN(cudnn_deterministic_);
    context().setBenchmarkCuDNN(benchmark_);
    context().setAllowTF32CuBLAS(tf32_cublas_);  // also sets the matmul precision back
    context().setAllowTF32CuDNN(tf32_cudnn_);
    if (workspace_) {
      setenv("CUBLAS_WORKSPACE_CONFIG", workspace_->c_str(), /*overwrite=*/1);
    } else {
      unsetenv("CUBLAS_WORKSPACE_CONFIG");
    }
  }
  SavedSettings(const SavedSettings&) = delete;
  SavedSettings& operator=(const SavedSettings&) = delete;

 private:
  static at::Context& context() { return at::globalContext(); }
  bool deterministic_, warn_only_, cudnn_deterministic_, benchmark_, tf32_cublas_, tf32_cudnn_;
  std::optional<std::string> workspace_;
};

TEST(MakeCudaDeterministic, SetsEveryFlagAndTheWorkspace) {
  const SavedSettings saved;
  unsetenv("CUBLAS_WORKSPACE_CONFIG");
  // Start from the opposite of every promise (cuDNN's TF32 is on by default anyway).
  at::globalContext().setDeterministicAlgorithms(false, /*warn_only=*/false);
  at::globalContext().setDeterministicCuDNN(false);
  at::globalContext().setBenchmarkCuDNN(true);
  at::globalContext().setAllowTF32CuBLAS(true);
  at::globalContext().setAllowTF32CuDNN(true);
  EXPECT_FALSE(determinism_settings()["cuda_deterministic"].get<bool>());

  make_cuda_deterministic();
  const at::Context& context = at::globalContext();
  EXPECT_TRUE(context.deterministicAlgorithms());
  EXPECT_FALSE(context.deterministicAlgorithmsWarnOnly()) << "a nondeterministic op must throw";
  EXPECT_TRUE(context.deterministicCuDNN());
  EXPECT_FALSE(context.benchmarkCuDNN());
  EXPECT_FALSE(context.allowTF32CuBLAS());
  EXPECT_FALSE(context.allowTF32CuDNN());
  EXPECT_EQ(context.float32MatmulPrecision(), at::Float32MatmulPrecision::HIGHEST);
  ASSERT_NE(std::getenv("CUBLAS_WORKSPACE_CONFIG"), nullptr);
  EXPECT_STREQ(std::getenv("CUBLAS_WORKSPACE_CONFIG"), ":4096:8");

  const nlohmann::json s = determinism_settings();
  EXPECT_EQ(s["cublas_workspace_config"], ":4096:8");
  EXPECT_EQ(s["deterministic_algorithms"], true);
  EXPECT_EQ(s["cudnn_deterministic"], true);
  EXPECT_EQ(s["cudnn_benchmark"], false);
  EXPECT_EQ(s["allow_tf32_cublas"], false);
  EXPECT_EQ(s["allow_tf32_cudnn"], false);
  EXPECT_EQ(s["float32_matmul_precision"], "highest");
  EXPECT_TRUE(s["cuda_deterministic"].get<bool>()) << s.dump();
}

TEST(MakeCudaDeterministic, KeepsTheUsersWorkspaceConfig) {
  const SavedSettings saved;
  setenv("CUBLAS_WORKSPACE_CONFIG", ":16:8", /*overwrite=*/1);
  make_cuda_deterministic();
  EXPECT_STREQ(std::getenv("CUBLAS_WORKSPACE_CONFIG"), ":16:8");
  EXPECT_TRUE(determinism_settings()["cuda_deterministic"].get<bool>())
      << ":16:8 is deterministic too";
}

TEST(CudaDeterministic, AnyFlagOffOrMissingIsNotDeterministic) {
  const SavedSettings saved;
  unsetenv("CUBLAS_WORKSPACE_CONFIG");
  make_cuda_deterministic();
  const nlohmann::json good = determinism_settings();
  ASSERT_TRUE(cuda_deterministic(good));
  for (const auto& [key, bad] :
       std::vector<std::pair<std::string, nlohmann::json>>{{"cublas_workspace_config", ""},
                                                           {"cublas_workspace_config", ":0:0"},
                                                           {"deterministic_algorithms", false},
                                                           {"deterministic_warn_only", true},
                                                           {"cudnn_deterministic", false},
                                                           {"cudnn_benchmark", true},
                                                           {"allow_tf32_cublas", true},
                                                           {"allow_tf32_cudnn", true},
                                                           {"float32_matmul_precision", "high"}}) {
    nlohmann::json s = good;
    s[key] = bad;
    EXPECT_FALSE(cuda_deterministic(s)) << key << " = " << bad.dump();
    s.erase(key);
    EXPECT_FALSE(cuda_deterministic(s)) << key << " missing (a record from an older version)";
  }
  EXPECT_FALSE(cuda_deterministic(nlohmann::json()));
}

TEST(MakeCudaDeterministic, MakesCudaKernelsDeterministic) {
  // The CUDA half of the promise: ConvLM's conv1d backward (weight gradient) is
  // nondeterministic on CUDA unless cuDNN is told otherwise. Twice on one device, bit for bit.
  if (!cuda_available()) GTEST_SKIP() << "no CUDA device: " << no_cuda_reason();
  const SavedSettings saved;
  make_cuda_deterministic();
  auto grad = [] {
    torch::manual_seed(7);
    auto x = torch::randn({8, 64, 256}, torch::kCUDA);
    auto w = torch::randn({64, 64, 5}, torch::TensorOptions(torch::kCUDA).requires_grad(true));
    torch::conv1d(x, w, /*bias=*/{}, /*stride=*/1, /*padding=*/2).square().sum().backward();
    return w.grad().cpu();
  };
  EXPECT_TRUE(torch::equal(grad(), grad()));
}

}  // namespace
}  // namespace claimcheck::env
