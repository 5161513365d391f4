// Adam for an ensemble: E runs' parameters stacked with a leading ensemble dimension, each member
// with its own learning rate and its own moment estimates, updated in one pass per tensor by
// train/ensemble/adam_kernel.h. Member m's numbers are bit for bit those of torch::optim::Adam (the
// "adam" optimizer, harness/train/optim/torch_adam.h) training that member alone;
// ensemble_adam_is_exact() checks this against the LibTorch in use before any group relies on it.
// CPU only.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "harness/train/optim/torch_adam.h"

namespace claimcheck::train {

/// torch::optim::Adam over E stacked runs.
class EnsembleAdam {
 public:
  /// `params`: contiguous CPU float tensors (E, ...), updated in place; `lrs`: one per member.
  EnsembleAdam(std::vector<torch::Tensor> params, std::vector<double> lrs,
               const optim::AdamOptions& options);
  /// One step from `grads` (shaped as the params). Members are independent: intra-op threads
  /// split them, never a member's elements, so the thread count does not change a number.
  void step(const std::vector<torch::Tensor>& grads);
  /// Steps taken.
  std::int64_t steps() const { return step_; }

 private:
  std::vector<torch::Tensor> params_;
  std::vector<torch::Tensor> exp_avg_;
  std::vector<torch::Tensor> exp_avg_sq_;
  std::vector<double> lrs_;
  optim::AdamOptions options_;
  std::int64_t step_ = 0;
  bool accumulates_;  // gradients after the first step arrive as `zeroed += new` (LibTorch 1.13)
};

/// True when this LibTorch's Optimizer::zero_grad() zeroes gradient buffers (1.13) rather than
/// resetting them to undefined (2.x's default), which decides how a standalone run's gradients
/// reach Adam. Probed once per process.
bool torch_zero_grad_keeps_buffers();

/// True when EnsembleAdam reproduces the "adam" optimizer of a run trained alone, bit for bit, in
/// this process (probed once on random problems with odd sizes, weight decay and -0 gradients).
/// When false, no run is grouped: every run trains alone.
bool ensemble_adam_is_exact();

}  // namespace claimcheck::train
