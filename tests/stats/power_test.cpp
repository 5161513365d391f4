// Seeds needed (Guenther-corrected normal approximation): the known answers in STATISTICS.md
// and the formula evaluated with scipy.stats.norm in generate_reference.py.
#include "harness/stats/power.h"

#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

#include "tests/stats/test_support.h"

namespace claimcheck::stats {
namespace {

using testing::Near;
using testing::reference;
using testing::ThrowsNaming;

TEST(Power, StatisticsMdKnownAnswers) {
  // STATISTICS.md: d_z 0.5 -> 34, 0.8 -> 15, 1.0 -> 10, 1.5 -> 6, 2.0 -> 4 (alpha 0.05
  // two-sided, power 0.8). Boost vs scipy normal quantiles: ~1e-15, so 1e-12 on n.
  const int expected[] = {34, 15, 10, 6, 4};
  int i = 0;
  for (const auto& row : reference()["power"]["two_sided"]) {
    const SeedsNeeded s = seeds_needed(row["dz"].get<double>() * 0.3, 0.3);
    EXPECT_EQ(s.seeds, expected[i++]);
    EXPECT_EQ(s.seeds, row["seeds"].get<int>());
    EXPECT_TRUE(Near(s.exact, row["exact"].get<double>(), 1e-12, 1e-12));
    EXPECT_TRUE(Near(s.effect_size, row["dz"].get<double>(), 1e-12, 1e-12));
  }
  PowerOptions one_sided;
  one_sided.alternative = Alternative::kGreater;
  EXPECT_TRUE(Near(seeds_needed(-0.5, 1.0, one_sided).exact,
                   reference()["power"]["one_sided_dz05"].get<double>(), 1e-12, 1e-12));
}

TEST(Power, BudgetCheckMatchesFormula) {
  for (const auto& row : reference()["power"]["budget"]) {
    const int seeds = row["seeds"];
    const double dz = row["dz"];
    const BudgetCheck b = check_budget(seeds, dz * 2.0, 2.0);
    EXPECT_TRUE(Near(b.power, row["power"].get<double>(), 1e-12, 1e-12)) << seeds;
    EXPECT_TRUE(
        Near(b.minimum_detectable_effect, 2.0 * row["mde_over_sd"].get<double>(), 1e-12, 1e-12));
    EXPECT_EQ(b.underpowered, row["power"].get<double>() < 0.8);
  }
}

TEST(Power, BudgetAtSeedsNeededIsJustEnough) {
  for (double dz : {0.5, 0.8, 1.0, 1.5, 2.0}) {
    const int n = seeds_needed(dz, 1.0).seeds;
    EXPECT_FALSE(check_budget(n, dz, 1.0).underpowered) << dz;
    if (n > 2) {
      EXPECT_TRUE(check_budget(n - 1, dz, 1.0).underpowered) << dz;
    }
    EXPECT_EQ(check_budget(n, dz, 1.0).seeds_needed, n);
  }
}

TEST(Power, RejectsBadInput) {
  EXPECT_THROW(seeds_needed(0.0, 1.0), std::invalid_argument);
  EXPECT_THROW(seeds_needed(0.5, 0.0), std::invalid_argument);
  EXPECT_THROW(seeds_needed(NAN, 1.0), std::invalid_argument);
  PowerOptions bad;
  bad.alpha = 1.0;
  EXPECT_THROW(seeds_needed(0.5, 1.0, bad), std::invalid_argument);
  EXPECT_THROW(check_budget(1, 0.5, 1.0), std::invalid_argument);
}

TEST(Power, DegenerateInputContract) {
  // Zero effect or zero sd: no finite design answers the question; typed errors naming the
  // argument (a constant-difference claim is decided without power).
  EXPECT_TRUE(ThrowsNaming([] { seeds_needed(0.0, 1.0); }, "seeds_needed", "'effect'"));
  EXPECT_TRUE(ThrowsNaming([] { seeds_needed(1.0, 0.0); }, "seeds_needed", "'sd'"));
  EXPECT_TRUE(ThrowsNaming([] { check_budget(5, 0.0, 1.0); }, "check_budget", "'margin'"));
  EXPECT_TRUE(ThrowsNaming([] { check_budget(5, 1.0, 0.0); }, "check_budget", "'sd'"));
  EXPECT_TRUE(ThrowsNaming([] { check_budget(1, 1.0, 1.0); }, "check_budget", "'seeds'"));
  EXPECT_TRUE(ThrowsNaming([] { seeds_needed(NAN, 1.0); }, "seeds_needed", "'effect'"));
  EXPECT_TRUE(ThrowsNaming([] { seeds_needed(1e-6, 1.0); }, "seeds_needed", "1e9"));
  // Extremes that overflow: typed errors, not Boost's overflow_error or an infinite d_z.
  EXPECT_TRUE(ThrowsNaming([] { seeds_needed(1.0, 1e-310); }, "seeds_needed", "effect size"));
  PowerOptions tiny;
  tiny.alpha = 1e-320;
  EXPECT_TRUE(ThrowsNaming([&] { seeds_needed(1.0, 1.0, tiny); }, "seeds_needed", "extreme"));
  EXPECT_TRUE(ThrowsNaming([&] { check_budget(5, 1.0, 1.0, tiny); }, "check_budget", "extreme"));
  // A huge effect needs the minimum, 2 seeds; a tiny budget has an infinite detectable effect.
  EXPECT_EQ(seeds_needed(1e6, 1.0).seeds, 2);
  PowerOptions strict;
  strict.alpha = 1e-4;
  EXPECT_EQ(check_budget(2, 1.0, 1.0, strict).minimum_detectable_effect, INFINITY);
}

}  // namespace
}  // namespace claimcheck::stats
