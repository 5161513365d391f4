// The autoresearch GPT (models/gpt.h, CLAIMS.md §2): zero MLP output at init for every variant,
// causality (bitwise), parameter counts by formula == built, the SwiGLU/relu² MLP ratio the claim
// hinges on, RMSNorm / RoPE against hand-computed values, the soft-cap, and seeded init.
#include "models/gpt.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "models/registry.h"

namespace claimcheck::models {
namespace {

const ModelDims kDims{/*inputs=*/0, /*classes=*/0, /*vocab=*/11, /*context=*/12};
// The claim's four MLPs, and two more of the activation registry (a GLU and an elementwise one).
const std::vector<std::string> kMlps = {"relu2", "swiglu", "gelu", "silu", "geglu", "smelu-0.5"};

at::Generator cpu_generator(std::uint64_t seed) {
  return at::make_generator<at::CPUGeneratorImpl>(seed);
}

nlohmann::json small(const std::string& mlp) {
  return {{"n_layer", 2}, {"n_head", 2}, {"n_embd", 16}, {"mlp", mlp}};
}

std::shared_ptr<GptImpl> build(const nlohmann::json& options, std::uint64_t seed) {
  at::Generator g = cpu_generator(seed);
  return std::dynamic_pointer_cast<GptImpl>(make_model("gpt", options, kDims, g));
}

TEST(Gpt, MlpAndBlocksAreExactlyZeroAndIdentityAtInit) {
  for (const auto& mlp : kMlps) {
    SCOPED_TRACE(mlp);
    at::Generator g = cpu_generator(1);
    const GptOptions o = parse_gpt_options(small(mlp));
    GptMlp m(o, g);
    const torch::Tensor x = torch::randn({2, 5, 16}, g);
    EXPECT_TRUE(torch::equal(m(x), torch::zeros({2, 5, 16})));
    // c_proj of attention and MLP are zero, so every block is the identity, bit for bit.
    auto model = build(small(mlp), 1);
    const torch::Tensor c = model->cos.slice(0, 0, 5).unsqueeze(1).unsqueeze(0);
    const torch::Tensor s = model->sin.slice(0, 0, 5).unsqueeze(1).unsqueeze(0);
    for (const auto& block : *model->h)
      EXPECT_TRUE(torch::equal(block->as<GptBlockImpl>()->forward(x, c, s, model->future), x));
  }
}

TEST(Gpt, LogitsAtPositionTDoNotDependOnLaterTokens) {
  for (const auto& mlp : kMlps) {
    SCOPED_TRACE(mlp);
    auto model = build(small(mlp), 2);
    // The zero-initialised projections would make the blocks trivially causal: randomise them.
    at::Generator g = cpu_generator(3);
    {
      torch::NoGradGuard no_grad;
      for (auto& p : model->named_parameters())
        if (p.key().find("c_proj") != std::string::npos) p.value().normal_(0.0, 0.3, g);
    }
    const torch::Tensor idx = torch::randint(kDims.vocab, {2, 12}, g);
    const std::int64_t t = 5;
    torch::Tensor changed = idx.clone();
    changed.select(1, t + 1).add_(1).remainder_(kDims.vocab);
    const torch::Tensor a = model->forward(idx), b = model->forward(changed);
    EXPECT_TRUE(torch::equal(a.slice(1, 0, t + 1), b.slice(1, 0, t + 1)));
    EXPECT_FALSE(torch::equal(a.slice(1, t + 1), b.slice(1, t + 1)));  // the change is seen
  }
}

TEST(Gpt, ParameterCountFormulaEqualsBuiltModule) {
  for (const auto& mlp : kMlps) {
    for (const auto& [layers, heads, embd] :
         std::vector<std::array<int, 3>>{{1, 1, 8}, {2, 2, 16}, {3, 4, 48}, {2, 3, 96}}) {
      const nlohmann::json o = {
          {"n_layer", layers}, {"n_head", heads}, {"n_embd", embd}, {"mlp", mlp}};
      SCOPED_TRACE(o.dump());
      const ParameterCount c = count_parameters("gpt", o, kDims);
      auto model = build(o, 0);
      EXPECT_EQ(c.total, parameter_count(*model));
      std::int64_t mlp_built = 0, attention_built = 0;
      for (const auto& p : model->named_parameters()) {
        if (p.key().find(".mlp.") != std::string::npos) mlp_built += p.value().numel();
        if (p.key().find(".attn.") != std::string::npos) attention_built += p.value().numel();
      }
      EXPECT_EQ(c.parts.at("mlp"), mlp_built);
      EXPECT_EQ(c.parts.at("attention"), attention_built);
      EXPECT_EQ(c.parts.at("embedding"), kDims.vocab * embd);
      EXPECT_EQ(c.parts.at("head"), kDims.vocab * embd);
    }
  }
}

TEST(Gpt, SwigluMatchesRelu2ExactlyWhere8dOver3IsAMultipleOf64) {
  // CLAIMS.md §2 (derived): ratio 1 at d ∈ {96, 192, 384}; 3·512·1408 / (8·512²) = 1.03125.
  const auto ratio = [](std::int64_t d) {
    const nlohmann::json relu2 = {{"n_layer", 1}, {"n_head", 1}, {"n_embd", d}, {"mlp", "relu2"}};
    nlohmann::json swiglu = relu2;
    swiglu["mlp"] = "swiglu";
    return static_cast<double>(count_parameters("gpt", swiglu, kDims).parts.at("mlp")) /
           static_cast<double>(count_parameters("gpt", relu2, kDims).parts.at("mlp"));
  };
  for (const std::int64_t d : {96, 192, 384})
    EXPECT_EQ(ratio(d), 1.0) << "d = " << d;
  EXPECT_EQ(ratio(512), 1.03125);
  EXPECT_EQ(swiglu_hidden(512), 1408);
  EXPECT_EQ(ratio(128), 1.125);  // the +12.5% the claim notes at d = 128
}

TEST(Gpt, ForwardShape) {
  auto model = build(small("swiglu"), 0);
  const torch::Tensor idx = torch::zeros({3, 7}, torch::kLong);
  EXPECT_EQ(model->forward(idx).sizes(), (std::vector<std::int64_t>{3, 7, kDims.vocab}));
  EXPECT_THROW(model->forward(torch::zeros({1, 13}, torch::kLong)), std::invalid_argument);
}

TEST(Gpt, SameSeedSameWeightsOtherSeedOtherWeights) {
  auto a = build(small("relu2"), 7), b = build(small("relu2"), 7), c = build(small("relu2"), 8);
  const auto pa = a->parameters(), pb = b->parameters(), pc = c->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (std::size_t i = 0; i < pa.size(); ++i)
    EXPECT_TRUE(torch::equal(pa[i], pb[i])) << a->named_parameters().keys()[i];
  EXPECT_FALSE(torch::equal(pa[0], pc[0]));  // wte
}

TEST(Gpt, InitScalesAreTheReferences) {
  auto model = build({{"n_layer", 1}, {"n_head", 2}, {"n_embd", 64}}, 4);
  const double s = std::sqrt(3.0 / 64.0);
  const torch::Tensor c_fc = model->named_parameters()["h.0.mlp.c_fc.weight"];
  EXPECT_LE(c_fc.abs().max().item<double>(), s);
  // 16,384 uniform draws: the sample max is within 1% of s unless ~e^-164 bad luck.
  EXPECT_GE(c_fc.abs().max().item<double>(), 0.99 * s);
  // 11·64 N(0, 1) draws: sample std within 0.1 of 1 (> 3.7 sd of the estimate, fixed seed).
  EXPECT_NEAR(model->wte->weight.std().item<double>(), 1.0, 0.1);
  EXPECT_NEAR(model->lm_head->weight.std().item<double>(), 0.001, 1e-4);
}

TEST(Gpt, SoftcapBoundsLogits) {
  auto model = build(small("gelu"), 5);
  {
    torch::NoGradGuard no_grad;
    model->lm_head->weight.mul_(1e5);  // raw logits of order 100: deep in tanh's saturation
  }
  const torch::Tensor logits = model->forward(torch::arange(12).remainder(11).view({1, 12}));
  // float32 tanh rounds to exactly ±1 beyond |z| ≈ 9, so ±15 itself is attainable in float.
  EXPECT_LE(logits.abs().max().item<double>(), 15.0);
  EXPECT_GT(logits.abs().max().item<double>(), 14.99);  // the cap is active, not vacuous
}

TEST(Gpt, RmsNormIsFRmsNormWithDefaultEps) {
  const torch::Tensor x = torch::tensor({3.0f, 4.0f});
  const float rms = std::sqrt(12.5f + std::numeric_limits<float>::epsilon());
  EXPECT_TRUE(torch::allclose(rms_norm(x), torch::tensor({3.0f / rms, 4.0f / rms})));
  EXPECT_TRUE(torch::equal(rms_norm(torch::zeros({4})), torch::zeros({4})));  // eps > 0
}

TEST(Gpt, RotaryMatchesTheReferenceAndDependsOnRelativePosition) {
  // hs = 4: inv_freq = (1, 10000^-0.5) = (1, 0.01), cos[t] = (cos t, cos 0.01t).
  auto model = build({{"n_layer", 1}, {"n_head", 1}, {"n_embd", 4}}, 0);
  EXPECT_NEAR(model->cos[3][0].item<double>(), std::cos(3.0), 1e-6);
  EXPECT_NEAR(model->sin[3][1].item<double>(), std::sin(0.03), 1e-6);
  // train.py apply_rotary_emb: (x1·cos + x2·sin, x2·cos − x1·sin) on halves.
  const torch::Tensor c = model->cos.slice(0, 0, 12).unsqueeze(1).unsqueeze(0);
  const torch::Tensor s = model->sin.slice(0, 0, 12).unsqueeze(1).unsqueeze(0);
  const torch::Tensor unit = torch::tensor({1.0f, 0.0f, 0.0f, 0.0f}).expand({1, 12, 1, 4});
  const torch::Tensor y = apply_rotary(unit, c, s);
  EXPECT_NEAR(y[0][3][0][0].item<double>(), std::cos(3.0), 1e-6);
  EXPECT_NEAR(y[0][3][0][2].item<double>(), -std::sin(3.0), 1e-6);
  // The same q and k at every position: q_m·k_n depends on m − n only.
  at::Generator g = cpu_generator(9);
  const torch::Tensor q = apply_rotary(torch::randn({4}, g).expand({1, 12, 1, 4}), c, s);
  const torch::Tensor k = apply_rotary(torch::randn({4}, g).expand({1, 12, 1, 4}), c, s);
  const torch::Tensor scores = q[0].squeeze(1).matmul(k[0].squeeze(1).t());  // (12, 12)
  EXPECT_TRUE(torch::allclose(scores.slice(0, 1).slice(1, 1),
                              scores.slice(0, 0, 11).slice(1, 0, 11),
                              /*rtol=*/1e-5, /*atol=*/1e-5));
}

TEST(Gpt, ParameterGroupsPartitionTheParameters) {
  auto model = build(small("swiglu"), 0);
  const ParameterGroups g = model->parameter_groups();
  EXPECT_EQ(g.embeddings.size(), 1u);
  EXPECT_EQ(g.head.size(), 1u);
  EXPECT_TRUE(g.vectors.empty());
  EXPECT_EQ(g.matrices.size() + 2, model->parameters().size());
  for (const auto& m : g.matrices)
    EXPECT_EQ(m.dim(), 2);
}

TEST(Gpt, RejectsBadOptionsWithoutBuilding) {
  EXPECT_THROW(validate_model_options("gpt", {{"n_head", 3}, {"n_embd", 16}}),
               std::invalid_argument);  // not divisible
  EXPECT_THROW(validate_model_options("gpt", {{"n_head", 2}, {"n_embd", 6}}),
               std::invalid_argument);  // odd head size
  EXPECT_THROW(validate_model_options("gpt", {{"mlp", "tanh"}}), std::invalid_argument);
  EXPECT_THROW(validate_model_options("gpt", {{"mlp", "swish"}}), std::invalid_argument);  // "silu"
  EXPECT_THROW(validate_model_options("gpt", {{"mlp", "swiglu-matched"}}), std::invalid_argument);
  EXPECT_THROW(validate_model_options("gpt", {{"n_layers", 2}}), std::invalid_argument);
  EXPECT_THROW(count_parameters("gpt", small("relu2"), ModelDims{}), std::invalid_argument);
  EXPECT_NO_THROW(validate_model_options("gpt", nlohmann::json::object()));
  EXPECT_EQ(model_type("gpt").family, ModelFamily::kLanguageModel);
}

}  // namespace
}  // namespace claimcheck::models
