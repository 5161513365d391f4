#include "harness/train/ensemble/adam_kernel.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace claimcheck::train {
namespace {

// Two rewrites of the same float operations, each exact (tests/train/adam_kernel_test.cpp checks
// the kernel against the plain loop bit for bit):
//
// 1. The division by the step's constant sqrt(1 - beta2^t) is divide_by_constant() (adam_kernel.h)
//    instead of a vector division, the slowest instruction in the loop: 0.53 -> 0.37-0.41 ns per
//    element with the arrays in cache. A chunk holding any second moment outside that function's
//    exact range (tiny or huge, inf, NaN) is divided the plain way.
//
// 2. Subnormal first moments never reach the floating-point unit. A weight whose gradient has been
//    exactly 0 for a few hundred steps (an MNIST pixel that is almost always black) has
//    exp_avg = RN(0.9 · exp_avg) shrinking into the subnormal range, where it sticks for good
//    (RN(0.9·k·2^-149) = k·2^-149 for k <= 4). Every float operation on a subnormal costs a
//    microcode assist, ~100x a normal one: with 10% of the elements stuck the kernel took 6.7
//    instead of 0.56 ns per element, and such moments made it a third of claim 1's training time.
//    For such an element ("stuck": gradient ±0, exp_avg subnormal, no weight decay) the step is
//      exp_avg' = RN(beta1 · exp_avg)  (the fma adds ±0 · (1 - beta1), which changes no nonzero
//                                       value; beta1 in (0.5, 1) keeps the result nonzero),
//      param'   = param                 (|update| = |lr/bc1 · exp_avg' / denom| < 2^10 · 2^-126 /
//                                       2^-27 = 2^-89 < ulp(param) / 2 when |param| >= 2^-64 and
//                                       eps >= 2^-27, so param + update rounds back to param),
//    and exp_avg_sq follows the ordinary path (its gradient term is +0). RN(beta1 · k·2^-149) is
//    computed on the integer k: k · beta1 is exact in double, and rounding it to an integer (ties
//    to even) is rounding the product to the subnormal grid. The ordinary lanes see exp_avg = 0 in
//    place of the stuck value, so no vector instruction meets a subnormal.
constexpr std::int64_t kChunk = 256;
constexpr std::int64_t kLibraryChunk = 64 * kChunk;
constexpr std::uint32_t kSign = 0x80000000u;
constexpr std::uint32_t kExponent = 0x7f800000u;
constexpr std::uint32_t kMantissa = 0x007fffffu;
constexpr std::uint32_t kMinStuckParamExponent = (127u - 64u) << 23;  // |param| >= 2^-64
constexpr float kMaxStepSize = 0x1p10f;
constexpr float kMinEps = 0x1p-27f;

inline std::uint32_t bits_of(float x) {
  std::uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

inline float float_of(std::uint32_t b) {
  float x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// The element loop over one chunk, one clone per instruction set on x86-64 Linux (GCC/Clang
// resolve the clone at load time): std::fma becomes one instruction where the CPU has FMA and a
// correctly rounded library call elsewhere, so the numbers never depend on the clone. Three loops
// per chunk: the moments, then the square roots (std::sqrt, or `sqrt_array` where the LibTorch's
// own square root differs: see adam_kernel.h), then the denominators and the update.
#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target_clones("avx512f", "avx2,fma", "default")))
#endif
void update(float* __restrict param, const float* __restrict grad, float* __restrict exp_avg,
            float* __restrict exp_avg_sq, std::int64_t n, AdamStepScalars s, bool accumulated,
            SqrtArray sqrt_array, std::int64_t chunk, float* __restrict denom,
            float* __restrict numerator_moment /* exp_avg for the update: 0 in stuck lanes */,
            float* __restrict root) {
  const float zero = accumulated ? 0.0f : -0.0f;  // -0 + g == g for every g, +0 + -0 == +0
  const float c = s.sqrt_bias_correction2;
  const float y = 1.0f / c;
  const bool divisor_ok = c >= kMinDivisor && c <= kMaxDivisor;
  const std::uint32_t stuck_allowed =
      (s.weight_decay == 0.0f && s.beta1 > 0.5f && s.beta1 < 1.0f &&
       std::fabs(s.neg_step_size) <= kMaxStepSize && s.eps >= kMinEps)
          ? 1u
          : 0u;
  const double beta1 = s.beta1;
  for (std::int64_t start = 0; start < n; start += chunk) {
    const std::int64_t len = std::min(chunk, n - start);
    float* __restrict p = param + start;
    const float* __restrict gr = grad + start;
    float* __restrict m1 = exp_avg + start;
    float* __restrict m2 = exp_avg_sq + start;
    for (std::int64_t i = 0; i < len; ++i) {
      float g = zero + gr[i];
      if (s.weight_decay != 0.0f) g = std::fma(p[i], s.weight_decay, g);  // grad.add(p, wd)
      // Bitwise tests, not short-circuit ones, so that the loop stays branch-free and vectorises.
      const std::uint32_t mb = bits_of(m1[i]);
      const std::uint32_t stuck =
          stuck_allowed & static_cast<std::uint32_t>((bits_of(g) << 1) == 0) &
          static_cast<std::uint32_t>((mb & kExponent) == 0) &
          static_cast<std::uint32_t>((mb & kMantissa) != 0) &
          static_cast<std::uint32_t>((bits_of(p[i]) & kExponent) >= kMinStuckParamExponent);
      const std::uint32_t keep = stuck - 1u;  // all ones in ordinary lanes, 0 in stuck ones
      const float m_old = float_of(mb & keep);
      const float m = std::fma(g, s.one_minus_beta1, m_old * s.beta1);
      const float v = std::fma(s.one_minus_beta2 * g, g, m2[i] * s.beta2);
      // RN(beta1 · k): k · beta1 is exact in double; nearbyint rounds it to an integer, ties to
      // even.
      const auto k_beta1 = static_cast<std::uint32_t>(static_cast<std::int32_t>(
          std::nearbyint(static_cast<double>(static_cast<std::int32_t>(mb & kMantissa)) * beta1)));
      m1[i] = float_of((((mb & kSign) | k_beta1) & ~keep) | (bits_of(m) & keep));
      numerator_moment[i] = m;
      m2[i] = v;
    }
    if (sqrt_array != nullptr) {
      sqrt_array(m2, root, len);  // exp_avg_sq.sqrt()
    } else {
      for (std::int64_t i = 0; i < len; ++i)
        root[i] = std::sqrt(m2[i]);
    }
    int outside = 0;
    for (std::int64_t i = 0; i < len; ++i) {
      const float a = root[i];
      denom[i] = divide_by_constant(a, c, y) + s.eps;  // exp_avg_sq.sqrt() / sqrt(bc2) + eps
      // NaN fails both comparisons and so counts as outside.
      const int in_range =
          static_cast<int>(a >= kMinDividend) & static_cast<int>(a <= kMaxDividend);
      outside |= static_cast<int>(a != 0.0f) & (in_range ^ 1);
    }
    if (outside != 0 || !divisor_ok) {
      for (std::int64_t i = 0; i < len; ++i)
        denom[i] = root[i] / c + s.eps;
    }
    for (std::int64_t i = 0; i < len; ++i) {  // addcdiv: self + (value·t1) / t2
      p[i] = p[i] + (s.neg_step_size * numerator_moment[i]) / denom[i];
    }
  }
}

}  // namespace

void adam_step_kernel(float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
                      std::int64_t n, const AdamStepScalars& s, bool accumulated_grad,
                      SqrtArray sqrt_array) {
  if (sqrt_array == nullptr) {
    float denom[kChunk];
    float numerator_moment[kChunk];
    float root[kChunk];
    update(param, grad, exp_avg, exp_avg_sq, n, s, accumulated_grad, nullptr, kChunk, denom,
           numerator_moment, root);
    return;
  }
  // A library call per chunk costs about a microsecond (a LibTorch op on two wrapped buffers), so
  // its chunks are 64x longer; the buffers stay in L2.
  thread_local std::vector<float> buffers(3 * kLibraryChunk);
  float* b = buffers.data();
  update(param, grad, exp_avg, exp_avg_sq, n, s, accumulated_grad, sqrt_array, kLibraryChunk, b,
         b + kLibraryChunk, b + 2 * kLibraryChunk);
}

}  // namespace claimcheck::train
