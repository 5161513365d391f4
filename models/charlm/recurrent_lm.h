// The two LSTM language models of the activation-reproducibility source
// (pankajtakawale/llm-reproducibility-activations), with the activation really wired in (the
// source's _get_activation receives an activation module from train.py's run_experiment and falls
// back to nn.ReLU(), hence its "activation-invariant TinyLSTM, CV 0.00%").
//   hybridlm  model_hybridlm.py (LSTM + attention; the file's own docstring, not a CNN):
//             x = lstm(embedding(idx)); x = ln1(x); x = x + attn(x) (nn.MultiheadAttention,
//             causal, AttentionStyle::kTorchMha); x = ln2(x); x = x + ff(x) with
//             ff = Linear(C, H=2C), act, Dropout, Linear(H, C), Dropout; logits = fc_out(x).
//   tinylstm  model_tinylstm.py computes logits = fc_out(act(lstm(embedding(idx)))), an activation
//             on the LSTM's bounded output with nothing learned before it. Here the activation
//             lives in an FFN on that output, kept residual so the source's LSTM→fc_out path
//             stays: h = lstm(embedding(idx)); x = h + ffn(h) (C→H=4C→C, dropout after c_proj);
//             logits = fc_out(x).
// Both: nn.LSTM(C, C, n_layer, batch_first) with dropout between layers (not after the last), no
// position embedding, fc_out with bias.
// Init (from `init`, in this order; the source's _init_weights): embedding N(0, 0.02²); per LSTM
// layer weight_ih, weight_hh orthogonal (torch.nn.init.orthogonal_), bias_ih, bias_hh 0; then
// (hybridlm) attn in_proj xavier-uniform / out_proj N(0, 0.02²), ln1, ln2, ff; (tinylstm) ffn;
// fc_out N(0, 0.02²), bias 0.
// Shapes: B batch, T time, C channels (= the LSTM's hidden size), V vocab.
#pragma once

#include <ATen/core/Generator.h>
#include <torch/nn/modules/normalization.h>

#include <cstdint>
#include <vector>

#include "models/charlm/layers.h"
#include "models/charlm/options.h"
#include "models/charlm/self_attention.h"

namespace claimcheck::models::charlm {

/// nn.LSTM(C, C, n_layer, batch_first=True, dropout) with its parameter names
/// (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0, ...): (B, T, C) -> (B, T, C), zero
/// initial state. The inter-layer dropout draws from the run's generator.
///
/// On CUDA, cuDNN wants each call's weights as one buffer in its own layout, or it warns
/// ("weights are not part of single contiguous chunk of memory") and compacts a copy on every
/// call. forward() calls at::lstm once per layer, so after every move each layer's four tensors
/// are laid out as one cuDNN buffer of a one-layer LSTM (nn::LSTM's flatten_parameters, per
/// layer). On the CPU nothing is flattened: the weights and numbers are those of a plain move.
struct LstmImpl : torch::nn::Module {
  LstmImpl(std::int64_t size, std::int64_t n_layer, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x, const ForwardDropout& drop);
  /// Module::to, then flatten_parameters() (as nn::LSTM does).
  void to(torch::Device device, torch::Dtype dtype, bool non_blocking = false) override;
  void to(torch::Dtype dtype, bool non_blocking = false) override;
  void to(torch::Device device, bool non_blocking = false) override;
  /// Lays out each layer's weights as one cuDNN weight buffer (w_ih, w_hh, b_ih, b_hh views of
  /// it, values unchanged); a no-op unless they are on a CUDA device cuDNN accepts.
  void flatten_parameters();
  std::int64_t size;
  std::vector<std::vector<torch::Tensor>> layers;  // per layer {w_ih, w_hh, b_ih, b_hh}
};
TORCH_MODULE(Lstm);

/// Parameters of an n_layer LSTM of width C: per layer 2·(4C·C) + 2·4C.
std::int64_t lstm_parameter_count(std::int64_t n_embd, std::int64_t n_layer);

/// hybridlm: (B, T) int64, T <= context -> (B, T, V) logits.
struct HybridLmImpl : FamilyModel {
  HybridLmImpl(const FamilyOptions& o, std::int64_t vocab, std::int64_t context,
               at::Generator& init);
  torch::Tensor forward(const torch::Tensor& idx) override;

  FamilyOptions options;
  std::int64_t context;
  Embedding embedding{nullptr};
  Lstm lstm{nullptr};
  CausalSelfAttention attn{nullptr};
  torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
  Ffn ff{nullptr};
  Linear fc_out{nullptr};
  torch::Tensor future;  // (context, context) causal mask buffer
};

/// tinylstm: (B, T) int64, T <= context -> (B, T, V) logits.
struct TinyLstmImpl : FamilyModel {
  TinyLstmImpl(const FamilyOptions& o, std::int64_t vocab, std::int64_t context,
               at::Generator& init);
  torch::Tensor forward(const torch::Tensor& idx) override;

  FamilyOptions options;
  std::int64_t context;
  Embedding embedding{nullptr};
  Lstm lstm{nullptr};
  Ffn ffn{nullptr};
  Linear fc_out{nullptr};
};

}  // namespace claimcheck::models::charlm
