// Baseline comparison on synthetic analyses (analysis_test_support.h): pass, regressed/improved
// naming the hypothesis, verdict moves with their direction, stale, exact reproduction in one
// environment; the strict reader (format, keys, types, verdict strings) and bless's writer.
#include "harness/claims/baseline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "analysis_test_support.h"
#include "claims_test_support.h"
#include "harness/claims/analysis.h"
#include "harness/claims/planner.h"
#include "harness/claims/replication.h"
#include "harness/claims/spec.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;
namespace fs = std::filesystem;
using test::hypothesis;
using test::synthetic_analysis;

// ---- compare_with_baseline ----

TEST(CompareWithBaseline, AnotherNAtTheSameDesignIsStaleNotARegression) {
  // n differs with no --seeds on either side (a hand-edited baseline): comparing would show
  // noise as movement. It is reported as stale, naming the hypothesis and both n.
  const json a = synthetic_analysis();
  json baseline = a;
  hypothesis(baseline, "geglu-more-accurate")["n"] = 30;
  const Comparison c = compare_with_baseline(a, baseline);
  EXPECT_EQ(c.outcome, Outcome::kStale);
  ASSERT_FALSE(c.messages.empty());
  EXPECT_TRUE(
      test::ContainsAll(c.messages[0], {"geglu-more-accurate", "n = 3 here, 30 in the baseline"}));
}

TEST(CompareWithBaseline, MoreSeedsAreAnotherDesignComparedStatistically) {
  // `run --seeds 30` records seeds_override: the same question with more seeds, compared by the
  // gate (never exactly, never stale), with a message that says so.
  json a = synthetic_analysis();
  const json baseline = a;
  a["seeds_override"] = 30;
  a["profile_seeds"] = 3;
  for (auto& h : a["hypotheses"])
    h["n"] = 30;
  const Comparison c = compare_with_baseline(a, baseline);
  EXPECT_NE(c.outcome, Outcome::kStale);
  EXPECT_FALSE(c.exact_required);
  EXPECT_EQ(c.seeds_override, 30);
  EXPECT_EQ(c.baseline_seeds_override, 0);
  ASSERT_FALSE(c.messages.empty());
  EXPECT_TRUE(test::ContainsAll(
      c.messages[0],
      {"design: --seeds 30 here, the profile's 3 seeds in the baseline", "compared statistically"}))
      << c.messages[0];
  for (const auto& h : c.hypotheses)
    EXPECT_NE(h.outcome, Outcome::kStale) << h.id;
  EXPECT_EQ(to_json(c)["seeds_override"], 30);
}

TEST(CompareWithBaseline, EquivalenceMovesTowardZeroAreImprovements) {
  // For an equivalence hypothesis the claimed side is |effect| small, whatever its sign.
  const json a = synthetic_analysis();
  json now = a;
  json& h = hypothesis(now, "geglu-more-accurate");
  h["kind"] = "equivalence";
  h["margin"] = 0.01;
  json baseline = now;
  hypothesis(baseline, "geglu-more-accurate")["estimate"] = 0.5;  // far from zero before
  EXPECT_EQ(compare_with_baseline(now, baseline).outcome, Outcome::kImproved);
  hypothesis(baseline, "geglu-more-accurate")["estimate"] = 0.0;  // at zero before
  EXPECT_EQ(compare_with_baseline(now, baseline).outcome, Outcome::kRegressed);
}

TEST(CompareWithBaseline, IdenticalAnalysisPassesExactly) {
  const json a = synthetic_analysis();
  const Comparison c = compare_with_baseline(a, a);
  EXPECT_EQ(c.outcome, Outcome::kPass);
  EXPECT_TRUE(c.same_environment);
  EXPECT_TRUE(c.messages.empty());
  ASSERT_EQ(c.hypotheses.size(), 2u);
  for (const auto& h : c.hypotheses) {
    EXPECT_TRUE(h.exact) << h.id;
    EXPECT_EQ(h.z, 0.0) << h.id;
    EXPECT_EQ(h.outcome, Outcome::kPass) << h.id;
  }
  EXPECT_EQ(to_json(c)["outcome"], "pass");
}

TEST(CompareWithBaseline, TamperedEstimateNamesTheHypothesisAndDirection) {
  const json a = synthetic_analysis();
  // The claimed direction of geglu-more-accurate is "greater": a baseline 0.5 higher means the
  // new estimate fell (regressed); 0.5 lower means it rose (improved). The CI is ~0.002 wide, so
  // |z| is in the hundreds either way.
  for (const auto& [delta, expected] :
       {std::pair{0.5, Outcome::kRegressed}, std::pair{-0.5, Outcome::kImproved}}) {
    json baseline = a;
    hypothesis(baseline, "geglu-more-accurate")["estimate"] =
        hypothesis(a, "geglu-more-accurate")["estimate"].get<double>() + delta;
    const Comparison c = compare_with_baseline(a, baseline);
    EXPECT_EQ(c.outcome, expected) << to_string(c.outcome);
    ASSERT_EQ(c.messages.size(), 1u) << "only the tampered hypothesis moved";
    EXPECT_TRUE(test::ContainsAll(
        c.messages[0], {"geglu-more-accurate: estimate", "incompatible with the baseline"}));
    EXPECT_FALSE(c.hypotheses[0].compatible);
    EXPECT_GT(std::abs(c.hypotheses[0].z), 100.0);
    EXPECT_EQ(c.hypotheses[1].outcome, Outcome::kPass);
  }
  // For "less" (geglu-lower-loss), a baseline 0.5 higher means the new estimate is lower: toward
  // the claim, improved.
  json baseline = a;
  hypothesis(baseline, "geglu-lower-loss")["estimate"] =
      hypothesis(a, "geglu-lower-loss")["estimate"].get<double>() + 0.5;
  const Comparison c = compare_with_baseline(a, baseline);
  EXPECT_EQ(c.outcome, Outcome::kImproved);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(test::ContainsAll(c.messages[0], {"geglu-lower-loss: estimate"}));
}

TEST(CompareWithBaseline, VerdictMovesHaveADirectionAndRegressionOutranksImprovement) {
  struct Move {
    const char* baseline;
    const char* now;
    Outcome expected;
  };
  for (const Move& m : {Move{"supported", "inconclusive", Outcome::kRegressed},
                        Move{"supported", "refuted", Outcome::kRegressed},
                        Move{"inconclusive", "refuted", Outcome::kRegressed},
                        Move{"inconclusive", "supported", Outcome::kImproved},
                        Move{"refuted", "inconclusive", Outcome::kImproved},
                        Move{"refuted", "supported", Outcome::kImproved}}) {
    json now = synthetic_analysis();
    json baseline = now;
    hypothesis(baseline, "geglu-lower-loss")["verdict"] = m.baseline;
    hypothesis(now, "geglu-lower-loss")["verdict"] = m.now;
    const Comparison c = compare_with_baseline(now, baseline);
    EXPECT_EQ(c.outcome, m.expected) << m.baseline << " -> " << m.now;
    ASSERT_EQ(c.messages.size(), 1u);
    EXPECT_EQ(c.messages[0],
              std::string("geglu-lower-loss: verdict ") + m.baseline + " -> " + m.now);
  }
  // One hypothesis improved and one regressed: the claim regressed.
  json now = synthetic_analysis();
  json baseline = now;
  hypothesis(baseline, "geglu-more-accurate")["verdict"] = "inconclusive";  // improved
  hypothesis(now, "geglu-lower-loss")["verdict"] = "inconclusive";          // regressed
  const Comparison c = compare_with_baseline(now, baseline);
  EXPECT_EQ(c.outcome, Outcome::kRegressed);
  EXPECT_EQ(c.messages.size(), 2u);
}

TEST(CompareWithBaseline, ChangedSpecHashIsStale) {
  const json a = synthetic_analysis();
  json baseline = a;
  baseline["spec_hash"] = "0000000000000000";
  hypothesis(baseline, "geglu-lower-loss")["verdict"] = "refuted";  // stale outranks a move
  const Comparison c = compare_with_baseline(a, baseline);
  EXPECT_EQ(c.outcome, Outcome::kStale);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(test::ContainsAll(
      c.messages[0], {"spec changed", "0000000000000000 -> " + a["spec_hash"].get<std::string>()}));
}

TEST(CompareWithBaseline, AStaleReportNamesTheKeysThatChangedAndKeepsTheOldVerdicts) {
  const json a = synthetic_analysis();
  json baseline = synthetic_analysis(/*accuracy_gain=*/-0.05);
  baseline["spec_hash"] = "0000000000000000";
  for (auto& [key, run] : baseline["runs"].items()) {
    if (run["arm"] == "geglu") run["config"]["training"]["lr"] = 0.002;
  }
  hypothesis(baseline, "geglu-lower-loss")["margin"] = 0.05;
  const Comparison c = compare_with_baseline(a, baseline);
  EXPECT_EQ(c.outcome, Outcome::kStale);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(test::ContainsAll(
      c.messages[0], {"spec hash 0000000000000000 -> ", "arm geglu: training.lr 0.002 -> 0.001",
                      "geglu-lower-loss: margin 0.05 -> 0.0"}))
      << c.messages[0];
  EXPECT_EQ(c.messages[0].find("arm relu"), std::string::npos) << "relu did not change";
  ASSERT_EQ(c.hypotheses.size(), 2u);
  EXPECT_EQ(c.hypotheses[0].baseline_verdict,
            hypothesis(baseline, "geglu-more-accurate")["verdict"].get<std::string>());
  EXPECT_EQ(c.hypotheses[0].outcome, Outcome::kStale);
  EXPECT_TRUE(test::ContainsAll(c.hypotheses[0].change, {"stale: verdict"}));
}

TEST(CompareWithBaseline, AddedOrRemovedHypothesisIsStale) {
  const json a = synthetic_analysis();
  json removed = a;
  removed["hypotheses"].erase(1);
  Comparison c = compare_with_baseline(a, removed);
  EXPECT_EQ(c.outcome, Outcome::kStale);
  EXPECT_TRUE(test::ContainsAll(c.messages.at(0), {"geglu-lower-loss: not in the baseline"}));

  json extra = a;
  extra["hypotheses"].push_back(hypothesis(a, "geglu-lower-loss"));
  extra["hypotheses"].back()["id"] = "retired-hypothesis";
  c = compare_with_baseline(a, extra);
  EXPECT_EQ(c.outcome, Outcome::kStale);
  EXPECT_TRUE(test::ContainsAll(c.messages.at(0),
                                {"retired-hypothesis: in the baseline but no longer in the spec"}));
}

TEST(CompareWithBaseline, SameEnvironmentMustReproduceExactly) {
  const json a = synthetic_analysis();
  json baseline = a;
  // A last-digit change to one unit and the estimate: statistically invisible (|z| ~ 1e-10) but
  // not the same numbers, which one environment must reproduce bit for bit.
  json& h = hypothesis(baseline, "geglu-more-accurate");
  h["terms"][1]["units"][1] = h["terms"][1]["units"][1].get<double>() + 1e-13;
  h["estimate"] = h["estimate"].get<double>() - 1e-13 / 3;
  Comparison c = compare_with_baseline(a, baseline);
  EXPECT_TRUE(c.same_environment);
  EXPECT_TRUE(c.exact_required) << "CPU runs are deterministic";
  EXPECT_EQ(c.outcome, Outcome::kRegressed);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(test::ContainsAll(
      c.messages[0], {"geglu-more-accurate: not reproduced exactly in the same environment"}));
  EXPECT_TRUE(c.hypotheses[0].compatible);
  EXPECT_FALSE(c.hypotheses[0].exact);

  // Another CPU (or BLAS, or LibTorch): floating-point noise is expected and compatible passes.
  baseline["fingerprint"]["cpu"] = "Another CPU";
  c = compare_with_baseline(a, baseline);
  EXPECT_FALSE(c.same_environment);
  EXPECT_EQ(c.outcome, Outcome::kPass) << (c.messages.empty() ? "" : c.messages[0]);
}

// A baseline whose first unit of geglu-more-accurate differs in the last digits from `a`'s:
// statistically invisible, but not an exact reproduction.
json last_digit_changed(const json& a) {
  json baseline = a;
  json& h = hypothesis(baseline, "geglu-more-accurate");
  h["terms"][1]["units"][1] = h["terms"][1]["units"][1].get<double>() + 1e-13;
  h["estimate"] = h["estimate"].get<double>() - 1e-13 / 3;
  return baseline;
}

// `analysis` as if its runs had trained on CUDA with these determinism settings.
json on_cuda(json analysis, bool deterministic) {
  analysis["fingerprint"] = test::as_cuda_fingerprint(analysis["fingerprint"], deterministic);
  return analysis;
}

TEST(CompareWithBaseline, ACpuBaselineOfAGpuHostIsNotComparedExactlyWithCudaRuns) {
  // Blessed with --device cpu on the GPU host; the runs now train on CUDA. The numbers differ
  // in the last digits, as CUDA kernels do: compatible, so a pass, never "not reproduced".
  const json a = on_cuda(synthetic_analysis(), /*deterministic=*/true);
  const Comparison c = compare_with_baseline(a, last_digit_changed(synthetic_analysis()));
  EXPECT_FALSE(c.same_environment);
  EXPECT_FALSE(c.exact_required);
  EXPECT_EQ(c.outcome, Outcome::kPass) << (c.messages.empty() ? "" : c.messages[0]);
  EXPECT_TRUE(test::ContainsAll(c.run_environment, {"cuda (NVIDIA H200", "deterministic"}))
      << c.run_environment;
  EXPECT_TRUE(test::ContainsAll(c.baseline_environment, {"cpu (Test CPU @ 1 GHz)"}))
      << c.baseline_environment;
  const json j = to_json(c);
  EXPECT_EQ(j["environments"]["runs"], c.run_environment);
  EXPECT_EQ(j["environments"]["baseline"], c.baseline_environment);
  EXPECT_EQ(j["exact_required"], false);
}

TEST(CompareWithBaseline, CudaRunsReproduceExactlyOnlyWhenBothSidesAreDeterministic) {
  const json deterministic = on_cuda(synthetic_analysis(), /*deterministic=*/true);
  Comparison c = compare_with_baseline(deterministic, last_digit_changed(deterministic));
  EXPECT_TRUE(c.exact_required);
  EXPECT_EQ(c.outcome, Outcome::kRegressed);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(test::ContainsAll(c.messages[0], {"not reproduced exactly"}));

  const json fast = on_cuda(synthetic_analysis(), /*deterministic=*/false);
  c = compare_with_baseline(fast, last_digit_changed(fast));
  EXPECT_TRUE(c.same_environment);
  EXPECT_FALSE(c.exact_required) << "nondeterministic kernels: noise, not a bug";
  EXPECT_EQ(c.outcome, Outcome::kPass) << (c.messages.empty() ? "" : c.messages[0]);
}

TEST(CompareWithBaseline, RunsFromSeveralEnvironmentsAreComparedStatistically) {
  json a = synthetic_analysis();
  ASSERT_EQ(a["environments"].size(), 1u) << a["environments"].dump();
  json second = a["environments"][0];
  second["key"]["cpu"] = "Another CPU";
  second["description"] = "LibTorch 1.13.1, cpu (Another CPU), /usr/lib/libblas.so.3";
  a["environments"].push_back(second);
  const Comparison c = compare_with_baseline(a, last_digit_changed(synthetic_analysis()));
  EXPECT_FALSE(c.same_environment);
  EXPECT_FALSE(c.exact_required);
  EXPECT_EQ(c.outcome, Outcome::kPass) << (c.messages.empty() ? "" : c.messages[0]);
  EXPECT_TRUE(test::ContainsAll(c.run_environment, {"2 environments", "Another CPU"}))
      << c.run_environment;
}

TEST(CompareWithBaseline, ZeroWidthIntervalsMakeAnyChangeIncompatible) {
  json a = synthetic_analysis();
  for (auto& h : a["hypotheses"]) {
    h["ci"]["lo"] = h["estimate"];
    h["ci"]["hi"] = h["estimate"];
  }
  json baseline = a;
  baseline["fingerprint"] = nullptr;  // another environment: only compatibility is checked
  hypothesis(baseline, "geglu-more-accurate")["estimate"] =
      hypothesis(a, "geglu-more-accurate")["estimate"].get<double>() - 1e-9;
  const Comparison c = compare_with_baseline(a, baseline);
  EXPECT_EQ(c.outcome, Outcome::kImproved);
  EXPECT_TRUE(std::isinf(c.hypotheses[0].z));
  const json j = to_json(c);
  EXPECT_EQ(j["hypotheses"][0]["z"], "inf") << "JSON has no infinity: written as a string";
  EXPECT_EQ(j["hypotheses"][1]["z"], 0.0);
  EXPECT_EQ(j["outcome"], "improved");
}

// ---- the gate across environments (baselines/README.md, "The gate") ----

// `h` decided from a normal estimate with standard error `se`: CI estimate ± 1.96 se and the
// two-sided p against 0 from the same model (Holm multiplier 1), verdict as the CI says.
void decided(json& h, double estimate, double se) {
  h["estimate"] = estimate;
  h["ci"]["lo"] = estimate - 1.959963984540054 * se;
  h["ci"]["hi"] = estimate + 1.959963984540054 * se;
  h["ci"]["confidence"] = 0.95;
  const double p = std::erfc(std::abs(estimate) / se / std::sqrt(2.0));
  h["p_value"] = p;
  h["holm_p"] = p;
  const double lo = h["ci"]["lo"], hi = h["ci"]["hi"];
  h["verdict"] = lo > 0 ? "supported" : hi < 0 ? "refuted" : "inconclusive";
}

// The tiny analysis with geglu-more-accurate decided at (estimate, se), and the baseline the
// same at (baseline_estimate, se) in another environment (another CPU).
std::pair<json, json> moved(double estimate, double baseline_estimate, double se = 0.01) {
  json now = synthetic_analysis();
  json baseline = now;
  baseline["fingerprint"]["cpu"] = "Another CPU";
  decided(hypothesis(now, "geglu-more-accurate"), estimate, se);
  decided(hypothesis(baseline, "geglu-more-accurate"), baseline_estimate, se);
  return {now, baseline};
}

TEST(Gate, AFragileVerdictThatFlipsWithACompatibleEstimateMovedWithinNoise) {
  // Baseline: lower bound 0.3 se above 0, supported with replication probability ~0.58.
  // Now: 0.36 se lower, inconclusive; z = -0.25.
  const auto [now, baseline] = moved(0.0190, 0.0226);
  ASSERT_EQ(hypothesis(baseline, "geglu-more-accurate")["verdict"], "supported");
  ASSERT_EQ(hypothesis(now, "geglu-more-accurate")["verdict"], "inconclusive");
  const Comparison c = compare_with_baseline(now, baseline);
  EXPECT_FALSE(c.exact_required);
  EXPECT_EQ(c.outcome, Outcome::kPass) << (c.messages.empty() ? "" : c.messages[0]);
  const HypothesisComparison& h = c.hypotheses[0];
  EXPECT_TRUE(h.within_noise);
  ASSERT_TRUE(h.baseline_replication.has_value());
  EXPECT_LT(*h.baseline_replication, kDecisive);
  EXPECT_GT(*h.baseline_replication, 0.5);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(test::ContainsAll(
      c.messages[0], {"geglu-more-accurate: verdict supported -> inconclusive moved within noise",
                      "fragile: replication probability 0.5", "compatible"}));
  EXPECT_EQ(to_json(c)["hypotheses"][0]["within_noise"], true);
}

TEST(Gate, ADecisiveVerdictThatFlipsRegressesEvenWithACompatibleEstimate) {
  // Baseline: lower bound 2.54 se above 0 (replication probability ~0.96); now inconclusive,
  // z = -1.84: compatible, but a decisive verdict flipped.
  const auto [now, baseline] = moved(0.0190, 0.0450);
  const Comparison c = compare_with_baseline(now, baseline);
  EXPECT_EQ(c.outcome, Outcome::kRegressed);
  const HypothesisComparison& h = c.hypotheses[0];
  EXPECT_TRUE(h.compatible);
  EXPECT_FALSE(h.within_noise);
  ASSERT_TRUE(h.baseline_replication.has_value());
  EXPECT_GE(*h.baseline_replication, kDecisive);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(test::ContainsAll(c.messages[0],
                                {"geglu-more-accurate: decisive verdict supported -> inconclusive",
                                 "replication probability 0.9"}));
  // The other way round (refuted -> inconclusive, decisive): improved.
  const auto [up, down] = moved(-0.0190, -0.0450);
  EXPECT_EQ(compare_with_baseline(up, down).outcome, Outcome::kImproved);
}

TEST(Gate, AnIncompatibleEstimateMovesTheClaimWithoutAFlip) {
  const auto [now, baseline] = moved(0.1, 0.2);  // z = -7.1, both supported
  const Comparison c = compare_with_baseline(now, baseline);
  EXPECT_EQ(c.outcome, Outcome::kRegressed);
  EXPECT_FALSE(c.hypotheses[0].compatible);
  ASSERT_EQ(c.messages.size(), 1u);
  EXPECT_TRUE(test::ContainsAll(
      c.messages[0], {"estimate incompatible with the baseline", "z = -7.07", "Holm p"}));
}

TEST(Gate, IncompatibilityIsHolmControlledAcrossTheSuite) {
  // z = +3.0 on one of the claim's two hypotheses: p = 0.0027, Holm 0.0054. Alone (one claim)
  // that is below 0.01; split over a suite of 6 claims (0.032) it is compatible. The old fixed
  // |z| > 3.29 rule would have passed it alone and failed z = 3.4 in any suite.
  const double se = 0.01;
  const auto [now, baseline] = moved(0.1 + 3.0 * se * std::sqrt(2.0), 0.1, se);
  Comparison alone = compare_with_baseline(now, baseline);
  EXPECT_FALSE(alone.hypotheses[0].compatible);
  EXPECT_NEAR(alone.hypotheses[0].holm_p, 2 * std::erfc(3.0 / std::sqrt(2.0)), 1e-12);
  EXPECT_EQ(alone.outcome, Outcome::kImproved);
  GateSettings suite;
  suite.suite_claims = 6;
  const Comparison in_suite = compare_with_baseline(now, baseline, suite);
  EXPECT_TRUE(in_suite.hypotheses[0].compatible);
  EXPECT_NEAR(in_suite.hypotheses[0].holm_p, 12 * std::erfc(3.0 / std::sqrt(2.0)), 1e-12);
  EXPECT_EQ(in_suite.outcome, Outcome::kPass);
  const json j = to_json(in_suite);
  EXPECT_EQ(j["gate"]["suite_claims"], 6);
  EXPECT_TRUE(test::ContainsAll(j["gate"]["rule"].get<std::string>(),
                                {"decisive verdict flips", "replication probability >= 0.95",
                                 "Holm across the claim's hypotheses at 0.01/6", "within noise"}));
  EXPECT_TRUE(
      test::ContainsAll(j["gate"]["replication"].get<std::string>(), {"Goodman 1992", "2·se²"}));
  GateSettings bad;
  bad.suite_claims = 0;
  EXPECT_THROW(compare_with_baseline(now, baseline, bad), std::invalid_argument);
}

TEST(Gate, AReportOnlyHypothesisIsShownButNeverMovesTheClaim) {
  // A decisive flip and then an incompatible estimate, on a hypothesis the profile reports only.
  for (const auto& [estimate, baseline_estimate] : {std::pair{0.0190, 0.0450}, {0.1, 0.2}}) {
    auto [now, baseline] = moved(estimate, baseline_estimate);
    for (json* a : {&now, &baseline}) {
      hypothesis(*a, "geglu-more-accurate")["gate"] = false;
      hypothesis(*a, "geglu-more-accurate")["report_only"] = "fragile at 3 seeds";
    }
    const Comparison c = compare_with_baseline(now, baseline);
    EXPECT_EQ(c.outcome, Outcome::kPass) << (c.messages.empty() ? "" : c.messages[0]);
    EXPECT_FALSE(c.hypotheses[0].gated);
    ASSERT_EQ(c.messages.size(), 1u);
    EXPECT_TRUE(test::ContainsAll(c.messages[0],
                                  {"geglu-more-accurate: report-only (fragile at 3 seeds)"}));
    EXPECT_EQ(to_json(c)["hypotheses"][0]["gated"], false);
  }
  // One deterministic environment must still reproduce it exactly.
  json a = synthetic_analysis();
  hypothesis(a, "geglu-more-accurate")["gate"] = false;
  json changed = last_digit_changed(a);
  EXPECT_EQ(compare_with_baseline(a, changed).outcome, Outcome::kRegressed);
}

TEST(Gate, FreshSeedsAreAReplicationNeverAReproduction) {
  // The same environment, but the runs drew fresh seeds (--seed-offset 2): the units differ
  // and that is no determinism bug; a fragile flip is within noise.
  auto [now, baseline] = moved(0.0190, 0.0226);
  baseline["fingerprint"] = now["fingerprint"];
  now["seed_offset"] = 2;
  const Comparison c = compare_with_baseline(now, baseline);
  EXPECT_TRUE(c.same_environment);
  EXPECT_FALSE(c.exact_required);
  EXPECT_EQ(c.outcome, Outcome::kPass) << (c.messages.empty() ? "" : c.messages[0]);
  EXPECT_TRUE(c.hypotheses[0].within_noise);
  EXPECT_EQ(to_json(c)["seed_offset"], 2);
  // The same seeds in the same environment must reproduce: that flip is a regression.
  now["seed_offset"] = 0;
  EXPECT_EQ(compare_with_baseline(now, baseline).outcome, Outcome::kRegressed);
}

// ---- canary for the gate, on the committed smoke baselines ----

const std::vector<std::string>& smoke_claims() {
  static const std::vector<std::string> kClaims = {"canary-null",
                                                   "canary-injected",
                                                   "geglu-vs-relu-mnist",
                                                   "symmetry-breaking",
                                                   "activation-reproducibility",
                                                   "swiglu-vs-relu2-matched"};
  return kClaims;
}

json committed_smoke_baseline(const std::string& claim) {
  return read_baseline(fs::path(CLAIMCHECK_SOURCE_DIR) / "baselines" / claim / "smoke.json");
}

// The baseline's evidence as if re-run under another LibTorch.
json in_another_environment(json analysis) {
  analysis["fingerprint"]["libtorch"] = "99.0.0";
  analysis["environments"] = json::array();
  return analysis;
}

// Moves h's estimate and interval by `shift` and gives it the verdict the model gives there.
void shift_hypothesis(json& h, const ReplicationModel& m, double shift) {
  h["estimate"] = h["estimate"].get<double>() + shift;
  h["ci"]["lo"] = h["ci"]["lo"].get<double>() + shift;
  h["ci"]["hi"] = h["ci"]["hi"].get<double>() + shift;
  h["verdict"] = stats::to_string(m.verdict_at(shift));
}

TEST(GateCanary, EveryFragileFlipWithinNoisePassesAcrossEnvironments) {
  // Each fragile verdict (replication probability < 0.95) of every committed smoke baseline is
  // moved by the smallest shift, up to 2.5 standard errors (|z| <= 1.8), that flips it, as a
  // rerun elsewhere might; the runs' environment is another LibTorch. The gate must pass it all.
  GateSettings gate;
  gate.suite_claims = static_cast<int>(smoke_claims().size());
  int flips = 0;
  for (const auto& claim : smoke_claims()) {
    const json baseline = committed_smoke_baseline(claim);
    json runs = in_another_environment(baseline);
    std::vector<std::string> flipped;
    for (auto& h : runs["hypotheses"]) {
      const auto m = replication_model(h, runs["alpha"].get<double>());
      const auto r = replication_of(h, runs["alpha"].get<double>());
      if (!m || !r || r->decisive() || m->se == 0.0) continue;
      const stats::Verdict was = stats::verdict_from_string(h["verdict"].get<std::string>());
      for (double k = 0.05; k <= 2.5; k += 0.05) {
        const double shift = (m->verdict_at(k * m->se) != was ? 1.0 : -1.0) * k * m->se;
        if (m->verdict_at(shift) != was) {
          shift_hypothesis(h, *m, shift);
          flipped.push_back(h["id"]);
          break;
        }
      }
    }
    const Comparison c = compare_with_baseline(runs, baseline, gate);
    EXPECT_FALSE(c.exact_required) << claim;
    EXPECT_EQ(c.outcome, Outcome::kPass)
        << claim << ": " << (c.messages.empty() ? "" : c.messages[0]);
    for (const auto& hc : c.hypotheses) {
      const bool was_flipped = std::find(flipped.begin(), flipped.end(), hc.id) != flipped.end();
      EXPECT_EQ(hc.within_noise, was_flipped) << claim << " " << hc.id;
    }
    flips += static_cast<int>(flipped.size());
  }
  RecordProperty("fragile_flips", flips);
  EXPECT_GE(flips, 8) << "the canary must flip enough fragile verdicts to mean something";
}

TEST(Gate, ASwitchOfLibTorchOnTheSameSeedsRaisesNoFalseAlarm) {
  // The smoke baselines blessed under Debian's LibTorch 1.13 (OpenBLAS) against today's, blessed
  // under pip's 2.13 (MKL) on the same seeds: another environment, so the gate decides. No
  // decisive verdict flipped and no estimate moved incompatibly (ci/replication/
  // cross_environment.py: 39 hypotheses, 0 final-verdict flips, max |z| 1.74), so nothing
  // regresses, either way round.
  GateSettings gate;
  gate.suite_claims = static_cast<int>(smoke_claims().size());
  for (const auto& claim : smoke_claims()) {
    const json old = read_baseline(fs::path(CLAIMCHECK_SOURCE_DIR) / "tests" / "claims" / "data" /
                                   "libtorch-1.13-smoke" / (claim + ".json"));
    const json now = committed_smoke_baseline(claim);
    for (const auto& [runs, baseline] : {std::pair{&now, &old}, std::pair{&old, &now}}) {
      const Comparison c = compare_with_baseline(*runs, *baseline, gate);
      EXPECT_FALSE(c.same_environment) << claim;
      EXPECT_EQ(c.outcome, Outcome::kPass)
          << claim << ": " << (c.messages.empty() ? "" : c.messages[0]);
    }
  }
}

TEST(GateCanary, APlantedDecisiveFlipAndAPlantedIncompatibleEstimateFail) {
  GateSettings gate;
  gate.suite_claims = static_cast<int>(smoke_claims().size());
  int decisive_planted = 0;
  for (const auto& claim : smoke_claims()) {
    const json baseline = committed_smoke_baseline(claim);
    const double alpha = baseline["alpha"];
    // A decisive verdict flipped (numbers unchanged: only the verdict moved).
    for (std::size_t i = 0; i < baseline["hypotheses"].size(); ++i) {
      const json& b = baseline["hypotheses"][i];
      const auto r = replication_of(b, alpha);
      if (!r || !r->decisive() || b["verdict"] == "inconclusive") continue;
      json runs = in_another_environment(baseline);
      runs["hypotheses"][i]["verdict"] = "inconclusive";
      const Comparison c = compare_with_baseline(runs, baseline, gate);
      EXPECT_EQ(c.outcome, b["verdict"] == "supported" ? Outcome::kRegressed : Outcome::kImproved)
          << claim << " " << b["id"];
      ASSERT_FALSE(c.messages.empty());
      EXPECT_TRUE(test::ContainsAll(c.messages[0], {b["id"].get<std::string>() + ": decisive"}));
      ++decisive_planted;
      break;
    }
    // An estimate 12 standard errors away, wherever its verdict lands.
    json runs = in_another_environment(baseline);
    json& h = runs["hypotheses"][0];
    const auto m = replication_model(h, alpha);
    ASSERT_TRUE(m.has_value());
    if (m->se == 0.0) continue;
    shift_hypothesis(h, *m, 12.0 * m->se);
    const Comparison c = compare_with_baseline(runs, baseline, gate);
    EXPECT_NE(c.outcome, Outcome::kPass) << claim;
    EXPECT_FALSE(c.hypotheses[0].compatible) << claim;
  }
  EXPECT_GE(decisive_planted, 4);
}

// ---- write_baseline / read_baseline ----

TEST(WriteBaseline, RefusesWhenCiIsSet) {
  const fs::path file = baseline_path(test::scratch_dir("baseline_ci"), "tiny", "smoke");
  test::ScopedEnv ci("CI", "true");
  EXPECT_TRUE(test::ThrowsWith<std::runtime_error>(
      [&] { write_baseline(file, synthetic_analysis()); }, {"refusing to bless", "CI"}));
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::exists(file.parent_path())) << "nothing created when refused";
  {
    test::ScopedEnv empty_ci("CI", "");  // an empty CI variable is not CI
    EXPECT_NO_THROW(write_baseline(file, synthetic_analysis()));
    EXPECT_TRUE(fs::exists(file));
  }
}

TEST(WriteBaseline, WritesAtomicallyAndReadsBack) {
  const fs::path dir = test::scratch_dir("baseline_write");
  const fs::path file = baseline_path(dir, "tiny", "smoke");
  EXPECT_EQ(file, dir / "tiny" / "smoke.json");
  test::ScopedEnv ci("CI", nullptr);
  const json first = synthetic_analysis();
  write_baseline(file, first);
  EXPECT_EQ(read_baseline(file), first);
  // A leftover temp file from a crashed bless is replaced, and a rewrite replaces the whole file.
  test::write_text(file.string() + ".tmp", "half a baseline");
  const json second = synthetic_analysis(/*accuracy_gain=*/-0.05);
  write_baseline(file, second);
  EXPECT_EQ(read_baseline(file), second);
  EXPECT_FALSE(fs::exists(file.string() + ".tmp"));
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(file.parent_path()))
    entries.push_back(e.path());
  EXPECT_EQ(entries, std::vector<fs::path>{file}) << "no temp files left behind";
}

TEST(ReadBaseline, CorruptOrMissingFileNamesIt) {
  const fs::path dir = test::scratch_dir("baseline_read");
  test::write_text(dir / "smoke.json", "{\"spec_hash\": ");
  EXPECT_TRUE(test::ThrowsWith<std::runtime_error>(
      [&] { read_baseline(dir / "smoke.json"); },
      {(dir / "smoke.json").string(), "is not valid JSON", "re-bless"}));
  EXPECT_TRUE(test::ThrowsWith<std::runtime_error>([&] { read_baseline(dir / "none.json"); },
                                                   {"none.json: cannot open baseline"}));
}

}  // namespace
}  // namespace claimcheck::claims

namespace claimcheck::claims {
namespace {

// Strict reading: every defect of a baseline is an error naming the file and the key path and
// how to restore it, never a pass by accident or a raw JSON-library message.
TEST(ReadBaseline, DefectsAreNamedByFileAndKey) {
  const fs::path dir = test::scratch_dir("baseline_strict");
  const json good = test::synthetic_analysis();
  struct Case {
    const char* name;
    std::function<void(json&)> edit;
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {"CapitalisedVerdict", [](json& b) { b["hypotheses"][0]["verdict"] = "Supported"; },
       "hypotheses[0].verdict: unknown verdict 'Supported'"},
      {"MaybeCiVerdict", [](json& b) { b["hypotheses"][1]["ci_verdict"] = "maybe"; },
       "hypotheses[1].ci_verdict: unknown verdict 'maybe'"},
      {"EstimateAsString", [](json& b) { b["hypotheses"][0]["estimate"] = "0.05"; },
       "hypotheses[0].estimate: must be a finite number"},
      {"MissingCi", [](json& b) { b["hypotheses"][0].erase("ci"); }, "hypotheses[0].ci: missing"},
      {"LoAboveHi", [](json& b) { b["hypotheses"][0]["ci"]["lo"] = 9.0; },
       "hypotheses[0].ci: lo > hi"},
      {"UnitsWithNull", [](json& b) { b["hypotheses"][0]["terms"][1]["units"][0] = nullptr; },
       "hypotheses[0].terms[1].units: holds a non-number"},
      {"OldFormat", [](json& b) { b["format"] = 1; }, "format: is 1, this claimcheck reads format"},
      {"NoFormat", [](json& b) { b.erase("format"); }, "format: missing"},
      {"HypothesesNotArray", [](json& b) { b["hypotheses"] = json::object(); },
       "hypotheses: must be an array"},
      {"NotAnObject", [](json& b) { b = json::array(); }, "the baseline: must be a JSON object"},
      {"UnknownKind", [](json& b) { b["hypotheses"][0]["kind"] = "better"; },
       "hypotheses[0].kind: unknown kind 'better'"},
      {"NoDirection", [](json& b) { b["hypotheses"][1].erase("direction"); },
       "hypotheses[1].direction: missing"},
      {"EquivalenceAtMarginZero",
       [](json& b) {
         b["hypotheses"][0]["kind"] = "equivalence";
         b["hypotheses"][0]["margin"] = 0.0;
       },
       "hypotheses[0].margin: must be >= 0 (> 0 for an equivalence hypothesis)"},
      {"NegativeSeedOffset", [](json& b) { b["seed_offset"] = -2; },
       "seed_offset: must be an integer >= 0"},
  };
  for (const Case& c : cases) {
    json b = good;
    c.edit(b);
    const fs::path file = dir / (std::string(c.name) + ".json");
    test::write_json(file, b);
    EXPECT_TRUE(test::ThrowsWith<std::runtime_error>([&] { read_baseline(file); },
                                                     {file.string(), c.fragment, "re-bless"}))
        << c.name;
  }
}

TEST(CompareWithBaseline, StandardErrorsComeFromEachIntervalsOwnLevel) {
  // The same interval read as a 99% CI implies a smaller standard error than as a 95% one
  // (z 2.576 vs 1.960), so the same move is further out in z.
  const json a = synthetic_analysis();
  json moved = a;
  json& h = hypothesis(moved, "geglu-more-accurate");
  h["estimate"] = h["estimate"].get<double>() + 0.002;
  const double z95 = compare_with_baseline(moved, a).hypotheses[0].z;
  json a99 = a;
  json moved99 = moved;
  hypothesis(a99, "geglu-more-accurate")["ci"]["confidence"] = 0.99;
  hypothesis(moved99, "geglu-more-accurate")["ci"]["confidence"] = 0.99;
  const double z99 = compare_with_baseline(moved99, a99).hypotheses[0].z;
  EXPECT_NEAR(z99 / z95, 2.5758293035489 / 1.9599639845401, 1e-9);
}

}  // namespace
}  // namespace claimcheck::claims
