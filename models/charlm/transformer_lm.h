// The three pre-LN transformer language models of the activation-reproducibility source
// (pankajtakawale/llm-reproducibility-activations), with the activation really wired into the FFN
// (in the source only CharLM gets it: model_nanotransformer.py and model_minigpt.py receive the
// activation *module* from train.py's run_experiment, compare it with strings in _get_activation,
// and fall through to nn.ReLU()).
//   x = tok_emb(idx) + pos_emb[:T]; per block x += attn(ln1(x)); x += ffn(ln2(x));
//   logits = head(ln_f(x)), head bias-free and untied. LayerNorm eps 1e-5, gain 1, bias 0.
//   charlm            model.py CharLM: AttentionStyle::kCharLm; pos_emb an nn.Embedding,
//   N(0,0.02²);
//                     FFN dropout after c_proj. 429,824 parameters at V 65, C 128, 2 layers, T 128.
//   nano-transformer  model_nanotransformer.py: AttentionStyle::kNano; pos_emb a zero-initialised
//                     nn.Parameter (its _init_weights never touches it); no dropout anywhere.
//   minigpt           model_minigpt.py: nn.MultiheadAttention (AttentionStyle::kTorchMha); pos_emb
//                     zeros; dropout on tok+pos, on attention weights and after the FFN.
//                     10,795,776 parameters at V 65, C 384, 6 layers, T 256.
// Init (from `init`, in this order): tok_emb N(0, 0.02²), pos_emb (above), per block ln1, attn,
// ln2, ffn (c_fc, c_proj), then ln_f and head N(0, 0.02²); biases 0.
// Shapes: B batch, T time, C channels, V vocab.
#pragma once

#include <ATen/core/Generator.h>
#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/normalization.h>

#include <cstdint>

#include "models/charlm/layers.h"
#include "models/charlm/options.h"
#include "models/charlm/self_attention.h"

namespace claimcheck::models::charlm {

/// x + attn(ln1(x)), then x + ffn(ln2(x)): (B, T, C) -> (B, T, C).
struct TransformerBlockImpl : torch::nn::Module {
  TransformerBlockImpl(const FamilyOptions& o, AttentionStyle style, at::Generator& init);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& future,
                        const ForwardDropout& drop);
  torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
  CausalSelfAttention attn{nullptr};
  Ffn ffn{nullptr};  // "ffn" in CharLM, "mlp" in the other two, as in the source
};
TORCH_MODULE(TransformerBlock);

/// charlm / nano-transformer / minigpt: (B, T) int64, T <= context -> (B, T, V) logits.
struct TransformerLmImpl : FamilyModel {
  TransformerLmImpl(const FamilyOptions& o, std::int64_t vocab, std::int64_t context,
                    at::Generator& init);
  torch::Tensor forward(const torch::Tensor& idx) override;

  FamilyOptions options;
  std::int64_t context;
  Embedding tok_emb{nullptr};
  torch::Tensor pos_emb;  // (context, C)
  torch::nn::ModuleList blocks;
  torch::nn::LayerNorm ln_f{nullptr};
  Linear head{nullptr};
  torch::Tensor future;  // (context, context) causal mask buffer
};

/// The attention module of a transformer architecture.
AttentionStyle attention_style(Architecture arch);

}  // namespace claimcheck::models::charlm
