#include "models/ffn.h"

#include <torch/torch.h>

#include "models/options.h"

namespace claimcheck::models {
namespace {

constexpr double kInitStd = 0.02;  // source: nn.init.normal_(std=0.02) on every weight

// Drawn exactly as torch.randn(rows, cols) * 0.02 after torch.manual_seed(seed) when `init` is a
// fresh CPU generator seeded with `seed` (the same mt19937 stream as LibTorch's default one).
torch::Tensor normal_weight(std::int64_t rows, std::int64_t cols, at::Generator& init) {
  return torch::randn({rows, cols}, init) * kInitStd;
}

std::int64_t hidden_of(const std::string& type, const nlohmann::json& options) {
  OptionReader r(type, options);
  const std::int64_t hidden = r.positive_int("hidden");
  r.finish();
  return hidden;
}

void require_dims(const std::string& type, const ModelDims& dims) {
  if (dims.inputs < 1 || dims.classes < 1) {
    throw std::invalid_argument("model '" + type +
                                "' is a classifier: its task must give inputs and classes");
  }
}

template <typename Ffn>
ModelType ffn_type(const std::string& name, std::int64_t input_matrices) {
  ModelType t;
  t.name = name;
  t.family = ModelFamily::kClassifier;
  t.validate = [name](const nlohmann::json& options) { hidden_of(name, options); };
  t.count = [name, input_matrices](const nlohmann::json& options, const ModelDims& dims) {
    require_dims(name, dims);
    const std::int64_t h = hidden_of(name, options);
    ParameterCount c;
    c.parts["input"] = input_matrices * dims.inputs * h;
    c.parts["output"] = h * dims.classes;
    c.total = c.parts["input"] + c.parts["output"];
    return c;
  };
  t.build = [name](const nlohmann::json& options, const ModelDims& dims,
                   at::Generator& init) -> std::shared_ptr<Model> {
    require_dims(name, dims);
    return std::make_shared<Ffn>(dims.inputs, hidden_of(name, options), dims.classes, init);
  };
  return t;
}

}  // namespace

FfnReluImpl::FfnReluImpl(std::int64_t in, std::int64_t hidden, std::int64_t out,
                         at::Generator& init) {
  w_in = register_parameter("w_in", normal_weight(in, hidden, init));
  w_out = register_parameter("w_out", normal_weight(hidden, out, init));
}

torch::Tensor FfnReluImpl::forward(const torch::Tensor& x) {
  return torch::relu(x.matmul(w_in)).matmul(w_out);  // (B, in) -> (B, h) -> (B, out)
}

FfnGegluImpl::FfnGegluImpl(std::int64_t in, std::int64_t hidden, std::int64_t out,
                           at::Generator& init) {
  // Drawn in the order W_in, W_gate, W_out: the same as the source's parameter definitions.
  w_in = register_parameter("w_in", normal_weight(in, hidden, init));
  w_gate = register_parameter("w_gate", normal_weight(in, hidden, init));
  w_out = register_parameter("w_out", normal_weight(hidden, out, init));
}

torch::Tensor FfnGegluImpl::forward(const torch::Tensor& x) {
  // torch::gelu's default approximation is "none": the exact erf form, as the source uses.
  return (x.matmul(w_in) * torch::gelu(x.matmul(w_gate))).matmul(w_out);  // (B, out)
}

std::vector<ModelType> ffn_model_types() {
  return {ffn_type<FfnReluImpl>("ffn-relu", 1), ffn_type<FfnGegluImpl>("ffn-geglu", 2)};
}

}  // namespace claimcheck::models
