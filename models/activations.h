// The activations of claim activation-reproducibility (CLAIMS.md §4), by name, after the source's
// activations.py (pankajtakawale/llm-reproducibility-activations): ReLU, exact-erf GELU, Swish
// x·σ(x), SmeLU(β) for β = 0.5 and 1.0 (Shamir, Lin, Coviello, arXiv 2010.09931, eq. 1), and the
// gated SwiGLU silu(gate)·value, where gate and value are the two halves of a doubled projection
// (the source's SwiGLU module: x.chunk(2, -1), first half gates).
// SwiGLU comes in two FFN sizings (see ffn_widths):
//   "swiglu"          the source's: the FFN's first projection doubles, C→2H (C→8C at H = 4C), the
//                     gated value keeps width H: ~1.5x the FFN's parameters.
//   "swiglu-matched"  the gated width h is chosen so the FFN has as many parameters as the
//                     elementwise FFN C→H→C with biases: h = round(H·(2C+1) / (3C+2)) (341 at
//                     C = 128, H = 512: h/C = 2.66, 131,754 vs 131,712 parameters, +0.03%).
// Not here: the FFN modules themselves (models/charlm/layers.h), learned activations.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace claimcheck::models {

/// An activation by name; the gated ones halve the last dimension.
enum class Activation { kRelu, kGelu, kSwish, kSmelu05, kSmelu10, kSwiglu, kSwigluMatched };

/// All names, in enum order: relu, gelu, swish, smelu-0.5, smelu-1.0, swiglu, swiglu-matched.
const std::vector<std::string>& activation_names();

/// The activation called `name`; throws std::invalid_argument listing the valid names.
Activation activation_from_name(const std::string& name);

/// The registry name of `a` ("smelu-0.5", ...).
std::string to_string(Activation a);

/// Whether `a` gates (swiglu, swiglu-matched): input (..., 2h) -> output (..., h).
bool is_gated(Activation a);

/// SmeLU(β): 0 for x ≤ −β, (x+β)²/(4β) for |x| ≤ β, x for x ≥ β (continuous with a continuous
/// first derivative at ±β). β > 0.
torch::Tensor smelu(const torch::Tensor& x, double beta);

/// silu(gate)·value with gate, value = the first and second halves of x's last dim (even size).
torch::Tensor swiglu(const torch::Tensor& x);

/// Applies `a`: elementwise keeps the shape; gated maps (..., 2h) -> (..., h).
torch::Tensor activate(Activation a, const torch::Tensor& x);

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
