// ConvLM of the activation-reproducibility source (pankajtakawale/llm-reproducibility-activations,
// model_convlm.py), a stack of dilated residual conv blocks, with the source's two flaws fixed:
//   * causal: each conv pads (k−1)·dilation zeros on the left only, so position t sees tokens <= t.
//     The source pads (k−1)·dilation/2 on both sides, so every block sees the future.
//   * the activation is the one asked for (the source's _get_activation falls back to nn.ReLU()
//     because train.py passes it an activation module, not a name).
//   x = drop(embedding(idx)); per block x += act(norm(conv(x))); logits = fc_out(x).
// Blocks: n_layer (source: 6), kernel_size (source: 3), dilations 1, 2, 4, ..., then a last block
// of dilation 1 (source: 1, 2, 4, 8, 16, 1; receptive field 1 + (k−1)·Σdilation = 65 tokens).
// No position embedding (as the source). Gated activations ("swiglu") make the conv output 2C
// channels, normalised over 2C, then silu(gate)·value back to C: the source-style doubled
// projection applied to a conv. "swiglu-matched" is not offered: there is no hidden width to
// shrink. Init (from `init`, in this order): embedding N(0, 0.02²), per block conv weight N(0,
// 0.02²) and bias 0 (the source's _init_weights covers nn.Conv1d), norm 1/0; fc_out N(0, 0.02²),
// bias 0. Shapes: B batch, T time, C channels, V vocab, k kernel size.
#pragma once

#include <ATen/core/Generator.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/normalization.h>

#include <cstdint>

#include "models/charlm/layers.h"
#include "models/charlm/options.h"

namespace claimcheck::models::charlm {

/// nn.Conv1d(in, out, k, dilation) with (k−1)·dilation zeros padded on the left only:
/// (B, in, T) -> (B, out, T), output t a function of inputs <= t.
struct CausalConv1dImpl : torch::nn::Module {
  CausalConv1dImpl(std::int64_t in, std::int64_t out, std::int64_t kernel_size,
                   std::int64_t dilation, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x);
  std::int64_t dilation;
  torch::Tensor weight;  // (out, in, k)
  torch::Tensor bias;    // (out)
};
TORCH_MODULE(CausalConv1d);

/// x + act(norm(conv(x))): (B, C, T) -> (B, C, T). conv has G·C outputs, G = 2 when gated.
struct CausalConvBlockImpl : torch::nn::Module {
  CausalConvBlockImpl(std::int64_t channels, std::int64_t kernel_size, std::int64_t dilation,
                      Activation activation, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x);
  Activation activation;
  CausalConv1d conv{nullptr};
  torch::nn::LayerNorm norm{nullptr};
};
TORCH_MODULE(CausalConvBlock);

/// convlm: (B, T) int64, T <= context -> (B, T, V) logits.
struct ConvLmImpl : FamilyModel {
  ConvLmImpl(const FamilyOptions& o, std::int64_t vocab, std::int64_t context, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& idx) override;

  FamilyOptions options;
  std::int64_t context;
  Embedding embedding{nullptr};
  torch::nn::ModuleList conv_blocks;
  Linear fc_out{nullptr};
};

}  // namespace claimcheck::models::charlm
