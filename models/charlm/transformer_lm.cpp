// CharLM, NanoTransformer and MiniGPT (see transformer_lm.h): model.py, model_nanotransformer.py
// and model_minigpt.py of pankajtakawale/llm-reproducibility-activations.
#include "models/charlm/transformer_lm.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

namespace claimcheck::models::charlm {

AttentionStyle attention_style(Architecture arch) {
  switch (arch) {
    case Architecture::kCharLm:
      return AttentionStyle::kCharLm;
    case Architecture::kNanoTransformer:
      return AttentionStyle::kNano;
    case Architecture::kMiniGpt:
      return AttentionStyle::kTorchMha;
    default:
      throw std::logic_error(type_name(arch) + " is not a transformer");
  }
}

namespace {

torch::nn::LayerNorm layer_norm(std::int64_t n_embd) {
  // nn.LayerNorm(C): eps 1e-5, weight 1, bias 0 (no random draw).
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({n_embd}));
}

}  // namespace

TransformerBlockImpl::TransformerBlockImpl(const FamilyOptions& o, AttentionStyle style,
                                           at::Generator& init) {
  ln1 = register_module("ln1", layer_norm(o.n_embd));
  attn = register_module("attn", CausalSelfAttention(o.n_embd, o.n_head, style, init));
  ln2 = register_module("ln2", layer_norm(o.n_embd));
  ffn = register_module(style == AttentionStyle::kCharLm ? "ffn" : "mlp",
                        Ffn(o.n_embd, o.ffn_hidden, o.activation, FfnDropout::kOutput, init));
}

torch::Tensor TransformerBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& future,
                                            const ForwardDropout& drop) {
  torch::Tensor y = x + attn(ln1(x), future, drop);  // (B, T, C)
  return y + ffn(ln2(y), drop);
}

TransformerLmImpl::TransformerLmImpl(const FamilyOptions& o, std::int64_t vocab, std::int64_t n_ctx,
                                     at::Generator& init)
    : options(o), context(n_ctx) {
  const AttentionStyle style = attention_style(o.arch);
  tok_emb = register_module("tok_emb", Embedding(vocab, o.n_embd, Init::normal(kInitStd, init)));
  // CharLM: nn.Embedding(block_size, C), N(0, 0.02²). NanoTransformer / MiniGPT:
  // nn.Parameter(torch.zeros(1, block_size, C)), left at zero by their _init_weights.
  pos_emb =
      register_parameter("pos_emb", style == AttentionStyle::kCharLm
                                        ? Init::normal(kInitStd, init).draw({context, o.n_embd})
                                        : torch::zeros({context, o.n_embd}));
  blocks = register_module("blocks", torch::nn::ModuleList());
  for (std::int64_t i = 0; i < o.n_layer; ++i)
    blocks->push_back(TransformerBlock(o, style, init));
  ln_f = register_module("ln_f", layer_norm(o.n_embd));
  head =
      register_module("head", Linear(o.n_embd, vocab, Bias::kNone, Init::normal(kInitStd, init)));
  future = register_buffer("future", causal_future_mask(context));
  embeddings_ = {tok_emb->weight, pos_emb};
  head_ = {head->weight};
}

torch::Tensor TransformerLmImpl::forward(const torch::Tensor& idx) {
  check_tokens(idx, context, "transformer language model");
  const std::int64_t T = idx.size(1);
  const ForwardDropout drop = dropout_for(options.dropout);
  torch::Tensor x = tok_emb(idx) + pos_emb.slice(0, 0, T);  // (B, T, C)
  if (options.arch == Architecture::kMiniGpt) x = drop(x);  // MiniGPT's self.drop
  for (const auto& block : *blocks)
    x = block->as<TransformerBlock>()->forward(x, future, drop);
  return head(ln_f(x));  // (B, T, V)
}

}  // namespace claimcheck::models::charlm
