#include "models/ffn.h"

#include <torch/torch.h>

namespace claimcheck::models {
namespace {

constexpr double kInitStd = 0.02;  // source: nn.init.normal_(std=0.02) on every weight

torch::Tensor normal_weight(std::int64_t rows, std::int64_t cols) {
  return torch::randn({rows, cols}) * kInitStd;
}

}  // namespace

FfnReluImpl::FfnReluImpl(std::int64_t in, std::int64_t hidden, std::int64_t out) {
  w_in = register_parameter("w_in", normal_weight(in, hidden));
  w_out = register_parameter("w_out", normal_weight(hidden, out));
}

torch::Tensor FfnReluImpl::forward(const torch::Tensor& x) {
  return torch::relu(x.matmul(w_in)).matmul(w_out);  // (B, in) -> (B, h) -> (B, out)
}

FfnGegluImpl::FfnGegluImpl(std::int64_t in, std::int64_t hidden, std::int64_t out) {
  // Drawn in the order W_in, W_gate, W_out: the same as the source's parameter definitions.
  w_in = register_parameter("w_in", normal_weight(in, hidden));
  w_gate = register_parameter("w_gate", normal_weight(in, hidden));
  w_out = register_parameter("w_out", normal_weight(hidden, out));
}

torch::Tensor FfnGegluImpl::forward(const torch::Tensor& x) {
  // torch::gelu's default approximation is "none": the exact erf form, as the source uses.
  return (x.matmul(w_in) * torch::gelu(x.matmul(w_gate))).matmul(w_out);  // (B, out)
}

}  // namespace claimcheck::models
