// The one activation registry of claimcheck's models: every model family (the MNIST FFNs of
// models/ffn.h, GPT, GPT-2, the char-LM family) takes its activation from here by name, so a new
// activation added here reaches every family that takes a free "activation" option.
// Elementwise (same shape in, same shape out):
//   relu       max(x, 0)
//   relu2      relu(x)², the autoresearch GPT's MLP (karpathy/autoresearch train.py)
//   gelu       exact-erf GELU 0.5·x·(1 + erf(x/√2)) (not the tanh approximation)
//   swish      x·σ(x) (torch's silu)
//   smelu-0.5, smelu-1.0   SmeLU(β) (Shamir, Lin, Coviello, arXiv 2010.09931, eq. 1)
// Gated (GLU variants, Shazeer arXiv 2002.05202): f(gate)·value. A GLU is its own name rather than
// a flag on the elementwise one, because a gated FFN is a different model (a third weight matrix,
// another parameter count), and one name per model keeps specs, baselines and error messages
// flat. Two ways in: two separate projections (gated(a, gate, value): GPT's c_gate / c_up, the
// MNIST FFN's W_gate / W_in), or one doubled projection split in half (activate(a, x):
// x.chunk(2, -1), the first half gates, as the activation-reproducibility source's SwiGLU).
//   geglu      gelu(gate)·value
//   swiglu     swish(gate)·value
//   swiglu-matched  swiglu in a parameter-matched FFN: the same function, sized differently by
//              ffn_widths (below); only FFNs C→H→C with biases can size it (char-LM family).
// SwiGLU-style FFN sizings (ffn_widths, for the char-LM family's C→H→C FFN with biases):
//   gated (swiglu, geglu)  the source's: the first projection doubles, C→2H (C→8C at H = 4C), the
//                     gated value keeps width H: ~1.5x the FFN's parameters.
//   "swiglu-matched"  the gated width h is chosen so the FFN has as many parameters as the
//                     elementwise FFN C→H→C with biases: h = round(H·(2C+1) / (3C+2)) (341 at
//                     C = 128, H = 512: h/C = 2.66, 131,754 vs 131,712 parameters, +0.03%).
// Not here: the FFN modules themselves (each family's), learned activations (GPT-2's PReLU,
// models/gpt2.h: it has parameters, so it is a module of its model).
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace claimcheck::models {

/// An activation of the registry, by its name's entry (enum order = activation_names()).
enum class Activation {
  kRelu,
  kRelu2,
  kGelu,
  kSwish,
  kSmelu05,
  kSmelu10,
  kGeglu,
  kSwiglu,
  kSwigluMatched,
};

/// All names, in enum order: relu, relu2, gelu, swish, smelu-0.5, smelu-1.0, geglu, swiglu,
/// swiglu-matched.
const std::vector<std::string>& activation_names();

/// activation_names() without swiglu-matched: what a model takes whose FFN is not the char-LM
/// family's C→H→C with biases, the only one swiglu-matched's sizing rule applies to.
std::vector<std::string> activation_names_except_matched();

/// The activation called `name`; throws std::invalid_argument "unknown activation 'x' (valid:
/// ...)" listing the valid names.
Activation activation_from_name(const std::string& name);

/// The registry name of `a` ("smelu-0.5", ...).
std::string to_string(Activation a);

/// Whether `a` gates (geglu, swiglu, swiglu-matched).
bool is_gated(Activation a);

/// SmeLU(β): 0 for x ≤ −β, (x+β)²/(4β) for |x| ≤ β, x for x ≥ β (continuous with a continuous
/// first derivative at ±β). β > 0.
torch::Tensor smelu(const torch::Tensor& x, double beta);

/// silu(gate)·value with gate, value = the first and second halves of x's last dim (even size).
torch::Tensor swiglu(const torch::Tensor& x);

/// Applies `a` to one tensor: elementwise keeps the shape; gated maps (..., 2h) -> (..., h),
/// gate = the first half.
torch::Tensor activate(Activation a, const torch::Tensor& x);

/// A gated `a` on separate projections: f(gate)·value, f = the GLU's elementwise nonlinearity
/// (gelu for geglu, swish for swiglu). Throws std::invalid_argument for an elementwise `a`.
torch::Tensor gated(Activation a, const torch::Tensor& gate, const torch::Tensor& value);

/// The widths of an FFN C→H→C (biases on both projections) with activation `a`.
struct FfnWidths {
  std::int64_t fc = 0;      ///< output width of the first projection (c_fc): H, 2H or 2h
  std::int64_t hidden = 0;  ///< input width of the second projection (c_proj): H or h
};

/// `hidden` is H, the width of the elementwise FFN; gated FFNs size themselves from it as above.
FfnWidths ffn_widths(Activation a, std::int64_t n_embd, std::int64_t hidden);

/// The gated width whose FFN parameter count is closest to the elementwise C→H→C FFN's:
/// (3C+2)·h + C ≈ (2C+1)·H + C, so h = round(H·(2C+1) / (3C+2)), at least 1.
std::int64_t swiglu_matched_hidden(std::int64_t n_embd, std::int64_t hidden);

/// Parameters of the FFN C→fc, hidden→C with biases: C·fc + fc + hidden·C + C.
std::int64_t ffn_parameter_count(Activation a, std::int64_t n_embd, std::int64_t hidden);

}  // namespace claimcheck::models
