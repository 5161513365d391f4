// Detects a diverging run (a non-finite training loss) without a host synchronisation per step
// on CUDA: there the flag is accumulated on the device and read every kCudaCheckEvery steps; on
// the CPU reading a scalar costs nothing, so every step is checked and training stops at the
// first non-finite loss.
#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace claimcheck::train {

/// Accumulates "some loss was not finite" and says when to stop.
class DivergenceWatch {
 public:
  static constexpr std::int64_t kCudaCheckEvery = 32;

  explicit DivergenceWatch(torch::Device device)
      : check_every_(device.is_cuda() ? kCudaCheckEvery : 1) {}

  /// Records step `step`'s loss (0-d); true once a non-finite loss has been seen (checked on the
  /// host every check_every steps and at `last`).
  bool diverged(const torch::Tensor& loss, std::int64_t step, bool last) {
    const torch::Tensor bad = torch::logical_not(torch::isfinite(loss.detach()));
    bad_ = bad_.defined() ? torch::logical_or(bad_, bad) : bad;
    if ((step + 1) % check_every_ != 0 && !last) return false;
    return bad_.item<bool>();
  }

 private:
  std::int64_t check_every_;
  torch::Tensor bad_;
};

}  // namespace claimcheck::train
