// The canary claims (claims/canary-*.json) check the pipeline on real runs in every PR; this
// test checks the canaries themselves: their committed baselines say what a correct pipeline
// must find (identical arms: no effect; a 10x smaller learning rate: less accurate, supported),
// the runs stored in those baselines re-analyze to the same result, and a deliberately broken
// pipeline (arms swapped = a sign error; replicates shifted = a dropped pairing) makes a canary
// fail against its baseline.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "analysis_test_support.h"
#include "claims_test_support.h"
#include "harness/claims/analysis.h"
#include "harness/claims/baseline.h"
#include "harness/claims/planner.h"
#include "harness/claims/spec.h"

namespace claimcheck::claims {
namespace {
using json = nlohmann::json;
namespace fs = std::filesystem;

struct Canary {
  ClaimSpec spec;
  json baseline;
  std::vector<RunSpec> runs;
  std::map<std::string, json> records;  // rebuilt from the runs stored in the baseline
};

Canary load_canary(const std::string& id) {
  const fs::path root(CLAIMCHECK_SOURCE_DIR);
  Canary c{load_claim(root / "claims" / (id + ".json")),
           read_baseline(baseline_path(root / "baselines", id, "smoke")),
           {},
           {}};
  c.runs = plan(c.spec, "smoke", "cpu");
  for (const auto& [key, run] : c.baseline.at("runs").items()) {
    c.records[key] = {{"key", key}, {"metrics", run.at("metrics")}, {"diverged", false}};
  }
  return c;
}

// Applies `fault` to the records of one canary, re-analyzes and compares with its baseline.
Comparison analyze_with_fault(
    const Canary& c,
    const std::function<void(std::map<std::string, json>&, const std::vector<RunSpec>&)>& fault) {
  std::map<std::string, json> records = c.records;
  if (fault) fault(records, c.runs);
  json analysis = to_json(analyze(test::plan_of(c.spec, "smoke", c.runs), records));
  analysis["fingerprint"] = c.baseline.at("fingerprint");  // same environment: exact compare
  return compare_with_baseline(analysis, c.baseline);
}

// The two arms' metrics swapped at every replicate: what a sign error would produce.
void swap_arms(std::map<std::string, json>& records, const std::vector<RunSpec>& runs) {
  std::map<int, std::vector<std::string>> keys_by_index;
  for (const auto& r : runs)
    keys_by_index[r.index].push_back(r.key());
  for (auto& [index, keys] : keys_by_index)
    std::swap(records[keys.at(0)]["metrics"], records[keys.at(1)]["metrics"]);
}

// One arm's replicates shifted by one index: what a dropped or broken pairing would produce.
void shift_one_arm(std::map<std::string, json>& records, const std::vector<RunSpec>& runs) {
  std::vector<std::string> keys;
  for (const auto& r : runs) {
    if (r.arm == runs.front().arm) keys.push_back(r.key());
  }
  const json first = records[keys.front()]["metrics"];
  for (std::size_t i = 0; i + 1 < keys.size(); ++i)
    records[keys[i]]["metrics"] = records[keys[i + 1]]["metrics"];
  records[keys.back()]["metrics"] = first;
}

std::string verdict_of(const json& baseline, const std::string& id) {
  return test::hypothesis(baseline, id).at("verdict").get<std::string>();
}

TEST(Canary, BaselinesSayWhatACorrectPipelineFinds) {
  const Canary null = load_canary("canary-null");
  EXPECT_EQ(verdict_of(null.baseline, "copy-more-accurate"), "inconclusive");
  EXPECT_EQ(verdict_of(null.baseline, "copy-less-accurate"), "inconclusive");
  EXPECT_EQ(verdict_of(null.baseline, "copy-equivalent"), "supported");
  const Canary injected = load_canary("canary-injected");
  EXPECT_EQ(verdict_of(injected.baseline, "handicap-lowers-accuracy"), "supported");
  EXPECT_LT(
      test::hypothesis(injected.baseline, "handicap-lowers-accuracy")["estimate"].get<double>(),
      0.0);
  EXPECT_EQ(verdict_of(injected.baseline, "handicap-raises-loss"), "supported");
}

TEST(Canary, StoredRunsReanalyzeToTheBaselineExactly) {
  for (const char* id : {"canary-null", "canary-injected"}) {
    const Comparison c = analyze_with_fault(load_canary(id), {});
    EXPECT_EQ(c.outcome, Outcome::kPass) << id;
    for (const auto& h : c.hypotheses)
      EXPECT_TRUE(h.exact) << id << " " << h.id;
  }
}

TEST(Canary, ABrokenPipelineMakesACanaryFail) {
  // A sign error: the handicap now looks like an improvement. The verdict itself moves.
  const Canary injected = load_canary("canary-injected");
  const Comparison flipped = analyze_with_fault(injected, swap_arms);
  EXPECT_EQ(flipped.outcome, Outcome::kRegressed);
  for (const auto& h : flipped.hypotheses) {
    EXPECT_EQ(h.baseline_verdict, "supported") << h.id;
    EXPECT_EQ(h.verdict, "refuted") << h.id;
  }
  // A broken pairing: each canary fails its baseline (the numbers no longer reproduce).
  for (const char* id : {"canary-null", "canary-injected"}) {
    const Comparison shifted = analyze_with_fault(load_canary(id), shift_one_arm);
    EXPECT_NE(shifted.outcome, Outcome::kPass) << id;
  }
}

}  // namespace
}  // namespace claimcheck::claims
