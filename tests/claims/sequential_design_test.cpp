// The sequential design: on synthetic runs with known effects, a clear effect stops at the first
// round the anytime t CS can decide, a null effect runs to the budget, the planned runs are only
// those the open hypotheses need, the state is a function of the stored runs (missing runs of
// the current round leave it incomplete), and the analysis reports the stop, the CS and the
// fixed design's seeds. End to end, `run` trains in rounds and `analyze` reproduces it.
#include "harness/claims/sequential_design.h"

#include <gtest/gtest.h>

#include <map>

#include "analysis_test_support.h"
#include "claims_test_support.h"
#include "harness/claims/analysis.h"
#include "harness/claims/baseline.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;

// The tiny claim with a sequential smoke profile (rounds 6, 8, ..., 20; fixed design 20).
json sequential_claim() {
  json j = test::tiny_claim_json();
  j["profiles"]["smoke"] = {{"replicates", 20},
                            {"device", "cpu"},
                            {"resamples", 999},
                            {"sequential", {{"min_seeds", 6}, {"max_seeds", 20}, {"round", 2}}}};
  return j;
}

// Records for every run of the max budget: accuracy gain `gain` ± noise (deterministic per index),
// loss identical in both arms (a null effect on test_loss).
std::map<std::string, json> records_for(const ClaimSpec& spec, double gain) {
  std::map<std::string, json> out;
  for (const auto& run : plan(spec, "smoke", "cpu", 20)) {
    const double i = run.index;
    const double noise = 0.004 * std::sin(3.0 * i + 1.0);
    const double acc = 0.6 + 0.01 * std::cos(i) + (run.arm == "geglu" ? gain + noise : 0.0);
    const double loss = 1.0 + 0.01 * std::sin(i) + (run.arm == "geglu" ? noise : -noise);
    out[run.key()] = {{"key", run.key()},
                      {"metrics", {{"test_accuracy", acc}, {"test_loss", loss}}}};
  }
  return out;
}

TEST(SequentialDesign, AClearEffectStopsEarlyAndANullRunsToTheBudget) {
  const ClaimSpec spec = parse_claim(sequential_claim(), "tiny.json");
  const auto records = records_for(spec, 0.05);
  const SequentialState s = sequential_state(plan_profile(spec, "smoke", "cpu"), records);
  ASSERT_TRUE(s.complete);
  EXPECT_LT(s.stop.at("geglu-more-accurate"), 20) << "a d_z > 10 effect stops early";
  EXPECT_GE(s.stop.at("geglu-more-accurate"), 6);
  EXPECT_EQ(s.stop.at("geglu-lower-loss"), 20) << "no effect on loss: the budget is spent";
  // Both hypotheses share the two arms: their runs go to the larger stop.
  EXPECT_EQ(s.runs.size(), 2u * 20u);
  // The same records give the same state (a function of the stored runs).
  EXPECT_EQ(sequential_state(plan_profile(spec, "smoke", "cpu"), records).stop, s.stop);
}

TEST(SequentialDesign, MissingRunsOfTheCurrentRoundLeaveItIncompleteWithThoseRunsPlanned) {
  const ClaimSpec spec = parse_claim(sequential_claim(), "tiny.json");
  auto records = records_for(spec, 0.05);
  for (const auto& run : plan(spec, "smoke", "cpu", 20)) {
    if (run.index >= 6) records.erase(run.key());
  }
  const SequentialState first = sequential_state(plan_profile(spec, "smoke", "cpu"), {});
  EXPECT_FALSE(first.complete);
  EXPECT_EQ(first.round_seeds, 6);
  EXPECT_EQ(first.runs.size(), 2u * 6u) << "the first round: 6 seeds of both arms";
  const SequentialState later = sequential_state(plan_profile(spec, "smoke", "cpu"), records);
  EXPECT_FALSE(later.complete) << "the loss hypothesis is open after 6 seeds";
  EXPECT_EQ(later.round_seeds, 8);
  EXPECT_EQ(later.runs.size(), 2u * 8u);
}

TEST(SequentialDesign, AnalysisReportsTheStopTheCsAndTheFixedDesign) {
  const ClaimSpec spec = parse_claim(sequential_claim(), "tiny.json");
  const auto records = records_for(spec, 0.05);
  const SequentialState s = sequential_state(plan_profile(spec, "smoke", "cpu"), records);
  const json a = to_json(analyze(plan_profile(spec, "smoke", "cpu"), records));
  const json& acc = test::hypothesis(a, "geglu-more-accurate");
  EXPECT_EQ(acc["verdict"], "supported");
  EXPECT_EQ(acc["n"], s.stop.at("geglu-more-accurate"));
  EXPECT_EQ(acc["ci"]["method"], "anytime-t");
  EXPECT_EQ(acc["sequential"]["fixed_design_seeds"], 20);
  EXPECT_NEAR(acc["ci"]["confidence"].get<double>(), 1.0 - 0.05 / 2.0, 1e-12)
      << "each CS at alpha/m for m = 2 paired hypotheses";
  EXPECT_LT(acc["holm_p"].get<double>(), 0.05);
  const json& loss = test::hypothesis(a, "geglu-lower-loss");
  EXPECT_EQ(loss["verdict"], "inconclusive");
  EXPECT_EQ(loss["n"], 20);
  // A baseline that stopped elsewhere by the same rule is not stale (n may differ).
  json other = a;
  test::hypothesis(other, "geglu-more-accurate")["n"] = 10;
  EXPECT_NE(compare_with_baseline(a, other).outcome, Outcome::kStale);
}

TEST(SequentialDesign, RunTrainsInRoundsAndAnalyzeReproducesIt) {
  const auto dir = test::scratch_dir("sequential_cli");
  test::write_json(dir / "claims" / "tiny.json", sequential_claim());
  const auto cli = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"--claims-dir", (dir / "claims").string(), "--baselines-dir",
                               (dir / "baselines").string()});
    return test::run_cli(args);
  };
  const auto store = (dir / "runs").string();
  std::filesystem::create_directories(dir / "claims");
  test::write_json(dir / "claims" / "tiny.json", sequential_claim());
  const test::CliResult r = cli({"run", "tiny", "--profile", "smoke", "--store", store});
  ASSERT_EQ(r.code, cli::kExitMismatch) << r.err;  // no baseline
  EXPECT_TRUE(test::ContainsAll(r.err, {"in the first round", "sequential round at 8 seeds"}))
      << r.err;
  const json first = test::read_json(dir / "runs" / "reports" / "tiny" / "smoke" / "report.json");
  const int stored = static_cast<int>(test::lines_of(dir / "runs" / "tiny.jsonl").size());
  EXPECT_LT(stored, 2 * 20) << "fewer runs than the fixed design's";
  EXPECT_EQ(first["analysis"]["runs"].size(), static_cast<std::size_t>(stored));
  const test::CliResult again = cli({"analyze", "tiny", "--profile", "smoke", "--store", store});
  EXPECT_EQ(again.code, cli::kExitMismatch);
  const json second = test::read_json(dir / "runs" / "reports" / "tiny" / "smoke" / "report.json");
  EXPECT_EQ(second["analysis"].dump(), first["analysis"].dump());
  EXPECT_EQ(cli({"run", "tiny", "--profile", "smoke", "--store", store, "--seeds", "5"}).code,
            cli::kExitUsage)
      << "--seeds contradicts a sequential design";
}

}  // namespace
}  // namespace claimcheck::claims
