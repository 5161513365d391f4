// ECD (q = 1): the invariants of CLAIMS.md §3: the velocity stays a unit vector, a step with
// F ≤ F0 changes nothing, and a toy quadratic is brought near its minimum within a bounded number
// of steps. The float64 reference (ECD_q1_scaled.step line by line) is checked with every other
// optimizer's in optimizer_test.cpp.
#include "harness/train/optim/ecd.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "tests/train/optim/reference_support.h"

namespace claimcheck::train::optim {
namespace {

using testing::cpu_generator;

double global_norm(const std::vector<torch::Tensor>& tensors) {
  double sq = 0.0;
  for (const auto& t : tensors)
    sq += t.to(torch::kFloat64).square().sum().item<double>();
  return std::sqrt(sq);
}

// F(θ) = 2.5 + ½·Σ h_i·θ_i² with h from 0.5 to 2, θ ∈ R^10 drawn N(0, 1).
struct Quadratic {
  torch::Tensor theta;
  torch::Tensor h = torch::linspace(0.5, 2.0, 10);
  torch::Tensor loss() const { return 2.5 + 0.5 * (h * theta.square()).sum(); }
};

Quadratic make_quadratic(std::uint64_t seed) {
  at::Generator g = cpu_generator(seed);
  return {torch::randn({10}, g).requires_grad_(true)};
}

void step(Ecd& ecd, Quadratic& q) {
  ecd.zero_grad();
  const torch::Tensor loss = q.loss();
  loss.backward();
  ecd.step(loss.detach());
}

TEST(Ecd, VelocityStaysAUnitVector) {
  Quadratic q = make_quadratic(1);
  Ecd ecd({q.theta}, /*lr=*/1.0, EcdOptions{});
  for (int i = 0; i < 50; ++i) {
    step(ecd, q);
    EXPECT_NEAR(global_norm(ecd.velocity()), 1.0, 1e-6) << "step " << i;  // float32 rounding
  }
}

TEST(Ecd, SkipsTheStepWhenTheLossIsAtOrBelowF0) {
  Quadratic q = make_quadratic(2);
  Ecd ecd({q.theta}, /*lr=*/1.0, EcdOptions{});  // F0 = 2
  for (int i = 0; i < 3; ++i)
    step(ecd, q);
  const torch::Tensor theta = q.theta.detach().clone();
  const torch::Tensor velocity = ecd.velocity()[0].clone();
  for (const double f : {2.0, 1.0, -5.0}) {  // F − F0 = 0 is not > eps: skipped too
    ecd.zero_grad();
    q.loss().backward();  // a real gradient: only F decides the skip
    ecd.step(torch::tensor(f));
    EXPECT_TRUE(torch::equal(q.theta, theta)) << "F = " << f;
    EXPECT_TRUE(torch::equal(ecd.velocity()[0], velocity)) << "F = " << f;
  }
  // Above F0 it moves again.
  step(ecd, q);
  EXPECT_FALSE(torch::equal(q.theta, theta));
}

TEST(Ecd, AFirstStepBelowF0StillLeavesTheParametersUnchanged) {
  Quadratic q = make_quadratic(3);
  Ecd ecd({q.theta}, /*lr=*/1.0, read_ecd_options({{"F0", 100.0}}));
  const torch::Tensor theta = q.theta.detach().clone();
  step(ecd, q);
  EXPECT_TRUE(torch::equal(q.theta, theta));
  EXPECT_NEAR(global_norm(ecd.velocity()), 1.0, 1e-6);  // initialised to −g/|g| all the same
}

// With the claim's hyperparameters (lr 1, η 100, F0 2) the step length is lr/√η = 0.1, so from
// F ≈ 2.5 + 5 the minimum is a few dozen steps away; the numpy reference reaches F − 2.5 < 0.1
// within 25 steps from similar starts. Bound: 60 steps, for three seeds (deterministic).
TEST(Ecd, DecreasesAToyQuadraticWithinABoundedNumberOfSteps) {
  for (const std::uint64_t seed : {4, 5, 6}) {
    Quadratic q = make_quadratic(seed);
    const double start = q.loss().item<double>();
    ASSERT_GT(start, 3.0);
    Ecd ecd({q.theta}, /*lr=*/1.0, EcdOptions{});
    int steps = 0;
    while (q.loss().item<double>() > 2.6 && steps < 60) {
      step(ecd, q);
      ++steps;
    }
    EXPECT_LT(q.loss().item<double>(), 2.6) << "seed " << seed << " start " << start;
  }
}

TEST(Ecd, NeedsTwoScalarsAndAPositiveLearningRate) {
  EXPECT_THROW(Ecd({torch::zeros({1})}, 1.0, EcdOptions{}), std::invalid_argument);
  EXPECT_THROW(Ecd({torch::zeros({3})}, 0.0, EcdOptions{}), std::invalid_argument);
}

}  // namespace
}  // namespace claimcheck::train::optim
