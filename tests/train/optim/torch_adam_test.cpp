// adam / adamw: bit-identical to LibTorch's Adam / AdamW over several steps (the wrappers must not
// change a single op), and their documented defaults. The independent float64 reference is
// checked with every other optimizer's in optimizer_test.cpp.
#include "harness/train/optim/torch_adam.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "tests/train/optim/reference_support.h"

namespace claimcheck::train::optim {
namespace {

using testing::cpu_generator;

// Steps ours and LibTorch's optimizer on clones of the same parameters with the same random
// gradients; every parameter must stay bit-identical.
template <class TorchOptimizer, class TorchOptions>
void expect_bit_identical(const std::string& type, const nlohmann::json& options,
                          const TorchOptions& torch_options) {
  at::Generator g = cpu_generator(11);
  const std::vector<torch::Tensor> init = {torch::randn({3, 4}, g), torch::randn({4}, g),
                                           torch::randn({2, 5}, g)};
  std::vector<torch::Tensor> ours, theirs;
  for (const auto& t : init) {
    ours.push_back(t.clone().requires_grad_(true));
    theirs.push_back(t.clone().requires_grad_(true));
  }
  models::ParameterGroups groups;
  groups.matrices = {ours[0]};
  groups.vectors = {ours[1]};
  groups.embeddings = {ours[2]};
  auto optimizer = make_optimizer({type, options}, /*lr=*/0.01, groups, g);
  TorchOptimizer reference({theirs[0], theirs[1], theirs[2]}, torch_options);
  // Adam's update is per tensor, so the order the groups list them in does not matter.
  EXPECT_TRUE(testing::StepsBitIdentically(*optimizer, ours, reference, theirs, /*steps=*/6, g))
      << type;
}

TEST(TorchAdam, AdamIsBitIdenticalToTorchAdam) {
  expect_bit_identical<torch::optim::Adam>(
      "adam", {{"betas", {0.8, 0.95}}, {"eps", 1e-6}, {"weight_decay", 0.1}},
      torch::optim::AdamOptions(0.01).betas({0.8, 0.95}).eps(1e-6).weight_decay(0.1));
  expect_bit_identical<torch::optim::Adam>("adam", nlohmann::json::object(),
                                           torch::optim::AdamOptions(0.01));
}

TEST(TorchAdam, AdamWIsBitIdenticalToTorchAdamW) {
  expect_bit_identical<torch::optim::AdamW>(
      "adamw", {{"betas", {0.9, 0.99}}, {"weight_decay", 0.2}},
      torch::optim::AdamWOptions(0.01).betas({0.9, 0.99}).weight_decay(0.2));
  // Defaults match torch's AdamW, weight_decay 0.01 included.
  expect_bit_identical<torch::optim::AdamW>("adamw", nlohmann::json::object(),
                                            torch::optim::AdamWOptions(0.01));
}

TEST(TorchAdam, DefaultsAreTorchs) {
  const AdamOptions adam = read_adam_options(nlohmann::json::object());
  const AdamOptions adamw = read_adamw_options(nlohmann::json::object());
  EXPECT_EQ(adam.betas.b1, 0.9);
  EXPECT_EQ(adam.betas.b2, 0.999);
  EXPECT_EQ(adam.eps, 1e-8);
  EXPECT_EQ(adam.weight_decay, 0.0);
  EXPECT_EQ(adamw.weight_decay, 0.01);
}

}  // namespace
}  // namespace claimcheck::train::optim
