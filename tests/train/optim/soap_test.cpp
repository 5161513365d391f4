// SOAP: the first step only initialising, the eigenbases diagonalising L and R, and which sides
// are rotated. The float64 reference (nikhilvyas/SOAP f42d296 line by line, refreshing every step
// and every 10) is checked with every other optimizer's in optimizer_test.cpp.
#include "harness/train/optim/soap.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "harness/train/optim/parameters.h"
#include "tests/train/optim/reference_support.h"

namespace claimcheck::train::optim {
namespace {

struct InitialisedSoap {
  testing::ReferenceProblem problem;
  std::unique_ptr<Soap> soap;
};

InitialisedSoap first_step(torch::Dtype dtype) {
  const auto& c = testing::reference_case("soap_refresh_every_step");
  InitialisedSoap run{testing::load_problem(c, dtype), nullptr};
  run.soap = std::make_unique<Soap>(all_parameters(run.problem.groups), 0.01,
                                    read_soap_options(c.at("options")));
  run.soap->zero_grad();
  run.problem.loss_at(0).backward();
  run.soap->step(torch::zeros({}));
  return run;
}

TEST(Soap, TheFirstStepOnlyInitialises) {
  const auto& c = testing::reference_case("soap_refresh_every_step");
  const auto initial = testing::to_tensors(c.at("params"), torch::kFloat64);
  InitialisedSoap run = first_step(torch::kFloat64);
  for (std::size_t k = 0; k < initial.size(); ++k) {
    EXPECT_TRUE(torch::equal(run.problem.params[k].detach(), initial[k])) << k;
    EXPECT_EQ(run.soap->state(k).step, 0);
  }
}

// A 4x4 weight rotates both sides; the 5x3 one (5 > max_precond_dim = 4) only the right; the
// vector neither. Each basis is orthogonal and diagonalises its statistic, eigenvalues descending.
TEST(Soap, EigenbasesDiagonaliseTheStatisticsOnTheRotatedSides) {
  InitialisedSoap run = first_step(torch::kFloat64);
  const auto& square = run.soap->state(0);
  const auto& tall = run.soap->state(1);
  const auto& vector = run.soap->state(2);
  EXPECT_TRUE(square.q_left.defined() && square.q_right.defined());
  EXPECT_FALSE(tall.q_left.defined());
  EXPECT_TRUE(tall.q_right.defined());
  EXPECT_FALSE(vector.q_left.defined() || vector.q_right.defined());
  for (const auto* side : {&square.left, &square.right, &tall.right}) {
    const torch::Tensor& m = *side;
    const torch::Tensor& q = side == &square.left    ? square.q_left
                             : side == &square.right ? square.q_right
                                                     : tall.q_right;
    const auto n = q.size(0);
    EXPECT_TRUE(testing::AllClose(q.t().mm(q), torch::eye(n, torch::kFloat64), 1e-12, 0));
    const torch::Tensor d = q.t().mm(m).mm(q);
    EXPECT_TRUE(testing::AllClose(d - torch::diag(d.diagonal()), torch::zeros({n, n}), 1e-12, 0));
    const torch::Tensor eig = d.diagonal();
    EXPECT_TRUE(torch::all(eig.slice(0, 0, n - 1) >= eig.slice(0, 1, n)).item<bool>());
  }
}

TEST(Soap, RejectsParametersOfMoreThanTwoDims) {
  EXPECT_THROW(Soap({torch::zeros({2, 2, 2})}, 0.01, SoapOptions{}), std::invalid_argument);
}

TEST(Soap, ShampooBetaDefaultsToTheSecondBeta) {
  EXPECT_EQ(read_soap_options({{"betas", {0.9, 0.8}}}).shampoo_beta, 0.8);
  EXPECT_EQ(read_soap_options(nlohmann::json::object()).shampoo_beta, 0.95);
  EXPECT_EQ(read_soap_options({{"shampoo_beta", 0.5}}).shampoo_beta, 0.5);
}

}  // namespace
}  // namespace claimcheck::train::optim
