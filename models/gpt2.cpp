#include "models/gpt2.h"

#include <torch/torch.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/activations.h"
#include "models/options.h"

namespace claimcheck::models {
namespace {

constexpr double kInitStd = 0.02;   // gpt.py _init_weights: normal_(std=0.02)
constexpr double kSlopeMean = 0.2;  // mlp.py RandomPReLU1d(init_slope=0.2, slope_std=1.0)
constexpr double kSlopeStd = 1.0;
constexpr double kMeanQ = 0.5;  // attention.py FullSymmetryBrokenAttention defaults
constexpr double kMeanK = 0.3;
constexpr double kStdV = 0.05;
constexpr double kLayerNormEps = 1e-5;  // nn.LayerNorm default

Linear normal_linear(std::int64_t in, std::int64_t out, double std, at::Generator& init) {
  return Linear(in, out, Bias::kLearned, Init::normal(std, init));  // bias starts at 0
}

// Residual projections: std *= (2 * n_layer) ** -0.5 (NANOGPT_SCALE_INIT).
double residual_std(const Gpt2Options& o) {
  return kInitStd / std::sqrt(2.0 * static_cast<double>(o.n_layer));
}

torch::nn::LayerNorm layer_norm(std::int64_t d) {
  return torch::nn::LayerNorm(torch::nn::LayerNormOptions({d}).eps(kLayerNormEps));
}

void require_lm_dims(const ModelDims& dims) {
  if (dims.vocab < 1 || dims.context < 1) {
    throw std::invalid_argument(
        "model 'gpt2' is a language model: its task must give vocab and context");
  }
}

ParameterCount count(const Gpt2Options& o, const ModelDims& dims) {
  require_lm_dims(dims);
  const std::int64_t d = o.n_embd, L = o.n_layer;
  const std::int64_t slopes = o.mlp == Gpt2MlpKind::kPreluAsym ? 4 * d : 0;
  ParameterCount c;
  c.parts["embedding"] = dims.vocab * d + dims.context * d;  // wte (also the head), wpe
  c.parts["attention"] = L * ((3 * d * d + 3 * d) + (d * d + d));
  c.parts["mlp"] = L * ((4 * d * d + 4 * d) + slopes + (4 * d * d + d));
  c.parts["norm"] = (2 * L + 1) * 2 * d;  // ln_1, ln_2 per block and ln_f: weight + bias
  c.parts["head"] = 0;                    // tied to wte
  for (const auto& part : c.parts)
    c.total += part.second;
  return c;
}

}  // namespace

Gpt2Options parse_gpt2_options(const nlohmann::json& options) {
  OptionReader r("gpt2", options);
  Gpt2Options o;
  o.n_layer = r.positive_int("n_layer", o.n_layer);
  o.n_head = r.positive_int("n_head", o.n_head);
  o.n_embd = r.positive_int("n_embd", o.n_embd);
  o.mlp = r.choice("mlp", {"gelu", "prelu-asym"}) == "gelu" ? Gpt2MlpKind::kGelu
                                                            : Gpt2MlpKind::kPreluAsym;
  o.attention = r.choice("attention", {"symmetric", "bqbv"}) == "symmetric"
                    ? Gpt2AttentionKind::kSymmetric
                    : Gpt2AttentionKind::kBqBv;
  o.mean_v = r.number("mean_v", o.mean_v, -10.0, 10.0);
  o.dropout = r.number("dropout", o.dropout, 0.0, 1.0);
  r.finish();
  if (o.dropout >= 1.0) r.fail("dropout", "must be below 1");
  if (o.n_embd % o.n_head != 0) r.fail("n_embd", "must be divisible by n_head");
  return o;
}

torch::Tensor DropoutContext::apply(const torch::Tensor& x) const {
  return generator == nullptr ? x : dropout(x, p, /*training=*/true, *generator);
}

Gpt2AttentionImpl::Gpt2AttentionImpl(const Gpt2Options& o, at::Generator& init) : n_head(o.n_head) {
  c_attn = register_module("c_attn", normal_linear(o.n_embd, 3 * o.n_embd, kInitStd, init));
  c_proj = register_module("c_proj", normal_linear(o.n_embd, o.n_embd, residual_std(o), init));
}

torch::Tensor Gpt2AttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& future,
                                         const AttentionBiases& biases,
                                         const DropoutContext& drop) {
  const std::int64_t B = x.size(0), T = x.size(1), C = x.size(2), hs = C / n_head;
  const std::vector<torch::Tensor> qkv = c_attn(x).split(C, /*dim=*/2);  // 3 x (B, T, C)
  torch::Tensor q = qkv[0].view({B, T, n_head, hs}).transpose(1, 2);     // (B, nh, T, hs)
  torch::Tensor k = qkv[1].view({B, T, n_head, hs}).transpose(1, 2);
  torch::Tensor v = qkv[2].view({B, T, n_head, hs}).transpose(1, 2);
  // Symmetry-breaking biases (hs) broadcast over batch, heads and time.
  if (biases.q.defined()) q = q + biases.q;
  if (biases.k.defined()) k = k + biases.k;
  if (biases.v.defined()) v = v + biases.v;
  const torch::Tensor att = drop.apply(causal_attention_weights(q, k, future));  // (B, nh, T, T)
  const torch::Tensor y = att.matmul(v).transpose(1, 2).reshape({B, T, C});
  return drop.apply(c_proj(y));
}

PreluImpl::PreluImpl(std::int64_t features, at::Generator& init) {
  weight = register_parameter("weight", Init::normal(kSlopeStd, init, kSlopeMean).draw({features}));
}

torch::Tensor PreluImpl::forward(const torch::Tensor& x) {
  // F.prelu with channels last, without the source's two transposes.
  return torch::where(x > 0, x, x * weight);
}

Gpt2MlpImpl::Gpt2MlpImpl(const Gpt2Options& o, at::Generator& init) {
  const std::int64_t d = o.n_embd;
  c_fc = register_module("c_fc", normal_linear(d, 4 * d, kInitStd, init));
  if (o.mlp == Gpt2MlpKind::kPreluAsym) act = register_module("act", Prelu(4 * d, init));
  c_proj = register_module("c_proj", normal_linear(4 * d, d, residual_std(o), init));
}

torch::Tensor Gpt2MlpImpl::forward(const torch::Tensor& x) {
  const torch::Tensor h = c_fc(x);  // (B, T, 4C)
  return c_proj(act ? act(h) : activate(Activation::kGelu, h));
}

Gpt2BlockImpl::Gpt2BlockImpl(const Gpt2Options& o, at::Generator& init) {
  ln_1 = register_module("ln_1", layer_norm(o.n_embd));
  attn = register_module("attn", Gpt2Attention(o, init));
  ln_2 = register_module("ln_2", layer_norm(o.n_embd));
  mlp = register_module("mlp", Gpt2Mlp(o, init));
}

torch::Tensor Gpt2BlockImpl::forward(const torch::Tensor& x, const torch::Tensor& future,
                                     const AttentionBiases& biases, const DropoutContext& drop) {
  const torch::Tensor h1 = x + attn(ln_1(x), future, biases, drop);
  return h1 + drop.apply(mlp(ln_2(h1)));
}

Gpt2Impl::Gpt2Impl(const Gpt2Options& o, std::int64_t vocab, std::int64_t context,
                   at::Generator& init)
    : options(o) {
  wte = register_module("wte", Embedding(vocab, o.n_embd, Init::normal(kInitStd, init)));
  wpe = register_module("wpe", Embedding(context, o.n_embd, Init::normal(kInitStd, init)));
  for (std::int64_t i = 0; i < o.n_layer; ++i)
    h->push_back(Gpt2Block(o, init));
  register_module("h", h);
  ln_f = register_module("ln_f", layer_norm(o.n_embd));
  const std::int64_t hs = o.n_embd / o.n_head;
  future = register_buffer("future", causal_future_mask(context));
  sigma_q = register_buffer("sigma_q", torch::linspace(0.05, 0.15, hs));
  sigma_k = register_buffer("sigma_k", torch::linspace(0.12, 0.08, hs));
}

AttentionBiases Gpt2Impl::attention_biases(const torch::Tensor& eps) const {
  return {kMeanQ + sigma_q * eps[0], kMeanK + sigma_k * eps[1], options.mean_v + kStdV * eps[2]};
}

torch::Tensor Gpt2Impl::forward(const torch::Tensor& idx) {
  torch::Tensor eps;
  if (options.attention == Gpt2AttentionKind::kBqBv) {
    const std::int64_t hs = options.n_embd / options.n_head;
    const auto opts = wte->weight.options();
    eps = is_training() ? torch::randn({options.n_layer, 3, hs}, generator(), opts)
                        : torch::zeros({options.n_layer, 3, hs}, opts);
  }
  return forward_with_noise(idx, eps);
}

torch::Tensor Gpt2Impl::forward_with_noise(const torch::Tensor& idx, const torch::Tensor& eps) {
  const std::int64_t T = idx.size(1);
  if (T > future.size(0)) {
    throw std::invalid_argument("gpt2: sequence length " + std::to_string(T) +
                                " exceeds the model's context " + std::to_string(future.size(0)));
  }
  const bool bqbv = options.attention == Gpt2AttentionKind::kBqBv;
  if (bqbv && !(eps.defined() && eps.dim() == 3 && eps.size(0) == options.n_layer &&
                eps.size(1) == 3 && eps.size(2) == options.n_embd / options.n_head)) {
    throw std::invalid_argument("gpt2: bqbv needs eps of shape (n_layer, 3, head size)");
  }
  const DropoutContext drop{options.dropout,
                            is_training() && options.dropout > 0.0 ? &generator() : nullptr};
  const torch::Tensor pos = torch::arange(T, idx.options());
  torch::Tensor x = drop.apply(wte(idx) + wpe(pos));  // (B, T, C) + (T, C)
  for (std::size_t i = 0; i < h->size(); ++i) {
    const AttentionBiases biases =
        bqbv ? attention_biases(eps[static_cast<std::int64_t>(i)]) : AttentionBiases{};
    x = h[i]->as<Gpt2BlockImpl>()->forward(x, future, biases, drop);
  }
  return torch::linear(ln_f(x), wte->weight);  // (B, T, vocab), tied head
}

ParameterGroups Gpt2Impl::parameter_groups() {
  ParameterGroups g;
  g.embeddings = {wte->weight, wpe->weight};
  for (const auto& p : h->parameters())
    (p.dim() == 2 ? g.matrices : g.vectors).push_back(p);
  for (const auto& p : ln_f->parameters())
    g.vectors.push_back(p);
  return g;
}

std::vector<ModelType> gpt2_model_types() {
  ModelType t;
  t.name = "gpt2";
  t.family = ModelFamily::kLanguageModel;
  t.validate = [](const nlohmann::json& options) { parse_gpt2_options(options); };
  t.count = [](const nlohmann::json& options, const ModelDims& dims) {
    return count(parse_gpt2_options(options), dims);
  };
  t.build = [](const nlohmann::json& options, const ModelDims& dims,
               at::Generator& init) -> std::shared_ptr<Model> {
    const Gpt2Options o = parse_gpt2_options(options);
    require_lm_dims(dims);
    return std::make_shared<Gpt2Impl>(o, dims.vocab, dims.context, init);
  };
  return {t};
}

}  // namespace claimcheck::models
