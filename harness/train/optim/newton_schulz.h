// Muon's orthogonalisation: the quintic Newton–Schulz iteration of KellerJordan/Muon muon.py
// (zeropower_via_newtonschulz5), coefficients (a, b, c) = (3.4445, −4.7750, 2.0315):
//   X0 = G / (‖G‖_F + 1e-7);   X ← a·X + (b·A + c·A²)·X  with A = X·Xᵀ   (`steps` times)
// run on the wide orientation (a tall G is transposed in and out, so A is the smaller Gram
// matrix). Each iteration maps every singular value σ to φ(σ) = aσ + bσ³ + cσ⁵ and keeps the
// singular vectors, so the result is U·φ^steps(Σ/‖G‖_F)·Vᵀ: not exactly UVᵀ but, once a value has
// entered it, inside the band [φ(σ₂*), φ(σ₁*)] ≈ [0.68, 1.20] (σ₁* < σ₂* the critical points of
// φ); the reference's docstring describes this as "S' ~ Uniform(0.5, 1.5)". It is deliberately
// not autoresearch's Polar Express variant (per-iteration coefficients, karpathy/autoresearch
// train.py): claim 2 and CLAIMS.md name the 5-step quintic.
//
// Precision: the reference runs the iteration in bfloat16 on the GPU (tensor-core speed, and the
// band tolerates the error). Here it runs in float32 (float64 inputs stay float64, for the
// float64 reference tests): the suite's default runs are on the CPU, where they must be
// deterministic and fast, and LibTorch 1.13's CPU bfloat16 matmul is slow and rounds differently
// from CUDA's, so bfloat16 would buy nothing and cost reproducibility across devices.
#pragma once

#include <torch/types.h>

#include <cstdint>

namespace claimcheck::train::optim {

/// Quintic iteration coefficients (KellerJordan/Muon muon.py).
inline constexpr double kNsA = 3.4445;
inline constexpr double kNsB = -4.7750;
inline constexpr double kNsC = 2.0315;

/// φ(σ) = aσ + bσ³ + cσ⁵: what one iteration does to a singular value.
double newton_schulz_polynomial(double sigma);

/// The approximate orthogonalisation of a 2-D `g` after `steps` iterations, in
/// promote(g's dtype, float32); throws std::invalid_argument unless g is 2-D.
torch::Tensor newton_schulz5(const torch::Tensor& g, std::int64_t steps);

}  // namespace claimcheck::train::optim
