// Muon's Newton–Schulz iteration: it acts on singular values only (σ ↦ φ(σ) each step), and the
// NS5 result of a random matrix is close to orthogonal, i.e. its singular values lie in the
// quintic's band [φ(σ₂*), φ(σ₁*)] ≈ [0.6818, 1.2024], σ₁* < σ₂* the critical points of
// φ(σ) = aσ + bσ³ + cσ⁵ (KellerJordan/Muon muon.py: "S'_ii ~ Uniform(0.5, 1.5)"; the band is
// invariant: φ maps [0.6818, 1.2024] into [0.6818, 1.1342]).
#include "harness/train/optim/newton_schulz.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "tests/train/optim/reference_support.h"

namespace claimcheck::train::optim {
namespace {

using testing::cpu_generator;

struct Band {
  double lo;
  double hi;
};

// φ'(σ) = a + 3bσ² + 5cσ⁴ = 0  ⇒  σ² = (−3b ∓ √(9b² − 20ac)) / (10c).
Band quintic_band() {
  const double disc = std::sqrt(9 * kNsB * kNsB - 20 * kNsA * kNsC);
  const double s1 = std::sqrt((-3 * kNsB - disc) / (10 * kNsC));  // local max of φ
  const double s2 = std::sqrt((-3 * kNsB + disc) / (10 * kNsC));  // local min of φ
  return {newton_schulz_polynomial(s2), newton_schulz_polynomial(s1)};
}

double iterate(double sigma, int steps) {
  for (int i = 0; i < steps; ++i)
    sigma = newton_schulz_polynomial(sigma);
  return sigma;
}

std::vector<double> singular_values(const torch::Tensor& m) {
  const torch::Tensor s = torch::linalg_svdvals(m.to(torch::kFloat64));
  return std::vector<double>(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
}

TEST(NewtonSchulz, TheQuinticBandIsWhereTheReferenceSaysItIs) {
  const Band band = quintic_band();
  EXPECT_NEAR(band.lo, 0.6818, 1e-4);
  EXPECT_NEAR(band.hi, 1.2024, 1e-4);
  // Invariance: φ maps the band into itself (checked on a fine grid).
  for (int i = 0; i <= 1000; ++i) {
    const double s = band.lo + (band.hi - band.lo) * i / 1000.0;
    EXPECT_GE(newton_schulz_polynomial(s), band.lo - 1e-12);
    EXPECT_LE(newton_schulz_polynomial(s), band.hi + 1e-12);
  }
}

// A Gaussian 16x64 matrix (and its transpose, the tall path) after 5 steps: every singular value
// in the band. Precondition, checked: its smallest normalised singular value (~0.15) reaches the
// band within 5 steps (anything above ~0.0015 does). Slack 1e-4 covers float32 rounding.
TEST(NewtonSchulz, Ns5OfARandomMatrixIsCloseToOrthogonal) {
  const Band band = quintic_band();
  at::Generator g = cpu_generator(3);
  const torch::Tensor wide = torch::randn({16, 64}, g);
  for (const torch::Tensor& m : {wide, wide.t().contiguous()}) {
    const auto in = singular_values(m / m.norm());
    ASSERT_GE(iterate(*std::min_element(in.begin(), in.end()), 5), band.lo);
    const torch::Tensor x = newton_schulz5(m, 5);
    EXPECT_EQ(x.scalar_type(), torch::kFloat32);
    EXPECT_EQ(x.sizes(), m.sizes());
    for (const double s : singular_values(x)) {
      EXPECT_GE(s, band.lo - 1e-4);
      EXPECT_LE(s, band.hi + 1e-4);
    }
  }
}

// The iteration keeps the singular vectors and maps each normalised singular value σ to φ⁵(σ):
// in float64 to ~1e-12 (the error of 5 steps of 64-bit matmuls, amplified at most ~3.4⁵ ≈ 490).
TEST(NewtonSchulz, ActsOnSingularValuesAsThePolynomial) {
  at::Generator g = cpu_generator(4);
  const torch::Tensor m = torch::randn({8, 20}, g).to(torch::kFloat64);
  const double norm = m.norm().item<double>() + 1e-7;
  std::vector<double> want;
  for (const double s : singular_values(m))
    want.push_back(iterate(s / norm, 5));
  std::sort(want.rbegin(), want.rend());
  const torch::Tensor x = newton_schulz5(m, 5);
  EXPECT_EQ(x.scalar_type(), torch::kFloat64);
  const auto got = singular_values(x);
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-10) << i;
  // The singular vectors are kept: X·Xᵀ and M·Mᵀ commute.
  const torch::Tensor xx = x.mm(x.t());
  const torch::Tensor mm = m.mm(m.t());
  EXPECT_LT((xx.mm(mm) - mm.mm(xx)).abs().max().item<double>(),
            1e-9 * mm.abs().max().item<double>());
}

TEST(NewtonSchulz, RejectsTensorsThatAreNot2D) {
  EXPECT_THROW(newton_schulz5(torch::ones({3}), 5), std::invalid_argument);
  EXPECT_THROW(newton_schulz5(torch::ones({2, 3, 4}), 5), std::invalid_argument);
}

}  // namespace
}  // namespace claimcheck::train::optim
