// Probability of improvement: Mann-Whitney form against scipy 1.10.1 mannwhitneyu U / (n_a n_b);
// paired win rate by hand. The bootstrap CIs themselves are checked exactly in
// bootstrap_test.cpp (paired_win_rate, two_sample_mann_whitney cases).
#include "harness/stats/improvement.h"

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

TEST(Improvement, MannWhitneyMatchesScipy) {
  const auto& ref = reference()["improvement"];
  const auto a = numbers(ref["a"]), b = numbers(ref["b"]);
  // Sums of 1 and 1/2 over 56 pairs divided by 56: exact in binary up to one rounding.
  EXPECT_TRUE(Near(mann_whitney_probability(a, b), ref["mann_whitney"].get<double>(), 1e-15, 0));
  const std::vector<double> b7(b.begin(), b.begin() + 7);
  EXPECT_DOUBLE_EQ(paired_win_rate(a, b7), ref["paired_win_rate_first7"].get<double>());
}

TEST(Improvement, ByHandTiesCountHalf) {
  // a = {1, 2}, b = {1, 0}: pairs (1,1) tie 1/2, (1,0) win, (2,1) win, (2,0) win -> 3.5 / 4.
  EXPECT_DOUBLE_EQ(mann_whitney_probability({1, 2}, {1, 0}), 3.5 / 4.0);
  // Paired: 1 vs 1 is a tie (1/2), 2 vs 0 a win -> 1.5 / 2.
  EXPECT_DOUBLE_EQ(paired_win_rate({1, 2}, {1, 0}), 0.75);
  EXPECT_DOUBLE_EQ(paired_win_rate({1, 1, 1, 1}, {1, 1, 1, 1}), 0.5);
}

TEST(Improvement, PairedUsesJointBootstrapAndMeaningfulRule) {
  const std::vector<double> a = {0.9, 0.8, 0.85, 0.7, 0.95, 0.88, 0.81, 0.79, 0.93, 0.86};
  std::vector<double> b = a;
  for (double& v : b)
    v -= 0.01;  // a wins every pair
  BootstrapOptions opt;
  opt.resamples = 999;
  const ImprovementResult all = paired_probability_of_improvement(a, b, opt);
  EXPECT_EQ(all.probability, 1.0);
  EXPECT_TRUE(all.ci.degenerate);  // every joint resample is all wins as well
  EXPECT_TRUE(all.meaningful);     // P = 1 >= 0.75 and lo = 1 > 0.5
  const BootstrapCi same = paired_bootstrap_ci(a, b, paired_win_rate, opt);
  EXPECT_EQ(all.ci.lo, same.lo);

  b[0] = 1.0;  // four losses: 6 of 10 wins, P = 0.6; CI from the same joint bootstrap
  b[1] = 1.0;
  b[2] = 1.0;
  b[3] = 1.0;
  const ImprovementResult six = paired_probability_of_improvement(a, b, opt);
  EXPECT_DOUBLE_EQ(six.probability, 0.6);
  EXPECT_FALSE(six.meaningful);  // 0.6 < 0.75
  EXPECT_EQ(six.ci.lo, paired_bootstrap_ci(a, b, paired_win_rate, opt).lo);
}

TEST(Improvement, MannWhitneyBootstrapIsTwoSample) {
  const std::vector<double> a = {3, 4, 5, 6, 7}, b = {1, 2, 3, 4};
  BootstrapOptions opt;
  opt.resamples = 500;
  const ImprovementResult r = probability_of_improvement(a, b, opt);
  // By hand: a = 3 -> 2.5, 4 -> 3.5, 5, 6, 7 -> 4 each: U = 18 of 20 pairs.
  EXPECT_DOUBLE_EQ(r.probability, 18.0 / 20.0);
  EXPECT_EQ(r.ci.lo, two_sample_bootstrap_ci(a, b, mann_whitney_probability, opt).lo);
}

TEST(Improvement, RejectsBadInput) {
  EXPECT_THROW(paired_win_rate({1, 2}, {1}), std::invalid_argument);
  EXPECT_THROW(mann_whitney_probability({}, {1}), std::invalid_argument);
  EXPECT_THROW(probability_of_improvement({1, NAN}, {1, 2}), std::invalid_argument);
}

TEST(Improvement, DegenerateInputContract) {
  // Identical arms: every pair ties, P = 1/2 exactly; constant data: a degenerate point CI that
  // is never "meaningful".
  EXPECT_EQ(paired_win_rate({1, 2, 3}, {1, 2, 3}), 0.5);
  EXPECT_EQ(mann_whitney_probability({1, 2, 3}, {3, 2, 1}), 0.5);
  BootstrapOptions opt;
  opt.resamples = 99;
  const ImprovementResult same = paired_probability_of_improvement({2, 2, 2}, {2, 2, 2}, opt);
  EXPECT_EQ(same.probability, 0.5);
  EXPECT_TRUE(same.ci.degenerate);
  EXPECT_FALSE(same.meaningful);
  const ImprovementResult all = probability_of_improvement({3, 3}, {1, 1}, opt);
  EXPECT_EQ(all.probability, 1.0);
  EXPECT_TRUE(all.ci.degenerate);
  EXPECT_TRUE(ThrowsNaming([] { paired_win_rate({}, {}); }, "paired_win_rate", "'a'"));
  EXPECT_TRUE(ThrowsNaming([] { mann_whitney_probability({1}, {NAN}); }, "mann_whitney_probability",
                           "'b'"));
}

}  // namespace
}  // namespace claimcheck::stats
