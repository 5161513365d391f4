// The MNIST feed-forward classifiers of claim geglu-vs-relu-mnist (CLAIMS.md §1), as in the
// source's main_lightning_ver.py: bias-free, einsum style, every weight N(0, 0.02²).
//   FFN_ReLU(h):  out = relu(x·W_in)·W_out                     794·h parameters
//   FFN_GeGLU(h): out = ((x·W_in) ⊙ gelu(x·W_gate))·W_out      1578·h parameters (exact erf GELU)
#pragma once

#include "models/registry.h"

namespace claimcheck::models {

/// relu(x·W_in)·W_out; x (B, in) -> logits (B, out).
struct FfnReluImpl : ClassifierImpl {
  FfnReluImpl(std::int64_t in, std::int64_t hidden, std::int64_t out);
  torch::Tensor forward(const torch::Tensor& x) override;
  torch::Tensor w_in;   // (in, hidden)
  torch::Tensor w_out;  // (hidden, out)
};

/// ((x·W_in) ⊙ gelu(x·W_gate))·W_out; x (B, in) -> logits (B, out).
struct FfnGegluImpl : ClassifierImpl {
  FfnGegluImpl(std::int64_t in, std::int64_t hidden, std::int64_t out);
  torch::Tensor forward(const torch::Tensor& x) override;
  torch::Tensor w_in;    // (in, hidden)
  torch::Tensor w_gate;  // (in, hidden)
  torch::Tensor w_out;   // (hidden, out)
};

}  // namespace claimcheck::models
