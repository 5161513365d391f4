// CUDA against CPU, one training step per model type: the same weights (built on the CPU from one
// seed, then copied to the device), the same batch, cross-entropy, backward and one SGD step. The
// loss, every gradient and the stepped parameters must agree within an fp32 tolerance, with TF32
// off for cuBLAS and cuDNN (DESIGN.md, GPU rules): TF32 keeps 10 significand bits and would miss
// these bounds by orders of magnitude. Skips without a CUDA build or without a device; ci/gpu/
// check.sh runs it on a GPU machine. Not a test of determinism (ci/gpu/check.sh does that).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/env/determinism.h"
#include "models/registry.h"

namespace claimcheck::models {
namespace {

// One case per registered model type (ggml's test-backend-ops style): small sizes that keep the
// type's structure, dropout off (CPU and CUDA masks would differ by construction).
struct AgreementCase {
  std::string type;
  nlohmann::json options;
};

const ModelDims kClassifierDims{/*inputs=*/784, /*classes=*/10};
const ModelDims kLmDims{/*inputs=*/0, /*classes=*/0, /*vocab=*/13, /*context=*/16};

std::vector<AgreementCase> agreement_cases() {
  const nlohmann::json lm = {{"n_layer", 2}, {"n_embd", 32}, {"activation", "gelu"}};
  auto with = [](nlohmann::json o, const nlohmann::json& more) {
    o.update(more);
    return o;
  };
  return {
      {"ffn", {{"hidden", 8}, {"activation", "gelu"}}},
      {"ffn-relu", {{"hidden", 8}}},
      {"ffn-geglu", {{"hidden", 8}}},
      {"gpt", {{"n_layer", 2}, {"n_head", 2}, {"n_embd", 16}, {"mlp", "swiglu"}}},
      {"gpt2", {{"n_layer", 2}, {"n_head", 4}, {"n_embd", 32}, {"dropout", 0.0}}},
      {"charlm", with(lm, {{"n_head", 4}, {"dropout", 0.0}})},
      {"nano-transformer", with(lm, {{"n_head", 4}})},
      {"minigpt", with(lm, {{"n_head", 4}, {"dropout", 0.0}})},
      {"convlm", with(lm, {{"n_layer", 3}, {"dropout", 0.0}})},  // dilations 1, 2, 1
      {"hybridlm", with(lm, {{"n_head", 4}, {"dropout", 0.0}})},
      {"tinylstm", with(lm, {{"dropout", 0.0}})},
  };
}

// Bounds, chosen from fp32 (eps 1.2e-7) and these sizes: CPU and CUDA sum the same products in
// another order (blocked GEMMs, cuDNN's LSTM and conv kernels), so each reduction over n terms
// differs by about sqrt(n) eps relative; n is at most a few thousand here (784 inputs, 16 x 64
// positions), so ~1e-5. The bounds leave a factor 10 of room and are still 100x below what TF32
// (eps 9.8e-4) gives.
constexpr double kLossRtol = 1e-5;
constexpr double kGradientNormalisedError = 1e-4;

double normalised_error(const torch::Tensor& got, const torch::Tensor& want) {
  const double scale = std::max(want.norm().item<double>(), 1e-12);
  return (got.cpu() - want).norm().item<double>() / scale;
}

struct StepResult {
  double loss = 0;
  std::map<std::string, torch::Tensor> gradients;  ///< on the CPU
  std::map<std::string, torch::Tensor> stepped;    ///< parameters after the step, on the CPU
};

// One SGD step (lr 0.1) on `model`, already on `device`.
StepResult train_one_step(Model& model, ModelFamily family, torch::Device device) {
  at::Generator g = at::make_generator<at::CPUGeneratorImpl>(/*seed_in=*/7);
  torch::Tensor x;
  torch::Tensor y;
  if (family == ModelFamily::kClassifier) {
    x = torch::randn({16, kClassifierDims.inputs}, g);  // (B, inputs)
    y = torch::randint(kClassifierDims.classes, {16}, g, torch::kLong);
  } else {
    x = torch::randint(kLmDims.vocab, {4, kLmDims.context}, g, torch::kLong);  // (B, T)
    y = torch::randint(kLmDims.vocab, {4 * kLmDims.context}, g, torch::kLong);
  }
  model.train();
  const torch::Tensor logits = model.forward(x.to(device));
  const torch::Tensor loss =
      torch::nn::functional::cross_entropy(logits.reshape({y.size(0), -1}), y.to(device));
  loss.backward();
  StepResult r;
  r.loss = loss.item<double>();
  torch::NoGradGuard no_grad;
  for (const auto& p : model.named_parameters()) {
    r.gradients[p.key()] = p.value().grad().cpu();
    p.value().sub_(p.value().grad() * 0.1);
    r.stepped[p.key()] = p.value().cpu();
  }
  return r;
}

TEST(CudaAgreement, EveryModelTypeHasACase) {
  std::vector<std::string> covered;
  for (const AgreementCase& c : agreement_cases())
    covered.push_back(c.type);
  std::sort(covered.begin(), covered.end());
  EXPECT_EQ(covered, model_types()) << "add a case for every model type to agreement_cases()";
}

TEST(CudaAgreement, OneTrainingStepMatchesTheCpuInFp32) {
#ifndef CLAIMCHECK_WITH_CUDA
  GTEST_SKIP() << "needs a CUDA build of LibTorch (ci/cuda-build.sh) and a CUDA device; "
                  "ci/gpu/check.sh runs it on a GPU machine";
#else
  if (!torch::cuda::is_available()) GTEST_SKIP() << "needs a CUDA device; none is visible";
  // The one setup call of DESIGN.md's GPU rules: TF32 off, float32 matmul "highest",
  // deterministic algorithms, as every CUDA run of the harness gets.
  env::make_cuda_deterministic();
  for (const AgreementCase& c : agreement_cases()) {
    SCOPED_TRACE(c.type);
    const ModelType& type = model_type(c.type);
    const ModelDims& dims = type.family == ModelFamily::kClassifier ? kClassifierDims : kLmDims;
    at::Generator init_cpu = at::make_generator<at::CPUGeneratorImpl>(/*seed_in=*/42);
    at::Generator init_cuda = at::make_generator<at::CPUGeneratorImpl>(/*seed_in=*/42);
    const std::shared_ptr<Model> on_cpu = make_model(c.type, c.options, dims, init_cpu);
    const std::shared_ptr<Model> on_cuda = make_model(c.type, c.options, dims, init_cuda);
    on_cuda->to(torch::kCUDA);
    const StepResult want = train_one_step(*on_cpu, type.family, torch::kCPU);
    const StepResult got = train_one_step(*on_cuda, type.family, torch::kCUDA);
    EXPECT_NEAR(got.loss, want.loss, kLossRtol * std::abs(want.loss));
    double worst = 0;
    std::string worst_name;
    for (const auto& [name, gradient] : want.gradients) {
      const double e = normalised_error(got.gradients.at(name), gradient);
      if (e > worst) {
        worst = e;
        worst_name = name;
      }
      EXPECT_LE(normalised_error(got.stepped.at(name), want.stepped.at(name)),
                kGradientNormalisedError)
          << name;
    }
    EXPECT_LE(worst, kGradientNormalisedError) << "gradient of " << worst_name;
    RecordProperty(c.type + "_worst_gradient_error", std::to_string(worst));
  }
#endif
}

}  // namespace
}  // namespace claimcheck::models
