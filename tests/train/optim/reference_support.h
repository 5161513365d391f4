// Shared helpers for the optimizer tests: the float64 reference trajectories written by
// tests/train/optim/reference/optim_reference.py (numpy 1.24, no torch), the toy objective they
// minimise (offset + Σ_k ½‖A_k·θ_k − B_k‖² + ⟨C_ks, θ_k⟩, C_ks a fixed per-step "minibatch
// noise"), and a comparator that prints the first mismatches.
#pragma once

#include <ATen/core/Generator.h>
#include <gtest/gtest.h>
#include <torch/optim/optimizer.h>
#include <torch/types.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "harness/train/optim/optimizer.h"
#include "models/model.h"

namespace claimcheck::train::optim::testing {

/// The named case of reference/optim_reference.json (parsed once); throws if absent.
const nlohmann::json& reference_case(const std::string& name);

/// The names of every case in reference/optim_reference.json, in file order.
std::vector<std::string> reference_case_names();

/// {"shape": [...], "data": [...]} as a tensor of `dtype`.
torch::Tensor to_tensor(const nlohmann::json& value, torch::Dtype dtype);

/// A list of such tensors.
std::vector<torch::Tensor> to_tensors(const nlohmann::json& list, torch::Dtype dtype);

/// |actual − expected| <= atol + rtol·|expected| element-wise (shapes must match); on failure
/// reports the worst element and the first few mismatches.
::testing::AssertionResult AllClose(const torch::Tensor& actual, const torch::Tensor& expected,
                                    double atol, double rtol);

/// An absolute and a relative tolerance.
struct Tolerance {
  double atol = 0.0;
  double rtol = 0.0;
};

/// A reference case's parameters (leaf tensors requiring grad), groups and objective.
struct ReferenceProblem {
  std::vector<torch::Tensor> params;
  models::ParameterGroups groups;
  std::vector<torch::Tensor> a;
  std::vector<torch::Tensor> b;
  std::vector<std::vector<torch::Tensor>> c;  ///< per step, per parameter
  double offset = 0.0;
  /// offset + Σ_k ½‖A_k·θ_k − B_k‖² (0-d, differentiable), without the noise.
  torch::Tensor loss() const;
  /// loss() + Σ_k ⟨C_ks, θ_k⟩: the objective of step `step` (0-based).
  torch::Tensor loss_at(std::size_t step) const;
};

/// Builds the case's problem in `dtype`.
ReferenceProblem load_problem(const nlohmann::json& reference, torch::Dtype dtype);

/// The case's optimizer through make_optimizer (type, lr and options from the JSON).
std::unique_ptr<Optimizer> make_reference_optimizer(const nlohmann::json& reference,
                                                    const ReferenceProblem& problem);

/// Runs the case's steps (zero_grad, loss, backward, step(loss)) and compares the loss before
/// and the parameters after every step with the reference.
::testing::AssertionResult FollowsReference(const nlohmann::json& reference,
                                            ReferenceProblem& problem, Optimizer& optimizer,
                                            Tolerance tolerance);

/// `steps` times: zero_grad both, the same randn gradients (drawn from `g`, parameter by
/// parameter) into `ours` and `theirs`, then a step of each (ours with a zero loss); fails at the
/// first parameter that is not bit-identical to LibTorch's, naming the step and the parameter.
::testing::AssertionResult StepsBitIdentically(Optimizer& optimizer,
                                               const std::vector<torch::Tensor>& ours,
                                               torch::optim::Optimizer& reference,
                                               const std::vector<torch::Tensor>& theirs, int steps,
                                               at::Generator& g);

/// A CPU generator seeded with `seed`.
at::Generator cpu_generator(std::uint64_t seed);

}  // namespace claimcheck::train::optim::testing
