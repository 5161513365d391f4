// The autoresearch GPT of claim swiglu-vs-relu2-matched (CLAIMS.md §2), after karpathy/autoresearch
// train.py (GPT, CausalSelfAttention, MLP, init_weights, _precompute_rotary_embeddings):
//   x = norm(wte(idx)); per block: x += attn(norm(x)); x += mlp(norm(x)); logits = 15·tanh(
//   lm_head(norm(x)) / 15). norm = F.rms_norm without weight (eps = machine epsilon of the dtype,
//   F.rms_norm's default). Attention: bias-free c_q, c_k, c_v, c_proj; RoPE (base 10000, the
//   reference's half-split form) on q and k, then RMSNorm of q and k per head (QK-norm); causal
//   softmax with scale 1/√hs. Untied lm_head.
// MLP ("mlp", an activation of models/activations.h; the claim's four are relu2, swiglu, gelu and
// silu): elementwise f in the 4x MLP c_proj(f(c_fc x)) (relu2 = relu(·)², the default; gelu is
// the exact erf form), a GLU as c_proj(f(c_gate x) ⊙ c_up x) with hidden int(8d/3) rounded up to a
// multiple of 64 (swiglu: f = silu). The reference's "silu" is the registry's swish, and is
// spelled silu here (the committed specs say silu); swiglu-matched, a sizing rule of the char-LM
// family's FFN, is refused.
// Init (drawn from `init` in this order): wte N(0, 1); lm_head N(0, 0.001²); per block c_q, c_k,
// c_v U(−s, s), attn c_proj 0, c_fc (a GLU: c_gate then c_up) U(−s, s), mlp c_proj 0, with
// s = √3·n_embd^(−½) for every matrix (the reference uses n_embd, the fan-in of c_q/c_k/c_v/c_fc).
// Deliberately not here (optional per CLAIMS.md §2): value embeddings and their gates, the
// per-layer residual scalars resid_lambdas / x0_lambdas (equivalent to fixing them at 1 and 0),
// sliding-window attention, bf16 embeddings and bf16 RoPE tables (we keep float32).
#pragma once

#include <torch/nn/modules/container/modulelist.h>

#include <cstdint>
#include <string>
#include <vector>

#include "models/activations.h"
#include "models/layers.h"
#include "models/model.h"
#include "models/registry.h"

namespace claimcheck::models {

/// Options of type "gpt"; defaults are the claim's base model (depth 8, 4 heads of 128).
struct GptOptions {
  std::int64_t n_layer = 8;
  std::int64_t n_head = 4;
  std::int64_t n_embd = 512;
  Activation mlp = Activation::kRelu2;
};

/// Parses and checks "gpt" options (n_embd divisible by n_head, even head size for RoPE).
GptOptions parse_gpt_options(const nlohmann::json& options);

/// SwiGLU hidden width: int(8d/3) rounded up to a multiple of 64 (1408 at d = 512).
std::int64_t swiglu_hidden(std::int64_t n_embd);

/// F.rms_norm(x, (C,)) without weight: x / √(mean(x², -1) + eps), eps = finfo(dtype).eps.
torch::Tensor rms_norm(const torch::Tensor& x);

/// The reference's rotary embedding on x (B, T, nh, hs) with cos, sin (1, T, 1, hs/2):
/// halves x1, x2 -> (x1·cos + x2·sin, x2·cos − x1·sin).
torch::Tensor apply_rotary(const torch::Tensor& x, const torch::Tensor& cos,
                           const torch::Tensor& sin);

/// Causal self-attention with RoPE and QK-norm: (B, T, C) -> (B, T, C).
struct GptAttentionImpl : torch::nn::Module {
  GptAttentionImpl(const GptOptions& o, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& future);
  std::int64_t n_head;
  Linear c_q{nullptr}, c_k{nullptr}, c_v{nullptr}, c_proj{nullptr};
};
TORCH_MODULE(GptAttention);

/// The MLP: (B, T, C) -> (B, T, C). c_up and c_gate exist for a GLU only, c_fc for the others.
struct GptMlpImpl : torch::nn::Module {
  GptMlpImpl(const GptOptions& o, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x);
  Activation activation;
  Linear c_fc{nullptr}, c_gate{nullptr}, c_up{nullptr}, c_proj{nullptr};
};
TORCH_MODULE(GptMlp);

/// Pre-norm block: x + attn(norm(x)), then + mlp(norm(x)).
struct GptBlockImpl : torch::nn::Module {
  GptBlockImpl(const GptOptions& o, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& cos, const torch::Tensor& sin,
                        const torch::Tensor& future);
  GptAttention attn{nullptr};
  GptMlp mlp{nullptr};
};
TORCH_MODULE(GptBlock);

/// The language model: (B, T) int64, T <= context -> (B, T, vocab) soft-capped logits.
struct GptImpl : Model {
  GptImpl(const GptOptions& o, std::int64_t vocab, std::int64_t context, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& idx) override;
  /// matrices: block weights; embeddings: wte; head: lm_head; vectors: none.
  ParameterGroups parameter_groups() override;

  GptOptions options;
  Embedding wte{nullptr};
  torch::nn::ModuleList h;
  Linear lm_head{nullptr};
  torch::Tensor cos, sin;  // (context, hs/2) RoPE tables, float32 buffers
  torch::Tensor future;    // (context, context) causal mask buffer
};

/// The registry entry "gpt".
std::vector<ModelType> gpt_model_types();

}  // namespace claimcheck::models
