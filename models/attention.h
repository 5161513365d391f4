// Pieces shared by the transformer language models (models/gpt.h, models/gpt2.h): a bias-optional
// Linear and an Embedding that allocate their weights *uninitialised* (LibTorch's own
// torch::nn::Linear / Embedding draw a default init from the global generator, which claimcheck
// models never touch: each model fills its weights from its `init` generator in a documented
// order), and causal softmax attention written out (LibTorch 1.13 has no
// scaled_dot_product_attention, and the symmetry-breaking model needs the weights for dropout).
// Shape convention: B batch, T time, C channels, nh heads, hs = C / nh head size.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace claimcheck::models {

/// Whether a Linear layer has a bias (a named flag instead of a bare bool).
enum class Bias { kNone, kLearned };

/// y = x·Wᵀ (+ b), W (out, in); weights uninitialised, biases zero. Parameter names as
/// torch.nn.Linear ("weight", "bias") so state-dict keys read like the references'.
struct LinearImpl : torch::nn::Module {
  LinearImpl(std::int64_t in, std::int64_t out, Bias kind);
  torch::Tensor forward(const torch::Tensor& x);  // (..., in) -> (..., out)
  torch::Tensor weight;                           // (out, in)
  torch::Tensor bias;                             // (out) or undefined
};
TORCH_MODULE(Linear);

/// Lookup table "weight" (num, dim), uninitialised.
struct EmbeddingImpl : torch::nn::Module {
  EmbeddingImpl(std::int64_t num, std::int64_t dim);
  torch::Tensor forward(const torch::Tensor& idx);  // (B, T) int64 -> (B, T, dim)
  torch::Tensor weight;                             // (num, dim)
};
TORCH_MODULE(Embedding);

/// (context, context) bool, true strictly above the diagonal: the future positions a query at
/// row t must not see. Built once per model and registered as a buffer.
torch::Tensor causal_future_mask(std::int64_t context);

/// softmax(q·kᵀ / √hs + causal mask) over the last dim: q, k (B, nh, T, hs) -> (B, nh, T, T).
/// `future` is causal_future_mask(context) with context >= T. Masked scores are -inf, so a
/// query's weights (and everything downstream) are bitwise independent of later tokens.
torch::Tensor causal_attention_weights(const torch::Tensor& q, const torch::Tensor& k,
                                       const torch::Tensor& future);

}  // namespace claimcheck::models
