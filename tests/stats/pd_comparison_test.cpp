// Seed-level comparison of arms' prediction differences (harness/stats/pd_comparison.h) against
// tests/stats/reference/pd_comparison_reference.json, written by pd_comparison_reference.py
// (numpy; the paired swap test enumerated there with itertools.product, see its docstring),
// plus the shared swap-pattern loop's contract.
#include "harness/stats/pd_comparison.h"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/stats/pd_inference.h"
#include "harness/stats/rng.h"
#include "tests/stats/test_support.h"

namespace claimcheck::stats {
namespace {

using testing::Near;
using testing::numbers;
using testing::ThrowsNaming;

const nlohmann::json& pd_reference() {
  static const nlohmann::json j = [] {
    std::ifstream in(std::string(CLAIMCHECK_SOURCE_DIR) +
                     "/tests/stats/reference/pd_comparison_reference.json");
    if (!in) throw std::runtime_error("pd_comparison_reference.json not found");
    return nlohmann::json::parse(in);
  }();
  return j;
}

PairwiseDifferences pooled_of(const nlohmann::json& c) {
  const std::size_t m = c["seeds"];
  return {2 * m, numbers(c["pooled"])};
}

// Rows and columns [from, from + m) of a pooled matrix: one arm's M x M matrix.
PairwiseDifferences block(const PairwiseDifferences& pooled, std::size_t from, std::size_t m) {
  PairwiseDifferences out{m, std::vector<double>(m * m)};
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j)
      out.d[i * m + j] = pooled.at(from + i, from + j);
  return out;
}

TEST(PdComparison, SwapTestExactMatchesEnumeration) {
  // Exact p are counts / 2^M: equal unless a count differs, so compared exactly; the statistic
  // differs from numpy's only in summation order (1e-15 absolute on values ~0.1-0.5).
  for (const auto& c : pd_reference()["swap_exact"]) {
    const std::size_t m = c["seeds"];
    const PermutationResult r = pd_paired_swap_test(pooled_of(c), m);
    EXPECT_TRUE(r.exact) << m;
    EXPECT_EQ(r.arrangements, c["arrangements"].get<long long>());
    EXPECT_EQ(r.p, c["p"].get<double>()) << "M = " << m;
    EXPECT_TRUE(Near(r.statistic, c["statistic"].get<double>(), 1e-15, 1e-12)) << m;
  }
}

TEST(PdComparison, SwapTestSampledApproachesExactP) {
  // M = 14: 2^14 > max(8192, 9999), so 9999 random patterns. Their p estimates the exact one
  // (numpy, 2^14 patterns) with sd sqrt(p(1 - p)/B) per tail, doubled two-sided: 5 sd
  // (about 0.013 here) is crossed with probability < 1e-6; seeded, so deterministic anyway.
  const auto& c = pd_reference()["swap_sampled"];
  PermutationOptions opt;
  opt.resamples = 9999;
  opt.seed = 17;
  const PermutationResult r = pd_paired_swap_test(pooled_of(c), 14, opt);
  EXPECT_FALSE(r.exact);
  EXPECT_EQ(r.arrangements, 9999);
  const double p = c["p"];
  EXPECT_TRUE(Near(r.p, p, 5.0 * 2.0 * std::sqrt(p / 2.0 * (1.0 - p / 2.0) / 9999.0), 0.0));
  EXPECT_TRUE(Near(r.statistic, c["statistic"].get<double>(), 1e-15, 1e-12));
}

TEST(PdComparison, ComparePairIsBootstrapOfDifferenceAndSwapTest) {
  const auto& c = pd_reference()["swap_exact"][2];
  const std::size_t m = c["seeds"];
  const PairwiseDifferences pooled = pooled_of(c);
  const PairwiseDifferences a = block(pooled, 0, m);
  const PairwiseDifferences b = block(pooled, m, m);
  PdPairOptions opt;
  opt.resamples = 999;
  opt.bootstrap_seed = 3;
  const PdPairComparison r = compare_pd_pair(a, b, pooled, opt);
  // The estimate is mean PD(A) − mean PD(B), the swap test's observed statistic.
  EXPECT_TRUE(Near(r.ci.estimate, c["statistic"].get<double>(), 1e-15, 1e-12));
  EXPECT_EQ(r.test.p, c["p"].get<double>());
  BootstrapOptions boot;
  boot.resamples = 999;
  boot.seed = 3;
  const BootstrapCi direct = pd_bootstrap_ci(pd_matrix_difference(a, b), boot);
  EXPECT_EQ(r.ci.lo, direct.lo);
  EXPECT_EQ(r.ci.hi, direct.hi);
  EXPECT_LE(r.ci.lo, r.ci.estimate);
  EXPECT_GE(r.ci.hi, r.ci.estimate);
}

TEST(PdComparison, UpperTriangleAndDifference) {
  const PairwiseDifferences a{3, {0, 1, 2, 1, 0, 3, 2, 3, 0}};
  const PairwiseDifferences b{3, {0, 0.5, 0.25, 0.5, 0, 1, 0.25, 1, 0}};
  EXPECT_EQ(pd_upper_triangle(a), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(pd_upper_triangle(pd_matrix_difference(a, b)), (std::vector<double>{0.5, 1.75, 2}));
  const PairwiseDifferences two{2, {0, 1, 1, 0}};
  EXPECT_TRUE(ThrowsNaming([&] { pd_matrix_difference(a, two); }, "pd_matrix_difference",
                           "different seed counts (3, 2)"));
}

TEST(PdComparison, CoefficientOfVariationMatchesNumpy) {
  const auto& c = pd_reference()["cv"];
  EXPECT_TRUE(Near(coefficient_of_variation(numbers(c["values"])), c["cv"], 1e-15, 1e-13));
}

TEST(PdComparison, CvBootstrapWithTwoSeedsIsThePoint) {
  // Two seeds: every self-pair-free resample holds both, so each replicate is the observed CV.
  const auto& c = pd_reference()["cv_two_seeds"];
  std::vector<PairwiseDifferences> arms;
  for (const double pd : numbers(c["pds"]))
    arms.push_back({2, {0.0, pd, pd, 0.0}});
  PdCvOptions opt;
  opt.resamples = c["resamples"];
  opt.seed = 5;
  const PdCvResult above = pd_cv_bootstrap(arms, c["bound_above"], opt);
  EXPECT_TRUE(Near(above.ci.estimate, c["cv"], 1e-15, 1e-13));
  EXPECT_EQ(above.ci.lo, above.ci.estimate);
  EXPECT_EQ(above.ci.hi, above.ci.estimate);
  EXPECT_EQ(above.ci.method, CiMethod::kPercentile);
  EXPECT_DOUBLE_EQ(above.p, c["p_above"].get<double>());
  EXPECT_DOUBLE_EQ(pd_cv_bootstrap(arms, c["bound_below"], opt).p, c["p_below"].get<double>());
}

TEST(PdComparison, CvBootstrapIntervalBracketsEstimate) {
  Rng rng(9);
  std::vector<PairwiseDifferences> arms;
  for (int k = 0; k < 3; ++k) {
    PairwiseDifferences pd{5, std::vector<double>(25, 0.0)};
    for (std::size_t i = 0; i < 5; ++i)
      for (std::size_t j = i + 1; j < 5; ++j)
        pd.d[i * 5 + j] = pd.d[j * 5 + i] = 0.2 + 0.05 * k + 0.02 * rng.uniform();
    arms.push_back(pd);
  }
  PdCvOptions opt;
  opt.resamples = 1999;
  const PdCvResult r = pd_cv_bootstrap(arms, 1.0, opt);
  EXPECT_LT(r.ci.lo, r.ci.estimate);
  EXPECT_GT(r.ci.hi, r.ci.estimate);
  EXPECT_LT(r.ci.hi, 1.0);
  EXPECT_DOUBLE_EQ(r.p, 2.0 / 2000.0);                        // every replicate below the bound 1
  EXPECT_EQ(pd_cv_bootstrap(arms, 1.0, opt).ci.lo, r.ci.lo);  // seeded: reproducible
}

TEST(PdComparison, DegenerateInputThrows) {
  const PairwiseDifferences three{3, {0, 1, 2, 1, 0, 3, 2, 3, 0}};
  const PairwiseDifferences two{2, {0, 1, 1, 0}};
  EXPECT_TRUE(
      ThrowsNaming([&] { pd_paired_swap_test(three, 2); }, "pd_paired_swap_test", "2 x 'seeds'"));
  EXPECT_TRUE(ThrowsNaming(
      [&] {
        pd_cv_bootstrap({three, two}, 0.1);
      },
      "pd_cv_bootstrap", "different seed counts"));
  EXPECT_TRUE(ThrowsNaming([&] { pd_cv_bootstrap({}, 0.1); }, "pd_cv_bootstrap", "'arms'"));
  PdCvOptions none;
  none.resamples = 0;
  EXPECT_TRUE(
      ThrowsNaming([&] { pd_cv_bootstrap({three}, 0.1, none); }, "pd_cv_bootstrap", "resamples"));
  PdCvOptions bad_alpha;
  bad_alpha.alpha = 1.0;
  EXPECT_TRUE(
      ThrowsNaming([&] { pd_cv_bootstrap({three}, 0.1, bad_alpha); }, "pd_cv_bootstrap", "alpha"));
}

TEST(SwapPatterns, ExactEnumeratesEveryPatternOnce) {
  std::set<std::vector<bool>> seen;
  const auto record = [&](const SwapPattern& s) {
    std::vector<bool> bits(5);
    for (std::size_t i = 0; i < 5; ++i)
      bits[i] = s.swapped(i);
    seen.insert(bits);
    return 0.0;
  };
  const PermutationResult r = swap_pattern_test(5, 0.0, record, {}, SwapDraw::kPerPair);
  EXPECT_TRUE(r.exact);
  EXPECT_EQ(r.arrangements, 32);
  EXPECT_EQ(seen.size(), 32U);
  EXPECT_EQ(r.p, 1.0);  // a constant statistic: every pattern ties
}

TEST(SwapPatterns, RandomDrawsFollowTheirStatedRngUse) {
  // kPerPair: one uniform_int(2) per pair; kWords: next_u64 bits, lowest first.
  for (const SwapDraw draw : {SwapDraw::kPerPair, SwapDraw::kWords}) {
    const std::size_t pairs = 70;  // two words
    PermutationOptions opt;
    opt.resamples = 3;
    opt.seed = 21;
    Rng rng(opt.seed);
    int mismatches = 0;
    const auto check = [&](const SwapPattern& s) {
      std::vector<std::uint64_t> words(2);
      for (auto& w : words)
        w = draw == SwapDraw::kWords ? rng.next_u64() : 0;
      for (std::size_t i = 0; i < pairs; ++i) {
        const bool want = draw == SwapDraw::kWords ? ((words[i / 64] >> (i % 64)) & 1U) != 0
                                                   : rng.uniform_int(2) == 1;
        mismatches += want == s.swapped(i) ? 0 : 1;
      }
      return 0.0;
    };
    const PermutationResult r = swap_pattern_test(pairs, 0.0, check, opt, draw);
    EXPECT_FALSE(r.exact);
    EXPECT_EQ(mismatches, 0);
  }
}

}  // namespace
}  // namespace claimcheck::stats
