// Registry entries and parameter-count formulas of the family (see family.h); architectures
// of model_factories.py's MODEL_REGISTRY in pankajtakawale/llm-reproducibility-activations.
#include "models/charlm/family.h"

#include <torch/torch.h>

#include <stdexcept>

#include "models/charlm/conv_lm.h"
#include "models/charlm/recurrent_lm.h"
#include "models/charlm/transformer_lm.h"

namespace claimcheck::models {
namespace charlm {
namespace {

void require_dims(Architecture arch, const ModelDims& dims) {
  if (dims.vocab < 1 || dims.context < 1) {
    throw std::invalid_argument("model '" + type_name(arch) +
                                "' is a language model: its task must give vocab and context");
  }
}

}  // namespace

ParameterCount family_parameter_count(const FamilyOptions& o, const ModelDims& dims) {
  require_dims(o.arch, dims);
  const std::int64_t V = dims.vocab, T = dims.context, C = o.n_embd, L = o.n_layer;
  const std::int64_t layer_norm = 2 * C;  // gain and bias
  const std::int64_t ffn = ffn_parameter_count(o.activation, C, o.ffn_hidden);
  ParameterCount c;
  switch (o.arch) {
    case Architecture::kCharLm:
    case Architecture::kNanoTransformer:
    case Architecture::kMiniGpt:
      c.parts["embedding"] = V * C + T * C;  // tok_emb + pos_emb
      c.parts["attention"] = L * attention_parameter_count(C, attention_style(o.arch));
      c.parts["ffn"] = L * ffn;
      c.parts["norm"] = (2 * L + 1) * layer_norm;  // ln1, ln2 per block; ln_f
      c.parts["head"] = C * V;                     // bias-free
      break;
    case Architecture::kConvLm: {
      const std::int64_t out = (is_gated(o.activation) ? 2 : 1) * C;
      c.parts["embedding"] = V * C;
      c.parts["conv"] = L * (out * C * o.kernel_size + out);
      c.parts["norm"] = L * 2 * out;
      c.parts["head"] = C * V + V;
      break;
    }
    case Architecture::kHybridLm:
      c.parts["embedding"] = V * C;
      c.parts["lstm"] = lstm_parameter_count(C, L);
      c.parts["attention"] = attention_parameter_count(C, AttentionStyle::kTorchMha);
      c.parts["norm"] = 2 * layer_norm;
      c.parts["ffn"] = ffn;
      c.parts["head"] = C * V + V;
      break;
    case Architecture::kTinyLstm:
      c.parts["embedding"] = V * C;
      c.parts["lstm"] = lstm_parameter_count(C, L);
      c.parts["ffn"] = ffn;
      c.parts["head"] = C * V + V;
      break;
  }
  for (const auto& part : c.parts)
    c.total += part.second;
  return c;
}

namespace {

std::shared_ptr<Model> build_family_model(const FamilyOptions& o, const ModelDims& dims,
                                          at::Generator& init) {
  require_dims(o.arch, dims);
  switch (o.arch) {
    case Architecture::kCharLm:
    case Architecture::kNanoTransformer:
    case Architecture::kMiniGpt:
      return std::make_shared<TransformerLmImpl>(o, dims.vocab, dims.context, init);
    case Architecture::kConvLm:
      return std::make_shared<ConvLmImpl>(o, dims.vocab, dims.context, init);
    case Architecture::kHybridLm:
      return std::make_shared<HybridLmImpl>(o, dims.vocab, dims.context, init);
    case Architecture::kTinyLstm:
      return std::make_shared<TinyLstmImpl>(o, dims.vocab, dims.context, init);
  }
  throw std::logic_error("build_family_model: unhandled architecture");
}

ModelType family_type(Architecture arch) {
  ModelType t;
  t.name = type_name(arch);
  t.family = ModelFamily::kLanguageModel;
  t.validate = [arch](const nlohmann::json& options) { parse_family_options(arch, options); };
  t.count = [arch](const nlohmann::json& options, const ModelDims& dims) {
    return family_parameter_count(parse_family_options(arch, options), dims);
  };
  t.build = [arch](const nlohmann::json& options, const ModelDims& dims, at::Generator& init) {
    return build_family_model(parse_family_options(arch, options), dims, init);
  };
  return t;
}

}  // namespace
}  // namespace charlm

std::vector<ModelType> charlm_family_model_types() {
  std::vector<ModelType> types;
  for (const charlm::Architecture arch : charlm::architectures())
    types.push_back(charlm::family_type(arch));
  return types;
}

}  // namespace claimcheck::models
