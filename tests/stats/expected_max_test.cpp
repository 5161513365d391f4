// Expected best of k trials against brute force in generate_reference.py: Dodge = mean of the
// max over all N^k draws with replacement, Tang = mean of the max over all C(N, k) subsets; the
// paired bootstrap of the Tang difference against numpy percentiles / scipy BCa on the same
// indices.
#include "harness/stats/expected_max.h"

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

// Brute force sums thousands of terms in another order: agree to ~1e-15; 1e-12 is generous
// while a wrong weight changes the value by >= 1e-3 here.
constexpr double kTol = 1e-12;

TEST(ExpectedMax, MatchesBruteForce) {
  const auto& ref = reference()["expected_max"];
  const auto v = numbers(ref["values"]);
  const auto dodge = numbers(ref["dodge"]);
  const auto tang = numbers(ref["tang"]);
  for (int k = 1; k <= static_cast<int>(v.size()); ++k) {
    EXPECT_TRUE(Near(expected_max_dodge(v, k), dodge[k - 1], kTol, kTol)) << "k " << k;
    EXPECT_TRUE(Near(expected_max_tang(v, k), tang[k - 1], kTol, kTol)) << "k " << k;
  }
}

TEST(ExpectedMax, EndsAndOrder) {
  const std::vector<double> v = {0.3, 0.9, 0.5, 0.7};
  EXPECT_DOUBLE_EQ(expected_max_tang(v, 1), 0.6);  // k = 1: the mean
  EXPECT_DOUBLE_EQ(expected_max_dodge(v, 1), 0.6);
  EXPECT_DOUBLE_EQ(expected_max_tang(v, 4), 0.9);  // k = N without replacement: the max
  EXPECT_LT(expected_max_dodge(v, 4), 0.9);        // with replacement: below the max
  EXPECT_LT(expected_max_tang(v, 2), expected_max_tang(v, 3));
}

TEST(ExpectedMax, PairedDifferenceExactIndices) {
  // Indices shared by both arms (same hyperparameter draw i); tolerance as in bootstrap_test.
  const auto& ref = reference()["expected_max"]["paired"];
  const auto a = numbers(ref["a"]), b = numbers(ref["b"]);
  const int k = ref["k"];
  ResampleIndices idx;
  for (const auto& row : ref["indices"])
    idx.push_back(row.get<std::vector<std::size_t>>());
  const PairedStatistic diff = [k](const std::vector<double>& x, const std::vector<double>& y) {
    return expected_max_tang(x, k) - expected_max_tang(y, k);
  };
  const BootstrapCi pct =
      paired_bootstrap_ci_from_indices(a, b, diff, idx, CiMethod::kPercentile, 0.95);
  const BootstrapCi bca = paired_bootstrap_ci_from_indices(a, b, diff, idx, CiMethod::kBca, 0.95);
  EXPECT_TRUE(Near(pct.estimate, ref["estimate"].get<double>(), 1e-12, 1e-12));
  EXPECT_TRUE(Near(pct.lo, ref["percentile_95"][0].get<double>(), 1e-9, 1e-9));
  EXPECT_TRUE(Near(pct.hi, ref["percentile_95"][1].get<double>(), 1e-9, 1e-9));
  EXPECT_TRUE(Near(bca.lo, ref["bca_95"][0].get<double>(), 1e-9, 1e-9));
  EXPECT_TRUE(Near(bca.hi, ref["bca_95"][1].get<double>(), 1e-9, 1e-9));

  // The library entry point resamples trial indices jointly: same as the generic paired bootstrap.
  BootstrapOptions opt;
  opt.resamples = 999;
  opt.seed = 8;
  const BootstrapCi lib = paired_expected_max_difference(a, b, k, opt);
  const BootstrapCi generic = paired_bootstrap_ci(a, b, diff, opt);
  EXPECT_EQ(lib.lo, generic.lo);
  EXPECT_EQ(lib.hi, generic.hi);
  EXPECT_TRUE(Near(lib.estimate, ref["estimate"].get<double>(), 1e-12, 1e-12));
}

TEST(ExpectedMax, CiAndFallbackAtKEqualsN) {
  const std::vector<double> v = {0.61, 0.72, 0.55, 0.72, 0.80, 0.66, 0.70, 0.59};
  BootstrapOptions opt;
  opt.resamples = 999;
  const BootstrapCi ci = expected_max_ci(v, 3, ExpectedMaxEstimator::kTang, opt);
  EXPECT_DOUBLE_EQ(ci.estimate, expected_max_tang(v, 3));
  EXPECT_EQ(ci.method, CiMethod::kBca);
  EXPECT_LE(ci.lo, ci.estimate);
  EXPECT_GE(ci.hi, ci.estimate);
  const BootstrapCi dodge = expected_max_ci(v, 3, ExpectedMaxEstimator::kDodge, opt);
  EXPECT_DOUBLE_EQ(dodge.estimate, expected_max_dodge(v, 3));
  const BootstrapCi full = expected_max_ci(v, 8, ExpectedMaxEstimator::kTang, opt);
  EXPECT_EQ(full.method, CiMethod::kPercentile);  // jackknife of N - 1 trials cannot take k = N
  EXPECT_NE(full.note.find("k < N"), std::string::npos) << full.note;
}

TEST(ExpectedMax, RejectsBadInput) {
  EXPECT_THROW(expected_max_tang({1, 2, 3}, 4), std::invalid_argument);  // k > N
  EXPECT_THROW(expected_max_dodge({1, 2, 3}, 0), std::invalid_argument);
  EXPECT_THROW(expected_max_tang({}, 1), std::invalid_argument);
  EXPECT_THROW(expected_max_dodge({1, NAN}, 1), std::invalid_argument);
  EXPECT_THROW(paired_expected_max_difference({1, 2}, {1, 2, 3}, 1), std::invalid_argument);
  try {
    expected_max_tang({1, 2, 3}, 4);
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("k > N"), std::string::npos) << e.what();
  }
}

TEST(ExpectedMax, DegenerateInputContract) {
  // Constant trials: the expected best is that value; N = k = 1 is the one trial.
  EXPECT_DOUBLE_EQ(expected_max_tang({0.9, 0.9, 0.9}, 2), 0.9);
  EXPECT_DOUBLE_EQ(expected_max_dodge({0.9, 0.9, 0.9}, 2), 0.9);
  EXPECT_EQ(expected_max_tang({0.4}, 1), 0.4);
  BootstrapOptions opt;
  opt.resamples = 99;
  const BootstrapCi ci = expected_max_ci({0.9, 0.9, 0.9}, 2, ExpectedMaxEstimator::kTang, opt);
  EXPECT_TRUE(ci.degenerate);
  EXPECT_DOUBLE_EQ(ci.lo, 0.9);
  const BootstrapCi same = paired_expected_max_difference({1, 2, 3}, {1, 2, 3}, 2, opt);
  EXPECT_TRUE(same.degenerate);  // identical arms: every resample's difference is 0
  EXPECT_EQ(same.lo, 0.0);
  EXPECT_TRUE(ThrowsNaming([] { expected_max_tang({}, 1); }, "expected_max_tang", "'values'"));
  EXPECT_TRUE(ThrowsNaming(
      [] {
        expected_max_dodge({1, NAN}, 1);
      },
      "expected_max_dodge", "'values'"));
  EXPECT_TRUE(ThrowsNaming([] { expected_max_ci({1, 2}, 3); }, "expected_max_ci", "'k'"));
  EXPECT_TRUE(ThrowsNaming(
      [] {
        paired_expected_max_difference({1, 2}, {1}, 1);
      },
      "paired_expected_max_difference", "lengths"));
}

}  // namespace
}  // namespace claimcheck::stats
