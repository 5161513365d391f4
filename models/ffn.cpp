#include "models/ffn.h"

#include <torch/torch.h>

#include <optional>
#include <string>

#include "models/options.h"

namespace claimcheck::models {
namespace {

constexpr double kInitStd = 0.02;  // source: nn.init.normal_(std=0.02) on every weight

// Drawn exactly as torch.randn(rows, cols) * 0.02 after torch.manual_seed(seed) when `init` is a
// fresh CPU generator seeded with `seed` (the same mt19937 stream as LibTorch's default one).
torch::Tensor normal_weight(std::int64_t rows, std::int64_t cols, at::Generator& init) {
  return torch::randn({rows, cols}, init) * kInitStd;
}

struct FfnOptions {
  std::int64_t hidden = 0;
  Activation activation = Activation::kRelu;
};

// `fixed`: the activation of "ffn-relu" / "ffn-geglu", which take no "activation" option;
// nullopt for the generic "ffn".
FfnOptions parse(const std::string& type, std::optional<Activation> fixed,
                 const nlohmann::json& options) {
  OptionReader r(type, options);
  FfnOptions o;
  o.hidden = r.positive_int("hidden");
  if (fixed) {
    o.activation = *fixed;
  } else {
    if (options.is_object() && options.value("activation", nlohmann::json()) == "swiglu-matched") {
      r.fail("activation",
             "'swiglu-matched' sizes the char-LM family's FFN with biases; here the GLU's width "
             "is 'hidden' (use 'swiglu' and choose hidden)");
    }
    o.activation = activation_from_name(r.choice("activation", activation_names_except_matched()));
  }
  r.finish();
  return o;
}

void require_dims(const std::string& type, const ModelDims& dims) {
  if (dims.inputs < 1 || dims.classes < 1) {
    throw std::invalid_argument("model '" + type +
                                "' is a classifier: its task must give inputs and classes");
  }
}

ModelType ffn_type(const std::string& name, std::optional<Activation> fixed) {
  ModelType t;
  t.name = name;
  t.family = ModelFamily::kClassifier;
  t.validate = [name, fixed](const nlohmann::json& options) { parse(name, fixed, options); };
  t.count = [name, fixed](const nlohmann::json& options, const ModelDims& dims) {
    require_dims(name, dims);
    const FfnOptions o = parse(name, fixed, options);
    ParameterCount c;
    c.parts["input"] = (is_gated(o.activation) ? 2 : 1) * dims.inputs * o.hidden;
    c.parts["output"] = o.hidden * dims.classes;
    c.total = c.parts["input"] + c.parts["output"];
    return c;
  };
  t.build = [name, fixed](const nlohmann::json& options, const ModelDims& dims,
                          at::Generator& init) -> std::shared_ptr<Model> {
    require_dims(name, dims);
    const FfnOptions o = parse(name, fixed, options);
    return std::make_shared<FfnClassifierImpl>(dims.inputs, o.hidden, dims.classes, o.activation,
                                               init);
  };
  return t;
}

}  // namespace

FfnClassifierImpl::FfnClassifierImpl(std::int64_t in, std::int64_t hidden, std::int64_t out,
                                     Activation activation_kind, at::Generator& init)
    : activation(activation_kind) {
  // Drawn in the order W_in, W_gate, W_out: the same as the source's parameter definitions.
  w_in = register_parameter("w_in", normal_weight(in, hidden, init));
  if (is_gated(activation)) w_gate = register_parameter("w_gate", normal_weight(in, hidden, init));
  w_out = register_parameter("w_out", normal_weight(hidden, out, init));
}

torch::Tensor FfnClassifierImpl::forward(const torch::Tensor& x) {
  // (B, in) -> (B, h) -> (B, out)
  if (!is_gated(activation)) return activate(activation, x.matmul(w_in)).matmul(w_out);
  return gated(activation, x.matmul(w_gate), x.matmul(w_in)).matmul(w_out);
}

std::vector<ModelType> ffn_model_types() {
  return {ffn_type("ffn", std::nullopt), ffn_type("ffn-relu", Activation::kRelu),
          ffn_type("ffn-geglu", Activation::kGeglu)};
}

}  // namespace claimcheck::models
