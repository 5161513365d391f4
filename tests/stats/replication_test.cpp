// Replication probability (STATISTICS.md, "Replication probability of a verdict"): the textbook
// values Φ(k/√2), the properties every answer must have, and the p condition's edges. The
// known answers of every kind, direction and design, computed independently in closed form by
// tests/stats/reference/replication_reference.py, are checked through the JSON reader in
// tests/claims/replication_test.cpp.
#include "harness/stats/replication.h"

#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

#include "harness/stats/rng.h"
#include "tests/stats/test_support.h"

namespace claimcheck::stats {
namespace {

using testing::ThrowsNaming;

double phi(double x) {
  return boost::math::cdf(boost::math::normal_distribution<double>(), x);
}

constexpr double kZ95 = 1.959963984540054;

// A "greater" superiority at margin 0 whose lower bound is k standard errors above 0, s = 1.
VerdictProbabilities k_past_zero(double k, const PCondition* p = nullptr) {
  const double lo = k;
  const double estimate = lo + kZ95;
  return replication_verdicts({lo, estimate + kZ95}, estimate, 1.0, HypothesisKind::kSuperiority,
                              Direction::kGreater, 0.0, p);
}

TEST(Replication, BoundKStandardErrorsPastItsThresholdReplicatesWithPhiOfKOverRootTwo) {
  // STATISTICS.md: 0.76 at k = 1, 0.95 at k ≈ 2.33, one half on the threshold.
  EXPECT_NEAR(k_past_zero(1.0).supported, 0.760249938907, 1e-11);
  EXPECT_NEAR(k_past_zero(std::sqrt(2.0) * 1.6448536269514722).supported, 0.95, 1e-11);
  EXPECT_NEAR(k_past_zero(0.0).supported, 0.5, 1e-12);
  for (const double k : {-2.0, -0.5, 0.3, 1.7, 3.0})
    EXPECT_NEAR(k_past_zero(k).supported, phi(k / std::sqrt(2.0)), 1e-12) << "k = " << k;
}

TEST(Replication, ATestAsSharpAsTheIntervalAddsNothing) {
  // p from the same normal model: the condition's edge (estimate > 1.96 s) is the interval's.
  for (const double k : {0.5, 1.0, 2.0}) {
    const double estimate = k + kZ95;
    const double p = 2.0 * (1.0 - phi(estimate));
    const PCondition c =
        p_condition(estimate, p, p, 0.05, HypothesisKind::kSuperiority, 0.0, 0.0, 1.0);
    EXPECT_NEAR(c.half_width, kZ95, 1e-9);
    EXPECT_NEAR(k_past_zero(k, &c).supported, k_past_zero(k).supported, 1e-9);
  }
}

TEST(Replication, HolmRaisesTheCriticalValueAndLowersTheProbability) {
  const double estimate = 1.0 + kZ95;
  const double p = 2.0 * (1.0 - phi(estimate));
  const PCondition one = p_condition(estimate, p, p, 0.05, HypothesisKind::kSuperiority, 0, 0, 1);
  const PCondition four =
      p_condition(estimate, p, 4 * p, 0.05, HypothesisKind::kSuperiority, 0, 0, 1);
  // c = 4: z_h = Φ⁻¹(1 − 0.05/8) = 2.4977, so the bound sits 0.4623 s nearer the edge.
  EXPECT_NEAR(four.half_width, 2.497705474412, 1e-9);
  const double with_holm = k_past_zero(1.0, &four).supported;
  EXPECT_NEAR(with_holm, phi((estimate - four.half_width) / std::sqrt(2.0)), 1e-12);
  EXPECT_LT(with_holm, k_past_zero(1.0, &one).supported);
}

TEST(Replication, ABluntTestKeepsItsBluntness) {
  // A permutation p of 0.04 where the interval would imply 0.0031: the test's own standard error
  // (|d̂| / Φ⁻¹(1 − 0.02) = 1.4389) decides, not the interval's.
  const double estimate = 1.0 + kZ95;
  const PCondition c =
      p_condition(estimate, 0.04, 0.04, 0.05, HypothesisKind::kSuperiority, 0.0, 0.0, 1.0);
  const double s_p = estimate / 2.053748910631823;
  EXPECT_NEAR(c.half_width, kZ95 * s_p, 1e-9);
  EXPECT_NEAR(k_past_zero(1.0, &c).supported, phi((estimate - kZ95 * s_p) / std::sqrt(2.0)), 1e-12);
}

TEST(Replication, ProbabilitiesSumToOneForEveryKindDirectionAndCondition) {
  Rng rng(20261204);
  for (int i = 0; i < 3000; ++i) {
    const double estimate = 3.0 * rng.normal();
    const double se = 0.05 + rng.uniform();
    const double lo = estimate - se * (1.5 + rng.uniform());
    const double hi = estimate + se * (1.5 + rng.uniform());
    const double margin = rng.uniform() * 2.0 + (i % 3 == 2 ? 0.01 : 0.0);
    const auto kind = static_cast<HypothesisKind>(i % 3);
    const auto direction = static_cast<Direction>((i / 3) % 2);
    const PCondition c = p_condition(estimate, rng.uniform(), std::min(1.0, 3 * rng.uniform()),
                                     0.05, kind, margin, margin, se);
    for (const PCondition* p : {static_cast<const PCondition*>(nullptr), &c}) {
      const VerdictProbabilities v =
          replication_verdicts({lo, hi}, estimate, se, kind, direction, margin, p);
      EXPECT_NEAR(v.supported + v.refuted + v.inconclusive, 1.0, 1e-12) << "case " << i;
      EXPECT_GE(v.supported, 0.0);
      EXPECT_GE(v.refuted, 0.0);
      EXPECT_GE(v.inconclusive, 0.0);
    }
  }
}

TEST(Replication, MonteCarloAgreesWithTheSegments) {
  // Equivalence, direction less, with a TOST condition: 200,000 seeded draws of Δ ~ N(0, 2s²);
  // 4 binomial sd at p ≈ 0.5 is 0.0045.
  const Interval ci{-0.3, 0.5};
  const double estimate = 0.1, se = 0.2, margin = 0.6;
  const PCondition c =
      p_condition(estimate, 0.02, 0.04, 0.05, HypothesisKind::kEquivalence, 0.0, margin, se);
  const VerdictProbabilities v = replication_verdicts(
      ci, estimate, se, HypothesisKind::kEquivalence, Direction::kLess, margin, &c);
  Rng rng(7);
  int supported = 0, refuted = 0;
  constexpr int kDraws = 200000;
  for (int i = 0; i < kDraws; ++i) {
    const double d = std::sqrt(2.0) * se * rng.normal();
    Verdict verdict =
        decide({ci.lo + d, ci.hi + d}, HypothesisKind::kEquivalence, Direction::kLess, margin);
    if (verdict != Verdict::kInconclusive && !c.passes(estimate + d, margin))
      verdict = Verdict::kInconclusive;
    supported += verdict == Verdict::kSupported;
    refuted += verdict == Verdict::kRefuted;
  }
  EXPECT_NEAR(v.supported, static_cast<double>(supported) / kDraws, 0.0045);
  EXPECT_NEAR(v.refuted, static_cast<double>(refuted) / kDraws, 0.0045);
}

TEST(Replication, EquivalenceWiderThanTwiceTheMarginIsNeverSupported) {
  const VerdictProbabilities v = replication_verdicts(
      {-1.0, 1.2}, 0.1, 0.5, HypothesisKind::kEquivalence, Direction::kGreater, 0.5);
  EXPECT_EQ(v.supported, 0.0);
  EXPECT_GT(v.refuted, 0.0);
}

TEST(Replication, ZeroStandardErrorRepeatsTheVerdict) {
  const VerdictProbabilities v = replication_verdicts(
      {0.3, 0.3}, 0.3, 0.0, HypothesisKind::kSuperiority, Direction::kGreater, 0.1);
  EXPECT_EQ(v.supported, 1.0);
  EXPECT_EQ(v.of(Verdict::kSupported), 1.0);
  EXPECT_EQ(v.of(Verdict::kRefuted), 0.0);
}

TEST(Replication, ImpliedSeIsTheIntervalsHalfWidthOverZ) {
  EXPECT_NEAR(implied_se({1.0, 1.0 + 2 * kZ95}, 0.95), 1.0, 1e-12);
  EXPECT_NEAR(implied_se({0.0, 2 * 2.5758293035489}, 0.99), 1.0, 1e-12);
  EXPECT_EQ(implied_se({0.5, 0.5}, 0.95), 0.0);
}

TEST(Replication, BadInputThrowsNamingTheArgument) {
  EXPECT_TRUE(ThrowsNaming(
      [] {
        replication_verdicts({0, 1}, 0.5, -1.0, HypothesisKind::kSuperiority, Direction::kGreater,
                             0);
      },
      "replication_verdicts", "se"));
  EXPECT_TRUE(ThrowsNaming(
      [] {
        replication_verdicts({0, 1}, 0.5, NAN, HypothesisKind::kSuperiority, Direction::kGreater,
                             0);
      },
      "replication_verdicts", "se"));
  EXPECT_TRUE(ThrowsNaming(
      [] {
        replication_verdicts({1, 0}, 0.5, 1.0, HypothesisKind::kSuperiority, Direction::kGreater,
                             0);
      },
      "decide", "ci"));
  EXPECT_TRUE(ThrowsNaming([] { implied_se({0, 1}, 1.0); }, "implied_se", "confidence"));
  EXPECT_TRUE(
      ThrowsNaming([] { p_condition(0.5, 1.5, 1.5, 0.05, HypothesisKind::kSuperiority, 0, 0, 1); },
                   "p_condition", "p"));
  EXPECT_TRUE(
      ThrowsNaming([] { p_condition(0.5, 0.5, 0.5, 0.0, HypothesisKind::kSuperiority, 0, 0, 1); },
                   "p_condition", "alpha"));
}

}  // namespace
}  // namespace claimcheck::stats
