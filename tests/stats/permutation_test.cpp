// Paired sign-flip permutation test against scipy 1.10.1 permutation_test(permutation_type=
// 'samples', n_resamples=inf), i.e. the exact test over all 2^n sign vectors.
#include "harness/stats/permutation.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "tests/stats/test_support.h"

namespace claimcheck::stats {
namespace {

using testing::Near;
using testing::numbers;
using testing::reference;
using testing::ThrowsNaming;

TEST(Permutation, ExactMatchesScipy) {
  // Exact p are counts / 2^n: only the summation order differs, so 1e-12 is generous.
  for (const auto& c : reference()["permutation"]) {
    const int n = c["n"];
    for (const char* alt : {"two-sided", "greater", "less"}) {
      PermutationOptions opt;
      opt.alternative = alternative_from_string(alt);
      opt.resamples = 1 << 16;  // 2^16 >= 2^n for every case: exact even at n = 16
      const PermutationResult r = paired_permutation_test(numbers(c["a"]), numbers(c["b"]), opt);
      EXPECT_TRUE(r.exact) << n;
      EXPECT_EQ(r.arrangements, 1LL << n);
      EXPECT_TRUE(Near(r.p, c["p"][alt].get<double>(), 1e-12, 1e-12)) << "n " << n << " " << alt;
      EXPECT_TRUE(Near(r.statistic, c["statistic"].get<double>(), 1e-12, 1e-12));
    }
  }
}

TEST(Permutation, DefaultIsExactUpToThirteenPairs) {
  const auto& cases = reference()["permutation"];
  for (const auto& c : cases) {
    const int n = c["n"];
    const PermutationResult r = paired_permutation_test(numbers(c["a"]), numbers(c["b"]));
    EXPECT_EQ(r.exact, n <= 13) << n;
    EXPECT_EQ(r.arrangements, n <= 13 ? (1LL << n) : 9999) << n;
  }
}

TEST(Permutation, SampledMatchesExactWithinMonteCarloError) {
  // n = 16: 65,536 arrangements > 9,999, so B = 9,999 random sign vectors and p = (b+1)/(B+1).
  // Reference: scipy's exact p. Tolerance 5 binomial SEs sqrt(p(1-p)/B) plus the +1 bias
  // 1/(B+1); flake budget ~6e-7 under another seed.
  const auto& c = reference()["permutation"][3];
  ASSERT_EQ(c["n"].get<int>(), 16);
  for (const char* alt : {"two-sided", "greater", "less"}) {
    PermutationOptions opt;
    opt.alternative = alternative_from_string(alt);
    opt.seed = 17;
    const PermutationResult r = paired_permutation_test(numbers(c["a"]), numbers(c["b"]), opt);
    const double p = c["p"][alt];
    const double se = std::sqrt(p * (1 - p) / 9999.0) * (alt == std::string("two-sided") ? 2 : 1);
    EXPECT_FALSE(r.exact);
    EXPECT_TRUE(Near(r.p, p, 5 * se + 2.0 / 10000.0, 0.0)) << alt;
    EXPECT_GT(r.p, 0.0);  // Phipson & Smyth: never 0
    EXPECT_EQ(r.p, paired_permutation_test(numbers(c["a"]), numbers(c["b"]), opt).p);
  }
}

TEST(Permutation, ByHandSmallestP) {
  // All 4 differences positive: only the identity reaches the observed mean, p_greater = 1/16,
  // p_less = 1, two-sided = 2/16.
  const std::vector<double> a = {1.1, 2.2, 3.3, 4.4}, b = {1.0, 2.0, 3.0, 4.0};
  PermutationOptions opt;
  EXPECT_DOUBLE_EQ(paired_permutation_test(a, b, opt).p, 2.0 / 16.0);
  opt.alternative = Alternative::kGreater;
  EXPECT_DOUBLE_EQ(paired_permutation_test(a, b, opt).p, 1.0 / 16.0);
  opt.alternative = Alternative::kLess;
  EXPECT_DOUBLE_EQ(paired_permutation_test(a, b, opt).p, 1.0);
}

TEST(SwapPermutation, MeanDifferenceEqualsScipysSignFlipTest) {
  // Swapping a_i and b_i negates d_i: for stat = mean(a) − mean(b) the exact swap test is the
  // exact sign-flip test, so scipy's exact p (reference.json) is a known answer here too.
  const PairedStatistic mean_difference = [](const std::vector<double>& x,
                                             const std::vector<double>& y) {
    double s = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i)
      s += x[i] - y[i];
    return s / static_cast<double>(x.size());
  };
  for (const auto& c : reference()["permutation"]) {
    const int n = c["n"];
    for (const char* alt : {"two-sided", "greater", "less"}) {
      PermutationOptions opt;
      opt.alternative = alternative_from_string(alt);
      opt.resamples = 1 << 16;  // exact for every reference case
      const PermutationResult r =
          paired_swap_permutation_test(numbers(c["a"]), numbers(c["b"]), mean_difference, opt);
      EXPECT_TRUE(r.exact);
      EXPECT_TRUE(Near(r.p, c["p"][alt].get<double>(), 1e-12, 1e-12)) << "n " << n << " " << alt;
    }
  }
}

TEST(SwapPermutation, SampledIsSeededAndNeverZero) {
  // 20 pairs: 2^20 > 9,999, so B = 9,999 random swap patterns; a statistic other than the mean
  // (difference of maxima), all pairs favouring a: p_greater must be small but (b+1)/(B+1) > 0.
  std::vector<double> a(20);
  std::vector<double> b(20);
  for (int i = 0; i < 20; ++i) {
    a[static_cast<std::size_t>(i)] = 1.0 + 0.1 * i;
    b[static_cast<std::size_t>(i)] = 0.5 + 0.1 * i;
  }
  const PairedStatistic max_difference = [](const std::vector<double>& x,
                                            const std::vector<double>& y) {
    return *std::max_element(x.begin(), x.end()) - *std::max_element(y.begin(), y.end());
  };
  PermutationOptions opt;
  opt.alternative = Alternative::kGreater;
  opt.seed = 5;
  const PermutationResult r = paired_swap_permutation_test(a, b, max_difference, opt);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.arrangements, 9999);
  // By hand: a statistic >= the observed 2.9 − 2.4 needs pair 19 unswapped (else a_19 = 2.9 is
  // on the b side) and pairs 15-18 unswapped (else some a_j > 2.4 raises max(y)): P = 2^-5.
  // Tolerance: 5 binomial SEs sqrt(p(1-p)/B) plus the (b+1)/(B+1) bias; flake ~6e-7 per seed.
  const double p = 1.0 / 32.0;
  EXPECT_NEAR(r.p, p, 5.0 * std::sqrt(p * (1.0 - p) / 9999.0) + 1.0 / 10000.0);
  EXPECT_GT(r.p, 0.0);
  EXPECT_EQ(r.p, paired_swap_permutation_test(a, b, max_difference, opt).p);
  EXPECT_THROW(paired_swap_permutation_test(a, {1.0}, max_difference), std::invalid_argument);
}

TEST(Permutation, RejectsBadInput) {
  EXPECT_THROW(paired_permutation_test({}, {}), std::invalid_argument);
  EXPECT_THROW(paired_permutation_test({1, 2}, {1}), std::invalid_argument);
  EXPECT_THROW(paired_permutation_test({1, NAN}, {1, 2}), std::invalid_argument);
  PermutationOptions opt;
  opt.resamples = 0;
  EXPECT_THROW(paired_permutation_test({1, 2}, {0, 1}, opt), std::invalid_argument);
}

TEST(Permutation, DegenerateInputContract) {
  // Zero spread: all differences 0, every arrangement ties with the observed one, p = 1.
  const PermutationResult zero = paired_permutation_test({0.5, 0.5, 0.5}, {0.5, 0.5, 0.5});
  EXPECT_TRUE(zero.exact);
  EXPECT_EQ(zero.p, 1.0);
  // n = 1: two arrangements, exact; the two-sided p cannot go below 1.
  const PermutationResult one = paired_permutation_test({2.0}, {1.0});
  EXPECT_EQ(one.arrangements, 2);
  EXPECT_EQ(one.p, 1.0);
  const PairedStatistic constant = [](const std::vector<double>&, const std::vector<double>&) {
    return 3.0;
  };
  EXPECT_EQ(paired_swap_permutation_test({1, 2, 3}, {4, 5, 7}, constant).p, 1.0);
  // NaN and overflow: typed errors (a NaN statistic used to count nowhere, giving p = 0).
  EXPECT_TRUE(ThrowsNaming(
      [] {
        paired_permutation_test({1e308, 1}, {-1e308, 0});
      },
      "paired_permutation_test", "a - b"));
  EXPECT_TRUE(ThrowsNaming(
      [] {
        paired_permutation_test({1e308, 1e308}, {0, 0});
      },
      "paired_permutation_test", "|a - b|"));
  const PairedStatistic nan_stat = [](const std::vector<double>& a, const std::vector<double>&) {
    return a[0] > 1.5 ? NAN : 0.0;
  };
  EXPECT_TRUE(ThrowsNaming(
      [&] {
        paired_swap_permutation_test({1, 2}, {2, 1}, nan_stat);
      },
      "paired_swap_permutation_test", "swapped"));
  EXPECT_TRUE(ThrowsNaming([] { paired_swap_permutation_test({1}, {2}, PairedStatistic{}); },
                           "paired_swap_permutation_test", "'stat'"));
  EXPECT_TRUE(ThrowsNaming([] { PermutationTally tally(NAN); }, "PermutationTally", "observed"));
  EXPECT_TRUE(
      ThrowsNaming([] { permutation_tolerance(INFINITY); }, "permutation_tolerance", "'observed'"));
  PermutationTally tally(0.0);
  EXPECT_TRUE(ThrowsNaming([&] { tally.add(NAN); }, "PermutationTally::add", "statistic"));
  EXPECT_TRUE(ThrowsNaming([] { permutation_p(0, 0, 0, true, Alternative::kTwoSided); },
                           "permutation_p", "'total'"));
  EXPECT_TRUE(ThrowsNaming([] { permutation_p(5, 0, 4, true, Alternative::kLess); },
                           "permutation_p", "counts"));
}

}  // namespace
}  // namespace claimcheck::stats
