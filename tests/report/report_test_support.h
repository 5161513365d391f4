// Synthetic claim reports for the report-layer tests: the JSON shape finish_claim writes
// (analysis + comparison + execution), with as many hypotheses and runs as a test asks for and a
// chosen outcome, so suite sizing, multiplicity and rendering can be tested without training.
// Header-only: every test file of report_test includes it.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "harness/report/suite.h"

namespace claimcheck::report::test {

/// What a synthetic report holds.
struct FakeClaim {
  std::string claim = "fake";
  std::string profile = "smoke";
  std::string outcome = "pass";                 // the comparison's outcome
  std::vector<double> p_values = {0.001, 0.2};  // one hypothesis per p value
  int replicates = 4;                           // per arm; two arms
  std::string title = "A fake claim";
};

/// A report JSON as finish_claim writes it.
inline nlohmann::json fake_report(const FakeClaim& f) {
  nlohmann::json hyps = nlohmann::json::array();
  nlohmann::json cmp = nlohmann::json::array();
  for (std::size_t i = 0; i < f.p_values.size(); ++i) {
    const std::string id = "h" + std::to_string(i);
    const double est = 0.01 * static_cast<double>(i + 1);
    const std::string verdict = f.p_values[i] < 0.05 ? "supported" : "inconclusive";
    hyps.push_back(
        {{"id", id},
         {"kind", "superiority"},
         {"direction", "greater"},
         {"margin", 0.0},
         {"formula", "b − a"},
         {"terms", {{{"arm", "b"}, {"weight", 1.0}}, {{"arm", "a"}, {"weight", -1.0}}}},
         {"design", "paired"},
         {"n", f.replicates},
         {"metric", "test_accuracy"},
         {"estimate", est},
         {"ci", {{"lo", est - 0.005}, {"hi", est + 0.005}}},
         {"p_value", f.p_values[i]},
         {"holm_p", std::min(1.0, f.p_values[i] * 2)},
         {"verdict", verdict},
         {"replication",
          {{"probability", f.p_values[i] < 0.05 ? 0.97 : 0.6}, {"decisive", f.p_values[i] < 0.05}}},
         {"note", ""},
         {"power", nullptr},
         {"source_effect", 0.02}});
    const bool moved = f.outcome == "regressed" && i == 0;
    cmp.push_back({{"id", id},
                   {"baseline_verdict", moved ? "refuted" : verdict},
                   {"verdict", verdict},
                   {"baseline_estimate", moved ? est + 0.0170 : est},
                   {"estimate", est},
                   {"z", moved ? -4.1 : 0.0},
                   {"outcome", moved ? "regressed" : "pass"}});
  }
  nlohmann::json runs = nlohmann::json::object();
  for (const char* arm : {"a", "b"}) {
    for (int i = 0; i < f.replicates; ++i) {
      runs[std::string(arm) + std::to_string(i)] = {
          {"arm", arm},
          {"role", "replicate"},
          {"index", i},
          {"diverged", false},
          {"metrics", {{"test_accuracy", 0.9 + 0.001 * i}}}};
    }
  }
  nlohmann::json arms = nlohmann::json::array();
  for (const char* arm : {"a", "b"}) {
    arms.push_back({{"name", arm},
                    {"metric", "test_accuracy"},
                    {"replicates", f.replicates},
                    {"mean", 0.9},
                    {"sd", 0.001},
                    {"diverged", 0},
                    {"trials", 0},
                    {"best_trial", 0.0},
                    {"parameters", 100}});
  }
  return {{"analysis",
           {{"claim", f.claim},
            {"title", f.title},
            {"profile", f.profile},
            {"alpha", 0.05},
            {"hypotheses", hyps},
            {"arms", arms},
            {"checks", nlohmann::json::array()},
            {"source_bootstrap_of_max", nlohmann::json::array()},
            {"runs", runs},
            {"fingerprint", {{"libtorch", "1.13.0"}, {"git_commit", "0123456789abcdef"}}}}},
          {"comparison",
           {{"outcome", f.outcome},
            {"hypotheses", f.outcome == "no-baseline" ? nlohmann::json::array() : cmp},
            {"messages", f.outcome == "regressed" ? nlohmann::json::array({"h0: moved"})
                                                  : nlohmann::json::array()}}},
          {"execution", {{"total", 8}, {"cached", 8}, {"trained", 0}, {"wall_seconds", 0.0}}},
          {"commands", {{"bless", "claimcheck bless " + f.claim + " --profile " + f.profile}}}};
}

/// A suite entry holding fake_report(f).
inline SuiteEntry fake_entry(const FakeClaim& f) {
  SuiteEntry e;
  e.claim = f.claim;
  e.profile = f.profile;
  e.report = fake_report(f);
  e.files = f.claim + "/" + f.profile;
  e.units = {{"test_accuracy", "fraction"}};
  return e;
}

/// An entry whose runs are missing.
inline SuiteEntry missing_entry(const std::string& claim, const std::string& profile) {
  SuiteEntry e;
  e.claim = claim;
  e.profile = profile;
  e.missing = claim + " (" + profile + "): 3 of 6 runs are not in the stores; train them with " +
              "`claimcheck run " + claim + " --profile " + profile + "`";
  return e;
}

/// How often `needle` occurs in `text`.
inline std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++n;
  return n;
}

}  // namespace claimcheck::report::test
