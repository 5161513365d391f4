// The MNIST feed-forward classifiers of claim geglu-vs-relu-mnist (CLAIMS.md §1), as in the
// source's main_lightning_ver.py: bias-free, einsum style, every weight N(0, 0.02²).
//   FFN_ReLU(h):  out = relu(x·W_in)·W_out                     (in + out)·h parameters
//   FFN_GeGLU(h): out = ((x·W_in) ⊙ gelu(x·W_gate))·W_out      (2·in + out)·h (exact erf GELU)
// Registry types "ffn-relu" and "ffn-geglu", option "hidden" (h); inputs and classes come from
// the task (784 and 10 for MNIST).
#pragma once

#include <vector>

#include "models/model.h"
#include "models/registry.h"

namespace claimcheck::models {

/// relu(x·W_in)·W_out; x (B, in) -> logits (B, out).
struct FfnReluImpl : Model {
  FfnReluImpl(std::int64_t in, std::int64_t hidden, std::int64_t out, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x) override;
  torch::Tensor w_in;   // (in, hidden)
  torch::Tensor w_out;  // (hidden, out)
};

/// ((x·W_in) ⊙ gelu(x·W_gate))·W_out; x (B, in) -> logits (B, out).
struct FfnGegluImpl : Model {
  FfnGegluImpl(std::int64_t in, std::int64_t hidden, std::int64_t out, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x) override;
  torch::Tensor w_in;    // (in, hidden)
  torch::Tensor w_gate;  // (in, hidden)
  torch::Tensor w_out;   // (hidden, out)
};

/// The registry entries "ffn-relu" and "ffn-geglu".
std::vector<ModelType> ffn_model_types();

}  // namespace claimcheck::models
