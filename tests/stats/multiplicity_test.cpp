// Holm and Benjamini-Hochberg against statsmodels 0.13.5 multipletests('holm' / 'fdr_bh').
#include "harness/stats/multiplicity.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "tests/stats/test_support.h"

namespace claimcheck::stats {
namespace {

using testing::AllNear;
using testing::numbers;
using testing::reference;
using testing::ThrowsNaming;

TEST(Multiplicity, MatchStatsmodels) {
  // Products and minima of the same doubles: exact up to rounding of m * p / j, hence 1e-15.
  const auto& ref = reference()["multiplicity"];
  const auto p = numbers(ref["p"]);
  EXPECT_TRUE(AllNear(holm(p), numbers(ref["holm"]), 1e-15, 1e-15));
  EXPECT_TRUE(AllNear(benjamini_hochberg(p), numbers(ref["bh"]), 1e-15, 1e-15));
}

TEST(Multiplicity, ByHand) {
  // Holm, m = 3, sorted 0.01, 0.02, 0.04 -> 0.03, 0.04, 0.04. BH -> 0.03, 0.03, 0.04.
  EXPECT_TRUE(AllNear(holm({0.04, 0.01, 0.02}), {0.04, 0.03, 0.04}, 1e-15, 0.0));
  EXPECT_TRUE(AllNear(benjamini_hochberg({0.04, 0.01, 0.02}), {0.04, 0.03, 0.03}, 1e-15, 0.0));
  EXPECT_EQ(holm({0.3}), std::vector<double>{0.3});
}

TEST(Multiplicity, RejectsBadInput) {
  EXPECT_TRUE(holm({}).empty());  // a family of no hypotheses
  EXPECT_TRUE(benjamini_hochberg({}).empty());
  EXPECT_THROW(holm({0.1, 1.5}), std::invalid_argument);
  EXPECT_THROW(benjamini_hochberg({-0.1}), std::invalid_argument);
  EXPECT_THROW(benjamini_hochberg({NAN}), std::invalid_argument);
}

TEST(Multiplicity, DegenerateInputContract) {
  // An empty family adjusts to nothing (a report whose claims are all incomplete).
  EXPECT_TRUE(holm({}).empty());
  EXPECT_TRUE(benjamini_hochberg({}).empty());
  EXPECT_EQ(holm({1.0, 1.0}), (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(benjamini_hochberg({0.0, 0.0}), (std::vector<double>{0.0, 0.0}));
  EXPECT_TRUE(ThrowsNaming([] { holm({0.1, NAN}); }, "holm", "index 1"));
  EXPECT_TRUE(ThrowsNaming([] { benjamini_hochberg({INFINITY}); }, "benjamini_hochberg", "'p'"));
}

}  // namespace
}  // namespace claimcheck::stats
