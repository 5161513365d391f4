// Synthetic run records for analysis and baseline tests (no training): the tiny claim's planned
// runs get metrics from a formula, so every estimate is known in advance.
//   Replicate i: relu accuracy 0.50 + 0.01 i, loss 1.2 − 0.01 i; geglu is better by
//   gain + 0.001 i in accuracy and by 0.1 + 0.002 i in loss. With gain 0.05 the paired
//   differences are accuracy (0.050, 0.051, 0.052), mean 0.051, and loss (−0.100, −0.102,
//   −0.104), mean −0.102.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "claims_test_support.h"
#include "harness/claims/analysis.h"
#include "harness/claims/planner.h"
#include "harness/claims/spec.h"

namespace claimcheck::claims::test {

inline const nlohmann::json& fingerprint() {
  static const nlohmann::json kFingerprint = {{"libtorch", "1.13.1"},
                                              {"cpu", "Test CPU @ 1 GHz"},
                                              {"blas", {{"loaded", "/usr/lib/libblas.so.3"}}},
                                              {"git_commit", "0123abc"}};
  return kFingerprint;
}

inline ClaimSpec tiny_spec() {
  return parse_claim(tiny_claim_json(), "tiny.json");
}

inline nlohmann::json metrics_of(const RunSpec& run, double accuracy_gain = 0.05) {
  const double i = run.index;
  double accuracy = 0.50 + 0.01 * i;
  double loss = 1.2 - 0.01 * i;
  if (run.arm == "geglu") {
    accuracy += accuracy_gain + 0.001 * i;
    loss -= 0.1 + 0.002 * i;
  }
  return {{"test_accuracy", accuracy}, {"test_loss", loss}, {"final_train_loss", loss}};
}

inline std::map<std::string, nlohmann::json> synthetic_records(const std::vector<RunSpec>& runs,
                                                               double accuracy_gain = 0.05) {
  std::map<std::string, nlohmann::json> records;
  for (const auto& run : runs) {
    records[run.key()] = {{"key", run.key()},
                          {"arm", run.arm},
                          {"role", to_string(run.role)},
                          {"index", run.index},
                          {"metrics", metrics_of(run, accuracy_gain)},
                          {"diverged", false},
                          {"wall_seconds", 0.5},
                          {"fingerprint", fingerprint()}};
  }
  return records;
}

inline nlohmann::json synthetic_analysis(double accuracy_gain = 0.05) {
  const ClaimSpec spec = tiny_spec();
  const auto runs = plan(spec, "smoke", "cpu");
  return to_json(analyze(plan_of(spec, "smoke", runs), synthetic_records(runs, accuracy_gain)));
}

inline const nlohmann::json& hypothesis(const nlohmann::json& analysis, const std::string& id) {
  for (const auto& h : analysis.at("hypotheses")) {
    if (h.at("id") == id) return h;
  }
  throw std::out_of_range("no hypothesis " + id);
}
inline nlohmann::json& hypothesis(nlohmann::json& analysis, const std::string& id) {
  for (auto& h : analysis.at("hypotheses")) {
    if (h.at("id") == id) return h;
  }
  throw std::out_of_range("no hypothesis " + id);
}

}  // namespace claimcheck::claims::test
