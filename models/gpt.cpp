#include "models/gpt.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "models/options.h"

namespace claimcheck::models {
namespace {

constexpr double kSoftcap = 15.0;      // train.py: softcap = 15
constexpr double kRopeBase = 10000.0;  // train.py: _precompute_rotary_embeddings(base=10000)
constexpr double kHeadStd = 0.001;     // train.py: lm_head N(0, 0.001²)

// train.py init_weights: s = 3**0.5 * n_embd**-0.5 (uniform with the std of N(0, 1/n_embd)).
double uniform_bound(std::int64_t n_embd) {
  return std::sqrt(3.0 / static_cast<double>(n_embd));
}

Linear uniform_linear(std::int64_t in, std::int64_t out, double s, at::Generator& init) {
  return Linear(in, out, Bias::kNone, Init::uniform(s, init));
}

Linear zero_linear(std::int64_t in, std::int64_t out) {
  return Linear(in, out, Bias::kNone, Init::zeros());
}

// F.rms_norm's default eps: torch.finfo(x.dtype).eps.
double machine_eps(torch::ScalarType t) {
  switch (t) {
    case torch::kDouble:
      return std::numeric_limits<double>::epsilon();
    case torch::kHalf:
      return 0.0009765625;  // 2^-10
    case torch::kBFloat16:
      return 0.0078125;  // 2^-7
    default:
      return std::numeric_limits<float>::epsilon();
  }
}

// The claim's four first (relu2 is the default), then the rest of the registry; swish is
// spelled "silu", as in the reference and the committed specs.
Activation mlp_activation(OptionReader& r, const nlohmann::json& options) {
  std::vector<std::string> valid = {"relu2", "swiglu", "gelu", "silu"};
  for (const auto& name : activation_names_except_matched()) {
    if (name != to_string(Activation::kSwish) &&
        std::find(valid.begin(), valid.end(), name) == valid.end()) {
      valid.push_back(name);
    }
  }
  if (options.is_object() && options.value("mlp", nlohmann::json()) == "swiglu-matched") {
    r.fail("mlp",
           "'swiglu-matched' sizes the char-LM family's FFN; a GLU here has hidden "
           "int(8d/3) rounded up to 64 (use 'swiglu')");
  }
  const std::string name = r.choice("mlp", valid);
  return name == "silu" ? Activation::kSwish : activation_from_name(name);
}

void require_lm_dims(const ModelDims& dims) {
  if (dims.vocab < 1 || dims.context < 1) {
    throw std::invalid_argument(
        "model 'gpt' is a language model: its task must give vocab and context");
  }
}

ParameterCount count(const GptOptions& o, const ModelDims& dims) {
  require_lm_dims(dims);
  const std::int64_t d = o.n_embd;
  const std::int64_t mlp = is_gated(o.mlp) ? 3 * d * swiglu_hidden(d) : 2 * d * (4 * d);
  ParameterCount c;
  c.parts["embedding"] = dims.vocab * d;
  c.parts["attention"] = o.n_layer * 4 * d * d;  // c_q, c_k, c_v, c_proj
  c.parts["mlp"] = o.n_layer * mlp;
  c.parts["norm"] = 0;  // RMSNorm without weight
  c.parts["head"] = d * dims.vocab;
  for (const auto& part : c.parts)
    c.total += part.second;
  return c;
}

}  // namespace

GptOptions parse_gpt_options(const nlohmann::json& options) {
  OptionReader r("gpt", options);
  GptOptions o;
  o.n_layer = r.positive_int("n_layer", o.n_layer);
  o.n_head = r.positive_int("n_head", o.n_head);
  o.n_embd = r.positive_int("n_embd", o.n_embd);
  o.mlp = mlp_activation(r, options);
  r.finish();
  if (o.n_embd % o.n_head != 0) r.fail("n_embd", "must be divisible by n_head");
  if ((o.n_embd / o.n_head) % 2 != 0) {
    r.fail("n_embd", "/ n_head (the head size) must be even for the rotary embedding");
  }
  return o;
}

std::int64_t swiglu_hidden(std::int64_t n_embd) {
  const std::int64_t h = 8 * n_embd / 3;  // int(8d/3)
  return (h + 63) / 64 * 64;
}

torch::Tensor rms_norm(const torch::Tensor& x) {
  return x * torch::rsqrt(x.square().mean(-1, /*keepdim=*/true) + machine_eps(x.scalar_type()));
}

torch::Tensor apply_rotary(const torch::Tensor& x, const torch::Tensor& cos,
                           const torch::Tensor& sin) {
  const std::int64_t half = x.size(3) / 2;
  const torch::Tensor x1 = x.narrow(3, 0, half);
  const torch::Tensor x2 = x.narrow(3, half, half);
  return torch::cat({x1 * cos + x2 * sin, x2 * cos - x1 * sin}, 3);  // (B, T, nh, hs)
}

GptAttentionImpl::GptAttentionImpl(const GptOptions& o, at::Generator& init) : n_head(o.n_head) {
  const std::int64_t d = o.n_embd;
  const double s = uniform_bound(d);
  c_q = register_module("c_q", uniform_linear(d, d, s, init));
  c_k = register_module("c_k", uniform_linear(d, d, s, init));
  c_v = register_module("c_v", uniform_linear(d, d, s, init));
  c_proj = register_module("c_proj", zero_linear(d, d));
}

torch::Tensor GptAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& cos,
                                        const torch::Tensor& sin, const torch::Tensor& future) {
  const std::int64_t B = x.size(0), T = x.size(1), C = x.size(2), hs = C / n_head;
  torch::Tensor q = c_q(x).view({B, T, n_head, hs});  // (B, T, nh, hs)
  torch::Tensor k = c_k(x).view({B, T, n_head, hs});
  const torch::Tensor v = c_v(x).view({B, T, n_head, hs}).transpose(1, 2);  // (B, nh, T, hs)
  // As train.py: rotary first, then QK-norm; both per head.
  q = rms_norm(apply_rotary(q, cos, sin)).transpose(1, 2);  // (B, nh, T, hs)
  k = rms_norm(apply_rotary(k, cos, sin)).transpose(1, 2);
  const torch::Tensor y = causal_attention_weights(q, k, future).matmul(v);  // (B, nh, T, hs)
  return c_proj(y.transpose(1, 2).reshape({B, T, C}));
}

GptMlpImpl::GptMlpImpl(const GptOptions& o, at::Generator& init) : activation(o.mlp) {
  const std::int64_t d = o.n_embd;
  const double s = uniform_bound(d);
  if (is_gated(activation)) {
    const std::int64_t hidden = swiglu_hidden(d);
    c_gate = register_module("c_gate", uniform_linear(d, hidden, s, init));
    c_up = register_module("c_up", uniform_linear(d, hidden, s, init));
    c_proj = register_module("c_proj", zero_linear(hidden, d));
  } else {
    c_fc = register_module("c_fc", uniform_linear(d, 4 * d, s, init));
    c_proj = register_module("c_proj", zero_linear(4 * d, d));
  }
}

torch::Tensor GptMlpImpl::forward(const torch::Tensor& x) {
  if (is_gated(activation)) return c_proj(gated(activation, c_gate(x), c_up(x)));
  return c_proj(activate(activation, c_fc(x)));
}

GptBlockImpl::GptBlockImpl(const GptOptions& o, at::Generator& init) {
  attn = register_module("attn", GptAttention(o, init));
  mlp = register_module("mlp", GptMlp(o, init));
}

torch::Tensor GptBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& cos,
                                    const torch::Tensor& sin, const torch::Tensor& future) {
  const torch::Tensor h1 = x + attn(rms_norm(x), cos, sin, future);
  return h1 + mlp(rms_norm(h1));
}

GptImpl::GptImpl(const GptOptions& o, std::int64_t vocab, std::int64_t context, at::Generator& init)
    : options(o) {
  const std::int64_t hs = o.n_embd / o.n_head;
  // Draw order as train.py init_weights: wte, lm_head, then the blocks in order.
  wte = register_module("wte", Embedding(vocab, o.n_embd, Init::normal(1.0, init)));
  const Linear head(o.n_embd, vocab, Bias::kNone, Init::normal(kHeadStd, init));
  for (std::int64_t i = 0; i < o.n_layer; ++i)
    h->push_back(GptBlock(o, init));
  register_module("h", h);
  lm_head = register_module("lm_head", head);
  // RoPE tables as train.py: inv_freq = 1 / base^(arange(0, hs, 2)/hs), freqs = outer(t, inv_freq).
  const torch::Tensor inv_freq =
      1.0 / torch::pow(kRopeBase, torch::arange(0, hs, 2, torch::kFloat) / static_cast<double>(hs));
  const torch::Tensor freqs = torch::outer(torch::arange(context, torch::kFloat), inv_freq);
  cos = register_buffer("cos", freqs.cos());  // (context, hs/2)
  sin = register_buffer("sin", freqs.sin());
  future = register_buffer("future", causal_future_mask(context));
}

torch::Tensor GptImpl::forward(const torch::Tensor& idx) {
  const std::int64_t T = idx.size(1);
  if (T > future.size(0)) {
    throw std::invalid_argument("gpt: sequence length " + std::to_string(T) +
                                " exceeds the model's context " + std::to_string(future.size(0)));
  }
  const torch::Tensor c = cos.slice(0, 0, T).unsqueeze(1).unsqueeze(0);  // (1, T, 1, hs/2)
  const torch::Tensor s = sin.slice(0, 0, T).unsqueeze(1).unsqueeze(0);
  torch::Tensor x = rms_norm(wte(idx));  // (B, T, C)
  for (const auto& block : *h)
    x = block->as<GptBlockImpl>()->forward(x, c, s, future);
  const torch::Tensor logits = lm_head(rms_norm(x));  // (B, T, vocab)
  return kSoftcap * torch::tanh(logits / kSoftcap);
}

ParameterGroups GptImpl::parameter_groups() {
  ParameterGroups g;
  g.embeddings.push_back(wte->weight);
  g.head.push_back(lm_head->weight);
  for (const auto& p : h->parameters())
    g.matrices.push_back(p);
  return g;
}

std::vector<ModelType> gpt_model_types() {
  ModelType t;
  t.name = "gpt";
  t.family = ModelFamily::kLanguageModel;
  t.validate = [](const nlohmann::json& options) { parse_gpt_options(options); };
  t.count = [](const nlohmann::json& options, const ModelDims& dims) {
    return count(parse_gpt_options(options), dims);
  };
  t.build = [](const nlohmann::json& options, const ModelDims& dims,
               at::Generator& init) -> std::shared_ptr<Model> {
    const GptOptions o = parse_gpt_options(options);
    require_lm_dims(dims);
    return std::make_shared<GptImpl>(o, dims.vocab, dims.context, init);
  };
  return {t};
}

}  // namespace claimcheck::models
