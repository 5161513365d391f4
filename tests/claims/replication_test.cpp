// The replication probability read off a hypothesis's JSON (claims/replication.h): the known
// answers of tests/stats/reference/replication_reference.py (closed form, scipy; every kind,
// direction and design, Holm, the CV bound, sequential), then its calibration: over designs run
// twice on disjoint seeds, the predicted probability that the second repeats the first's
// verdict must match how often it did, on simulated normal runs and on the 128 real MNIST runs
// of tests/claims/data/ (the A/A store of verdict_calibration_test.cpp).
#include "harness/claims/replication.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "claims_test_support.h"
#include "harness/claims/analysis.h"
#include "harness/claims/planner.h"
#include "harness/claims/spec.h"
#include "harness/stats/rng.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;

TEST(ReplicationOf, MatchesTheIndependentReference) {
  const json ref = test::read_json(test::fs::path(CLAIMCHECK_SOURCE_DIR) / "tests" / "stats" /
                                   "reference" / "replication_reference.json");
  ASSERT_GE(ref.at("cases").size(), 20u);
  for (const auto& c : ref.at("cases")) {
    json h = {{"kind", c.at("kind")},
              {"direction", c.at("direction")},
              {"design", c.value("design", "paired")},
              {"margin", c.at("margin")},
              {"estimate", c.at("estimate")},
              {"ci", {{"lo", c.at("lo")}, {"hi", c.at("hi")}, {"confidence", c.at("confidence")}}},
              {"p_value", c.at("p_value")},
              {"holm_p", c.at("holm_p")},
              {"verdict", c.at("verdict")}};
    if (c.contains("bound") && c["bound"].is_number()) h["bound"] = c["bound"];
    if (c.value("sequential", false)) h["sequential"] = json::object();
    const auto r = replication_of(h, c.at("alpha").get<double>());
    const std::string name = c.at("name");
    ASSERT_TRUE(r.has_value()) << name;
    // Boost's and scipy's normal cdf and quantile agree to ~1e-15; the reference prints 12
    // significant digits.
    EXPECT_NEAR(r->verdicts.supported, c.at("p_supported").get<double>(), 1e-10) << name;
    EXPECT_NEAR(r->verdicts.refuted, c.at("p_refuted").get<double>(), 1e-10) << name;
    EXPECT_NEAR(r->verdicts.inconclusive, c.at("p_inconclusive").get<double>(), 1e-10) << name;
    EXPECT_NEAR(r->probability, c.at("replication_probability").get<double>(), 1e-10) << name;
    EXPECT_EQ(r->decisive(), r->probability >= kDecisive) << name;
  }
}

TEST(ReplicationOf, AnInfiniteIntervalHasNone) {
  const json h = {{"kind", "superiority"},
                  {"direction", "greater"},
                  {"margin", 0.0},
                  {"estimate", 0.1},
                  {"p_value", 0.5},
                  {"holm_p", 0.5},
                  {"verdict", "inconclusive"},
                  {"design", "paired"},
                  {"ci", {{"lo", -INFINITY}, {"hi", 0.3}, {"confidence", 0.95}}}};
  EXPECT_FALSE(replication_of(h, 0.05).has_value());
  EXPECT_TRUE(to_json(replication_of(h, 0.05)).is_null());
}

TEST(UnitsForDecisive, TheTextbookCaseNeedsTheSeedsThatPutItsBound233StandardErrorsOut) {
  // A "greater" superiority at margin 0, n = 16, s = 1, its lower bound k = 1 s above 0 (P =
  // 0.76) and p from the same normal model. Decisive needs the bound 2.326 s_N out: s_N <=
  // 2.96 / 4.286, N >= 16 / 0.6906² = 33.5, so 34.
  const double estimate = 1.0 + 1.959963984540054;
  json h = {{"kind", "superiority"},
            {"direction", "greater"},
            {"design", "paired"},
            {"margin", 0.0},
            {"n", 16},
            {"estimate", estimate},
            {"ci", {{"lo", 1.0}, {"hi", 1.0 + 2 * 1.959963984540054}, {"confidence", 0.95}}},
            {"p_value", std::erfc(estimate / std::sqrt(2.0))},
            {"verdict", "supported"}};
  h["holm_p"] = h["p_value"];
  EXPECT_NEAR(replication_of(h, 0.05)->probability, 0.760249938907, 1e-9);
  EXPECT_EQ(units_for_decisive(h, 0.05), 34);
  // At a stated effect of half the estimate: the bound must clear 0 by 2.326 s_N with the
  // estimate 1.48: N >= 16 (4.286 / 1.48)² = 134.2, so 135.
  EXPECT_EQ(units_for_decisive(h, 0.05, estimate / 2), 135);
  // No effect at all is never decided; a sequential design plans its own seeds.
  EXPECT_FALSE(units_for_decisive(h, 0.05, 0.0).has_value());
  h["sequential"] = json::object();
  EXPECT_FALSE(units_for_decisive(h, 0.05).has_value());
}

// Calibration over `splits` designs decided twice on disjoint units with the same planted
// effect: the mean predicted probability that the second design repeats the first's verdict,
// and how often it did.
struct Calibration {
  double predicted = 0.0;
  double measured = 0.0;
  int decisive = 0;        // first designs with a decisive verdict
  int decisive_flips = 0;  // ... whose second design flipped
  double decisive_predicted_flips = 0.0;
};

// `draw(rng, slot)` gives the metric of unit `slot` (0..4n-1) of one split; `effect` is added to
// the treatment arm of both designs. The tiny claim's first hypothesis (geglu − relu > 0 on
// test_accuracy), n paired replicates, 999 BCa resamples (as its profile).
template <typename Draw>
Calibration calibrate(int n, int splits, double effect_range, std::uint64_t seed, Draw draw) {
  json j = test::tiny_claim_json();
  j["hypotheses"] = json::array({j["hypotheses"][0]});
  j["profiles"]["smoke"]["replicates"] = n;
  const ClaimSpec spec = parse_claim(j, "replication.json");
  const auto runs = plan(spec, "smoke", "cpu");
  const ProfilePlan p = test::plan_of(spec, "smoke", runs);
  stats::Rng rng(seed);
  Calibration c;
  int same = 0;
  for (int s = 0; s < splits; ++s) {
    draw(rng, -1);  // a new split
    const double effect = effect_range * (2.0 * rng.uniform() - 1.0);
    json first_h, second_h;
    for (int design = 0; design < 2; ++design) {
      std::map<std::string, json> records;
      for (const auto& run : runs) {
        const bool treated = run.arm == "geglu";
        const int slot = design * 2 * n + (treated ? 0 : n) + run.index;
        records[run.key()] = {
            {"key", run.key()},
            {"metrics", {{"test_accuracy", draw(rng, slot) + (treated ? effect : 0.0)}}}};
      }
      (design == 0 ? first_h : second_h) = to_json(analyze(p, records))["hypotheses"][0];
    }
    const auto r = replication_of(first_h, 0.05);
    c.predicted += r->probability;
    const bool repeated = first_h["verdict"] == second_h["verdict"];
    same += repeated ? 1 : 0;
    if (r->decisive()) {
      ++c.decisive;
      c.decisive_flips += repeated ? 0 : 1;
      c.decisive_predicted_flips += 1.0 - r->probability;
    }
  }
  c.predicted /= splits;
  c.measured = static_cast<double>(same) / splits;
  return c;
}

void expect_calibrated(const Calibration& c, int splits, const std::string& what) {
  // The per-split difference 1{repeated} − P has variance E[P(1 − P)] <= 0.25; the budget is
  // 4 sd at its worst, 4·sqrt(0.25/splits): crossed by chance with probability ~6e-5 when the
  // model is right. Seeded, so the test cannot flake; a model change that breaks calibration
  // fails it.
  const double budget = 4.0 * std::sqrt(0.25 / splits);
  std::printf(
      "[ calibration ] replication, %s: predicted %.4f, measured %.4f (budget ±%.4f); decisive "
      "%d, flipped %d (predicted %.1f)\n",
      what.c_str(), c.predicted, c.measured, budget, c.decisive, c.decisive_flips,
      c.decisive_predicted_flips);
  EXPECT_NEAR(c.measured, c.predicted, budget) << what;
  // Decisive verdicts flip at most 5% of the time, within binomial noise (4 sd).
  ASSERT_GT(c.decisive, 100) << what;
  const double rate = static_cast<double>(c.decisive_flips) / c.decisive;
  EXPECT_LE(rate, 0.05 + 4.0 * std::sqrt(0.05 * 0.95 / c.decisive)) << what;
}

TEST(ReplicationCalibration, SimulatedNormalRuns) {
  // Accuracy ~ N(0.9, 0.005²) per run, independent arms (as real A/A runs): sd of a paired mean
  // difference 0.005·sqrt(2/16) = 0.00177; effects uniform on ±0.012 (±6.8 of those), wide
  // enough that the flat prior of the model holds but at the edges.
  constexpr int kN = 16, kSplits = 2000;
  const Calibration c = calibrate(kN, kSplits, 0.012, 20261204, [](stats::Rng& rng, int slot) {
    return slot < 0 ? 0.0 : 0.9 + 0.005 * rng.normal();
  });
  RecordProperty("simulated_predicted", std::to_string(c.predicted));
  RecordProperty("simulated_measured", std::to_string(c.measured));
  expect_calibrated(c, kSplits, "simulated normal runs, n=16");
}

TEST(ReplicationCalibration, RealRuns) {
  // The 128 real ReLU(8) MNIST accuracies (skewed, discrete: ties on a 10,000-image test set).
  // Each split shuffles them and takes four disjoint groups of 16: treatment and control of
  // the first design, then of the second; the same planted effect goes to both treatments.
  // Splits reuse the same 128 runs, so they are not independent: the budget's binomial sd
  // understates the spread somewhat.
  const json data = test::read_json(test::fs::path(CLAIMCHECK_SOURCE_DIR) / "tests" / "claims" /
                                    "data" / "relu8_mnist_accuracy.json");
  const std::vector<double> accuracy = data.at("test_accuracy").get<std::vector<double>>();
  ASSERT_EQ(accuracy.size(), 128u);
  std::vector<std::size_t> order(accuracy.size());
  constexpr int kN = 16, kSplits = 2000;
  const Calibration c = calibrate(kN, kSplits, 0.012, 20261205, [&](stats::Rng& rng, int slot) {
    if (slot < 0) {
      std::iota(order.begin(), order.end(), 0);
      for (std::size_t i = order.size() - 1; i > 0; --i)
        std::swap(order[i], order[rng.uniform_int(i + 1)]);
      return 0.0;
    }
    return accuracy[order[static_cast<std::size_t>(slot)]];
  });
  RecordProperty("real_predicted", std::to_string(c.predicted));
  RecordProperty("real_measured", std::to_string(c.measured));
  expect_calibrated(c, kSplits, "128 real MNIST runs, n=16");
}

}  // namespace
}  // namespace claimcheck::claims
