// Paired and Welch t tests against scipy 1.10.1 ttest_rel / ttest_ind(equal_var=False) (Welch df
// and CI by the textbook formula with scipy.stats.t.ppf), TOST against statsmodels 0.13.5.
#include "harness/stats/ttest.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include <gtest/gtest.h>

#include "harness/stats/tost.h"
#include "tests/stats/test_support.h"

namespace claimcheck::stats {
namespace {

using testing::Near;
using testing::number;
using testing::numbers;
using testing::reference;
using testing::ThrowsNaming;

// Boost.Math vs cephes Student t cdf/quantile agree to ~1e-15 relative; 1e-10 keeps a wide
// margin while a wrong df, se or tail moves p or the CI by >= 1e-3 on these data.
constexpr double kAtol = 1e-10;
constexpr double kRtol = 1e-9;

// Welch's df is fractional, where scipy 1.10's t.ppf (cephes stdtrit) is only good to ~2e-9:
// stdtr(df, t.ppf(0.8, df)) - 0.8 = -4.3e-10 on these data, while Boost's quantile round-trips to
// ~1e-16. The CI ends therefore get rtol 1e-8 for Welch; t, df and p keep the tight tolerance.
constexpr double kWelchCiRtol = 1e-8;

void expect_matches(const TTestResult& r, const nlohmann::json& e, double ci_rtol = kRtol) {
  const std::string where =
      std::string(e["alternative"]) + " " + std::to_string(double(e["confidence"]));
  EXPECT_TRUE(Near(r.estimate, number(e["estimate"]), kAtol, kRtol)) << where;
  EXPECT_TRUE(Near(r.t, number(e["t"]), kAtol, kRtol)) << where;
  EXPECT_TRUE(Near(r.df, number(e["df"]), kAtol, kRtol)) << where;
  EXPECT_TRUE(Near(r.p, number(e["p"]), kAtol, kRtol)) << where;
  EXPECT_TRUE(Near(r.lo, number(e["lo"]), kAtol, ci_rtol)) << where;
  EXPECT_TRUE(Near(r.hi, number(e["hi"]), kAtol, ci_rtol)) << where;
}

TEST(TTest, PairedMatchesScipy) {
  const auto& ref = reference()["ttest"];
  for (const auto& e : ref["paired"]) {
    expect_matches(paired_t(numbers(ref["a"]), numbers(ref["b"]),
                            alternative_from_string(e["alternative"]), e["confidence"]),
                   e);
  }
}

TEST(TTest, WelchMatchesScipy) {
  const auto& ref = reference()["ttest"];
  for (const auto& e : ref["welch"]) {
    expect_matches(welch_t(numbers(ref["a"]), numbers(ref["c"]),
                           alternative_from_string(e["alternative"]), e["confidence"]),
                   e, kWelchCiRtol);
  }
}

TEST(TTest, RejectsBadInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(paired_t({1.0}, {2.0}), std::invalid_argument);
  EXPECT_THROW(paired_t({1, 2, 3}, {1, 2}), std::invalid_argument);
  EXPECT_THROW(paired_t({1, 2, 3}, {0, 1, 2}), std::invalid_argument);  // constant differences
  EXPECT_THROW(paired_t({1, 2, nan}, {0, 1, 2}), std::invalid_argument);
  EXPECT_THROW(paired_t({1, 2, 4}, {0, 1, 2}, Alternative::kTwoSided, 1.0), std::invalid_argument);
  EXPECT_THROW(welch_t({1, 1}, {2, 2}), std::invalid_argument);  // both arms constant
  EXPECT_THROW(welch_t({1}, {2, 3}), std::invalid_argument);
  EXPECT_THROW(alternative_from_string("two_sided"), std::invalid_argument);
}

TEST(Tost, MatchesStatsmodels) {
  // statsmodels ttost_paired(a, b, -m, m) and ttost_ind(a, c, -m, m, usevar='unequal').
  const auto& ref = reference()["ttest"];
  const auto a = numbers(ref["a"]), b = numbers(ref["b"]), c = numbers(ref["c"]);
  for (const auto& e : ref["tost"]) {
    const double m = e["margin"];
    const TostResult paired = paired_tost(a, b, m);
    const TostResult welch = welch_tost(a, c, m);
    for (const auto& [r, x] : {std::pair{paired, e["paired"]}, std::pair{welch, e["welch"]}}) {
      EXPECT_TRUE(Near(r.p, x["p"].get<double>(), kAtol, kRtol)) << "margin " << m;
      EXPECT_TRUE(Near(r.t_lower, x["t_lower"].get<double>(), kAtol, kRtol)) << "margin " << m;
      EXPECT_TRUE(Near(r.p_lower, x["p_lower"].get<double>(), kAtol, kRtol)) << "margin " << m;
      EXPECT_TRUE(Near(r.t_upper, x["t_upper"].get<double>(), kAtol, kRtol)) << "margin " << m;
      EXPECT_TRUE(Near(r.p_upper, x["p_upper"].get<double>(), kAtol, kRtol)) << "margin " << m;
      EXPECT_TRUE(Near(r.df, x["df"].get<double>(), kAtol, kRtol)) << "margin " << m;
      // Schuirmann: p < alpha exactly when the 1 - 2 alpha interval lies inside (-m, m).
      EXPECT_EQ(r.p < 0.05, -m < r.lo && r.hi < m) << "margin " << m;
    }
  }
}

TEST(Tost, IntervalIsTheOneMinusTwoAlphaTInterval) {
  const auto& ref = reference()["ttest"];
  const auto a = numbers(ref["a"]), b = numbers(ref["b"]);
  const TostResult tost = paired_tost(a, b, 1.0, 0.05);
  const TTestResult t = paired_t(a, b, Alternative::kTwoSided, 0.90);
  EXPECT_TRUE(Near(tost.lo, t.lo, 1e-12, 1e-12));
  EXPECT_TRUE(Near(tost.hi, t.hi, 1e-12, 1e-12));
  EXPECT_THROW(paired_tost(a, b, 0.0), std::invalid_argument);
  EXPECT_THROW(paired_tost(a, b, 1.0, 0.5), std::invalid_argument);
}

TEST(TTest, DegenerateInputContract) {
  // Constant differences whose two-pass sd used to leave a 1e-16 residue (mean of seven 0.7 is
  // not 0.7 in double) are sd = 0: a typed error, not t ~ 1e16 and p ~ 1e-96.
  const std::vector<double> sevens(7, 0.7), zeros(7, 0.0);
  EXPECT_TRUE(ThrowsNaming([&] { paired_t(sevens, zeros); }, "paired_t", "sd = 0"));
  EXPECT_TRUE(ThrowsNaming([&] { paired_tost(sevens, zeros, 1.0); }, "paired_tost", "sd = 0"));
  EXPECT_TRUE(ThrowsNaming([] { welch_t({1, 1}, {2, 2}); }, "welch_t", "zero variance"));
  EXPECT_TRUE(ThrowsNaming([] { welch_tost({1, 1}, {2, 2}, 1.0); }, "welch_tost", "zero variance"));
  // One constant Welch arm is fine: the other arm's variance alone, df = n - 1.
  const TTestResult one = welch_t({1.0, 1.0, 1.0}, {1.0, 2.0, 4.0});
  EXPECT_DOUBLE_EQ(one.df, 2.0);
  EXPECT_TRUE(std::isfinite(one.p) && std::isfinite(one.lo) && std::isfinite(one.hi));
  EXPECT_TRUE(ThrowsNaming([] { paired_t({1.0}, {0.0}); }, "paired_t", "'a'"));
  EXPECT_TRUE(ThrowsNaming([] { welch_t({1.0, NAN}, {0.0, 1.0}); }, "welch_t", "'a'"));
  EXPECT_TRUE(ThrowsNaming([] { paired_tost({1, 2}, {0, 1}, INFINITY); }, "paired_tost", "margin"));
  // Extreme values and levels: typed errors, never an inf t, a NaN p or a Boost exception.
  EXPECT_TRUE(ThrowsNaming([] { paired_t({1e308, 1, 2}, {-1e308, 0, 0}); }, "paired_t", "a - b"));
  EXPECT_TRUE(ThrowsNaming([] { t_from_estimate(1e10, 1e-300, 3, Alternative::kTwoSided, 0.95); },
                           "t_from_estimate", "t = estimate"));
  EXPECT_TRUE(ThrowsNaming([] { t_from_estimate(1, 1, 1e-320, Alternative::kTwoSided, 0.95); },
                           "t_from_estimate", "extreme"));
  EXPECT_TRUE(ThrowsNaming([] { t_from_estimate(1, 1, 3, Alternative::kTwoSided, 1 - 1e-16); },
                           "t_from_estimate", "extreme"));
  EXPECT_TRUE(ThrowsNaming([] { t_from_estimate(1, 0, 3, Alternative::kTwoSided, 0.95); },
                           "t_from_estimate", "standard error"));
  EXPECT_EQ(t_from_estimate(1, 1, 3, Alternative::kGreater, 0.95).hi, INFINITY);  // open end
}

}  // namespace
}  // namespace claimcheck::stats
