// Bootstrap intervals: exact against scipy.stats.bootstrap fed the same resample indices, to a
// Monte-Carlo tolerance against scipy at large B, and the contract (joint resampling,
// reproducibility, degenerate cases, input checks).
#include "harness/stats/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness/stats/descriptives.h"
#include "harness/stats/improvement.h"
#include "tests/stats/test_support.h"

namespace claimcheck::stats {
namespace {

using testing::Near;
using testing::number;
using testing::numbers;
using testing::reference;
using testing::ThrowsNaming;

// Exact-index tolerance: scipy and we read the same theta* at the same levels; what differs is
// Boost vs cephes for Phi / Phi^-1 (~1e-16 relative), numpy's pairwise vs our sequential sums and
// q*100/100 in np.percentile: ~1e-14 in the endpoints. 1e-9 leaves room for that; a formula slip
// (z0 ties, acceleration, interpolation) moves endpoints by >= 1e-4 on these data.
constexpr double kExactAtol = 1e-9;
constexpr double kExactRtol = 1e-9;

ResampleIndices indices(const nlohmann::json& rows) {
  ResampleIndices out;
  for (const auto& row : rows)
    out.push_back(row.get<std::vector<std::size_t>>());
  return out;
}

CiMethod method_of(const std::string& scipy_name) {
  return ci_method_from_string(scipy_name == "BCa" ? "bca" : scipy_name);
}

double median_of(const std::vector<double>& v) {
  return quantile(v, 0.5);
}

Statistic one_sample_stat(const std::string& name) {
  if (name == "mean") return [](const std::vector<double>& v) { return mean(v); };
  if (name == "median") return median_of;
  if (name == "sd") return [](const std::vector<double>& v) { return sd(v); };
  throw std::runtime_error("unknown statistic " + name);
}

PairedStatistic two_sample_stat(const std::string& name) {
  if (name == "mean_difference") {
    return [](const std::vector<double>& a, const std::vector<double>& b) {
      double s = 0.0;
      for (std::size_t i = 0; i < a.size(); ++i)
        s += a[i] - b[i];
      return s / static_cast<double>(a.size());
    };
  }
  if (name == "win_rate") return paired_win_rate;
  if (name == "mann_whitney") return mann_whitney_probability;
  throw std::runtime_error("unknown statistic " + name);
}

double mean_difference(const std::vector<double>& a, const std::vector<double>& b) {
  return two_sample_stat("mean_difference")(a, b);
}

TEST(Bootstrap, ExactIndicesMatchScipy) {
  // reference.json "bootstrap_exact": numpy indices (n = 12, B = 200); theta* from them; the
  // interval from scipy.stats.bootstrap(n_resamples=0, bootstrap_result=theta*), scipy 1.10.1.
  int checked = 0;
  for (const auto& c : reference()["bootstrap_exact"]) {
    const std::string name = c["name"];
    const std::string kind = c["kind"];
    const ResampleIndices idx = indices(c["indices"]);
    for (const auto& iv : c["intervals"]) {
      const CiMethod method = method_of(iv["method"]);
      const double cl = iv["confidence"];
      BootstrapCi ci{};
      if (kind == "one-sample") {
        ci = bootstrap_ci_from_indices(numbers(c["x"]), one_sample_stat(c["statistic"]), idx,
                                       method, cl);
      } else if (kind == "paired") {
        ci = paired_bootstrap_ci_from_indices(numbers(c["a"]), numbers(c["b"]),
                                              two_sample_stat(c["statistic"]), idx, method, cl);
      } else {
        ci = two_sample_bootstrap_ci_from_indices(numbers(c["a"]), numbers(c["b"]),
                                                  two_sample_stat(c["statistic"]), idx,
                                                  indices(c["indices_b"]), method, cl);
      }
      const std::string where = name + " " + std::string(iv["method"]) + " " + std::to_string(cl);
      EXPECT_TRUE(Near(ci.estimate, c["estimate"].get<double>(), kExactAtol, kExactRtol)) << where;
      EXPECT_EQ(ci.resamples, 200) << where;
      if (iv["ci"][0].is_null()) {
        // scipy: NaN with DegenerateDataWarning (every theta* = 1). We report it as degenerate.
        EXPECT_TRUE(ci.degenerate) << where;
        EXPECT_FALSE(ci.note.empty()) << where;
        EXPECT_EQ(ci.lo, 1.0) << where;
        EXPECT_EQ(ci.hi, 1.0) << where;
        ++checked;
        continue;
      }
      EXPECT_TRUE(Near(ci.lo, number(iv["ci"][0]), kExactAtol, kExactRtol)) << where << " lo";
      EXPECT_TRUE(Near(ci.hi, number(iv["ci"][1]), kExactAtol, kExactRtol)) << where << " hi";
      EXPECT_EQ(ci.method, method) << where;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 8 * 6);  // 8 data sets x {percentile, basic, BCa} x {95%, 90%}
}

TEST(Bootstrap, BcaMatchesScipyMonteCarlo) {
  // reference.json "bootstrap_monte_carlo": scipy.stats.bootstrap(paired=True, method='BCa',
  // B = 49,999) run under 8 seeds on n = 30 gamma-distributed pairs; its mean endpoints and
  // their sd across runs s. Our one run differs from the 8-run mean with sd s sqrt(1 + 1/8);
  // tolerance 5 such sds (flake budget: ~6e-7 per endpoint for another seed).
  const auto& ref = reference()["bootstrap_monte_carlo"];
  BootstrapOptions opt;
  opt.resamples = ref["resamples"];
  opt.seed = 31337;
  const BootstrapCi ci =
      paired_bootstrap_ci(numbers(ref["a"]), numbers(ref["b"]), mean_difference, opt);
  const auto expected = numbers(ref["ci_mean_of_runs"]);
  const auto sd_runs = numbers(ref["ci_sd_across_runs"]);
  EXPECT_TRUE(Near(ci.lo, expected[0], 5.0 * sd_runs[0] * std::sqrt(1.125), 0.0));
  EXPECT_TRUE(Near(ci.hi, expected[1], 5.0 * sd_runs[1] * std::sqrt(1.125), 0.0));
  EXPECT_EQ(ci.method, CiMethod::kBca);
  EXPECT_FALSE(ci.degenerate);
}

TEST(Bootstrap, SameSeedReproducesBitForBit) {
  const std::vector<double> x = {0.3, 1.2, -0.4, 2.2, 0.9, 1.7, 0.1, 0.8};
  const Statistic stat = [](const std::vector<double>& v) { return mean(v); };
  BootstrapOptions opt;
  opt.resamples = 999;
  opt.seed = 5;
  const BootstrapCi first = bootstrap_ci(x, stat, opt);
  const BootstrapCi again = bootstrap_ci(x, stat, opt);
  EXPECT_EQ(first.lo, again.lo);
  EXPECT_EQ(first.hi, again.hi);
  opt.seed = 6;
  const BootstrapCi other = bootstrap_ci(x, stat, opt);
  EXPECT_TRUE(other.lo != first.lo || other.hi != first.hi);
  EXPECT_LT(first.lo, first.estimate);
  EXPECT_GT(first.hi, first.estimate);
}

TEST(Bootstrap, PairedResamplesIndicesJointly) {
  // b = a - 0.25 exactly: every jointly resampled mean difference is 0.25, so the paired
  // bootstrap is a point (degenerate). Resampling the arms separately would spread it.
  const std::vector<double> a = {1.0, 2.5, 0.5, 3.0, 1.75, 2.0};
  std::vector<double> b = a;
  for (double& v : b)
    v -= 0.25;
  BootstrapOptions opt;
  opt.resamples = 500;
  const BootstrapCi paired = paired_bootstrap_ci(a, b, mean_difference, opt);
  EXPECT_TRUE(paired.degenerate);
  EXPECT_DOUBLE_EQ(paired.lo, 0.25);
  EXPECT_DOUBLE_EQ(paired.hi, 0.25);
  const BootstrapCi unpaired = two_sample_bootstrap_ci(
      a, b,
      [](const std::vector<double>& x, const std::vector<double>& y) { return mean(x) - mean(y); },
      opt);
  EXPECT_FALSE(unpaired.degenerate);
  EXPECT_GT(unpaired.hi - unpaired.lo, 0.5);
}

TEST(Bootstrap, ConstantDataIsDegenerate) {
  for (CiMethod m : {CiMethod::kPercentile, CiMethod::kBasic, CiMethod::kBca}) {
    BootstrapOptions opt;
    opt.method = m;
    opt.resamples = 200;
    const BootstrapCi ci = bootstrap_ci(
        {2.0, 2.0, 2.0, 2.0}, [](const std::vector<double>& v) { return mean(v); }, opt);
    EXPECT_TRUE(ci.degenerate) << to_string(m);
    EXPECT_NE(ci.note.find("equal"), std::string::npos) << ci.note;
    EXPECT_EQ(ci.lo, 2.0);
    EXPECT_EQ(ci.hi, 2.0);
  }
}

TEST(Bootstrap, BcaFallsBackWhenZ0IsInfinite) {
  // Statistic: minus the number of distinct values. On the original 20 distinct values it is
  // -20; a resample repeats a value unless it is a permutation (probability 20!/20^20 ~ 2e-8),
  // so every theta* > theta-hat and z0 = Phi^-1(0) = -inf: BCa is undefined, percentile used.
  std::vector<double> x(20);
  for (std::size_t i = 0; i < x.size(); ++i)
    x[i] = static_cast<double>(i);
  const Statistic distinct = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return -static_cast<double>(std::unique(v.begin(), v.end()) - v.begin());
  };
  BootstrapOptions opt;
  opt.resamples = 300;
  const BootstrapCi ci = bootstrap_ci(x, distinct, opt);
  EXPECT_EQ(ci.method, CiMethod::kPercentile);
  EXPECT_TRUE(ci.degenerate);
  EXPECT_NE(ci.note.find("z0"), std::string::npos) << ci.note;
  EXPECT_GT(ci.lo, ci.estimate);
}

TEST(Bootstrap, RejectsBadInput) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Statistic m = [](const std::vector<double>& v) { return mean(v); };
  const std::vector<double> x = {1.0, 2.0, 3.0};
  BootstrapOptions opt;
  EXPECT_THROW(bootstrap_ci({}, m), std::invalid_argument);
  EXPECT_THROW(bootstrap_ci({1.0, nan}, m), std::invalid_argument);
  EXPECT_THROW(bootstrap_ci({1.0}, m), std::invalid_argument);  // BCa needs the jackknife
  EXPECT_THROW(bootstrap_ci(x, Statistic{}), std::invalid_argument);
  opt.resamples = 0;
  EXPECT_THROW(bootstrap_ci(x, m, opt), std::invalid_argument);
  opt = {};
  for (double bad : {0.0, 1.0, 1.5, nan}) {
    opt.confidence = bad;
    EXPECT_THROW(bootstrap_ci(x, m, opt), std::invalid_argument) << bad;
  }
  EXPECT_THROW(paired_bootstrap_ci({1, 2, 3}, {1, 2}, mean_difference), std::invalid_argument);
  EXPECT_THROW(bootstrap_ci(x, [nan](const std::vector<double>&) { return nan; }),
               std::invalid_argument);
  EXPECT_THROW(bootstrap_ci_from_indices(x, m, {{0, 1, 3}}, CiMethod::kPercentile, 0.95),
               std::invalid_argument);  // index 3 >= n
  EXPECT_THROW(bootstrap_ci_from_indices(x, m, {{0, 1}}, CiMethod::kPercentile, 0.95),
               std::invalid_argument);  // row length
  EXPECT_THROW(bootstrap_ci_from_indices(x, m, {}, CiMethod::kPercentile, 0.95),
               std::invalid_argument);
  EXPECT_THROW(ci_method_from_string("BCa"), std::invalid_argument);
  EXPECT_EQ(ci_method_from_string("bca"), CiMethod::kBca);
}

TEST(Bootstrap, IntervalFromDistributionByHand) {
  // theta* = 1..5, theta-hat = 3, 80%: alpha = 0.1, Q(0.1) = 1.4, Q(0.9) = 4.6 (numpy linear).
  BootstrapDistribution d{3.0, {5, 1, 4, 2, 3}, {}};
  const BootstrapCi pct = interval_from_distribution(d, CiMethod::kPercentile, 0.8);
  EXPECT_DOUBLE_EQ(pct.lo, 1.4);
  EXPECT_DOUBLE_EQ(pct.hi, 4.6);
  const BootstrapCi basic = interval_from_distribution(d, CiMethod::kBasic, 0.8);
  EXPECT_DOUBLE_EQ(basic.lo, 6.0 - 4.6);
  EXPECT_DOUBLE_EQ(basic.hi, 6.0 - 1.4);
  // BCa with a symmetric jackknife (a = 0) and theta-hat at the median (z0 = Phi^-1(0.5) = 0)
  // reduces to the percentile interval.
  d.jackknife = {{1.0, 2.0, 3.0}};
  const BootstrapCi bca = interval_from_distribution(d, CiMethod::kBca, 0.8);
  EXPECT_NEAR(bca.lo, 1.4, 1e-12);
  EXPECT_NEAR(bca.hi, 4.6, 1e-12);
  EXPECT_THROW(interval_from_distribution({3.0, {1, 2}, {}}, CiMethod::kBca, 0.8),
               std::invalid_argument);  // BCa without jackknife
}

}  // namespace
}  // namespace claimcheck::stats

namespace claimcheck::stats {
namespace {

TEST(Bootstrap, RoundingLevelTiesCountAsTies) {
  // theta* = 0.3 computed as 0.1 + 0.2 (= 0.30000000000000004) ties with theta-hat 0.3: z0 and
  // the BCa interval are the same as with an exact tie, so summation order cannot change them.
  const std::vector<std::vector<double>> jack = {{0.1, 0.25, 0.3, 0.5, 0.35}};
  const BootstrapDistribution exact{0.3, {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}, jack};
  BootstrapDistribution rounded = exact;
  rounded.replicates[2] = 0.1 + 0.2;
  ASSERT_NE(rounded.replicates[2], 0.3);
  const BootstrapCi a = interval_from_distribution(exact, CiMethod::kBca, 0.9);
  const BootstrapCi b = interval_from_distribution(rounded, CiMethod::kBca, 0.9);
  EXPECT_NEAR(a.lo, b.lo, 1e-15);
  EXPECT_NEAR(a.hi, b.hi, 1e-15);
  // Replicates that differ only by rounding are a point distribution.
  const BootstrapCi point =
      interval_from_distribution({0.3, {0.3, 0.1 + 0.2, 0.3}, jack}, CiMethod::kBca, 0.9);
  EXPECT_TRUE(point.degenerate);
}

TEST(Bootstrap, DegenerateInputContract) {
  const Statistic m = [](const std::vector<double>& v) { return mean(v); };
  BootstrapOptions opt;
  opt.resamples = 99;
  // n = 1: percentile and basic give the point interval; BCa cannot jackknife one value.
  opt.method = CiMethod::kPercentile;
  const BootstrapCi one = bootstrap_ci({0.4}, m, opt);
  EXPECT_TRUE(one.degenerate);
  EXPECT_EQ(one.lo, 0.4);
  EXPECT_EQ(one.hi, 0.4);
  opt.method = CiMethod::kBca;
  EXPECT_TRUE(ThrowsNaming([&] { bootstrap_ci({0.4}, m, opt); }, "bootstrap_ci", "jackknife"));
  // Constant paired differences and two constant independent arms: degenerate points.
  const BootstrapCi paired =
      paired_bootstrap_ci({0.7, 0.7, 0.7}, {0.5, 0.5, 0.5}, mean_difference, opt);
  EXPECT_TRUE(paired.degenerate);
  EXPECT_EQ(paired.lo, paired.hi);
  const BootstrapCi two = two_sample_bootstrap_ci(
      {1.0, 1.0}, {3.0, 3.0, 3.0},
      [](const std::vector<double>& a, const std::vector<double>& b) { return mean(a) - mean(b); },
      opt);
  EXPECT_TRUE(two.degenerate);
  EXPECT_EQ(two.lo, -2.0);
  EXPECT_TRUE(
      bootstrap_ci_from_indices({5.0, 5.0}, m, {{0, 1}, {1, 1}}, CiMethod::kBca, 0.9).degenerate);
  // A jackknife constant up to rounding (0.1 + 0.2 != 0.3) is a constant jackknife: a = 0, the
  // same interval as an exactly constant one, not an arbitrary acceleration from ulp residues.
  const std::vector<double> reps = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7};
  const BootstrapCi exact =
      interval_from_distribution({0.35, reps, {{0.3, 0.3, 0.3}}}, CiMethod::kBca, 0.9);
  const BootstrapCi rounded =
      interval_from_distribution({0.35, reps, {{0.3, 0.1 + 0.2, 0.3}}}, CiMethod::kBca, 0.9);
  EXPECT_NE(exact.note.find("constant"), std::string::npos) << exact.note;
  EXPECT_EQ(rounded.note, exact.note);
  EXPECT_EQ(rounded.lo, exact.lo);
  EXPECT_EQ(rounded.hi, exact.hi);
  // The basic interval's 2 theta - Q* overflowing is an error, not an infinite end.
  EXPECT_TRUE(ThrowsNaming(
      [] {
        interval_from_distribution({1e308, {-1e308, 0.0, 1e308}, {}}, CiMethod::kBasic, 0.9);
      },
      "interval_from_distribution", "not finite"));
}

}  // namespace
}  // namespace claimcheck::stats
