// The shared parameter helpers: the flat order (part of SGDM's reproducibility contract) and
// zero_grad semantics.
#include "harness/train/optim/parameters.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace claimcheck::train::optim {
namespace {

TEST(AllParameters, OrderIsMatricesEmbeddingsHeadVectors) {
  models::ParameterGroups groups;
  groups.vectors = {torch::zeros({4})};
  groups.head = {torch::zeros({2, 3})};
  groups.matrices = {torch::zeros({5, 5}), torch::zeros({5, 6})};
  groups.embeddings = {torch::zeros({7, 5})};
  const auto all = all_parameters(groups);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_TRUE(all[0].is_same(groups.matrices[0]));
  EXPECT_TRUE(all[1].is_same(groups.matrices[1]));
  EXPECT_TRUE(all[2].is_same(groups.embeddings[0]));
  EXPECT_TRUE(all[3].is_same(groups.head[0]));
  EXPECT_TRUE(all[4].is_same(groups.vectors[0]));
  EXPECT_EQ(element_count(all), 25 + 30 + 35 + 6 + 4);
}

TEST(ZeroGradients, ZeroesDefinedGradientsAndLeavesUndefinedOnes) {
  auto a = torch::ones({3}, torch::requires_grad());
  auto b = torch::ones({2}, torch::requires_grad());
  (a * 2).sum().backward();
  ASSERT_TRUE(a.grad().defined());
  zero_gradients({a, b});
  EXPECT_TRUE(torch::equal(a.grad(), torch::zeros({3})));
  EXPECT_FALSE(b.grad().defined());
}

}  // namespace
}  // namespace claimcheck::train::optim
