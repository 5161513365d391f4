// The MNIST FFN models: shapes, parameter counts (CLAIMS.md §1) and the exact forward formulas.
#include "models/ffn.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace claimcheck::models {
namespace {

TEST(Ffn, ParameterCountsMatchTheClaim) {
  for (const std::int64_t h : {2, 4, 8, 16}) {
    EXPECT_EQ(parameter_count(*make_classifier("ffn-relu", {{"hidden", h}})), 794 * h);
    EXPECT_EQ(parameter_count(*make_classifier("ffn-geglu", {{"hidden", h}})), 1578 * h);
  }
  // The parameter-matched pair GeGLU(h) vs ReLU(2h) is 0.6% apart.
  EXPECT_NEAR(1588.0 / 1578.0 - 1.0, 0.0063, 1e-4);
}

TEST(Ffn, ForwardIsTheDocumentedFormula) {
  torch::manual_seed(0);
  auto relu = std::make_shared<FfnReluImpl>(784, 8, 10);
  auto geglu = std::make_shared<FfnGegluImpl>(784, 8, 10);
  const torch::Tensor x = torch::rand({5, 784});
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
  torch::manual_seed(1);
  auto geglu = std::make_shared<FfnGegluImpl>(784, 256, 10);
  // 784·256 draws: the sample std is within 1% of 0.02 with overwhelming probability.
  EXPECT_NEAR(geglu->w_gate.std().item<double>(), 0.02, 2e-4);
  EXPECT_NEAR(geglu->w_in.mean().item<double>(), 0.0, 2e-4);
}

TEST(Ffn, SameSeedSameWeights) {
  torch::manual_seed(7);
  auto a = make_classifier("ffn-relu", {{"hidden", 4}});
  torch::manual_seed(7);
  auto b = make_classifier("ffn-relu", {{"hidden", 4}});
  EXPECT_TRUE(torch::equal(a->parameters()[0], b->parameters()[0]));
}

TEST(Registry, RejectsUnknownTypesAndOptions) {
  EXPECT_THROW(make_classifier("ffn-swish", {{"hidden", 4}}), std::invalid_argument);
  EXPECT_THROW(make_classifier("ffn-relu", {{"hiden", 4}}), std::invalid_argument);
  EXPECT_THROW(make_classifier("ffn-relu", {{"hidden", 0}}), std::invalid_argument);
  EXPECT_THROW(make_classifier("ffn-relu", nlohmann::json::object()), std::invalid_argument);
  try {
    make_classifier("ffn-swish", {{"hidden", 4}});
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ffn-geglu, ffn-relu"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace claimcheck::models
