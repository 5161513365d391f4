#include "harness/stats/descriptives.h"

#include <cmath>
#include <limits>
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

// Tolerance: numpy sums pairwise, we sum left to right; both are within a few ulps of the exact
// value, so atol 1e-13 + rtol 1e-13 is ample and any formula slip is orders of magnitude larger.
constexpr double kAtol = 1e-13;
constexpr double kRtol = 1e-13;

TEST(Descriptives, MatchNumpy) {
  const auto& ref = reference()["descriptives"];  // numpy.mean / std(ddof=1) / quantile
  const std::vector<double> x = numbers(ref["x"]);
  EXPECT_TRUE(Near(mean(x), ref["mean"].get<double>(), kAtol, kRtol));
  EXPECT_TRUE(Near(sd(x), ref["sd"].get<double>(), kAtol, kRtol));
  EXPECT_TRUE(Near(variance(x), std::pow(ref["sd"].get<double>(), 2), kAtol, kRtol));
  const auto qs = numbers(ref["q"]);
  const auto expected = numbers(ref["quantile"]);
  for (std::size_t i = 0; i < qs.size(); ++i) {
    EXPECT_TRUE(Near(quantile(x, qs[i]), expected[i], kAtol, kRtol)) << "q = " << qs[i];
  }
}

TEST(Descriptives, QuantileByHand) {
  // numpy 'linear': h = (n - 1) q; {10, 20, 30, 40} at q = 0.5 -> h = 1.5 -> 25; q = 0.1 -> 13.
  const std::vector<double> x = {40, 10, 30, 20};
  EXPECT_DOUBLE_EQ(quantile(x, 0.5), 25.0);
  EXPECT_DOUBLE_EQ(quantile(x, 0.1), 13.0);
  EXPECT_DOUBLE_EQ(quantile(x, 0.0), 10.0);
  EXPECT_DOUBLE_EQ(quantile(x, 1.0), 40.0);
  EXPECT_DOUBLE_EQ(quantile({5.0}, 0.3), 5.0);
  EXPECT_DOUBLE_EQ(quantile_sorted({10, 20, 30, 40}, 0.5), 25.0);
}

TEST(Descriptives, RejectBadInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THROW(mean({}), std::invalid_argument);
  EXPECT_THROW(mean({1.0, nan}), std::invalid_argument);
  EXPECT_THROW(mean({1.0, inf}), std::invalid_argument);
  EXPECT_THROW(sd({1.0}), std::invalid_argument);
  EXPECT_THROW(quantile({1.0, 2.0}, 1.5), std::invalid_argument);
  EXPECT_THROW(quantile({1.0, 2.0}, nan), std::invalid_argument);
  EXPECT_THROW(quantile({}, 0.5), std::invalid_argument);
  EXPECT_THROW(quantile_sorted({2.0, 1.0}, 0.5), std::invalid_argument);
  try {
    mean({1.0, nan});
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'x'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("index 1"), std::string::npos) << e.what();
  }
}

TEST(Descriptives, DegenerateInputContract) {
  // n = 1: the value itself; variance needs two.
  EXPECT_EQ(mean({0.7}), 0.7);
  EXPECT_EQ(quantile({0.7}, 0.9), 0.7);
  EXPECT_TRUE(ThrowsNaming([] { variance({0.7}); }, "variance", "at least 2"));
  // Zero variance is exact: the two-pass formula leaves a residue (mean of seven 0.7 is not 0.7
  // in double) that a t test would turn into t ~ 1e16.
  EXPECT_EQ(variance(std::vector<double>(7, 0.7)), 0.0);
  EXPECT_EQ(sd(std::vector<double>(3, 0.1)), 0.0);
  // Extreme finite values: finite results or a typed error, never inf or NaN.
  EXPECT_EQ(mean({1e308, 1e308}), 1e308);
  EXPECT_EQ(quantile({-1e308, 1e308, 1e308}, 0.0), -1e308);  // numpy's lerp gives NaN here
  EXPECT_EQ(quantile({-1e308, 1e308}, 0.5), 0.0);
  EXPECT_TRUE(ThrowsNaming([] { variance({-1e200, 1e200}); }, "variance", "'x'"));
  EXPECT_TRUE(ThrowsNaming([] { sd({1.0, std::nan("")}); }, "sd", "'x'"));
  EXPECT_TRUE(ThrowsNaming([] { quantile({}, 0.5); }, "quantile", "'x' is empty"));
  EXPECT_TRUE(ThrowsNaming([] { quantile_sorted({}, 0.5); }, "quantile_sorted", "'sorted'"));
}

}  // namespace
}  // namespace claimcheck::stats
