// Muon: its documented defaults, each AdamW role at its own lr, and the 2-D check on the
// matrices. The float64 reference (KellerJordan/Muon muon_update + AdamW on the other roles) is
// checked with every other optimizer's in optimizer_test.cpp.
#include "harness/train/optim/muon.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

namespace claimcheck::train::optim {
namespace {

TEST(Muon, DefaultsAreTheDocumentedOnes) {
  const MuonOptions o = read_muon_options(nlohmann::json::object());
  EXPECT_EQ(o.momentum, 0.95);
  EXPECT_TRUE(o.nesterov);
  EXPECT_EQ(o.ns_steps, 5);
  EXPECT_EQ(o.weight_decay, 0.0);
  EXPECT_EQ(o.embedding_lr, 0.6);
  EXPECT_EQ(o.head_lr, 0.004);
  EXPECT_EQ(o.vector_lr, 0.04);
  EXPECT_EQ(o.adam_betas.b1, 0.8);
  EXPECT_EQ(o.adam_betas.b2, 0.95);
  EXPECT_EQ(o.adam_eps, 1e-10);
  EXPECT_EQ(o.adam_weight_decay, 0.0);
}

// Adam's first step moves every element by lr·m̂/(√v̂ + eps) = lr·sign(g)·(1 − O(eps/|g|)), so
// each role's move reveals its lr (float32: 1e-6 relative).
TEST(Muon, EachAdamWRoleStepsWithItsOwnLearningRate) {
  models::ParameterGroups groups;
  groups.embeddings = {torch::zeros({4, 3}, torch::requires_grad())};
  groups.head = {torch::zeros({3, 4}, torch::requires_grad())};
  groups.vectors = {torch::zeros({3}, torch::requires_grad())};
  Muon muon(groups, /*lr=*/0.02, read_muon_options({{"vector_lr", 0.07}}));
  for (auto* group : {&groups.embeddings, &groups.head, &groups.vectors}) {
    group->front().mutable_grad() = torch::full(group->front().sizes(), 0.5);
  }
  muon.step(torch::zeros({}));
  EXPECT_NEAR(groups.embeddings[0].min().item<double>(), -0.6, 0.6e-6);
  EXPECT_NEAR(groups.head[0].min().item<double>(), -0.004, 0.004e-6);
  EXPECT_NEAR(groups.vectors[0].max().item<double>(), -0.07, 0.07e-6);
}

// LibTorch 2.x merges a param group's options into the optimizer's defaults wherever a field
// equals a default-constructed AdamWOptions (lr 1e-3, betas (0.9, 0.999), eps 1e-8,
// weight_decay 1e-2). Here head_lr and the betas equal those values while embedding_lr and
// vector_lr do not: every role must still step with its own options, read back after
// construction and after two steps, and seen in the moves. Two steps of AdamW from p = 0 with
// gradients g1 then g2 (no weight decay; eps negligible) end at
//   p2 = −lr·(1 + m̂2/√v̂2),  m̂2 = (β1(1−β1)g1 + (1−β1)g2)/(1−β1²),
//                           v̂2 = (β2(1−β2)g1² + (1−β2)g2²)/(1−β2²)
// (Loshchilov & Hutter 2019, Algorithm 2); float32 steps: 1e-6 relative.
TEST(Muon, AdamWRolesKeepOptionsThatEqualLibTorchsDefaults) {
  models::ParameterGroups groups;
  groups.embeddings = {torch::zeros({4, 3}, torch::requires_grad())};
  groups.head = {torch::zeros({3, 4}, torch::requires_grad())};
  groups.vectors = {torch::zeros({3}, torch::requires_grad())};
  const MuonOptions options = read_muon_options(
      {{"head_lr", 1e-3}, {"vector_lr", 0.07}, {"adam_betas", {0.9, 0.999}}, {"adam_eps", 0.0}});
  Muon muon(groups, /*lr=*/0.02, options);
  const std::vector<double> lrs = {0.6, 1e-3, 0.07};  // embeddings, head, vectors
  auto expect_options = [&](const char* when) {
    const auto got = muon.adam_options();
    ASSERT_EQ(got.size(), lrs.size()) << when;
    for (std::size_t i = 0; i < lrs.size(); ++i) {
      EXPECT_EQ(got[i].lr(), lrs[i]) << when << ", role " << i;
      EXPECT_EQ(got[i].betas(), std::make_tuple(0.9, 0.999)) << when << ", role " << i;
      EXPECT_EQ(got[i].eps(), 0.0) << when << ", role " << i;
      EXPECT_EQ(got[i].weight_decay(), 0.0) << when << ", role " << i;
    }
  };
  expect_options("after construction");
  const double g1 = 0.5, g2 = -0.25, b1 = 0.9, b2 = 0.999;
  for (const double g : {g1, g2}) {
    for (auto* group : {&groups.embeddings, &groups.head, &groups.vectors}) {
      group->front().mutable_grad() = torch::full(group->front().sizes(), g);
    }
    muon.step(torch::zeros({}));
  }
  expect_options("after two steps");
  const double m2 = (b1 * (1 - b1) * g1 + (1 - b1) * g2) / (1 - b1 * b1);
  const double v2 = (b2 * (1 - b2) * g1 * g1 + (1 - b2) * g2 * g2) / (1 - b2 * b2);
  const std::vector<torch::Tensor> params = {groups.embeddings[0], groups.head[0],
                                             groups.vectors[0]};
  for (std::size_t i = 0; i < lrs.size(); ++i) {
    const double want = -lrs[i] * (1 + m2 / std::sqrt(v2));
    EXPECT_NEAR(params[i].max().item<double>(), want, std::abs(want) * 1e-6) << "role " << i;
    EXPECT_NEAR(params[i].min().item<double>(), want, std::abs(want) * 1e-6) << "role " << i;
  }
}

// A matrix's first Muon step is −lr·√max(1, rows/cols)·NS5(u) with u ∝ g. For a rank-1 g the
// normalised input has the single singular value ‖g‖/(‖g‖ + 1e-7) ≈ 1, so the step's spectral norm
// is lr·√2·φ⁵(1) for this tall (6x3) matrix (float32: 1e-5).
TEST(Muon, FirstMatrixStepHasTheShapeScaledSpectralNorm) {
  const torch::Tensor u = torch::tensor({1.0, 2.0, 2.0, 4.0, 1.0, 2.0}) / 5.0;  // (6), |u| ~ 1.3
  const torch::Tensor v = torch::tensor({2.0, 1.0, 2.0}) / 3.0;                 // (3), unit
  models::ParameterGroups groups;
  groups.matrices = {torch::zeros({6, 3}, torch::requires_grad())};  // tall: scale √2
  Muon muon(groups, /*lr=*/0.1, MuonOptions{});
  groups.matrices[0].mutable_grad() = torch::outer(u, v);
  muon.step(torch::zeros({}));
  double sigma = 1.0;
  for (int i = 0; i < 5; ++i)
    sigma = 3.4445 * sigma - 4.7750 * std::pow(sigma, 3) + 2.0315 * std::pow(sigma, 5);
  const double spectral = torch::linalg_matrix_norm(groups.matrices[0], 2).item<double>();
  EXPECT_NEAR(spectral, 0.1 * std::sqrt(2.0) * sigma, 1e-5);
}

TEST(Muon, RejectsMatricesThatAreNot2D) {
  models::ParameterGroups groups;
  groups.matrices = {torch::zeros({3}, torch::requires_grad())};
  EXPECT_THROW(Muon(groups, 0.02, MuonOptions{}), std::invalid_argument);
}

}  // namespace
}  // namespace claimcheck::train::optim
