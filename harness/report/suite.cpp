#include "harness/report/suite.h"

#include <fmt/format.h>

#include <algorithm>

#include "harness/base/text.h"
#include "harness/report/format.h"
#include "harness/report/markdown.h"
#include "harness/stats/multiplicity.h"

namespace claimcheck::report {
namespace {

// Worst first: what needs a person's attention leads the table.
int severity(const std::string& outcome) {
  static const std::vector<std::string> order = {"incomplete",  "regressed", "stale", "improved",
                                                 "no-baseline", "skipped",   "pass"};
  const auto it = std::find(order.begin(), order.end(), outcome);
  return static_cast<int>(it - order.begin());
}

// "; 2 claims have no nightly profile (listed, not run)" for the verdict line; empty when none.
std::string not_defined_suffix(const std::vector<ProfileNotDefined>& not_defined) {
  std::map<std::string, int> per_profile;
  for (const auto& n : not_defined)
    ++per_profile[n.profile];
  std::string text;
  for (const auto& [profile, n] : per_profile) {
    text += fmt::format("{}{} {} no {} profile", text.empty() ? "" : ", ", n,
                        n == 1 ? "claim has" : "claims have", profile);
  }
  return text.empty() ? "" : "; " + text + " (listed, not run)";
}

}  // namespace

std::string SuiteEntry::outcome() const {
  return report.is_null() ? "incomplete" : report.at("comparison").at("outcome").get<std::string>();
}

Suite make_suite(std::vector<SuiteEntry> entries, std::vector<std::string> stores,
                 std::vector<ProfileNotDefined> not_defined) {
  std::sort(entries.begin(), entries.end(), [](const SuiteEntry& a, const SuiteEntry& b) {
    const int sa = severity(a.outcome());
    const int sb = severity(b.outcome());
    if (sa != sb) return sa < sb;
    if (a.claim != b.claim) return a.claim < b.claim;
    return a.profile < b.profile;
  });
  std::sort(not_defined.begin(), not_defined.end(),
            [](const ProfileNotDefined& a, const ProfileNotDefined& b) {
              return a.claim != b.claim ? a.claim < b.claim : a.profile < b.profile;
            });
  Suite suite;
  suite.stores = std::move(stores);
  suite.not_defined = std::move(not_defined);
  // BH over every hypothesis of every complete entry, inconclusive ones included: adjusting
  // only those already decided would select on the outcome and understate the FDR.
  std::vector<double> p;
  for (const auto& e : entries) {
    if (e.report.is_null()) continue;
    suite.alpha = e.report.at("analysis").value("alpha", suite.alpha);
    for (const auto& h : e.report.at("analysis").at("hypotheses"))
      p.push_back(h.at("p_value").get<double>());
  }
  const std::vector<double> q = stats::benjamini_hochberg(p);
  std::size_t i = 0;
  for (auto& e : entries) {
    ++suite.counts.outcomes[e.outcome()];
    if (e.report.is_null()) continue;
    for (const auto& h : e.report.at("analysis").at("hypotheses")) {
      e.suite_q[h.at("id").get<std::string>()] = q[i];
      const std::string verdict = h.at("verdict");
      ++suite.counts.hypotheses;
      suite.counts.supported += verdict == "supported" ? 1 : 0;
      suite.counts.refuted += verdict == "refuted" ? 1 : 0;
      suite.counts.inconclusive += verdict == "inconclusive" ? 1 : 0;
      suite.counts.discoveries += q[i] <= suite.alpha ? 1 : 0;
      ++i;
    }
  }
  suite.entries = std::move(entries);
  return suite;
}

bool all_pass(const Suite& suite) {
  return !suite.entries.empty() &&
         std::all_of(suite.entries.begin(), suite.entries.end(),
                     [](const SuiteEntry& e) { return e.outcome() == "pass"; });
}

std::string verdict_line(const Suite& suite) {
  const SuiteCounts& c = suite.counts;
  if (suite.entries.empty()) {
    return "❌ **claimcheck: nothing to report** — the stores hold no complete runs of any claim "
           "(an empty report is never a pass)";
  }
  const std::string hyps = fmt::format("{} hypotheses: {} supported, {} refuted, {} inconclusive",
                                       c.hypotheses, c.supported, c.refuted, c.inconclusive);
  const int total = static_cast<int>(suite.entries.size());
  const std::string listed = not_defined_suffix(suite.not_defined);
  if (all_pass(suite)) {
    return fmt::format("✅ **claimcheck: all {} pass** ({} claim × profile) — {}{}", total,
                       total == 1 ? "one" : std::to_string(total), hyps, listed);
  }
  std::string moved;
  for (const char* o : {"incomplete", "regressed", "improved", "stale", "no-baseline", "skipped"}) {
    const auto it = c.outcomes.find(o);
    if (it == c.outcomes.end()) continue;
    moved += fmt::format("{}{} {}", moved.empty() ? "" : ", ", it->second,
                         std::string(o) == "no-baseline" ? "without baseline" : o);
  }
  const auto pass = c.outcomes.find("pass");
  return fmt::format("❌ **claimcheck: {}** ({} of {} pass) — {}{}", moved,
                     pass == c.outcomes.end() ? 0 : pass->second, total, hyps, listed);
}

std::string moved_text(const SuiteEntry& e, std::size_t max_items) {
  if (e.report.is_null()) return "runs missing, nothing tested (see Missing runs)";
  const nlohmann::json& cmp = e.report.at("comparison");
  const std::string outcome = cmp.at("outcome");
  if (outcome == "no-baseline") return "no baseline yet";
  std::vector<std::string> items;
  if (outcome == "stale") items.push_back("spec changed since the baseline");
  for (const auto& h : cmp.at("hypotheses")) {
    if (h.at("outcome") == "pass") continue;
    const double before = h.at("baseline_estimate");
    const double now = h.at("estimate");
    std::string item = "`" + h.at("id").get<std::string>() + "`: ";
    if (h.at("verdict") != h.at("baseline_verdict")) {
      item += h.at("baseline_verdict").get<std::string>() + " → " +
              h.at("verdict").get<std::string>() + ", ";
    }
    item += fmt::format("effect {} → {} (Δ {}", signed_num(before), signed_num(now),
                        signed_num(now - before));
    if (h.at("z").is_number()) item += fmt::format(", z {:+.1f}", h.at("z").get<double>());
    items.push_back(item + ")");
  }
  if (items.empty()) return outcome == "pass" ? "—" : outcome;
  std::string text;
  for (std::size_t i = 0; i < items.size() && i < max_items; ++i)
    text += (i ? "; " : "") + items[i];
  if (items.size() > max_items) text += fmt::format("; and {} more", items.size() - max_items);
  return text;
}

std::string not_defined_text(const ProfileNotDefined& item) {
  return fmt::format("no {} profile (it defines {})", item.profile, base::join(item.defines));
}

std::string decided_text(const SuiteEntry& e) {
  if (e.report.is_null()) return "—";
  int supported = 0, refuted = 0, total = 0;
  for (const auto& h : e.report.at("analysis").at("hypotheses")) {
    ++total;
    supported += h.at("verdict") == "supported" ? 1 : 0;
    refuted += h.at("verdict") == "refuted" ? 1 : 0;
  }
  return fmt::format("{} of {} decided ({} supported, {} refuted)", supported + refuted, total,
                     supported, refuted);
}

nlohmann::json to_json(const Suite& suite) {
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& e : suite.entries) {
    nlohmann::json j = {{"claim", e.claim},
                        {"profile", e.profile},
                        {"outcome", e.outcome()},
                        {"files", e.files},
                        {"moved", moved_text(e, 1000)}};
    if (e.report.is_null()) {
      j["missing"] = e.missing;
    } else {
      nlohmann::json hyps = nlohmann::json::array();
      for (const auto& h : e.report.at("analysis").at("hypotheses")) {
        const std::string id = h.at("id");
        hyps.push_back({{"id", id},
                        {"verdict", h.at("verdict")},
                        {"estimate", h.at("estimate")},
                        {"holm_p", h.at("holm_p")},
                        {"bh_q", e.suite_q.at(id)}});
      }
      j["hypotheses"] = hyps;
      j["runs"] = e.report.at("analysis").at("runs").size();
      if (e.outcome() != "pass") j["bless"] = bless_command(e.report);
    }
    entries.push_back(j);
  }
  nlohmann::json no_profile = nlohmann::json::array();
  for (const auto& n : suite.not_defined) {
    no_profile.push_back({{"claim", n.claim},
                          {"profile", n.profile},
                          {"defines", n.defines},
                          {"text", not_defined_text(n)}});
  }
  nlohmann::json outcomes = suite.counts.outcomes;
  return {{"format", 1},
          {"verdict", verdict_line(suite)},
          {"all_pass", all_pass(suite)},
          {"stores", suite.stores},
          {"alpha", suite.alpha},
          {"counts",
           {{"outcomes", outcomes},
            {"hypotheses", suite.counts.hypotheses},
            {"supported", suite.counts.supported},
            {"refuted", suite.counts.refuted},
            {"inconclusive", suite.counts.inconclusive},
            {"bh_discoveries", suite.counts.discoveries},
            {"no_profile", no_profile.size()}}},
          {"entries", entries},
          {"no_profile", no_profile}};
}

}  // namespace claimcheck::report
