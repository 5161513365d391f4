// Bit-for-bit equality of float tensors: the contract of every ensemble fast path (each member's
// numbers are those of the member trained alone), checked by the startup probes and the tests.
#pragma once

#include <torch/types.h>

#include <cstring>

namespace claimcheck::models {

/// Whether float tensors `a` and `b` have the same sizes and the same bits in every element
/// (so -0 and +0 differ).
inline bool bitwise_equal(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor x = a.contiguous();
  const torch::Tensor y = b.contiguous();
  return x.sizes() == y.sizes() &&
         std::memcmp(x.data_ptr<float>(), y.data_ptr<float>(), x.numel() * sizeof(float)) == 0;
}

}  // namespace claimcheck::models
