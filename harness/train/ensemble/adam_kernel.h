// One Adam step over a contiguous run of floats, repeating the float operations of
// torch::optim::Adam::step() (LibTorch 1.13 and 2.x, torch/csrc/api/src/optim/adam.cpp) element
// for element, so that E stacked runs can be updated in one pass and each member still gets the
// numbers it would get alone. ATen's CPU kernels (vectorised and scalar tail alike) fuse
// `a + alpha·b` (add_ with alpha) and `self + s·t1·t2` (addcmul_) into one fused multiply-add; the
// kernel writes those as std::fma and nothing else as one. Whether this holds for the LibTorch in
// use is checked at run time (ensemble/adam.h: ensemble_adam_is_exact()). Deliberately no LibTorch
// here: raw pointers, compiled with -fno-math-errno so the loop vectorises
// (harness/CMakeLists.txt).
#pragma once

#include <cmath>
#include <cstdint>

namespace claimcheck::train {

/// Where divide_by_constant() is exact: c in [kMinDivisor, kMaxDivisor], a = 0 or a in
/// [kMinDividend, kMaxDividend] (every intermediate normal, every remainder exact).
constexpr float kMinDivisor = 0x1p-20f;
constexpr float kMaxDivisor = 0x1p20f;
constexpr float kMinDividend = 0x1p-40f;
constexpr float kMaxDividend = 0x1p40f;

/// a / c correctly rounded (what the division instruction returns) for y = 1.0f / c and a, c in
/// the ranges above, as one multiplication and four fmas: q0 = RN(a·y) is within 2 ulp of a/c,
/// one correction q1 = RN(q0 + (a - c·q0)·y) is within 1 ulp (faithful), and by Markstein's
/// theorem (y within half an ulp of 1/c, q1 faithful, the remainder a - c·q1 exact in an fma)
/// q2 = RN(q1 + (a - c·q1)·y) is the correctly rounded quotient (P. Markstein, IBM J. Res. Dev.
/// 34(1), 1990; J.-M. Muller, "Accelerating floating-point division when the divisor is known in
/// advance", 2002). Checked exhaustively over binades in tests/train/ensemble/adam_kernel_test.cpp.
inline float divide_by_constant(float a, float c, float y) {
  const float q0 = a * y;
  const float q1 = std::fma(std::fma(-q0, c, a), y, q0);
  return std::fma(std::fma(-q1, c, a), y, q1);
}

/// The step's scalars as ATen converts torch::optim::Adam's doubles to float (Scalar::to<float>).
struct AdamStepScalars {
  float beta1 = 0.0f;                  // exp_avg.mul_(beta1)
  float one_minus_beta1 = 0.0f;        // .add_(grad, 1 - beta1)
  float beta2 = 0.0f;                  // exp_avg_sq.mul_(beta2)
  float one_minus_beta2 = 0.0f;        // .addcmul_(grad, grad, 1 - beta2)
  float weight_decay = 0.0f;           // grad.add(p, weight_decay) when != 0
  float eps = 0.0f;                    // denom.add_(eps)
  float sqrt_bias_correction2 = 0.0f;  // exp_avg_sq.sqrt() / sqrt(1 - beta2^t)
  float neg_step_size = 0.0f;          // p.addcdiv_(exp_avg, denom, -lr / (1 - beta1^t))
};

/// Writes sqrt(in[i]) to out[i] for n floats, as the LibTorch in use computes `tensor.sqrt()`.
/// ATen's CPU float square root is not always the correctly rounded one: pip's MKL builds (2.x)
/// call MKL VML's vsSqrt, which is 1 ulp off for about 0.7% of inputs (measured on 2.13; its
/// results do not depend on the array's length, offset or alignment). Given such a function, the
/// kernel takes its square roots from it instead of std::sqrt.
using SqrtArray = void (*)(const float* in, float* out, std::int64_t n);

/// Updates param, exp_avg and exp_avg_sq (n floats each) from grad. `accumulated_grad`: the
/// gradient reached the parameter through `grad += new` into a zeroed buffer (LibTorch 1.13's
/// zero_grad keeps the buffer), which turns -0 into +0; false on the first step, or when
/// zero_grad sets gradients to none (2.x).
void adam_step_kernel(float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
                      std::int64_t n, const AdamStepScalars& s, bool accumulated_grad,
                      SqrtArray sqrt_array = nullptr);

}  // namespace claimcheck::train
