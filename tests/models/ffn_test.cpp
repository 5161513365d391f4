// The MNIST FFN models: shapes, parameter counts by formula and built (CLAIMS.md §1), the exact
// forward formulas, and the init drawn from the given generator exactly as torch.manual_seed +
// torch.randn would (what keeps claim 1's stored runs reproducible).
#include "models/ffn.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "models/registry.h"

namespace claimcheck::models {
namespace {

const ModelDims kMnist{/*inputs=*/784, /*classes=*/10};

at::Generator cpu_generator(std::uint64_t seed) {
  return at::make_generator<at::CPUGeneratorImpl>(seed);
}

std::shared_ptr<Model> build(const std::string& type, std::int64_t hidden, std::uint64_t seed) {
  at::Generator g = cpu_generator(seed);
  return make_model(type, {{"hidden", hidden}}, kMnist, g);
}

TEST(Ffn, ParameterCountsMatchTheClaim) {
  for (const std::int64_t h : {2, 4, 8, 16}) {
    EXPECT_EQ(parameter_count(*build("ffn-relu", h, 0)), 794 * h);
    EXPECT_EQ(parameter_count(*build("ffn-geglu", h, 0)), 1578 * h);
    // The formula agrees with the built module, without building one.
    EXPECT_EQ(count_parameters("ffn-relu", {{"hidden", h}}, kMnist).total, 794 * h);
    EXPECT_EQ(count_parameters("ffn-geglu", {{"hidden", h}}, kMnist).total, 1578 * h);
  }
  // The parameter-matched pair GeGLU(h) vs ReLU(2h) is 0.6% apart.
  EXPECT_NEAR(1588.0 / 1578.0 - 1.0, 0.0063, 1e-4);
}

TEST(Ffn, ForwardIsTheDocumentedFormula) {
  at::Generator g = cpu_generator(0);
  auto relu = std::make_shared<FfnReluImpl>(784, 8, 10, g);
  auto geglu = std::make_shared<FfnGegluImpl>(784, 8, 10, g);
  const torch::Tensor x = torch::rand({5, 784}, g);
  const auto relu_ref = torch::clamp_min(torch::mm(x, relu->w_in), 0).mm(relu->w_out);
  EXPECT_TRUE(torch::allclose(relu->forward(x), relu_ref));
  // Exact erf GELU: 0.5·z·(1 + erf(z/√2)).
  const torch::Tensor z = x.mm(geglu->w_gate);
  const torch::Tensor gelu = 0.5 * z * (1 + torch::erf(z / std::sqrt(2.0)));
  EXPECT_TRUE(torch::allclose(geglu->forward(x), (x.mm(geglu->w_in) * gelu).mm(geglu->w_out),
                              /*rtol=*/1e-5, /*atol=*/1e-7));
  EXPECT_EQ(geglu->forward(x).sizes(), (std::vector<std::int64_t>{5, 10}));
}

TEST(Ffn, InitIsNormalWithStd002) {
  at::Generator g = cpu_generator(1);
  auto geglu = std::make_shared<FfnGegluImpl>(784, 256, 10, g);
  // 784·256 draws: the sample std is within 1% of 0.02 with overwhelming probability.
  EXPECT_NEAR(geglu->w_gate.std().item<double>(), 0.02, 2e-4);
  EXPECT_NEAR(geglu->w_in.mean().item<double>(), 0.0, 2e-4);
}

TEST(Ffn, InitFromAGeneratorEqualsManualSeedOnTheGlobalOne) {
  // The stored runs of claim 1 were drawn with torch::manual_seed(seed) then torch::randn: a
  // fresh CPU generator with the same seed must give the same bits.
  auto ours = build("ffn-geglu", 8, 1234);
  torch::manual_seed(1234);
  const torch::Tensor w_in = torch::randn({784, 8}) * 0.02;
  const torch::Tensor w_gate = torch::randn({784, 8}) * 0.02;
  EXPECT_TRUE(torch::equal(ours->parameters()[0], w_in));
  EXPECT_TRUE(torch::equal(ours->parameters()[1], w_gate));
}

TEST(Ffn, SameSeedSameWeightsOtherSeedOtherWeights) {
  auto a = build("ffn-relu", 4, 7);
  auto b = build("ffn-relu", 4, 7);
  auto c = build("ffn-relu", 4, 8);
  EXPECT_TRUE(torch::equal(a->parameters()[0], b->parameters()[0]));
  EXPECT_FALSE(torch::equal(a->parameters()[0], c->parameters()[0]));
}

TEST(Registry, RejectsUnknownTypesAndOptionsWithoutBuilding) {
  EXPECT_THROW(validate_model_options("ffn-swish", {{"hidden", 4}}), std::invalid_argument);
  EXPECT_THROW(validate_model_options("ffn-relu", {{"hiden", 4}}), std::invalid_argument);
  EXPECT_THROW(validate_model_options("ffn-relu", {{"hidden", 0}}), std::invalid_argument);
  EXPECT_THROW(validate_model_options("ffn-relu", nlohmann::json::object()), std::invalid_argument);
  EXPECT_THROW(validate_model_options("ffn-relu", nlohmann::json::array()), std::invalid_argument);
  try {
    validate_model_options("ffn-swish", {{"hidden", 4}});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ffn-geglu, ffn-relu"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace claimcheck::models
