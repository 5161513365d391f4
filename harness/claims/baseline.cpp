#include "harness/claims/baseline.h"

#include <fmt/format.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <map>
#include <optional>
#include <stdexcept>
#include <vector>

#include "harness/claims/environment.h"
#include "harness/claims/replication.h"
#include "harness/stats/multiplicity.h"
#include "harness/stats/replication.h"
#include "harness/stats/verdict.h"

namespace claimcheck::claims {
namespace fs = std::filesystem;
namespace {

int verdict_rank(const std::string& v) {
  switch (stats::verdict_from_string(v)) {  // checked by read_baseline: never throws here
    case stats::Verdict::kRefuted:
      return 0;
    case stats::Verdict::kInconclusive:
      return 1;
    case stats::Verdict::kSupported:
      return 2;
  }
  return 1;
}

// Standard error implied by a hypothesis's two-sided CI at its own level (normal approximation).
double implied_se(const nlohmann::json& h) {
  return stats::implied_se({h.at("ci").at("lo").get<double>(), h.at("ci").at("hi").get<double>()},
                           h.at("ci").at("confidence").get<double>());
}

const nlohmann::json* find_hypothesis(const nlohmann::json& analysis, const std::string& id) {
  for (const auto& h : analysis.at("hypotheses")) {
    if (h.at("id") == id) return &h;
  }
  return nullptr;
}

bool same_units(const nlohmann::json& a, const nlohmann::json& b) {
  if (a.at("terms").size() != b.at("terms").size()) return false;
  for (std::size_t i = 0; i < a.at("terms").size(); ++i) {
    if (a["terms"][i].at("arm") != b["terms"][i].at("arm") ||
        a["terms"][i].at("units") != b["terms"][i].at("units")) {
      return false;
    }
  }
  return true;
}

// The replication probability of a hypothesis of `analysis` (its alpha), if it has one.
std::optional<double> replication_probability(const nlohmann::json& h,
                                              const nlohmann::json& analysis) {
  const std::optional<Replication> r = replication_of(h, analysis.value("alpha", 0.05));
  return r ? std::optional<double>(r->probability) : std::nullopt;
}

// Names every hypothesis of the baseline that the analysis no longer has; whether there was one.
bool note_removed(const nlohmann::json& analysis, const nlohmann::json& baseline, Comparison& c) {
  bool any = false;
  for (const auto& b : baseline.at("hypotheses")) {
    if (find_hypothesis(analysis, b.at("id").get<std::string>()) == nullptr) {
      c.messages.push_back(b.at("id").get<std::string>() +
                           ": in the baseline but no longer in the spec");
      any = true;
    }
  }
  return any;
}

// "a.b.c" -> value of every leaf of `j` under `prefix`.
void flatten(const nlohmann::json& j, const std::string& prefix,
             std::map<std::string, nlohmann::json>& out) {
  if (j.is_object() && !j.empty()) {
    for (const auto& [k, v] : j.items())
      flatten(v, prefix.empty() ? k : prefix + "." + k, out);
  } else {
    out[prefix] = j;
  }
}

// "key old -> new" for every leaf that differs between two objects (absent: "—").
std::vector<std::string> changed_keys(const nlohmann::json& before, const nlohmann::json& after) {
  std::map<std::string, nlohmann::json> a, b;
  flatten(before, "", a);
  flatten(after, "", b);
  for (const auto& [k, v] : b)
    a.emplace(k, nlohmann::json());  // every key on both sides
  std::vector<std::string> out;
  for (const auto& [k, v] : a) {
    const auto it = b.find(k);
    const nlohmann::json& now = it == b.end() ? nlohmann::json() : it->second;
    if (v != now) {
      out.push_back(fmt::format("{} {} -> {}", k, v.is_null() ? "—" : v.dump(),
                                now.is_null() ? "—" : now.dump()));
    }
  }
  return out;
}

// What each arm trains, as one of its replicate runs' configs says (seeds dropped: they follow
// from the claim and the index, not from what was edited).
std::map<std::string, nlohmann::json> arm_configs(const nlohmann::json& analysis) {
  std::map<std::string, nlohmann::json> out;
  if (!analysis.contains("runs") || !analysis["runs"].is_object()) return out;
  for (const auto& [key, run] : analysis["runs"].items()) {
    if (!run.is_object() || run.value("role", "") != "replicate" || !run.contains("config"))
      continue;
    nlohmann::json config = run["config"];
    for (const char* seed : {"data_seed", "init_seed", "noise_seed"})
      config.erase(seed);
    out.emplace(run.value("arm", "?"), std::move(config));
  }
  return out;
}

// What a hypothesis claims and how it is decided (not its results).
nlohmann::json hypothesis_design(const nlohmann::json& h) {
  nlohmann::json d = nlohmann::json::object();
  for (const char* key : {"formula", "metric", "kind", "direction", "margin", "design", "k",
                          "min_effect", "bound", "n"}) {
    if (h.contains(key)) d[key] = h[key];
  }
  if (h.contains("ci")) {
    d["confidence"] = h["ci"].value("confidence", 0.0);
    d["resamples"] = h["ci"].value("resamples", 0);
  }
  return d;
}

// The whole claim is stale: its spec hash differs from the baseline's. Says which keys moved
// (each arm's training and model as its runs' configs record them, each hypothesis's design,
// the claim's alpha) and keeps the baseline's verdicts beside the new ones.
Comparison stale_spec(const nlohmann::json& analysis, const nlohmann::json& baseline) {
  Comparison c;
  c.outcome = Outcome::kStale;
  std::vector<std::string> changes;
  if (analysis.value("alpha", 0.0) != baseline.value("alpha", 0.0)) {
    changes.push_back(
        fmt::format("alpha {} -> {}", baseline.value("alpha", 0.0), analysis.value("alpha", 0.0)));
  }
  const auto before = arm_configs(baseline);
  const auto after = arm_configs(analysis);
  for (const auto& [arm, config] : after) {
    const auto it = before.find(arm);
    if (it == before.end()) {
      if (!before.empty()) changes.push_back("arm " + arm + ": new");
      continue;
    }
    for (const auto& change : changed_keys(it->second, config))
      changes.push_back("arm " + arm + ": " + change);
  }
  for (const auto& [arm, config] : before) {
    if (!after.empty() && after.count(arm) == 0) changes.push_back("arm " + arm + ": removed");
  }
  for (const auto& h : analysis.at("hypotheses")) {
    const std::string id = h.at("id").get<std::string>();
    const nlohmann::json* b = find_hypothesis(baseline, id);
    if (b == nullptr) continue;  // named below
    for (const auto& change : changed_keys(hypothesis_design(*b), hypothesis_design(h)))
      changes.push_back(id + ": " + change);
  }
  std::string what;
  for (const auto& change : changes)
    what += (what.empty() ? "" : "; ") + change;
  c.messages.push_back(fmt::format(
      "the spec changed since the baseline (spec hash {} -> {}): {}",
      baseline.at("spec_hash").get<std::string>(), analysis.at("spec_hash").get<std::string>(),
      what.empty() ? "nothing the runs' configs or the hypotheses record (a profile setting?)"
                   : what));
  // The old verdicts beside the new, for a reader deciding whether to bless.
  for (const auto& h : analysis.at("hypotheses")) {
    HypothesisComparison hc;
    hc.id = h.at("id").get<std::string>();
    hc.verdict = h.at("verdict").get<std::string>();
    hc.estimate = h.at("estimate").get<double>();
    hc.outcome = Outcome::kStale;
    if (const nlohmann::json* b = find_hypothesis(baseline, hc.id)) {
      hc.baseline_verdict = b->at("verdict").get<std::string>();
      hc.baseline_estimate = b->at("estimate").get<double>();
      hc.change = fmt::format("stale: verdict {} -> {}, estimate {:.6g} -> {:.6g}",
                              hc.baseline_verdict, hc.verdict, hc.baseline_estimate, hc.estimate);
    } else {
      hc.change = "not in the baseline";
      c.messages.push_back(hc.id + ": not in the baseline");
    }
    c.hypotheses.push_back(hc);
  }
  note_removed(analysis, baseline, c);
  return c;
}

// The verdict or estimate moved toward the claim: a verdict up the ladder refuted <
// inconclusive < supported; an estimate in the claimed direction (equivalence: closer to zero).
bool toward_claim(const HypothesisComparison& hc, const nlohmann::json& h) {
  const int moved = verdict_rank(hc.verdict) - verdict_rank(hc.baseline_verdict);
  if (moved != 0) return moved > 0;
  const double diff = hc.estimate - hc.baseline_estimate;
  return h.at("kind") == "equivalence" ? std::abs(hc.estimate) < std::abs(hc.baseline_estimate)
                                       : (diff > 0) == (h.at("direction") == "greater");
}

// hc (estimates, verdicts, z, compatibility and the baseline's replication filled in) judged.
// Where both sides ran deterministically in one environment the units must reproduce exactly
// and any move is a regression or an improvement. Elsewhere the gate (baselines/README.md): a
// decisive verdict that flips, or an incompatible estimate, moves the claim; a fragile verdict
// that flips with a compatible estimate has moved within noise and passes, visibly.
void judge(HypothesisComparison& hc, const nlohmann::json& h, bool exact_required) {
  const bool moved = hc.verdict != hc.baseline_verdict;
  const Outcome direction = toward_claim(hc, h) ? Outcome::kImproved : Outcome::kRegressed;
  const std::string estimate = fmt::format("estimate {:.6g} -> {:.6g}, z = {:.2f}, Holm p = {:.3g}",
                                           hc.baseline_estimate, hc.estimate, hc.z, hc.holm_p);
  const std::string replication = hc.baseline_replication
                                      ? fmt::format("{:.2f}", *hc.baseline_replication)
                                      : std::string("unknown");
  const bool decisive = hc.baseline_replication && *hc.baseline_replication >= kDecisive;
  if (moved && exact_required) {
    hc.outcome = direction;
    hc.change = fmt::format("verdict {} -> {}", hc.baseline_verdict, hc.verdict);
  } else if (moved && decisive) {
    hc.outcome = direction;
    hc.change = fmt::format("decisive verdict {} -> {} (replication probability {} >= {:g}; {})",
                            hc.baseline_verdict, hc.verdict, replication, kDecisive, estimate);
  } else if (!hc.compatible) {
    hc.outcome = direction;
    hc.change = fmt::format(
        "{}estimate incompatible with the baseline ({})",
        moved ? fmt::format("verdict {} -> {}, ", hc.baseline_verdict, hc.verdict) : std::string(),
        estimate);
  } else if (moved) {
    hc.within_noise = true;
    hc.change = fmt::format(
        "verdict {} -> {} moved within noise (fragile: replication probability {} < {:g}; "
        "{}, compatible)",
        hc.baseline_verdict, hc.verdict, replication, kDecisive, estimate);
  } else if (exact_required && !hc.exact) {
    // One deterministic environment (environment.h) must reproduce bit for bit: anything else
    // is a bug in determinism (or a hand-edited baseline), not noise.
    hc.outcome = Outcome::kRegressed;
    hc.change =
        fmt::format("not reproduced exactly in the same environment (estimate {:.9g} -> {:.9g})",
                    hc.baseline_estimate, hc.estimate);
  }
}

// One hypothesis of the analysis against its entry in the baseline, if it has one: everything
// but the Holm step (which needs the whole claim's z) and the outcome.
HypothesisComparison compare_hypothesis(const nlohmann::json& h, const nlohmann::json& analysis,
                                        const nlohmann::json& baseline, bool same_design) {
  HypothesisComparison hc;
  hc.id = h.at("id").get<std::string>();
  hc.verdict = h.at("verdict").get<std::string>();
  hc.estimate = h.at("estimate").get<double>();
  hc.replication = replication_probability(h, analysis);
  hc.gated = h.value("gate", true);
  const nlohmann::json* b = find_hypothesis(baseline, hc.id);
  if (b == nullptr) {
    hc.outcome = Outcome::kStale;
    hc.change = "not in the baseline";
    return hc;
  }
  // A sequential hypothesis stops where its rule says: another n reached by the same rule is
  // not a different design. Nor is --seeds N unnoticed: the comparison says so and is
  // statistical.
  if (same_design && !h.contains("sequential") && h.value("n", 0) != b->value("n", 0)) {
    hc.outcome = Outcome::kStale;
    hc.change = fmt::format(
        "n = {} here, {} in the baseline with the same design (a hand-edited baseline?); bless "
        "again to compare",
        h.value("n", 0), b->value("n", 0));
    return hc;
  }
  hc.baseline_verdict = b->at("verdict").get<std::string>();
  hc.baseline_estimate = b->at("estimate").get<double>();
  hc.baseline_replication = replication_probability(*b, baseline);
  const double se = std::hypot(implied_se(h), implied_se(*b));
  const double diff = hc.estimate - hc.baseline_estimate;
  hc.z = se > 0 ? diff / se : (diff == 0 ? 0.0 : std::copysign(INFINITY, diff));
  hc.p_incompatible = std::isfinite(hc.z)
                          ? 2.0 * boost::math::cdf(boost::math::complement(
                                      boost::math::normal_distribution<double>(), std::abs(hc.z)))
                          : 0.0;
  hc.exact = same_units(h, *b) && diff == 0.0;
  return hc;
}

}  // namespace

std::string to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kRegressed:
      return "regressed";
    case Outcome::kImproved:
      return "improved";
    case Outcome::kStale:
      return "stale";
    case Outcome::kNoBaseline:
      return "no-baseline";
    case Outcome::kSkipped:
      return "skipped";
  }
  return "unknown";
}

Outcome outcome_from_string(const std::string& name) {
  for (Outcome o : {Outcome::kPass, Outcome::kRegressed, Outcome::kImproved, Outcome::kStale,
                    Outcome::kNoBaseline, Outcome::kSkipped}) {
    if (to_string(o) == name) return o;
  }
  throw std::invalid_argument("'" + name +
                              "' is not an outcome (valid: pass, regressed, improved, stale, "
                              "no-baseline, skipped)");
}

fs::path baseline_path(const fs::path& dir, const std::string& claim, const std::string& profile) {
  return dir / claim / (profile + ".json");
}

fs::path baseline_path(const fs::path& dir, const std::string& claim, const std::string& profile,
                       const std::string& device_type) {
  if (device_type == "cpu") return baseline_path(dir, claim, profile);
  if (device_type == "cuda") return dir / claim / (profile + ".cuda.json");
  throw std::invalid_argument("baseline_path: device type '" + device_type +
                              "': expected cpu or cuda");
}

std::string gate_rule(const GateSettings& gate) {
  return fmt::format(
      "Gate: in one deterministic environment the runs must reproduce the baseline exactly. "
      "Elsewhere a hypothesis regresses (or improves) only when a decisive verdict flips "
      "(replication probability >= {:g}) or its estimate is incompatible with the baseline's "
      "(Holm across the claim's hypotheses at {:g}/{} = {:.3g}, so the {} claim(s) of the suite "
      "together raise a false alarm with probability <= {:g}); a fragile verdict that flips "
      "with a compatible estimate has moved within noise and passes.",
      kDecisive, gate.alpha, gate.suite_claims, gate.alpha / gate.suite_claims, gate.suite_claims,
      gate.alpha);
}

Comparison compare_with_baseline(const nlohmann::json& analysis, const nlohmann::json& baseline,
                                 const GateSettings& gate) {
  if (!(gate.alpha > 0.0 && gate.alpha < 1.0) || gate.suite_claims < 1) {
    throw std::invalid_argument(fmt::format(
        "compare_with_baseline: gate alpha {} must be in (0, 1) and suite claims {} >= 1",
        gate.alpha, gate.suite_claims));
  }
  if (analysis.at("spec_hash") != baseline.at("spec_hash")) return stale_spec(analysis, baseline);
  Comparison c;
  c.gate = gate;
  const Environment runs = analysis_environment(analysis);
  const Environment base = analysis_environment(baseline);
  c.same_environment = same_environment(runs, base);
  c.seed_offset = analysis.value("seed_offset", 0);
  c.baseline_seed_offset = baseline.value("seed_offset", 0);
  c.seeds_override = analysis.value("seeds_override", 0);
  c.baseline_seeds_override = baseline.value("seeds_override", 0);
  const bool same_design = c.seeds_override == c.baseline_seeds_override;
  // Fresh seeds are a replication, never a reproduction, and more (or fewer) seeds another
  // design of the same question: both compared statistically.
  c.exact_required = exact_reproduction_required(runs, base) &&
                     c.seed_offset == c.baseline_seed_offset && same_design;
  c.run_environment = runs.description;
  c.baseline_environment = base.description;
  if (!same_design) {
    const int profile_seeds = analysis.value("profile_seeds", baseline.value("profile_seeds", 0));
    auto seeds = [&](int n) {
      if (n > 0) return fmt::format("--seeds {}", n);
      return profile_seeds > 0 ? fmt::format("the profile's {} seeds", profile_seeds)
                               : std::string("the profile's seeds");
    };
    c.messages.push_back(fmt::format(
        "design: {} here, {} in the baseline: another design of the same question, compared "
        "statistically (never exactly)",
        seeds(c.seeds_override), seeds(c.baseline_seeds_override)));
  }
  for (const auto& h : analysis.at("hypotheses"))
    c.hypotheses.push_back(compare_hypothesis(h, analysis, baseline, same_design));
  // Holm across the claim's compared hypotheses, at the suite's alpha split over its claims.
  std::vector<double> p;
  std::vector<std::size_t> compared;
  for (std::size_t i = 0; i < c.hypotheses.size(); ++i) {
    if (c.hypotheses[i].outcome == Outcome::kStale || !c.hypotheses[i].gated) continue;
    p.push_back(c.hypotheses[i].p_incompatible);
    compared.push_back(i);
  }
  const std::vector<double> adjusted = stats::holm(p);
  bool regressed = false;
  bool improved = false;
  for (std::size_t j = 0; j < compared.size(); ++j) {
    HypothesisComparison& hc = c.hypotheses[compared[j]];
    hc.holm_p = std::min(1.0, adjusted[j] * gate.suite_claims);
    hc.compatible = hc.holm_p > gate.alpha;
    judge(hc, analysis.at("hypotheses").at(compared[j]), c.exact_required);
  }
  // Report-only hypotheses: judged alone (their own p times the suite's claims, outside the
  // family), shown, never moving the claim, except that one deterministic environment must
  // still reproduce them exactly (that is about the code, not the design).
  for (std::size_t i = 0; i < c.hypotheses.size(); ++i) {
    HypothesisComparison& hc = c.hypotheses[i];
    if (hc.outcome == Outcome::kStale || hc.gated) continue;
    hc.holm_p = std::min(1.0, hc.p_incompatible * gate.suite_claims);
    hc.compatible = hc.holm_p > gate.alpha;
    const nlohmann::json& h = analysis.at("hypotheses").at(i);
    judge(hc, h, c.exact_required);
    const bool exactness = c.exact_required && !hc.exact;
    if (hc.outcome != Outcome::kPass && !exactness) {
      hc.change = "report-only (" + h.value("report_only", std::string("not gated")) +
                  "), not gating: " + hc.change;
      hc.outcome = Outcome::kPass;
    }
  }
  for (const auto& hc : c.hypotheses) {
    if (hc.outcome == Outcome::kStale) c.outcome = Outcome::kStale;
    if (hc.outcome == Outcome::kRegressed) regressed = true;
    if (hc.outcome == Outcome::kImproved) improved = true;
    if (!hc.change.empty()) c.messages.push_back(hc.id + ": " + hc.change);
  }
  if (note_removed(analysis, baseline, c)) c.outcome = Outcome::kStale;
  if (c.outcome != Outcome::kStale) {
    c.outcome = regressed ? Outcome::kRegressed : improved ? Outcome::kImproved : Outcome::kPass;
  }
  return c;
}

nlohmann::json to_json(const Comparison& c) {
  nlohmann::json hyps = nlohmann::json::array();
  for (const auto& h : c.hypotheses) {
    hyps.push_back(
        {{"id", h.id},
         {"baseline_verdict", h.baseline_verdict},
         {"verdict", h.verdict},
         {"baseline_estimate", h.baseline_estimate},
         {"estimate", h.estimate},
         {"z", std::isfinite(h.z) ? nlohmann::json(h.z) : nlohmann::json(h.z > 0 ? "inf" : "-inf")},
         {"holm_p", h.holm_p},
         {"compatible", h.compatible},
         {"exact", h.exact},
         {"replication", h.replication ? nlohmann::json(*h.replication) : nlohmann::json()},
         {"baseline_replication",
          h.baseline_replication ? nlohmann::json(*h.baseline_replication) : nlohmann::json()},
         {"within_noise", h.within_noise},
         {"gated", h.gated},
         {"outcome", to_string(h.outcome)},
         {"change", h.change}});
  }
  return {{"outcome", to_string(c.outcome)},
          {"same_environment", c.same_environment},
          {"exact_required", c.exact_required},
          {"environments", {{"baseline", c.baseline_environment}, {"runs", c.run_environment}}},
          {"seed_offset", c.seed_offset},
          {"baseline_seed_offset", c.baseline_seed_offset},
          {"seeds_override", c.seeds_override},
          {"baseline_seeds_override", c.baseline_seeds_override},
          {"gate",
           {{"decisive", kDecisive},
            {"alpha", c.gate.alpha},
            {"suite_claims", c.gate.suite_claims},
            {"rule", gate_rule(c.gate)},
            {"replication", replication_rule()}}},
          {"hypotheses", hyps},
          {"messages", c.messages}};
}

}  // namespace claimcheck::claims
