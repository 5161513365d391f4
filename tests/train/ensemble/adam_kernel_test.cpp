// The Adam kernel's arithmetic: divide_by_constant() returns exactly a / c (the correctly rounded
// quotient) over whole binades of a for Adam's own divisors and for the ends of its range, and
// adam_step_kernel() equals the plain element loop (straight divisions, subnormals through the FPU)
// bit for bit, including chunks that hold zeros, stuck subnormal first moments (the integer path),
// subnormal, huge, infinite and NaN second moments (the division fallback).
#include "harness/train/ensemble/adam_kernel.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace claimcheck::train {
namespace {

std::uint32_t bits(float x) {
  std::uint32_t b = 0;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

float from_bits(std::uint32_t b) {
  float x = 0.0f;
  std::memcpy(&x, &b, sizeof x);
  return x;
}

// Mismatches of divide_by_constant(a, c) against a / c for every `stride`-th float a in
// [2^e, 2^(e+1)).
std::int64_t mismatches_in_binade(float c, int e, std::uint32_t stride) {
  const float y = 1.0f / c;
  const std::uint32_t first = bits(std::ldexp(1.0f, e));
  std::int64_t bad = 0;
  for (std::uint32_t m = 0; m < (1u << 23); m += stride) {
    const float a = from_bits(first + m);
    bad += bits(divide_by_constant(a, c, y)) != bits(a / c);
  }
  return bad;
}

float adam_divisor(int step) {  // sqrt(1 - 0.999^t) as torch::optim::Adam hands it to ATen
  return static_cast<float>(std::sqrt(1.0 - std::pow(0.999, step)));
}

TEST(DivideByConstant, EveryFloatOfABinadeForSeveralDivisors) {
  // Correct rounding depends on the significands of a and c only (the exponents shift both
  // sides alike while nothing underflows), so one binade of a, all 2^23 of it, stands for all.
  for (const float c : {adam_divisor(1), adam_divisor(2), adam_divisor(938), adam_divisor(7500),
                        1.0f, std::nextafter(1.0f, 0.0f), 3.0f, 0.7654321f}) {
    EXPECT_EQ(mismatches_in_binade(c, 0, 1), 0) << "c = " << c;
  }
}

TEST(DivideByConstant, EveryAdamStepsDivisorAndTheEndsOfTheRange) {
  // Every divisor of the first 7,500 steps (claim 1's longest run) on a sample of a, and the
  // extreme binades of a and c the kernel allows.
  for (int step = 1; step <= 7500; ++step)
    ASSERT_EQ(mismatches_in_binade(adam_divisor(step), -7, 4099), 0) << "step " << step;
  for (const float c : {kMinDivisor, kMaxDivisor, std::nextafter(kMaxDivisor, 0.0f), 0.0316f}) {
    EXPECT_EQ(mismatches_in_binade(c, -40, 61), 0) << "c = " << c;
    EXPECT_EQ(mismatches_in_binade(c, 39, 61), 0) << "c = " << c;
  }
  EXPECT_EQ(bits(divide_by_constant(0.0f, 0.5f, 2.0f)), bits(0.0f / 0.5f));
}

// A square root that is not std::sqrt's: one ulp down wherever the root's last bit is set (as a
// library's 1-ulp sqrt might be), for the kernel's `sqrt_array` path.
float sqrt_one_ulp_off(float x) {
  const float r = std::sqrt(x);
  return (std::isfinite(r) && r > 0.0f && (bits(r) & 1u) != 0) ? from_bits(bits(r) - 1u) : r;
}

void sqrt_array_one_ulp_off(const float* in, float* out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i)
    out[i] = sqrt_one_ulp_off(in[i]);
}

// The kernel before divide_by_constant(): the same float operations with plain divisions.
void plain_kernel(
    float* param, const float* grad, float* exp_avg, float* exp_avg_sq, std::int64_t n,
    const AdamStepScalars& s, bool accumulated,
    float (*root)(float) = [](float x) { return std::sqrt(x); }) {
  const float zero = accumulated ? 0.0f : -0.0f;
  for (std::int64_t i = 0; i < n; ++i) {
    float g = zero + grad[i];
    if (s.weight_decay != 0.0f) g = std::fma(param[i], s.weight_decay, g);
    const float m = std::fma(g, s.one_minus_beta1, exp_avg[i] * s.beta1);
    const float v = std::fma(s.one_minus_beta2 * g, g, exp_avg_sq[i] * s.beta2);
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    const float denom = root(v) / s.sqrt_bias_correction2 + s.eps;
    param[i] = param[i] + (s.neg_step_size * m) / denom;
  }
}

bool same_floats(const std::vector<float>& a, const std::vector<float>& b) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(bits(a[i]) == bits(b[i]) || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  }
  return true;
}

// One run of the test below: with std::sqrt (sqrt_array null), or with a library's square root.
void expect_kernel_equals_plain_loop(SqrtArray sqrt_array, float (*root)(float)) {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int> decade(-30, 10);
  // Whole chunks and a tail; with a library square root, whole chunks of 16,384 and a tail.
  const std::int64_t n = sqrt_array == nullptr ? 256 * 12 + 37 : 16384 * 2 + 256 * 12 + 37;
  std::vector<float> param(n), grad(n), m(n), v(n);
  for (std::int64_t i = 0; i < n; ++i) {
    param[i] = normal(rng);
    grad[i] = normal(rng) * std::pow(10.0f, static_cast<float>(decade(rng)));
    m[i] = normal(rng) * 1e-3f;
    v[i] = std::abs(normal(rng)) * std::pow(10.0f, static_cast<float>(decade(rng)));
  }
  // Chunk 1 holds exact zeros (MNIST's always-black pixels), chunk 2 zero gradients with first
  // moments decaying through the subnormal range and stuck there (the kernel's integer path),
  // beside parameters too small, zero or negative for it; chunk 3 a subnormal second moment,
  // chunk 5 an infinite one, chunk 7 a NaN gradient, chunk 9 a moment above 2^80.
  for (std::int64_t i = 256; i < 512; ++i)
    grad[i] = v[i] = 0.0f;
  for (std::int64_t i = 512; i < 768; ++i) {
    grad[i] = 0.0f;
    const int kind = static_cast<int>(i % 8);
    m[i] = kind < 4 ? from_bits(static_cast<std::uint32_t>(1 + (i * 7919) % 8388607))  // subnormal
                    : std::ldexp(1.0f, -120 - kind);  // normal, becomes subnormal within steps
    if (i % 2 == 1) m[i] = -m[i];
    if (i % 16 == 3) param[i] = 1e-30f;  // below 2^-64: the ordinary path must take it
    if (i % 16 == 5) param[i] = 0.0f;
    if (i % 32 == 9) grad[i] = 1e-3f;  // a kick: the moment leaves the subnormal range
  }
  v[3 * 256 + 5] = 1e-42f;
  v[5 * 256 + 9] = INFINITY;
  grad[7 * 256 + 1] = NAN;
  v[9 * 256 + 2] = 1e30f;
  std::vector<float> p2 = param, m2 = m, v2 = v;
  for (int step = 1; step <= 60; ++step) {
    AdamStepScalars s;
    s.beta1 = 0.9f;
    s.one_minus_beta1 = static_cast<float>(1 - 0.9);
    s.beta2 = 0.999f;
    s.one_minus_beta2 = static_cast<float>(1 - 0.999);
    s.weight_decay = step > 50 ? 0.01f : 0.0f;  // the last steps: no lane is stuck
    s.eps = 1e-8f;
    s.sqrt_bias_correction2 = adam_divisor(step);
    s.neg_step_size = static_cast<float>(-1e-3 / (1 - std::pow(0.9, step)));
    adam_step_kernel(param.data(), grad.data(), m.data(), v.data(), n, s, step > 1, sqrt_array);
    plain_kernel(p2.data(), grad.data(), m2.data(), v2.data(), n, s, step > 1, root);
    ASSERT_TRUE(same_floats(param, p2)) << "step " << step;
    ASSERT_TRUE(same_floats(m, m2));
    ASSERT_TRUE(same_floats(v, v2));
    if (step == 50) {
      int subnormal = 0;  // the integer path really ran: moments below 2^-126, not zero
      for (std::int64_t i = 512; i < 768; ++i)
        subnormal += m[i] != 0.0f && std::fabs(m[i]) < 0x1p-126f;
      EXPECT_GT(subnormal, 64);
    }
  }
  EXPECT_TRUE(std::isnan(param[7 * 256 + 1]));  // the NaN chunk really took the fallback
}

TEST(AdamStepKernel, EqualsThePlainLoopOnEveryKindOfSecondMoment) {
  expect_kernel_equals_plain_loop(nullptr, [](float x) { return std::sqrt(x); });
}

TEST(AdamStepKernel, TakesItsSquareRootsFromALibraryWhereGiven) {
  // pip's MKL LibTorch: EnsembleAdam hands the kernel LibTorch's own sqrt (ensemble/adam.cpp).
  expect_kernel_equals_plain_loop(&sqrt_array_one_ulp_off, &sqrt_one_ulp_off);
  // The stand-in really differs from std::sqrt, so the test above could fail.
  int differ = 0;
  for (float x = 1.0f; x < 2.0f; x += 0.001f)
    differ += bits(sqrt_one_ulp_off(x)) != bits(std::sqrt(x));
  EXPECT_GT(differ, 100);
}

}  // namespace
}  // namespace claimcheck::train
