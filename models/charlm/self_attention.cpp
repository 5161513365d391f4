// Causal self-attention in the source's three forms (see self_attention.h): model.py,
// model_nanotransformer.py and nn.MultiheadAttention in model_minigpt.py / model_hybridlm.py of
// pankajtakawale/llm-reproducibility-activations.
#include "models/charlm/self_attention.h"

#include <torch/torch.h>

#include <stdexcept>

namespace claimcheck::models::charlm {

CausalSelfAttentionImpl::CausalSelfAttentionImpl(std::int64_t n_embd, std::int64_t heads,
                                                 AttentionStyle attention_style,
                                                 at::Generator& init)
    : n_head(heads), style(attention_style) {
  if (n_embd % n_head != 0) throw std::invalid_argument("attention: n_embd % n_head != 0");
  const std::int64_t C = n_embd;
  // Drawn in the source's construction order: key, query, value, proj (model.py) / qkv, proj.
  switch (style) {
    case AttentionStyle::kCharLm:
      key = register_module("key", Linear(C, C, Bias::kLearned, Init::normal(kInitStd, init)));
      query = register_module("query", Linear(C, C, Bias::kLearned, Init::normal(kInitStd, init)));
      value = register_module("value", Linear(C, C, Bias::kLearned, Init::normal(kInitStd, init)));
      proj = register_module("proj", Linear(C, C, Bias::kLearned, Init::normal(kInitStd, init)));
      break;
    case AttentionStyle::kNano:
      qkv = register_module("qkv", Linear(C, 3 * C, Bias::kNone, Init::normal(kInitStd, init)));
      proj = register_module("proj", Linear(C, C, Bias::kNone, Init::normal(kInitStd, init)));
      break;
    case AttentionStyle::kTorchMha:
      qkv =
          register_module("in_proj", Linear(C, 3 * C, Bias::kLearned, Init::xavier_uniform(init)));
      proj =
          register_module("out_proj", Linear(C, C, Bias::kLearned, Init::normal(kInitStd, init)));
      break;
  }
}

torch::Tensor CausalSelfAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& future,
                                               const ForwardDropout& drop) {
  const std::int64_t B = x.size(0), T = x.size(1), C = x.size(2), hs = C / n_head;
  torch::Tensor q, k, v;  // (B, T, C) each
  if (style == AttentionStyle::kCharLm) {
    q = query(x);
    k = key(x);
    v = value(x);
  } else {
    const auto parts = qkv(x).split(C, /*dim=*/2);  // (B, T, 3C) -> 3 x (B, T, C)
    q = parts[0];
    k = parts[1];
    v = parts[2];
  }
  q = q.view({B, T, n_head, hs}).transpose(1, 2);  // (B, nh, T, hs)
  k = k.view({B, T, n_head, hs}).transpose(1, 2);
  v = v.view({B, T, n_head, hs}).transpose(1, 2);

  // The source scales the scores, not q (AttentionScale::kScores).
  torch::Tensor att = causal_attention_weights(q, k, future, AttentionScale::kScores);
  if (style != AttentionStyle::kNano) att = drop(att);  // attn_dropout / MHA's dropout

  torch::Tensor y = att.matmul(v);                           // (B, nh, T, hs)
  y = proj(y.transpose(1, 2).contiguous().view({B, T, C}));  // (B, T, C)
  return style == AttentionStyle::kCharLm ? drop(y) : y;     // resid_dropout (model.py only)
}

std::int64_t attention_parameter_count(std::int64_t n_embd, AttentionStyle style) {
  const std::int64_t C = n_embd;
  // Four C x C matrices (q, k, v, proj), with a bias each except in the bias-free NanoAttention.
  return style == AttentionStyle::kNano ? 4 * C * C : 4 * C * C + 4 * C;
}

}  // namespace claimcheck::models::charlm
