// Analysis on synthetic run records (no training; analysis_test_support.h): known effects are
// estimated and decided, contrasts over several arms equal their two-arm special case, zero
// variance gives a verdict instead of a crash, missing runs and non-finite metrics are named,
// power is stated at the smallest effect of interest, never at the observed effect, and runs
// from several environments are listed as such.
#include "harness/claims/analysis.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "analysis_test_support.h"
#include "claims_test_support.h"
#include "harness/claims/baseline.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;
using test::hypothesis;
using test::synthetic_analysis;
using test::synthetic_records;
using test::tiny_spec;

TEST(Analysis, KnownPairedEffectsAreEstimatedAndSupported) {
  const json a = synthetic_analysis();
  EXPECT_EQ(a["claim"], "tiny");
  EXPECT_EQ(a["spec_hash"], spec_hash(tiny_spec(), "smoke"));
  const json& acc = hypothesis(a, "geglu-more-accurate");
  EXPECT_EQ(acc["n"], 3);
  // Sums of three doubles: exact to a few ulps, so 1e-12 is far below any real difference.
  EXPECT_NEAR(acc["estimate"].get<double>(), 0.051, 1e-12);
  EXPECT_EQ(acc["formula"], "geglu − relu");
  ASSERT_EQ(acc["terms"].size(), 2u);
  EXPECT_EQ(acc["terms"][0]["arm"], "geglu");
  EXPECT_EQ(acc["terms"][0]["weight"], 1.0);
  EXPECT_EQ(acc["terms"][1]["weight"], -1.0);
  EXPECT_NEAR(acc["terms"][1]["value"].get<double>(), 0.51, 1e-12);
  EXPECT_NEAR(acc["terms"][0]["value"].get<double>(), 0.561, 1e-12);
  EXPECT_EQ(acc["terms"][1]["units"].size(), 3u);
  EXPECT_NEAR(acc["terms"][1]["units"][2].get<double>(), 0.52, 1e-12) << "units in index order";
  ASSERT_EQ(acc["units"].size(), 3u);
  EXPECT_NEAR(acc["units"][1].get<double>(), 0.051, 1e-12) << "the per-replicate contrast";
  EXPECT_EQ(acc["win_rate"], 1.0);
  EXPECT_FALSE(acc.contains("format")) << "the version lives at the top level";
  EXPECT_EQ(a["format"], kAnalysisFormat);
  // Every difference lies in [0.050, 0.052]: so must every bootstrap mean and the CI.
  EXPECT_GE(acc["ci"]["lo"].get<double>(), 0.050 - 1e-12);
  EXPECT_LE(acc["ci"]["hi"].get<double>(), 0.052 + 1e-12);
  EXPECT_EQ(acc["verdict"], "supported") << acc.dump(1);

  const json& loss = hypothesis(a, "geglu-lower-loss");
  EXPECT_NEAR(loss["estimate"].get<double>(), -0.102, 1e-12);
  EXPECT_EQ(loss["win_rate"], 0.0) << "P(contrast > 0) for a loss the treatment lowers";
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
  EXPECT_EQ(a["fingerprint"], test::fingerprint());
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

TEST(Analysis, ShardsFromTwoMachinesAreListedAsTwoEnvironments) {
  // The analysis used to take the first record's fingerprint for all of them: shards on two
  // GPU models (or CPUs) read as one environment, and so as an exact comparison.
  const ClaimSpec spec = tiny_spec();
  const auto runs = plan(spec, "smoke", "cpu");
  std::map<std::string, json> records = synthetic_records(runs, 0.05);
  const json one = to_json(analyze(test::plan_of(spec, "smoke", runs), records));
  ASSERT_EQ(one["environments"].size(), 1u);
  EXPECT_EQ(one["environments"][0]["runs"], 6);
  records.at(runs.back().key())["fingerprint"]["cpu"] = "Another CPU";
  const json two = to_json(analyze(test::plan_of(spec, "smoke", runs), records));
  ASSERT_EQ(two["environments"].size(), 2u) << two["environments"].dump();
  EXPECT_EQ(two["environments"][0]["runs"], 5);
  EXPECT_EQ(two["environments"][1]["runs"], 1);
  EXPECT_NE(two["environments"][1]["description"].get<std::string>().find("Another CPU"),
            std::string::npos);
  EXPECT_FALSE(compare_with_baseline(two, one).same_environment);
  EXPECT_FALSE(compare_with_baseline(one, two).same_environment);
  EXPECT_TRUE(compare_with_baseline(one, one).same_environment);
}

TEST(Analysis, MissingRunsAreNamedWithTheCommandThatTrainsThem) {
  const ClaimSpec spec = tiny_spec();
  const auto runs = plan(spec, "smoke", "cpu");
  auto records = synthetic_records(runs);
  for (const auto& run : runs) {
    if (run.arm == "geglu" && run.index == 2) records.erase(run.key());
  }
  EXPECT_TRUE(test::ThrowsWith<std::runtime_error>(
      [&] { analyze(test::plan_of(spec, "smoke", runs), records); },
      {"tiny (smoke): 1 of 6 runs are not in the store (first: geglu replicate 2)",
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
      [&] { analyze(test::plan_of(spec, "smoke", runs), records); },
      {"run relu replicate 1", "metric 'test_loss' is not finite", "diverged"}));
}

TEST(Analysis, TwoArmHypothesisAndTheSameContrastGiveIdenticalResults) {
  // The old form (treatment, control) is the contrast {+1 treatment, −1 control}: everything
  // decided must be identical, only the spec's JSON form differs.
  json as_contrast = test::tiny_claim_json();
  for (auto& h : as_contrast["hypotheses"]) {
    h["contrast"] = {{{"arm", h["treatment"]}, {"weight", 1}},
                     {{"arm", h["control"]}, {"weight", -1}}};
    h.erase("treatment");
    h.erase("control");
  }
  const ClaimSpec two_arm = tiny_spec();
  const ClaimSpec contrast = parse_claim(as_contrast, "tiny.json");
  EXPECT_TRUE(two_arm.hypotheses[0].two_arm);
  EXPECT_FALSE(contrast.hypotheses[0].two_arm);
  const auto runs = plan(two_arm, "smoke", "cpu");
  const auto runs_c = plan(contrast, "smoke", "cpu");
  ASSERT_EQ(runs.size(), runs_c.size());
  for (std::size_t i = 0; i < runs.size(); ++i)
    EXPECT_EQ(runs[i].key(), runs_c[i].key());
  json a = to_json(analyze(test::plan_of(two_arm, "smoke", runs), synthetic_records(runs)));
  json b = to_json(analyze(test::plan_of(contrast, "smoke", runs_c), synthetic_records(runs_c)));
  for (json* x : {&a, &b}) {
    x->erase("spec_hash");  // the spec's text differs
    for (auto& h : (*x)["hypotheses"]) {
      for (const char* key : {"treatment", "control", "contrast"})
        h.erase(key);
    }
  }
  EXPECT_EQ(a.dump(), b.dump());
}

TEST(Analysis, FourArmInteractionContrastIsTheDifferenceOfDifferences) {
  // Arms a, b, c, d with replicate i values a = 1 + i, b = 0.5 + 2i, c = 0.25 i, d = 3 − i:
  // the contrast a − b − c + d per replicate is 3.5 − 2.25 i, so the units are exact.
  json j = test::tiny_claim_json();
  j["arms"] = json::array();
  int hidden = 2;
  for (const char* name : {"a", "b", "c", "d"}) {
    j["arms"].push_back(
        {{"name", name}, {"model", {{"type", "ffn-relu"}, {"options", {{"hidden", hidden++}}}}}});
  }
  j["hypotheses"] = {{{"id", "interaction"},
                      {"contrast",
                       {{{"arm", "a"}, {"weight", 1}},
                        {{"arm", "b"}, {"weight", -1}},
                        {{"arm", "c"}, {"weight", -1}},
                        {{"arm", "d"}, {"weight", 1}}}},
                      {"metric", "test_loss"},
                      {"direction", "greater"}}};
  j["profiles"]["smoke"]["replicates"] = 4;
  const ClaimSpec spec = parse_claim(j, "four.json");
  EXPECT_EQ(spec.hypotheses[0].formula(), "a − b − c + d");
  const auto runs = plan(spec, "smoke", "cpu");
  ASSERT_EQ(runs.size(), 16u);
  std::map<std::string, json> records;
  for (const auto& run : runs) {
    const double i = run.index;
    const char arm = run.arm[0];
    const double v = arm == 'a' ? 1 + i : arm == 'b' ? 0.5 + 2 * i : arm == 'c' ? 0.25 * i : 3 - i;
    records[run.key()] = {{"metrics", {{"test_loss", v}}}};
  }
  const json a = to_json(analyze(test::plan_of(spec, "smoke", runs), records));
  const json& h = a["hypotheses"][0];
  ASSERT_EQ(h["units"].size(), 4u);
  for (int i = 0; i < 4; ++i)
    EXPECT_DOUBLE_EQ(h["units"][i].get<double>(), 3.5 - 2.25 * i) << i;
  EXPECT_DOUBLE_EQ(h["estimate"].get<double>(), 3.5 - 2.25 * 1.5);
  EXPECT_EQ(h["terms"].size(), 4u);
  EXPECT_EQ(h["formula"], "a − b − c + d");
}

TEST(Analysis, ZeroVarianceGivesAVerdictNotACrash) {
  // Every replicate gives the same contrast: identical arms (0) or a constant offset. The effect
  // is known exactly; equivalence holds, superiority of a zero effect is undecided, a constant
  // positive effect is decided.
  const ClaimSpec spec = tiny_spec();
  const auto runs = plan(spec, "smoke", "cpu");
  for (const double offset : {0.0, 0.02}) {
    auto records = synthetic_records(runs);
    for (const auto& run : runs) {
      json& m = records[run.key()]["metrics"];
      m["test_accuracy"] = 0.5 + (run.arm == "geglu" ? offset : 0.0);
      m["test_loss"] = 1.0;
    }
    const json a = to_json(analyze(test::plan_of(spec, "smoke", runs), records));
    const json& acc = hypothesis(a, "geglu-more-accurate");
    EXPECT_NEAR(acc["estimate"].get<double>(), offset, 1e-15);
    EXPECT_EQ(acc["ci"]["lo"], acc["ci"]["hi"]);
    EXPECT_TRUE(acc["ci"]["degenerate"].get<bool>());
    EXPECT_NE(acc["note"].get<std::string>().find("zero variance"), std::string::npos);
    EXPECT_EQ(acc["verdict"], offset > 0 ? "supported" : "inconclusive") << acc.dump(1);
    EXPECT_EQ(hypothesis(a, "geglu-lower-loss")["verdict"], "inconclusive");
  }
  // Equivalence on identical arms: supported.
  json j = test::tiny_claim_json();
  j["hypotheses"][0]["kind"] = "equivalence";
  j["hypotheses"][0]["margin"] = 0.01;
  const ClaimSpec eq = parse_claim(j, "tiny.json");
  auto records = synthetic_records(runs);
  for (const auto& run : runs)
    records[run.key()]["metrics"]["test_accuracy"] = 0.5;
  const json a = to_json(analyze(plan_profile(eq, "smoke", "cpu"), records));
  EXPECT_EQ(hypothesis(a, "geglu-more-accurate")["verdict"], "supported");
}

TEST(Analysis, PowerIsAtTheSmallestEffectOfInterestNeverTheObservedOne) {
  // Without a margin or min_effect there is no effect of interest: no power, no
  // "underpowered" note, however small the observed effect.
  const json plain = synthetic_analysis(/*accuracy_gain=*/-0.001);  // 0 effect, inconclusive
  const json& h0 = hypothesis(plain, "geglu-more-accurate");
  EXPECT_EQ(h0["verdict"], "inconclusive");
  EXPECT_TRUE(h0["power"].is_null());
  EXPECT_EQ(h0["note"].get<std::string>().find("underpowered"), std::string::npos);
  // With min_effect 0.0001 (tiny against a contrast sd of 0.001): underpowered at n = 3, and
  // the note says at which effect.
  json j = test::tiny_claim_json();
  j["hypotheses"][0]["min_effect"] = 0.0001;
  const ClaimSpec spec = parse_claim(j, "tiny.json");
  const auto runs = plan(spec, "smoke", "cpu");
  const json a =
      to_json(analyze(test::plan_of(spec, "smoke", runs), synthetic_records(runs, -0.001)));
  const json& h = hypothesis(a, "geglu-more-accurate");
  ASSERT_TRUE(h["power"].is_number());
  EXPECT_LT(h["power"].get<double>(), 0.8);
  EXPECT_GT(h["seeds_needed"].get<int>(), 3);
  EXPECT_NE(h["note"].get<std::string>().find("underpowered: power"), std::string::npos)
      << h["note"];
  EXPECT_NE(h["note"].get<std::string>().find("effect of 0.0001"), std::string::npos);
}

}  // namespace
}  // namespace claimcheck::claims
