// The layers every claimcheck language model shares (GPT and GPT-2 in models/gpt*.h, the
// char-LM family in models/charlm/): a bias-optional Linear and an Embedding that draw their own
// weights from the run's `init` generator with a given formula (LibTorch's torch::nn::Linear /
// Embedding draw a default init from the global generator, which claimcheck models never touch),
// and causal softmax attention written out (LibTorch 1.13 has no scaled_dot_product_attention,
// and the symmetry-breaking model needs the weights for dropout).
// Init order: a layer draws its weight in its constructor, so a model's draws follow the order in
// which it constructs its layers (usually, but not necessarily, the registration order).
// Shape convention: B batch, T time, C channels, nh heads, hs = C / nh head size.
#pragma once

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

namespace claimcheck::models {

/// Whether a Linear layer has a bias (a named flag instead of a bare bool).
enum class Bias { kNone, kLearned };

/// How a weight is drawn: a formula and the generator it draws from (which must outlive the
/// call that draws). Each draw is one in-place fill of an uninitialised tensor, the same call the
/// references make (normal_, uniform_), so the numbers are those of the reference's init.
class Init {
 public:
  /// N(mean, std²).
  static Init normal(double std, at::Generator& init, double mean = 0.0);
  /// U(−bound, bound).
  static Init uniform(double bound, at::Generator& init);
  /// torch.nn.init.xavier_uniform_ on a 2-D (rows, cols) weight: U(−a, a), a = √(6/(rows+cols)).
  static Init xavier_uniform(at::Generator& init);
  /// All zeros; draws nothing.
  static Init zeros();

  /// A tensor of `shape` drawn with this formula.
  torch::Tensor draw(at::IntArrayRef shape) const;

 private:
  enum class Kind { kNormal, kUniform, kXavierUniform, kZeros };
  Init(Kind kind, double a, double b, at::Generator* generator)
      : kind_(kind), a_(a), b_(b), generator_(generator) {}
  Kind kind_;
  double a_ = 0.0, b_ = 0.0;  // normal: mean, std; uniform: bound
  at::Generator* generator_ = nullptr;
};

/// y = x·Wᵀ (+ b), W (out, in) drawn by `weight_init`, bias zero. Parameter names as
/// torch.nn.Linear ("weight", "bias") so state-dict keys read like the references'.
struct LinearImpl : torch::nn::Module {
  LinearImpl(std::int64_t in, std::int64_t out, Bias kind, const Init& weight_init);
  torch::Tensor forward(const torch::Tensor& x);  // (..., in) -> (..., out)
  torch::Tensor weight;                           // (out, in)
  torch::Tensor bias;                             // (out) or undefined
};
TORCH_MODULE(Linear);

/// Lookup table "weight" (num, dim) drawn by `weight_init`.
struct EmbeddingImpl : torch::nn::Module {
  EmbeddingImpl(std::int64_t num, std::int64_t dim, const Init& weight_init);
  torch::Tensor forward(const torch::Tensor& idx);  // (B, T) int64 -> (B, T, dim)
  torch::Tensor weight;                             // (num, dim)
};
TORCH_MODULE(Embedding);

/// (context, context) bool, true strictly above the diagonal: the future positions a query at
/// row t must not see. Built once per model and registered as a buffer.
torch::Tensor causal_future_mask(std::int64_t context);

/// Where the attention scale 1/√hs is applied. The two orders round differently, and each model
/// keeps its reference's, so that its numbers stay those of its stored runs.
enum class AttentionScale {
  kQuery,   ///< (q/√hs)·kᵀ: T·hs multiplications instead of T·T (GPT, GPT-2)
  kScores,  ///< (q·kᵀ)/√hs, as the char-LM sources write it
};

/// softmax(q·kᵀ / √hs + causal mask) over the last dim: q, k (B, nh, T, hs) -> (B, nh, T, T).
/// `future` is causal_future_mask(context) with context >= T. Masked scores are -inf, so a
/// query's weights (and everything downstream) are bitwise independent of later tokens.
torch::Tensor causal_attention_weights(const torch::Tensor& q, const torch::Tensor& k,
                                       const torch::Tensor& future,
                                       AttentionScale scale = AttentionScale::kQuery);

}  // namespace claimcheck::models
