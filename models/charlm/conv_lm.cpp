// The causal ConvLM (see conv_lm.h): model_convlm.py of
// pankajtakawale/llm-reproducibility-activations, left-padded.
#include "models/charlm/conv_lm.h"

#include <torch/torch.h>

namespace claimcheck::models::charlm {

CausalConv1dImpl::CausalConv1dImpl(std::int64_t in, std::int64_t out, std::int64_t kernel_size,
                                   std::int64_t conv_dilation, at::Generator& init)
    : dilation(conv_dilation) {
  weight = register_parameter("weight", Init::normal(kInitStd, init).draw({out, in, kernel_size}));
  bias = register_parameter("bias", torch::zeros({out}));
}

torch::Tensor CausalConv1dImpl::forward(const torch::Tensor& x) {
  const std::int64_t left = (weight.size(2) - 1) * dilation;
  const torch::Tensor padded = torch::constant_pad_nd(x, {left, 0});  // (B, in, left + T)
  const std::vector<std::int64_t> stride{1}, padding{0}, dilations{dilation};
  return torch::conv1d(padded, weight, bias, stride, padding, dilations);  // (B, out, T)
}

CausalConvBlockImpl::CausalConvBlockImpl(std::int64_t channels, std::int64_t kernel_size,
                                         std::int64_t dilation, Activation activation_kind,
                                         at::Generator& init)
    : activation(activation_kind) {
  const std::int64_t out = (is_gated(activation) ? 2 : 1) * channels;
  conv = register_module("conv", CausalConv1d(channels, out, kernel_size, dilation, init));
  norm = register_module("norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({out})));
}

torch::Tensor CausalConvBlockImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = norm(conv(x).transpose(1, 2));  // (B, T, G·C): LayerNorm over channels
  y = activate(activation, y);                      // (B, T, C)
  return x + y.transpose(1, 2);                     // (B, C, T)
}

ConvLmImpl::ConvLmImpl(const FamilyOptions& o, std::int64_t vocab, std::int64_t n_ctx,
                       at::Generator& init)
    : options(o), context(n_ctx) {
  embedding =
      register_module("embedding", Embedding(vocab, o.n_embd, Init::normal(kInitStd, init)));
  conv_blocks = register_module("conv_blocks", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < o.n_layer; ++i) {
    conv_blocks->push_back(CausalConvBlock(o.n_embd, o.kernel_size, convlm_dilation(i, o.n_layer),
                                           o.activation, init));
  }
  fc_out = register_module("fc_out",
                           Linear(o.n_embd, vocab, Bias::kLearned, Init::normal(kInitStd, init)));
  embeddings_ = {embedding->weight};
  head_ = {fc_out->weight};
}

torch::Tensor ConvLmImpl::forward(const torch::Tensor& idx) {
  check_tokens(idx, context, "convlm");
  const ForwardDropout drop = dropout_for(options.dropout);
  torch::Tensor x = drop(embedding(idx)).transpose(1, 2);  // (B, T, C) -> (B, C, T)
  for (const auto& block : *conv_blocks)
    x = block->as<CausalConvBlock>()->forward(x);
  return fc_out(x.transpose(1, 2));  // (B, T, V)
}

}  // namespace claimcheck::models::charlm
