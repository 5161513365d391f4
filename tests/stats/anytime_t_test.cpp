// The anytime-valid t confidence sequence: its closed-form Bayes factor against a numerical
// integration of the marginal likelihoods, its critical t against scipy's brentq (both from
// tests/stats/reference/anytime_t_reference.py), the interval's shape, degenerate input, and
// the property that makes it anytime-valid: checked after every observation, it excludes the
// true mean in at most alpha of sequences.
#include "harness/stats/anytime_t.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

#include "harness/stats/descriptives.h"
#include "harness/stats/rng.h"
#include "harness/stats/ttest.h"

namespace claimcheck::stats {
namespace {

nlohmann::json reference() {
  std::ifstream in(std::string(CLAIMCHECK_SOURCE_DIR) +
                   "/tests/stats/reference/anytime_t_reference.json");
  return nlohmann::json::parse(in);
}

TEST(AnytimeT, BayesFactorEqualsTheIntegratedMarginalLikelihoods) {
  for (const auto& c : reference().at("bayes_factor")) {
    const auto x = c.at("x").get<std::vector<double>>();
    const double ours = anytime_t_bayes_factor(c.at("t"), static_cast<int>(x.size()), c.at("g"));
    // The reference integrates numerically (relative accuracy ~1e-5 at n = 15): 1e-4 relative.
    EXPECT_NEAR(ours, c.at("bf_integrated").get<double>(),
                1e-4 * c.at("bf_integrated").get<double>())
        << "n = " << x.size();
    // 1/BF at mu0 is the anytime p-value.
    EXPECT_NEAR(anytime_t_p(x, c.at("mu0"), c.at("g")), std::min(1.0, 1.0 / ours), 1e-12);
  }
}

TEST(AnytimeT, CriticalTMatchesBrentqAndTheIntervalIsMeanPlusMinusTStarSe) {
  for (const auto& c : reference().at("t_star")) {
    const int n = c.at("n");
    std::vector<double> x(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
      x[static_cast<std::size_t>(i)] = std::sin(1.0 + i);  // any data: t* depends on n only
    const AnytimeTInterval r = anytime_t_interval(x, c.at("alpha"), c.at("g"));
    if (c.at("t_star").is_null()) {
      EXPECT_TRUE(std::isinf(r.t_star)) << "n = " << n << ": no finite t* exists";
      EXPECT_TRUE(std::isinf(r.ci.lo) && std::isinf(r.ci.hi));
      continue;
    }
    EXPECT_NEAR(r.t_star, c.at("t_star").get<double>(), 1e-9) << "n = " << n;
    const double se = sd(x) / std::sqrt(static_cast<double>(n));
    EXPECT_NEAR(r.ci.lo, mean(x) - r.t_star * se, 1e-12);
    EXPECT_NEAR(r.ci.hi, mean(x) + r.t_star * se, 1e-12);
    // Wider than the fixed-n t interval at the same level: the price of looking at every n.
    EXPECT_GT(r.t_star, 2.0);
  }
}

TEST(AnytimeT, DegenerateInputHasAContract) {
  const AnytimeTInterval flat = anytime_t_interval(std::vector<double>(10, 0.5), 0.05);
  EXPECT_EQ(flat.ci.lo, 0.5);
  EXPECT_EQ(flat.ci.hi, 0.5);
  EXPECT_EQ(anytime_t_p(std::vector<double>(10, 0.5), 0.5), 1.0);
  EXPECT_EQ(anytime_t_p(std::vector<double>(10, 0.5), 0.0), 0.0);
  EXPECT_THROW(anytime_t_interval({1.0}, 0.05), std::invalid_argument);
  EXPECT_THROW(anytime_t_interval({1.0, NAN}, 0.05), std::invalid_argument);
  EXPECT_THROW(anytime_t_interval({1.0, 2.0}, 1.5), std::invalid_argument);
  EXPECT_THROW(anytime_t_interval({1.0, 2.0}, 0.05, 0.0), std::invalid_argument);
}

TEST(AnytimeT, CheckedAfterEveryObservationItMissesTheMeanAtMostAlpha) {
  // 4,000 sequences of 30 N(0, 1) draws; a sequence fails if at any n = 2..30 the CS excludes 0.
  // Anytime validity bounds the failure rate by alpha = 0.05 (the bound is conservative: ~1% is
  // typical). Bound: 5% + 4 binomial sd (0.34%) = 6.4%. Seeded, so deterministic. For contrast,
  // the fixed-n t interval checked the same way fails far more often (asserted > 10%).
  constexpr int kSequences = 4000;
  Rng rng(7);
  int failed = 0;
  int fixed_failed = 0;
  for (int s = 0; s < kSequences; ++s) {
    std::vector<double> x;
    bool miss = false;
    bool fixed_miss = false;
    for (int n = 1; n <= 30; ++n) {
      x.push_back(rng.normal());
      if (n < 2) continue;
      const AnytimeTInterval r = anytime_t_interval(x, 0.05);
      miss = miss || r.ci.lo > 0 || r.ci.hi < 0;
      fixed_miss = fixed_miss || paired_t(x, std::vector<double>(x.size(), 0.0)).p < 0.05;
    }
    failed += miss ? 1 : 0;
    fixed_failed += fixed_miss ? 1 : 0;
  }
  const double rate = static_cast<double>(failed) / kSequences;
  std::printf("[ calibration ] anytime t CS, 30 looks: %.4f of sequences miss; fixed-n: %.4f\n",
              rate, static_cast<double>(fixed_failed) / kSequences);
  EXPECT_LE(rate, 0.05 + 4.0 * std::sqrt(0.05 * 0.95 / kSequences));
  EXPECT_GT(static_cast<double>(fixed_failed) / kSequences, 0.10);
}

}  // namespace
}  // namespace claimcheck::stats
