// EnsembleAdam: each member of a stacked update is bit for bit torch::optim::Adam (through the
// "adam" optimizer) on that member alone, with its own learning rate, custom betas, eps and weight
// decay, on sizes that leave ATen's vectorised loops scalar tails, with two intra-op threads.
#include "harness/train/ensemble/adam.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "harness/env/generator.h"
#include "harness/train/optim/optimizer.h"
#include "models/ensemble/bitwise.h"

namespace claimcheck::train {
namespace {

TEST(EnsembleAdam, ProbeFindsItExactOnThisBuild) {
  // When this fails the executor trains every run alone (correct, only slower): look for a
  // LibTorch whose CPU kernels round Adam's float operations differently (adam_kernel.h).
  EXPECT_TRUE(ensemble_adam_is_exact());
}

TEST(EnsembleAdam, EveryMemberMatchesTorchAdamAloneWithTwoThreads) {
  const int threads = torch::get_num_threads();
  torch::set_num_threads(2);
  const std::vector<double> lrs = {0.3, 1e-2, 1e-3, 1e-4, 5e-2};
  const auto members = static_cast<std::int64_t>(lrs.size());
  const nlohmann::json options = {{"betas", {0.8, 0.95}}, {"eps", 1e-6}, {"weight_decay", 0.05}};
  at::Generator g = env::cpu_generator(5);
  std::vector<torch::Tensor> stacked = {torch::randn({members, 7, 3}, g),
                                        torch::randn({members, 33}, g)};
  std::vector<std::vector<torch::Tensor>> alone(lrs.size());
  std::vector<std::unique_ptr<optim::Optimizer>> reference;
  for (std::int64_t m = 0; m < members; ++m) {
    models::ParameterGroups groups;
    for (const auto& s : stacked) {
      alone[m].push_back(s[m].clone().requires_grad_(true));
      groups.matrices.push_back(alone[m].back());
    }
    reference.push_back(optim::make_optimizer({"adam", options}, lrs[m], groups, g));
  }
  EnsembleAdam ensemble(stacked, lrs, optim::read_adam_options(options));
  for (int step = 0; step < 8; ++step) {
    std::vector<torch::Tensor> grads = {torch::randn({members, 7, 3}, g),
                                        torch::randn({members, 33}, g)};
    for (std::int64_t m = 0; m < members; ++m) {
      reference[m]->zero_grad();
      // Through autograd, as in training (the gradient buffer semantics matter for -0).
      ((alone[m][0] * grads[0][m]).sum() + (alone[m][1] * grads[1][m]).sum()).backward();
      reference[m]->step(torch::zeros({}));
    }
    ensemble.step(grads);
  }
  EXPECT_EQ(ensemble.steps(), 8);
  for (std::int64_t m = 0; m < members; ++m) {
    EXPECT_TRUE(models::bitwise_equal(stacked[0][m], alone[m][0].detach())) << "member " << m;
    EXPECT_TRUE(models::bitwise_equal(stacked[1][m], alone[m][1].detach())) << "member " << m;
  }
  torch::set_num_threads(threads);
}

TEST(EnsembleAdam, RejectsParametersItCannotUpdate) {
  const optim::AdamOptions options;
  EXPECT_THROW(EnsembleAdam({torch::zeros({3, 4})}, {1e-3, 1e-3}, options), std::invalid_argument)
      << "3 members, 2 learning rates";
  EXPECT_THROW(EnsembleAdam({torch::zeros({4, 2}).t()}, {1e-3, 1e-3}, options),
               std::invalid_argument)
      << "not contiguous";
  EXPECT_THROW(EnsembleAdam({torch::zeros({2, 4}, torch::kFloat64)}, {1e-3, 1e-3}, options),
               std::invalid_argument)
      << "not float";
}

}  // namespace
}  // namespace claimcheck::train
