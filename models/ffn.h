// The MNIST feed-forward classifiers of claim geglu-vs-relu-mnist (CLAIMS.md §1), as in the
// source's main_lightning_ver.py: bias-free, einsum style, every weight N(0, 0.02²), any
// activation of the registry (models/activations.h):
//   elementwise f (relu, gelu, ...): out = f(x·W_in)·W_out                 (in + out)·h parameters
//   gated (geglu, swiglu):           out = ((x·W_in) ⊙ f(x·W_gate))·W_out  (2·in + out)·h
// with f the GLU's gate nonlinearity (gelu for geglu, the exact erf form).
// Registry types (inputs and classes come from the task: 784 and 10 for MNIST):
//   "ffn"        options "hidden" (h, required) and "activation" (a registry name, default relu;
//                a GLU is chosen by its name, e.g. "geglu": there is no separate "glu" flag, so
//                one name says which matrices the model has). "swiglu-matched" is refused: its
//                sizing rule belongs to the char-LM family's C→H→C FFN with biases.
//   "ffn-relu"   = "ffn" with activation relu; option "hidden" only.
//   "ffn-geglu"  = "ffn" with activation geglu; option "hidden" only.
// The two fixed types are the names claim 1's specs and baselines use, and the only ones with
// the batched ensemble fast path (models/ensemble/ffn_ensemble.h); a generic "ffn" trains alone.
// Init (from `init`, in this order): W_in, [W_gate], W_out, each randn(rows, cols)·0.02.
#pragma once

#include <vector>

#include "models/activations.h"
#include "models/model.h"
#include "models/registry.h"

namespace claimcheck::models {

/// f(x·W_in)·W_out or ((x·W_in) ⊙ f(x·W_gate))·W_out; x (B, in) -> logits (B, out).
struct FfnClassifierImpl : Model {
  FfnClassifierImpl(std::int64_t in, std::int64_t hidden, std::int64_t out, Activation activation,
                    at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x) override;
  Activation activation;
  torch::Tensor w_in;    // (in, hidden)
  torch::Tensor w_gate;  // (in, hidden); gated activations only, else undefined
  torch::Tensor w_out;   // (hidden, out)
};

/// The registry entries "ffn", "ffn-relu" and "ffn-geglu".
std::vector<ModelType> ffn_model_types();

}  // namespace claimcheck::models
