// The activations by name (see activations.h); after activations.py of
// pankajtakawale/llm-reproducibility-activations.
#include "models/activations.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

namespace claimcheck::models {

const std::vector<std::string>& activation_names() {
  static const std::vector<std::string> kNames = {
      "relu", "gelu", "swish", "smelu-0.5", "smelu-1.0", "swiglu", "swiglu-matched"};
  return kNames;
}

Activation activation_from_name(const std::string& name) {
  const auto& names = activation_names();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<Activation>(i);
  }
  std::string valid;
  for (const auto& n : names)
    valid += (valid.empty() ? "" : ", ") + n;
  throw std::invalid_argument("unknown activation '" + name + "' (valid: " + valid + ")");
}

std::string to_string(Activation a) {
  return activation_names().at(static_cast<std::size_t>(a));
}

bool is_gated(Activation a) {
  return a == Activation::kSwiglu || a == Activation::kSwigluMatched;
}

torch::Tensor smelu(const torch::Tensor& x, double beta) {
  if (!(beta > 0.0)) throw std::invalid_argument("smelu: beta must be > 0");
  // relu(x) outside [−β, β] gives both outer pieces (0 and x); the quadratic joins them.
  return torch::where(x.abs() <= beta, (x + beta).square() / (4.0 * beta), torch::relu(x));
}

torch::Tensor swiglu(const torch::Tensor& x) {
  const auto halves = x.chunk(2, /*dim=*/-1);  // gate, value: (..., h) each
  return torch::silu(halves[0]) * halves[1];
}

torch::Tensor activate(Activation a, const torch::Tensor& x) {
  switch (a) {
    case Activation::kRelu:
      return torch::relu(x);
    case Activation::kGelu:
      return torch::gelu(x);  // approximate = "none": the exact 0.5·x·(1 + erf(x/√2))
    case Activation::kSwish:
      return torch::silu(x);  // x·σ(x)
    case Activation::kSmelu05:
      return smelu(x, 0.5);
    case Activation::kSmelu10:
      return smelu(x, 1.0);
    case Activation::kSwiglu:
    case Activation::kSwigluMatched:
      return swiglu(x);
  }
  throw std::logic_error("activate: unhandled activation");
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
  switch (a) {
    case Activation::kSwiglu:
      return {/*fc=*/2 * hidden, /*hidden=*/hidden};
    case Activation::kSwigluMatched: {
      const std::int64_t h = swiglu_matched_hidden(n_embd, hidden);
      return {/*fc=*/2 * h, /*hidden=*/h};
    }
    default:
      return {/*fc=*/hidden, /*hidden=*/hidden};
  }
}

std::int64_t ffn_parameter_count(Activation a, std::int64_t n_embd, std::int64_t hidden) {
  const FfnWidths w = ffn_widths(a, n_embd, hidden);
  return n_embd * w.fc + w.fc + w.hidden * n_embd + n_embd;
}

}  // namespace claimcheck::models
