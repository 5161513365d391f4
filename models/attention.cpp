#include "models/attention.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>

namespace claimcheck::models {

LinearImpl::LinearImpl(std::int64_t in, std::int64_t out, Bias kind) {
  weight = register_parameter("weight", torch::empty({out, in}));
  if (kind == Bias::kLearned) bias = register_parameter("bias", torch::zeros({out}));
}

torch::Tensor LinearImpl::forward(const torch::Tensor& x) {
  return torch::linear(x, weight, bias);
}

EmbeddingImpl::EmbeddingImpl(std::int64_t num, std::int64_t dim) {
  weight = register_parameter("weight", torch::empty({num, dim}));
}

torch::Tensor EmbeddingImpl::forward(const torch::Tensor& idx) {
  return torch::embedding(weight, idx);  // (B, T, dim)
}

torch::Tensor causal_future_mask(std::int64_t context) {
  return torch::ones({context, context}, torch::kBool).triu(/*diagonal=*/1);
}

torch::Tensor causal_attention_weights(const torch::Tensor& q, const torch::Tensor& k,
                                       const torch::Tensor& future) {
  const std::int64_t T = q.size(2);
  const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(3)));
  // Scaling q (T·hs values) instead of the scores (T·T) is cheaper and the same up to rounding.
  torch::Tensor scores = (q * scale).matmul(k.transpose(-2, -1));  // (B, nh, T, T)
  scores.masked_fill_(future.slice(0, 0, T).slice(1, 0, T),
                      -std::numeric_limits<double>::infinity());
  return torch::softmax(scores, /*dim=*/-1);
}

}  // namespace claimcheck::models
