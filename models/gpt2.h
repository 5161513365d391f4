// The GPT-2 of claim symmetry-breaking (CLAIMS.md §3; Silverstein, Kunin, Shyam, arXiv 2601.22257;
// code evasilverstein/symmetry-breaking-files, paper_code/ecd_symbreak/model/{gpt,block,attention,
// mlp}.py and gelu_ablation/code/train_gpt_gelu_ablation.py): pre-LN blocks x += attn(ln_1(x)),
// x += mlp(ln_2(x)); learned position embedding; Linear layers with biases; final ln_f; head tied
// to wte. Names follow nanoGPT (ln_1, attn, ln_2; the source calls them ln1, sa, ln2).
// "mlp": gelu = c_proj(gelu(c_fc x)) (exact erf; 4x); prelu-asym = the source's AsymmetricMLPPreLU,
//   PReLU with a learnable negative slope per hidden feature ("act.weight"), init N(0.2, 1.0²).
// "attention": symmetric = plain causal attention; bqbv = FullSymmetryBrokenAttention with bK and
//   bV. What the source does (attention.py _resample_biases, identical in the gelu_ablation copy):
//   at every *training* forward each attention layer resamples its own biases, with three
//   independent N(0, 1) vectors of size d_head — ε_Q, ε_K, ε_V, not one shared ε — each expanded
//   to all heads: bQ = 0.5 + linspace(0.05, 0.15, hs)⊙ε_Q, bK = 0.3 + linspace(0.12, 0.08, hs)⊙ε_K,
//   bV = mean_V + 0.05·ε_V, added to q, k, v after the head split; unlearned. We draw the same
//   thing as one (n_layer, 3, hs) tensor per training forward from generator() (rows ε_Q, ε_K,
//   ε_V of layer i), before any dropout draw. Evaluation differs from the source on purpose: the
//   source keeps the last training draw in its buffers (zeros before any training step); we use
//   the means (ε = 0), which does not depend on the training history.
// Init (from `init`, in this order): wte, wpe N(0, 0.02²); per block c_attn.weight N(0, 0.02²),
// attn.c_proj.weight N(0, σ_r²), c_fc.weight N(0, 0.02²), [act.weight N(0.2, 1)], mlp.c_proj.weight
// N(0, σ_r²), σ_r = 0.02/√(2·n_layer) (source: NANOGPT_SCALE_INIT); biases 0, LayerNorm 1 and 0.
// "dropout" (not in the source, default 0) follows nanoGPT: after the embedding sum, on the
// attention weights, after each c_proj; masks come from generator().
#pragma once

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/normalization.h>

#include <cstdint>
#include <vector>

#include "models/layers.h"
#include "models/model.h"
#include "models/registry.h"

namespace claimcheck::models {

enum class Gpt2MlpKind { kGelu, kPreluAsym };
enum class Gpt2AttentionKind { kSymmetric, kBqBv };

/// Options of type "gpt2"; defaults are GPT-2 small as in the paper.
struct Gpt2Options {
  std::int64_t n_layer = 12;
  std::int64_t n_head = 12;
  std::int64_t n_embd = 768;
  Gpt2MlpKind mlp = Gpt2MlpKind::kGelu;
  Gpt2AttentionKind attention = Gpt2AttentionKind::kSymmetric;
  double mean_v = 0.0;   ///< mean of bV (0.0 in the GELU ablation, 0.5 in the paper runs)
  double dropout = 0.0;  ///< in [0, 1)
};

/// Parses and checks "gpt2" options.
Gpt2Options parse_gpt2_options(const nlohmann::json& options);

/// Biases added after the head split, each (hs) and shared by all heads; undefined = none.
struct AttentionBiases {
  torch::Tensor q, k, v;
};

/// Dropout as the model applies it: active only when `generator` is set (training, p > 0).
struct DropoutContext {
  double p = 0.0;
  at::Generator* generator = nullptr;
  torch::Tensor apply(const torch::Tensor& x) const;
};

/// Causal self-attention with fused c_attn (d -> 3d) and c_proj, both with bias.
struct Gpt2AttentionImpl : torch::nn::Module {
  Gpt2AttentionImpl(const Gpt2Options& o, at::Generator& init);
  /// (B, T, C) -> (B, T, C); `future` = causal_future_mask(context >= T).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& future,
                        const AttentionBiases& biases, const DropoutContext& drop = {});
  std::int64_t n_head;
  Linear c_attn{nullptr}, c_proj{nullptr};
};
TORCH_MODULE(Gpt2Attention);

/// PReLU with one learnable negative slope per feature of the last dim: x > 0 ? x : a·x.
struct PreluImpl : torch::nn::Module {
  PreluImpl(std::int64_t features, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor weight;  // (features), init N(0.2, 1.0²)
};
TORCH_MODULE(Prelu);

/// c_proj(act(c_fc x)), act = exact GELU or Prelu; (B, T, C) -> (B, T, C).
struct Gpt2MlpImpl : torch::nn::Module {
  Gpt2MlpImpl(const Gpt2Options& o, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x);
  Linear c_fc{nullptr}, c_proj{nullptr};
  Prelu act{nullptr};  // prelu-asym only
};
TORCH_MODULE(Gpt2Mlp);

/// Pre-LN block.
struct Gpt2BlockImpl : torch::nn::Module {
  Gpt2BlockImpl(const Gpt2Options& o, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& future,
                        const AttentionBiases& biases, const DropoutContext& drop);
  torch::nn::LayerNorm ln_1{nullptr}, ln_2{nullptr};
  Gpt2Attention attn{nullptr};
  Gpt2Mlp mlp{nullptr};
};
TORCH_MODULE(Gpt2Block);

/// The language model: (B, T) int64, T <= context -> (B, T, vocab) logits (head tied to wte).
struct Gpt2Impl : Model {
  Gpt2Impl(const Gpt2Options& o, std::int64_t vocab, std::int64_t context, at::Generator& init);
  /// bqbv: ε ~ N(0, 1) of shape (n_layer, 3, hs) from generator() in training mode, 0 in eval.
  torch::Tensor forward(const torch::Tensor& idx) override;
  /// The forward pass with a given ε (n_layer, 3, hs); ignored (may be undefined) when symmetric.
  torch::Tensor forward_with_noise(const torch::Tensor& idx, const torch::Tensor& eps);
  /// bqbv biases of one layer from its ε (3, hs): rows ε_Q, ε_K, ε_V.
  AttentionBiases attention_biases(const torch::Tensor& eps) const;
  /// matrices: 2-D block weights; embeddings: wte (also the head), wpe; vectors: the rest.
  ParameterGroups parameter_groups() override;

  Gpt2Options options;
  Embedding wte{nullptr}, wpe{nullptr};
  torch::nn::ModuleList h;
  torch::nn::LayerNorm ln_f{nullptr};
  torch::Tensor future;            // (context, context) causal mask buffer
  torch::Tensor sigma_q, sigma_k;  // (hs) buffers: linspace(0.05, 0.15), linspace(0.12, 0.08)
};

/// The registry entry "gpt2".
std::vector<ModelType> gpt2_model_types();

}  // namespace claimcheck::models
