// Analysis and baseline comparison on synthetic run records (no training): the tiny claim's
// planned runs get metrics from a formula, so every estimate is known in advance. Then the
// comparison with a baseline: pass, regressed/improved naming the hypothesis, verdict moves with
// their direction, stale, exact reproduction in one environment, and bless's writer.
#include "harness/claims/baseline.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "claims_test_support.h"
#include "harness/claims/analysis.h"
#include "harness/claims/planner.h"
#include "harness/claims/spec.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;
namespace fs = std::filesystem;

const json kFingerprint = {{"libtorch", "1.13.1"},
                           {"cpu", "Test CPU @ 1 GHz"},
                           {"blas", {{"loaded", "/usr/lib/libblas.so.3"}}},
                           {"git_commit", "0123abc"}};

ClaimSpec tiny_spec() {
  return parse_claim(test::tiny_claim_json(), "tiny.json");
}

// Replicate i: relu accuracy 0.50 + 0.01 i, loss 1.2 − 0.01 i; geglu is better by
// 0.05 + 0.001 i in accuracy and by 0.1 + 0.002 i in loss. So the paired differences are
// accuracy (0.050, 0.051, 0.052), mean 0.051, and loss (−0.100, −0.102, −0.104), mean −0.102.
json metrics_of(const RunSpec& run, double accuracy_gain = 0.05) {
  const double i = run.index;
  double accuracy = 0.50 + 0.01 * i;
  double loss = 1.2 - 0.01 * i;
  if (run.arm == "geglu") {
    accuracy += accuracy_gain + 0.001 * i;
    loss -= 0.1 + 0.002 * i;
  }
  return {{"test_accuracy", accuracy},
          {"test_loss", loss},
          {"final_train_loss", loss},
          {"steps", 938},
          {"diverged", false}};
}

std::map<std::string, json> synthetic_records(const std::vector<RunSpec>& runs,
                                              double accuracy_gain = 0.05) {
  std::map<std::string, json> records;
  for (const auto& run : runs) {
    records[run.key()] = {
        {"key", run.key()},  {"arm", run.arm},      {"metrics", metrics_of(run, accuracy_gain)},
        {"diverged", false}, {"wall_seconds", 0.5}, {"fingerprint", kFingerprint}};
  }
  return records;
}

json synthetic_analysis(double accuracy_gain = 0.05) {
  const ClaimSpec spec = tiny_spec();
  const auto runs = plan(spec, "smoke", "cpu");
  return to_json(analyze(spec, "smoke", runs, synthetic_records(runs, accuracy_gain)));
}

const json& hypothesis(const json& analysis, const std::string& id) {
  for (const auto& h : analysis.at("hypotheses")) {
    if (h.at("id") == id) return h;
  }
  throw std::out_of_range("no hypothesis " + id);
}
json& hypothesis(json& analysis, const std::string& id) {
  for (auto& h : analysis.at("hypotheses")) {
    if (h.at("id") == id) return h;
  }
  throw std::out_of_range("no hypothesis " + id);
}

// ---- analyze ----

TEST(Analysis, KnownPairedEffectsAreEstimatedAndSupported) {
  const json a = synthetic_analysis();
  EXPECT_EQ(a["claim"], "tiny");
  EXPECT_EQ(a["spec_hash"], spec_hash(tiny_spec(), "smoke"));
  const json& acc = hypothesis(a, "geglu-more-accurate");
  EXPECT_EQ(acc["n"], 3);
  // Sums of three doubles: exact to a few ulps, so 1e-12 is far below any real difference.
  EXPECT_NEAR(acc["estimate"].get<double>(), 0.051, 1e-12);
  EXPECT_NEAR(acc["control_value"].get<double>(), 0.51, 1e-12);
  EXPECT_NEAR(acc["treatment_value"].get<double>(), 0.561, 1e-12);
  EXPECT_EQ(acc["control_units"].size(), 3u);
  EXPECT_NEAR(acc["control_units"][2].get<double>(), 0.52, 1e-12) << "units in index order";
  EXPECT_EQ(acc["win_rate"], 1.0);
  // Every difference lies in [0.050, 0.052]: so must every bootstrap mean and the CI.
  EXPECT_GE(acc["ci"]["lo"].get<double>(), 0.050 - 1e-12);
  EXPECT_LE(acc["ci"]["hi"].get<double>(), 0.052 + 1e-12);
  EXPECT_EQ(acc["verdict"], "supported") << acc.dump(1);

  const json& loss = hypothesis(a, "geglu-lower-loss");
  EXPECT_NEAR(loss["estimate"].get<double>(), -0.102, 1e-12);
  EXPECT_EQ(loss["win_rate"], 0.0) << "P(treatment > control) for a loss the treatment lowers";
  EXPECT_EQ(loss["direction"], "less");
  EXPECT_EQ(loss["verdict"], "supported") << loss.dump(1);

  ASSERT_EQ(a["arms"].size(), 2u);
  EXPECT_EQ(a["arms"][0]["name"], "relu");
  EXPECT_NEAR(a["arms"][0]["mean"].get<double>(), 0.51, 1e-12);
  EXPECT_NEAR(a["arms"][0]["sd"].get<double>(), 0.01, 1e-12);
  EXPECT_EQ(a["runs"].size(), 6u);
  // Wall time is not a result: it lives in the report's execution section, so a resumed run's
  // analysis (and a re-blessed baseline) is byte-identical.
  EXPECT_FALSE(a.contains("train_seconds"));
  EXPECT_EQ(a["fingerprint"], kFingerprint);
  // Every resample is seeded from the claim and hypothesis ids: bit for bit on a second call.
  EXPECT_EQ(synthetic_analysis().dump(), a.dump());
}

TEST(Analysis, EffectOnTheOtherSideIsRefuted) {
  // GeGLU 0.05 less accurate: differences (−0.050, −0.049, −0.048).
  const json a = synthetic_analysis(/*accuracy_gain=*/-0.05);
  const json& acc = hypothesis(a, "geglu-more-accurate");
  EXPECT_NEAR(acc["estimate"].get<double>(), -0.049, 1e-12);
  EXPECT_EQ(acc["verdict"], "refuted") << acc.dump(1);
}

TEST(Analysis, MissingRunsAreNamedWithTheCommandThatTrainsThem) {
  const ClaimSpec spec = tiny_spec();
  const auto runs = plan(spec, "smoke", "cpu");
  auto records = synthetic_records(runs);
  for (const auto& run : runs) {
    if (run.arm == "geglu" && run.index == 2) records.erase(run.key());
  }
  EXPECT_TRUE(test::ThrowsWith<std::runtime_error>(
      [&] { analyze(spec, "smoke", runs, records); },
      {"tiny (smoke): 1 runs are not in the store (first: geglu replicate 2)",
       "claimcheck run tiny --profile smoke"}));
}

TEST(Analysis, NonFiniteMetricOfADivergedRunIsAClearError) {
  // JSON has no NaN: a diverged run's loss is stored as null. Deciding on it must name the run.
  const ClaimSpec spec = tiny_spec();
  const auto runs = plan(spec, "smoke", "cpu");
  auto records = synthetic_records(runs);
  for (const auto& run : runs) {
    if (run.arm == "relu" && run.index == 1) {
      records[run.key()]["metrics"]["test_loss"] = nullptr;
      records[run.key()]["role"] = "replicate";
      records[run.key()]["index"] = 1;
    }
  }
  EXPECT_TRUE(test::ThrowsWith<std::runtime_error>(
      [&] { analyze(spec, "smoke", runs, records); },
      {"run relu replicate 1", "metric 'test_loss' is not finite", "diverged"}));
}

// ---- compare_with_baseline ----

TEST(CompareWithBaseline, DifferentSeedCountIsStaleNotARegression) {
  // `--seeds N` changes n but not the spec: comparing it with the profile's baseline would show
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

TEST(CompareWithBaseline, EquivalenceMovesTowardZeroAreImprovements) {
  // For an equivalence hypothesis the claimed side is |effect| small, whatever its sign.
  const json a = synthetic_analysis();
  json now = a;
  json& h = hypothesis(now, "geglu-more-accurate");
  h["kind"] = "equivalence";
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
  h["control_units"][1] = h["control_units"][1].get<double>() + 1e-13;
  h["estimate"] = h["estimate"].get<double>() - 1e-13 / 3;
  Comparison c = compare_with_baseline(a, baseline);
  EXPECT_TRUE(c.same_environment);
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

// ---- write_baseline / read_baseline ----

TEST(WriteBaseline, RefusesWhenCiIsSet) {
  const fs::path file = baseline_path(test::scratch_dir("baseline_ci"), "tiny", "smoke");
  test::ScopedEnv ci("CI", "true");
  EXPECT_TRUE(test::ThrowsWith<std::runtime_error>(
      [&] {
        write_baseline(file, {{"a", 1}});
      },
      {"refusing to bless", "CI"}));
  EXPECT_FALSE(fs::exists(file));
  EXPECT_FALSE(fs::exists(file.parent_path())) << "nothing created when refused";
  {
    test::ScopedEnv empty_ci("CI", "");  // an empty CI variable is not CI
    EXPECT_NO_THROW(write_baseline(file, {{"a", 1}}));
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
  const json second = {{"spec_hash", "x"}, {"hypotheses", json::array()}};
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
      {(dir / "smoke.json").string(), "baseline is not valid JSON", "re-bless"}));
  EXPECT_TRUE(test::ThrowsWith<std::runtime_error>([&] { read_baseline(dir / "none.json"); },
                                                   {"none.json: cannot open baseline"}));
}

}  // namespace
}  // namespace claimcheck::claims
