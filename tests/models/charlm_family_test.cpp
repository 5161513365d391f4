// The activation-reproducibility model family (models/charlm/): for every architecture, the
// activation is wired in (same init seed, other activation => same weights, other logits), the
// model is causal (bitwise), init and dropout draw only from the given generators, the parameter
// count formula equals the built module, and the source's parameter counts are reproduced.
#include "models/charlm/family.h"

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "models/charlm/conv_lm.h"
#include "models/charlm/recurrent_lm.h"
#include "models/registry.h"

namespace claimcheck::models {
namespace {

using charlm::Architecture;

const ModelDims kSmall{/*inputs=*/0, /*classes=*/0, /*vocab=*/11, /*context=*/16};

at::Generator cpu_generator(std::uint64_t seed) {
  return at::make_generator<at::CPUGeneratorImpl>(seed);
}

// Small sizes that keep each architecture's structure (several layers, heads, dilations).
nlohmann::json small_options(Architecture arch, const std::string& activation) {
  nlohmann::json o = {{"activation", activation}, {"n_layer", 2}, {"n_embd", 32}};
  if (arch == Architecture::kConvLm) o["n_layer"] = 3;  // dilations 1, 2, 1
  if (arch != Architecture::kConvLm && arch != Architecture::kTinyLstm) o["n_head"] = 4;
  return o;
}

std::shared_ptr<Model> build(Architecture arch, const nlohmann::json& options, std::uint64_t seed,
                             const ModelDims& dims = kSmall) {
  at::Generator init = cpu_generator(seed);
  return make_model(charlm::type_name(arch), options, dims, init);
}

torch::Tensor tokens(std::int64_t B, std::int64_t T, std::uint64_t seed) {
  at::Generator g = cpu_generator(seed);
  return torch::randint(kSmall.vocab, {B, T}, g, torch::kLong);
}

torch::Tensor eval_logits(const std::shared_ptr<Model>& model, const torch::Tensor& idx) {
  model->eval();
  torch::NoGradGuard no_grad;
  return model->forward(idx);
}

// Elementwise activations share every parameter shape, so one seed gives them equal weights.
const std::vector<std::string> kElementwise = {"relu", "gelu", "swish", "smelu-0.5", "smelu-1.0"};

std::vector<std::string> activations_of(Architecture arch) {
  return arch == Architecture::kConvLm ? activation_names_except_matched() : activation_names();
}

class FamilyTest : public ::testing::TestWithParam<Architecture> {};

TEST_P(FamilyTest, ActivationIsWiredIn) {
  const Architecture arch = GetParam();
  const torch::Tensor idx = tokens(2, kSmall.context, 1);
  std::vector<torch::Tensor> logits;
  std::vector<std::shared_ptr<Model>> models;
  for (const auto& a : kElementwise) {
    models.push_back(build(arch, small_options(arch, a), /*seed=*/7));
    // At init (std 0.02) pre-activations are O(0.01) in places (TinyLSTM's FFN sees the LSTM's
    // small output), where GELU and Swish agree to O(x²). Scaling every weight matrix by 10, the
    // same in every model, moves them to O(1), where the activations differ clearly.
    torch::NoGradGuard no_grad;
    for (auto& p : models.back()->parameters()) {
      if (p.dim() >= 2) p.mul_(10.0);
    }
    logits.push_back(eval_logits(models.back(), idx));
  }
  for (std::size_t i = 0; i < kElementwise.size(); ++i) {
    // Same seed: bitwise the same weights, so any change in the logits is the activation's.
    const auto p0 = models[0]->parameters(), pi = models[i]->parameters();
    ASSERT_EQ(p0.size(), pi.size());
    for (std::size_t k = 0; k < p0.size(); ++k)
      ASSERT_TRUE(torch::equal(p0[k], pi[k])) << kElementwise[i] << " parameter " << k;
    for (std::size_t j = 0; j < i; ++j) {
      // An unwired activation would give bitwise equality; wired ones differ by O(0.1).
      const double diff = (logits[i] - logits[j]).abs().max().item<double>();
      EXPECT_GT(diff, 1e-3) << kElementwise[i] << " vs " << kElementwise[j];
      RecordProperty(kElementwise[i] + "_vs_" + kElementwise[j], std::to_string(diff));
    }
  }
  // The gated forms build and differ from ReLU too (their weights differ in shape).
  const auto swiglu = eval_logits(build(arch, small_options(arch, "swiglu"), 7), idx);
  EXPECT_FALSE(torch::allclose(swiglu, logits[0]));
}

TEST_P(FamilyTest, IsCausalBitwise) {
  // Changing token t+1 leaves the logits at positions <= t bitwise unchanged (-inf attention
  // masks, left-only conv padding, forward LSTMs) and changes position t+1 (the test can fail).
  const Architecture arch = GetParam();
  for (const std::string activation : {"gelu", "swiglu"}) {
    const auto model = build(arch, small_options(arch, activation), 3);
    const torch::Tensor idx = tokens(2, kSmall.context, 2);
    const torch::Tensor base = eval_logits(model, idx);
    for (const std::int64_t t : {0, 5, 14}) {
      torch::Tensor changed = idx.clone();
      changed.select(1, t + 1).add_(1).remainder_(kSmall.vocab);
      const torch::Tensor out = eval_logits(model, changed);
      EXPECT_TRUE(torch::equal(out.slice(1, 0, t + 1), base.slice(1, 0, t + 1)))
          << activation << ": logits at <= " << t << " depend on token " << t + 1;
      EXPECT_FALSE(torch::equal(out.select(1, t + 1), base.select(1, t + 1)));
    }
  }
}

TEST_P(FamilyTest, SameSeedSameWeightsOtherSeedOtherWeights) {
  const Architecture arch = GetParam();
  const auto options = small_options(arch, "smelu-1.0");
  const auto a = build(arch, options, 11)->parameters();
  const auto b = build(arch, options, 11)->parameters();
  const auto c = build(arch, options, 12)->parameters();
  bool any_differs = false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_TRUE(torch::equal(a[k], b[k])) << "parameter " << k;
    any_differs = any_differs || !torch::equal(a[k], c[k]);
  }
  EXPECT_TRUE(any_differs);
}

TEST_P(FamilyTest, InitDoesNotTouchTheGlobalGenerator) {
  const Architecture arch = GetParam();
  torch::manual_seed(99);
  const torch::Tensor expected = torch::rand({4});
  torch::manual_seed(99);
  build(arch, small_options(arch, "relu"), 5);
  EXPECT_TRUE(torch::equal(torch::rand({4}), expected));
}

TEST_P(FamilyTest, OutputShapeAndContextLimit) {
  const Architecture arch = GetParam();
  const auto model = build(arch, small_options(arch, "relu"), 1);
  EXPECT_EQ(eval_logits(model, tokens(3, 5, 1)).sizes(), (std::vector<std::int64_t>{3, 5, 11}));
  EXPECT_EQ(eval_logits(model, tokens(1, 16, 1)).sizes(), (std::vector<std::int64_t>{1, 16, 11}));
  EXPECT_THROW(eval_logits(model, tokens(1, 17, 1)), std::invalid_argument);
}

TEST_P(FamilyTest, ParameterCountFormulaEqualsTheBuiltModule) {
  const Architecture arch = GetParam();
  for (const auto& activation : activations_of(arch)) {
    for (const ModelDims& dims : {kSmall, ModelDims{0, 0, 65, 32}}) {
      auto options = small_options(arch, activation);
      if (arch != Architecture::kConvLm) options["ffn_hidden"] = 40;  // not a multiple of C
      const ParameterCount count = count_parameters(charlm::type_name(arch), options, dims);
      std::int64_t parts = 0;
      for (const auto& part : count.parts)
        parts += part.second;
      EXPECT_EQ(parts, count.total);
      EXPECT_EQ(parameter_count(*build(arch, options, 1, dims)), count.total) << activation;
    }
  }
}

TEST_P(FamilyTest, ParameterGroupsPartitionTheParameters) {
  const Architecture arch = GetParam();
  const auto model = build(arch, small_options(arch, "relu"), 1);
  const ParameterGroups g = model->parameter_groups();
  EXPECT_EQ(g.matrices.size() + g.embeddings.size() + g.head.size() + g.vectors.size(),
            model->parameters().size());
  ASSERT_EQ(g.head.size(), 1u);
  EXPECT_EQ(g.head[0].sizes(), (std::vector<std::int64_t>{11, 32}));  // (V, C)
  // The token embedding (V, C), plus a position embedding (context, C) in the transformers.
  const bool transformer = arch == Architecture::kCharLm ||
                           arch == Architecture::kNanoTransformer || arch == Architecture::kMiniGpt;
  ASSERT_EQ(g.embeddings.size(), transformer ? 2u : 1u);
  for (const auto& e : g.embeddings) {
    EXPECT_TRUE(e.sizes() == at::IntArrayRef({11, 32}) || e.sizes() == at::IntArrayRef({16, 32}));
  }
  for (const auto& p : g.vectors)
    EXPECT_EQ(p.dim(), 1);
  for (const auto& p : g.matrices)
    EXPECT_GE(p.dim(), 2);
}

TEST_P(FamilyTest, DropoutDrawsFromTheRunGenerator) {
  const Architecture arch = GetParam();
  const auto model = build(arch, small_options(arch, "gelu"), 1);
  const torch::Tensor idx = tokens(2, kSmall.context, 4);
  const torch::Tensor eval_a = eval_logits(model, idx), eval_b = eval_logits(model, idx);
  EXPECT_TRUE(torch::equal(eval_a, eval_b));  // eval: deterministic, needs no generator

  model->train();
  torch::NoGradGuard no_grad;
  if (arch == Architecture::kNanoTransformer) {
    // The source's dropout-free model: training mode changes nothing and draws nothing.
    EXPECT_TRUE(torch::equal(model->forward(idx), eval_a));
    return;
  }
  EXPECT_THROW(model->forward(idx), std::logic_error);  // no generator set
  model->set_generator(cpu_generator(21));
  const torch::Tensor first = model->forward(idx), second = model->forward(idx);
  EXPECT_FALSE(torch::equal(first, second));
  EXPECT_FALSE(torch::equal(first, eval_a));
  model->set_generator(cpu_generator(21));  // the same stream again: the same masks
  EXPECT_TRUE(torch::equal(model->forward(idx), first));
}

INSTANTIATE_TEST_SUITE_P(Architectures, FamilyTest, ::testing::ValuesIn(charlm::architectures()),
                         [](const ::testing::TestParamInfo<Architecture>& info) {
                           std::string name = charlm::type_name(info.param);
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

TEST(Family, SourceParameterCounts) {
  // CharLM at the source's CPU size (config_cpu.py), vocab 65, context 128 (CLAIMS.md §4).
  const ModelDims shakespeare128{0, 0, 65, 128};
  EXPECT_EQ(count_parameters("charlm", nlohmann::json::object(), shakespeare128).total, 429824);
  EXPECT_EQ(
      parameter_count(*build(Architecture::kCharLm, nlohmann::json::object(), 0, shakespeare128)),
      429824);
  // The source's SwiGLU FFN is C→8C: +2·(128·512 + 512) = +132,096 (+30.7%).
  EXPECT_EQ(count_parameters("charlm", {{"activation", "swiglu"}}, shakespeare128).total, 561920);
  EXPECT_EQ(count_parameters("charlm", {{"activation", "swiglu-matched"}}, shakespeare128).total,
            429908);  // 341 gated units: +42 per layer
  // MiniGPT at config.py: 6 layers, C 384, 6 heads, context 256: "10.8M".
  EXPECT_EQ(count_parameters("minigpt", nlohmann::json::object(), {0, 0, 65, 256}).total, 10795776);
}

TEST(Family, CausalConvIsTheLeftPaddedSum) {
  // out[o, t] = b[o] + Σ_i Σ_j w[o, i, j] · x[i, t − (k−1−j)·d], x = 0 before the start: tap j =
  // k−1 is the current position, taps reach back (k−1)·d and never forward.
  at::Generator init = cpu_generator(3);
  charlm::CausalConv1d conv(/*in=*/2, /*out=*/3, /*kernel_size=*/3, /*dilation=*/2, init);
  torch::NoGradGuard no_grad;
  conv->bias.normal_(0.0, 1.0, init);
  const torch::Tensor x = torch::randn({1, 2, 9}, init);  // (B, C_in, T)
  const torch::Tensor out = conv(x);
  ASSERT_EQ(out.sizes(), (std::vector<std::int64_t>{1, 3, 9}));
  for (std::int64_t o = 0; o < 3; ++o) {
    for (std::int64_t t = 0; t < 9; ++t) {
      double ref = conv->bias[o].item<double>();
      for (std::int64_t i = 0; i < 2; ++i) {
        for (std::int64_t j = 0; j < 3; ++j) {
          const std::int64_t src = t - (2 - j) * 2;
          if (src >= 0) ref += conv->weight[o][i][j].item<double>() * x[0][i][src].item<double>();
        }
      }
      EXPECT_NEAR(out[0][o][t].item<double>(), ref, 1e-5) << "o " << o << " t " << t;
    }
  }
}

TEST(Family, OptionsAreValidatedWithoutBuilding) {
  EXPECT_THROW(validate_model_options("charlm", {{"activation", "tanh"}}), std::invalid_argument);
  EXPECT_THROW(validate_model_options("charlm", {{"n_embd", 30}, {"n_head", 4}}),
               std::invalid_argument);
  EXPECT_THROW(validate_model_options("nano-transformer", {{"dropout", 0.1}}),
               std::invalid_argument);  // the source's dropout-free model
  EXPECT_THROW(validate_model_options("convlm", {{"activation", "swiglu-matched"}}),
               std::invalid_argument);
  EXPECT_THROW(validate_model_options("tinylstm", {{"n_head", 4}}), std::invalid_argument);
  EXPECT_THROW(validate_model_options("minigpt", {{"dropout", 1.0}}), std::invalid_argument);
  EXPECT_NO_THROW(validate_model_options("convlm", {{"kernel_size", 5}, {"activation", "swiglu"}}));
  for (const std::string type :
       {"charlm", "nano-transformer", "minigpt", "convlm", "hybridlm", "tinylstm"}) {
    EXPECT_EQ(model_type(type).family, ModelFamily::kLanguageModel);
    EXPECT_THROW(count_parameters(type, nlohmann::json::object(), ModelDims{784, 10}),
                 std::invalid_argument);  // a classification task's dims
  }
}

// The family's LSTM against LibTorch's nn::LSTM with the same weights (two layers, no dropout):
// the same at::lstm arithmetic, called per layer instead of once, so bitwise on the CPU. Moving
// it on the CPU (where flatten_parameters() is a no-op) leaves every weight where it was.
TEST(Lstm, EqualsNnLstmAndMovingOnTheCpuChangesNothing) {
  at::Generator init = cpu_generator(3);
  charlm::Lstm lstm(/*size=*/32, /*n_layer=*/2, init);
  torch::nn::LSTM reference(
      torch::nn::LSTMOptions(32, 32).num_layers(2).batch_first(true).dropout(0.0));
  {
    torch::NoGradGuard no_grad;
    const auto ours = lstm->named_parameters();
    for (auto& p : reference->named_parameters())
      p.value().copy_(ours[p.key()]);
  }
  at::Generator g = cpu_generator(4);
  const torch::Tensor x = torch::randn({3, 9, 32}, g);  // (B, T, C)
  const torch::Tensor want = std::get<0>(reference->forward(x));
  const torch::Tensor before = lstm->forward(x, charlm::ForwardDropout());
  EXPECT_TRUE(torch::equal(before, want));
  std::vector<const void*> where;
  for (const auto& p : lstm->parameters())
    where.push_back(p.data_ptr());
  lstm->to(torch::kCPU);
  lstm->to(torch::kFloat32);
  lstm->to(torch::kCPU, torch::kFloat32);
  lstm->flatten_parameters();
  const auto after = lstm->parameters();
  for (std::size_t i = 0; i < after.size(); ++i)
    EXPECT_EQ(after[i].data_ptr(), where[i]) << "parameter " << i << " moved on the CPU";
  EXPECT_TRUE(torch::equal(lstm->forward(x, charlm::ForwardDropout()), before));
}

// Collects LibTorch warnings (TORCH_WARN) raised on this thread while it is in scope.
struct WarningCollector : c10::WarningHandler {
  void process(const c10::Warning& warning) override { messages.push_back(warning.msg()); }
  std::vector<std::string> messages;
};

// On CUDA each layer's four tensors become one cuDNN buffer (w_ih at its start, then w_hh, b_ih,
// b_hh), so a training step of TinyLSTM raises no "not part of single contiguous chunk" warning
// (one per LSTM call before, ~10^5 lines a nightly), and the logits still match the CPU's. TF32
// is switched off for the comparison: cuDNN's default would round the products to 10 bits.
TEST(Lstm, OnCudaEachLayerIsOneCudnnBufferAndNothingWarns) {
  if (!torch::cuda::is_available()) {
    GTEST_SKIP() << "needs a CUDA build of LibTorch and a CUDA device (none here); the CPU path "
                    "is tested by EqualsNnLstmAndMovingOnTheCpuChangesNothing";
  }
  const bool tf32 = at::globalContext().allowTF32CuDNN();
  at::globalContext().setAllowTF32CuDNN(false);
  nlohmann::json options = small_options(Architecture::kTinyLstm, "gelu");
  options["dropout"] = 0.0;
  const auto model = build(Architecture::kTinyLstm, options, 5);
  const torch::Tensor idx = tokens(2, kSmall.context, 6);
  const torch::Tensor cpu = eval_logits(model, idx);
  model->to(torch::kCUDA);
  const auto& lstm = std::dynamic_pointer_cast<charlm::TinyLstmImpl>(model)->lstm;
  for (const auto& layer : lstm->layers) {
    EXPECT_EQ(layer[0].storage_offset(), 0);
    std::int64_t offset = 0;
    for (const auto& w : layer) {
      EXPECT_TRUE(w.is_contiguous());
      EXPECT_TRUE(w.is_alias_of(layer[0]));  // one storage per layer
      EXPECT_EQ(w.storage_offset(), offset);
      offset += w.numel();
    }
  }
  WarningCollector warnings;
  {
    c10::WarningUtils::WarningHandlerGuard guard(&warnings);
    model->train();
    model->forward(idx.to(torch::kCUDA)).square().mean().backward();
    const torch::Tensor cuda = eval_logits(model, idx.to(torch::kCUDA));
    // fp32 on both sides, different kernels and summation orders: 1e-5 absolute on logits of
    // O(0.1) (init std 0.02), with room for the sigmoid/tanh library differences.
    EXPECT_TRUE(torch::allclose(cuda.cpu(), cpu, /*rtol=*/1e-4, /*atol=*/1e-5));
  }
  at::globalContext().setAllowTF32CuDNN(tf32);
  for (const auto& m : warnings.messages)
    EXPECT_EQ(m.find("contiguous chunk"), std::string::npos) << m;
}

}  // namespace
}  // namespace claimcheck::models
