// Causal multi-head self-attention in the three forms the activation-reproducibility source uses
// (pankajtakawale/llm-reproducibility-activations), written out (LibTorch 1.13 has no
// scaled_dot_product_attention): y = proj(softmax(q·kᵀ/√hs + causal mask)·v), masked scores -inf,
// so a query's output is bitwise independent of later tokens.
//   kCharLm   model.py SelfAttention: separate key / query / value Linears and proj, all with
//             bias, N(0, 0.02²); dropout on the attention weights and after proj.
//   kNano     model_nanotransformer.py NanoAttention: one fused bias-free qkv Linear (3C) and a
//             bias-free proj, N(0, 0.02²); no dropout.
//   kTorchMha nn.MultiheadAttention as model_minigpt.py / model_hybridlm.py use it: fused in_proj
//             (3C, with bias; weight xavier-uniform, the module's own init, which the source's
//             _init_weights never reaches), out_proj with bias N(0, 0.02²); dropout on the
//             attention weights only.
// Shapes: B batch, T time, C channels, nh heads, hs = C / nh head size.
#pragma once

#include <ATen/core/Generator.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <cstdint>

#include "models/charlm/layers.h"
#include "models/layers.h"

namespace claimcheck::models::charlm {

/// Which of the source's attention modules (above).
enum class AttentionStyle { kCharLm, kNano, kTorchMha };

/// Causal self-attention: (B, T, C) -> (B, T, C).
struct CausalSelfAttentionImpl : torch::nn::Module {
  CausalSelfAttentionImpl(std::int64_t n_embd, std::int64_t n_head, AttentionStyle style,
                          at::Generator& init);
  /// `future` is causal_future_mask(context), context >= T.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& future,
                        const ForwardDropout& drop);
  std::int64_t n_head;
  AttentionStyle style;
  Linear query{nullptr}, key{nullptr}, value{nullptr};  // kCharLm
  Linear qkv{nullptr};                                  // kNano ("qkv") and kTorchMha ("in_proj")
  Linear proj{nullptr};                                 // "proj"; "out_proj" for kTorchMha
};
TORCH_MODULE(CausalSelfAttention);

/// Parameters of one attention module of `style` (the count formula of the registry).
std::int64_t attention_parameter_count(std::int64_t n_embd, AttentionStyle style);

}  // namespace claimcheck::models::charlm
