// The activation registry (see activations.h); elementwise activations and SwiGLU after
// activations.py of pankajtakawale/llm-reproducibility-activations.
#include "models/activations.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

#include "harness/base/registry.h"

namespace claimcheck::models {
namespace {

// One row per Activation, in enum order: the name and, for a GLU, the elementwise activation
// of its gate (the activation itself otherwise).
struct Entry {
  Activation activation;
  const char* name;
  Activation gate;
};

constexpr Entry kEntries[] = {
    {Activation::kRelu, "relu", Activation::kRelu},
    {Activation::kRelu2, "relu2", Activation::kRelu2},
    {Activation::kGelu, "gelu", Activation::kGelu},
    {Activation::kSwish, "swish", Activation::kSwish},
    {Activation::kSmelu05, "smelu-0.5", Activation::kSmelu05},
    {Activation::kSmelu10, "smelu-1.0", Activation::kSmelu10},
    {Activation::kGeglu, "geglu", Activation::kGelu},
    {Activation::kSwiglu, "swiglu", Activation::kSwish},
    {Activation::kSwigluMatched, "swiglu-matched", Activation::kSwish},
};

const Entry& entry(Activation a) {
  return kEntries[static_cast<std::size_t>(a)];
}

const base::Registry<Activation>& registry() {
  static const base::Registry<Activation> kRegistry = [] {
    base::Registry<Activation> r("activation");
    for (const Entry& e : kEntries)
      r.add(e.name, e.activation);
    return r;
  }();
  return kRegistry;
}

torch::Tensor elementwise(Activation a, const torch::Tensor& x) {
  switch (a) {
    case Activation::kRelu:
      return torch::relu(x);
    case Activation::kRelu2:
      return torch::relu(x).square();
    case Activation::kGelu:
      return torch::gelu(x);  // approximate = "none": the exact 0.5·x·(1 + erf(x/√2))
    case Activation::kSwish:
      return torch::silu(x);  // x·σ(x)
    case Activation::kSmelu05:
      return smelu(x, 0.5);
    case Activation::kSmelu10:
      return smelu(x, 1.0);
    default:
      throw std::logic_error("activation '" + to_string(a) + "' is not elementwise");
  }
}

}  // namespace

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const Entry& e : kEntries)
      names.emplace_back(e.name);
    return names;
  }();
  return kNames;
}

std::vector<std::string> activation_names_except_matched() {
  std::vector<std::string> names = activation_names();
  names.erase(std::find(names.begin(), names.end(), to_string(Activation::kSwigluMatched)));
  return names;
}

Activation activation_from_name(const std::string& name) {
  return registry().at(name);
}

std::string to_string(Activation a) {
  return entry(a).name;
}

bool is_gated(Activation a) {
  return entry(a).gate != a;
}

torch::Tensor smelu(const torch::Tensor& x, double beta) {
  if (!(beta > 0.0)) throw std::invalid_argument("smelu: beta must be > 0");
  // relu(x) outside [−β, β] gives both outer pieces (0 and x); the quadratic joins them.
  return torch::where(x.abs() <= beta, (x + beta).square() / (4.0 * beta), torch::relu(x));
}

torch::Tensor swiglu(const torch::Tensor& x) {
  return activate(Activation::kSwiglu, x);
}

torch::Tensor activate(Activation a, const torch::Tensor& x) {
  if (!is_gated(a)) return elementwise(a, x);
  const auto halves = x.chunk(2, /*dim=*/-1);  // gate, value: (..., h) each
  return gated(a, halves[0], halves[1]);
}

torch::Tensor gated(Activation a, const torch::Tensor& gate, const torch::Tensor& value) {
  if (!is_gated(a)) {
    throw std::invalid_argument("activation '" + to_string(a) + "' is not gated");
  }
  return elementwise(entry(a).gate, gate) * value;
}

std::int64_t swiglu_matched_hidden(std::int64_t n_embd, std::int64_t hidden) {
  // Elementwise FFN: C·H + H + H·C + C = (2C+1)·H + C. Gated with width h: C·2h + 2h + h·C + C =
  // (3C+2)·h + C. The count is linear in h, so the nearest integer to the real solution is the
  // closest match; rounded half up in integer arithmetic.
  const std::int64_t num = hidden * (2 * n_embd + 1);
  const std::int64_t den = 3 * n_embd + 2;
  return std::max<std::int64_t>(1, (2 * num + den) / (2 * den));
}

FfnWidths ffn_widths(Activation a, std::int64_t n_embd, std::int64_t hidden) {
  if (a == Activation::kSwigluMatched) {
    const std::int64_t h = swiglu_matched_hidden(n_embd, hidden);
    return {/*fc=*/2 * h, /*hidden=*/h};
  }
  if (is_gated(a)) return {/*fc=*/2 * hidden, /*hidden=*/hidden};
  return {/*fc=*/hidden, /*hidden=*/hidden};
}

std::int64_t ffn_parameter_count(Activation a, std::int64_t n_embd, std::int64_t hidden) {
  const FfnWidths w = ffn_widths(a, n_embd, hidden);
  return n_embd * w.fc + w.fc + w.hidden * n_embd + n_embd;
}

}  // namespace claimcheck::models
