#include "models/layers.h"

#include <torch/torch.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace claimcheck::models {

Init Init::normal(double std, at::Generator& init, double mean) {
  return Init(Kind::kNormal, mean, std, &init);
}

Init Init::uniform(double bound, at::Generator& init) {
  return Init(Kind::kUniform, bound, 0.0, &init);
}

Init Init::xavier_uniform(at::Generator& init) {
  return Init(Kind::kXavierUniform, 0.0, 0.0, &init);
}

Init Init::zeros() {
  return Init(Kind::kZeros, 0.0, 0.0, nullptr);
}

torch::Tensor Init::draw(at::IntArrayRef shape) const {
  switch (kind_) {
    case Kind::kNormal:
      return torch::empty(shape).normal_(/*mean=*/a_, /*std=*/b_, *generator_);
    case Kind::kUniform:
      return torch::empty(shape).uniform_(-a_, a_, *generator_);
    case Kind::kXavierUniform: {
      if (shape.size() != 2) throw std::invalid_argument("Init::xavier_uniform: 2-D weights only");
      // fan_out = rows, fan_in = cols (torch.nn.init._calculate_fan_in_and_fan_out).
      const double a = std::sqrt(6.0 / static_cast<double>(shape[0] + shape[1]));
      return torch::empty(shape).uniform_(-a, a, *generator_);
    }
    case Kind::kZeros:
      return torch::zeros(shape);
  }
  throw std::logic_error("Init::draw: unhandled kind");
}

LinearImpl::LinearImpl(std::int64_t in, std::int64_t out, Bias kind, const Init& weight_init) {
  weight = register_parameter("weight", weight_init.draw({out, in}));
  if (kind == Bias::kLearned) bias = register_parameter("bias", torch::zeros({out}));
}

torch::Tensor LinearImpl::forward(const torch::Tensor& x) {
  return torch::linear(x, weight, bias);
}

EmbeddingImpl::EmbeddingImpl(std::int64_t num, std::int64_t dim, const Init& weight_init) {
  weight = register_parameter("weight", weight_init.draw({num, dim}));
}

torch::Tensor EmbeddingImpl::forward(const torch::Tensor& idx) {
  return torch::embedding(weight, idx);  // (B, T, dim)
}

torch::Tensor causal_future_mask(std::int64_t context) {
  return torch::ones({context, context}, torch::kBool).triu(/*diagonal=*/1);
}

torch::Tensor causal_attention_weights(const torch::Tensor& q, const torch::Tensor& k,
                                       const torch::Tensor& future, AttentionScale where) {
  const std::int64_t T = q.size(2);
  const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(3)));
  torch::Tensor scores = where == AttentionScale::kQuery
                             ? (q * scale).matmul(k.transpose(-2, -1))  // (B, nh, T, T)
                             : q.matmul(k.transpose(-2, -1)) * scale;
  scores.masked_fill_(future.slice(0, 0, T).slice(1, 0, T),
                      -std::numeric_limits<double>::infinity());
  return torch::softmax(scores, /*dim=*/-1);
}

}  // namespace claimcheck::models
