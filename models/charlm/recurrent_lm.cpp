// HybridLM and TinyLSTM (see recurrent_lm.h): model_hybridlm.py and model_tinylstm.py of
// pankajtakawale/llm-reproducibility-activations.
#include "models/charlm/recurrent_lm.h"

#include <torch/torch.h>

#include <string>

namespace claimcheck::models::charlm {

LstmImpl::LstmImpl(std::int64_t lstm_size, std::int64_t n_layer, at::Generator& init)
    : size(lstm_size) {
  const std::int64_t C = size;
  for (std::int64_t l = 0; l < n_layer; ++l) {
    const std::string s = "_l" + std::to_string(l);
    layers.push_back({register_parameter("weight_ih" + s, orthogonal_init(4 * C, C, init)),
                      register_parameter("weight_hh" + s, orthogonal_init(4 * C, C, init)),
                      register_parameter("bias_ih" + s, torch::zeros({4 * C})),
                      register_parameter("bias_hh" + s, torch::zeros({4 * C}))});
  }
}

torch::Tensor LstmImpl::forward(const torch::Tensor& x, const ForwardDropout& drop) {
  // One layer per call so the inter-layer dropout can draw from the run's generator (at::lstm's
  // own dropout would use the global one); equal to nn.LSTM(num_layers = n_layer, dropout = p).
  const torch::Tensor zero = torch::zeros({1, x.size(0), size}, x.options());  // (1, B, C)
  torch::Tensor h = x;                                                         // (B, T, C)
  for (std::size_t l = 0; l < layers.size(); ++l) {
    h = std::get<0>(torch::lstm(h, /*hx=*/{zero, zero}, layers[l], /*has_biases=*/true,
                                /*num_layers=*/1, /*dropout=*/0.0, is_training(),
                                /*bidirectional=*/false, /*batch_first=*/true));  // (B, T, C)
    if (l + 1 < layers.size()) h = drop(h);
  }
  return h;
}

void LstmImpl::to(torch::Device device, torch::Dtype dtype, bool non_blocking) {
  torch::nn::Module::to(device, dtype, non_blocking);
  flatten_parameters();
}

void LstmImpl::to(torch::Dtype dtype, bool non_blocking) {
  torch::nn::Module::to(dtype, non_blocking);
  flatten_parameters();
}

void LstmImpl::to(torch::Device device, bool non_blocking) {
  torch::nn::Module::to(device, non_blocking);
  flatten_parameters();
}

void LstmImpl::flatten_parameters() {
  // As RNNImplBase::flatten_parameters (torch/csrc/api/src/nn/modules/rnn.cpp), but one buffer
  // per layer: at::lstm's cuDNN path (aten/src/ATen/native/cudnn/RNN.cpp, try_get_weight_buf)
  // accepts a call's weights only when they start its storage, in cuDNN's layout, so one buffer
  // for all layers would still warn for every layer after the first.
  if (!at::_use_cudnn_rnn_flatten_weight()) return;  // a LibTorch built without cuDNN
  for (const auto& weights : layers) {
    for (const auto& w : weights) {
      if (!w.is_cuda() || !torch::cudnn_is_acceptable(w) ||
          w.scalar_type() != weights[0].scalar_type()) {
        return;
      }
    }
  }
  torch::NoGradGuard no_grad;  // the parameters are re-pointed in place (Tensor::set_)
  constexpr std::int64_t kCudnnLstmMode = 2;  // CUDNN_LSTM, as rnn.cpp's CuDNNMode::LSTM
  for (const auto& weights : layers) {
    torch::_cudnn_rnn_flatten_weight(weights, /*weight_stride0=*/4, /*input_size=*/size,
                                     kCudnnLstmMode, /*hidden_size=*/size, /*proj_size=*/0,
                                     /*num_layers=*/1, /*batch_first=*/true,
                                     /*bidirectional=*/false);
  }
}

std::int64_t lstm_parameter_count(std::int64_t n_embd, std::int64_t n_layer) {
  return n_layer * (2 * 4 * n_embd * n_embd + 2 * 4 * n_embd);
}

namespace {

torch::nn::LayerNorm layer_norm(std::int64_t n_embd) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({n_embd}));
}

Linear fc_out_layer(std::int64_t n_embd, std::int64_t vocab, at::Generator& init) {
  return Linear(n_embd, vocab, Bias::kLearned, Init::normal(kInitStd, init));
}

}  // namespace

HybridLmImpl::HybridLmImpl(const FamilyOptions& o, std::int64_t vocab, std::int64_t n_ctx,
                           at::Generator& init)
    : options(o), context(n_ctx) {
  embedding =
      register_module("embedding", Embedding(vocab, o.n_embd, Init::normal(kInitStd, init)));
  lstm = register_module("lstm", Lstm(o.n_embd, o.n_layer, init));
  attn = register_module("attn",
                         CausalSelfAttention(o.n_embd, o.n_head, AttentionStyle::kTorchMha, init));
  ln1 = register_module("ln1", layer_norm(o.n_embd));
  ln2 = register_module("ln2", layer_norm(o.n_embd));
  ff = register_module(
      "ff", Ffn(o.n_embd, o.ffn_hidden, o.activation, FfnDropout::kHiddenAndOutput, init));
  fc_out = register_module("fc_out", fc_out_layer(o.n_embd, vocab, init));
  future = register_buffer("future", causal_future_mask(context));
  embeddings_ = {embedding->weight};
  head_ = {fc_out->weight};
}

torch::Tensor HybridLmImpl::forward(const torch::Tensor& idx) {
  check_tokens(idx, context, "hybridlm");
  const ForwardDropout drop = dropout_for(options.dropout);
  torch::Tensor x = ln1(lstm(embedding(idx), drop));  // (B, T, C)
  x = x + attn(x, future, drop);                      // residual on the normalised stream
  x = ln2(x);
  x = x + ff(x, drop);
  return fc_out(x);  // (B, T, V)
}

TinyLstmImpl::TinyLstmImpl(const FamilyOptions& o, std::int64_t vocab, std::int64_t n_ctx,
                           at::Generator& init)
    : options(o), context(n_ctx) {
  embedding =
      register_module("embedding", Embedding(vocab, o.n_embd, Init::normal(kInitStd, init)));
  lstm = register_module("lstm", Lstm(o.n_embd, o.n_layer, init));
  ffn =
      register_module("ffn", Ffn(o.n_embd, o.ffn_hidden, o.activation, FfnDropout::kOutput, init));
  fc_out = register_module("fc_out", fc_out_layer(o.n_embd, vocab, init));
  embeddings_ = {embedding->weight};
  head_ = {fc_out->weight};
}

torch::Tensor TinyLstmImpl::forward(const torch::Tensor& idx) {
  check_tokens(idx, context, "tinylstm");
  const ForwardDropout drop = dropout_for(options.dropout);
  const torch::Tensor h = lstm(embedding(idx), drop);  // (B, T, C)
  return fc_out(h + ffn(h, drop));                     // (B, T, V)
}

}  // namespace claimcheck::models::charlm
