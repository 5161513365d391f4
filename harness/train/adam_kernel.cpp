#include "harness/train/adam_kernel.h"

#include <cmath>

namespace claimcheck::train {
namespace {

// The element loop, one clone per instruction set on x86-64 Linux (GCC/Clang resolve the clone at
// load time): std::fma becomes one instruction where the CPU has FMA and a correctly rounded
// library call elsewhere, so the numbers never depend on the clone.
#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target_clones("avx512f", "avx2,fma", "default")))
#endif
void update(float* __restrict param, const float* __restrict grad, float* __restrict exp_avg,
            float* __restrict exp_avg_sq, std::int64_t n, AdamStepScalars s, bool accumulated) {
  const float zero = accumulated ? 0.0f : -0.0f;  // -0 + g == g for every g, +0 + -0 == +0
  for (std::int64_t i = 0; i < n; ++i) {
    float g = zero + grad[i];
    if (s.weight_decay != 0.0f) g = std::fma(param[i], s.weight_decay, g);  // grad.add(p, wd)
    const float m = std::fma(g, s.one_minus_beta1, exp_avg[i] * s.beta1);
    const float v = std::fma(s.one_minus_beta2 * g, g, exp_avg_sq[i] * s.beta2);
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    const float denom = std::sqrt(v) / s.sqrt_bias_correction2 + s.eps;
    param[i] = param[i] + (s.neg_step_size * m) / denom;  // addcdiv: self + (value·t1) / t2
  }
}

}  // namespace

void adam_step_kernel(float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
                      std::int64_t n, const AdamStepScalars& s, bool accumulated_grad) {
  update(param, grad, exp_avg, exp_avg_sq, n, s, accumulated_grad);
}

}  // namespace claimcheck::train
