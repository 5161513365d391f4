#include "harness/claims/baseline.h"

#include <fmt/format.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>

#include "harness/claims/environment.h"
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

// Standard error implied by a two-sided CI at its own confidence level (normal approximation).
double implied_se(const nlohmann::json& h) {
  const double lo = h.at("ci").at("lo").get<double>();
  const double hi = h.at("ci").at("hi").get<double>();
  const double confidence = h.at("ci").at("confidence").get<double>();
  const double z =
      boost::math::quantile(boost::math::normal_distribution<double>(), 0.5 + confidence / 2.0);
  return std::max(0.0, hi - lo) / (2.0 * z);
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

// The whole claim is stale: its spec hash differs from the baseline's.
Comparison stale_spec(const nlohmann::json& analysis, const nlohmann::json& baseline) {
  Comparison c;
  c.outcome = Outcome::kStale;
  c.messages.push_back(fmt::format("the spec changed since the baseline (spec hash {} -> {})",
                                   baseline.at("spec_hash").get<std::string>(),
                                   analysis.at("spec_hash").get<std::string>()));
  return c;
}

// hc (estimate, verdict and the baseline's filled in) judged: the verdict moved, the estimate is
// incompatible, or, where both sides ran deterministically in one environment, the units are
// not reproduced exactly.
void judge(HypothesisComparison& hc, const nlohmann::json& h, const nlohmann::json& b,
           bool exact_required) {
  const double se = std::hypot(implied_se(h), implied_se(b));
  const double diff = hc.estimate - hc.baseline_estimate;
  hc.z = se > 0 ? diff / se : (diff == 0 ? 0.0 : std::copysign(INFINITY, diff));
  hc.compatible = std::abs(hc.z) <= kCompatibleZ;
  hc.exact = same_units(h, b) && diff == 0.0;
  const bool claimed_greater = h.at("direction") == "greater";
  const int moved = verdict_rank(hc.verdict) - verdict_rank(hc.baseline_verdict);
  if (moved != 0) {
    hc.outcome = moved < 0 ? Outcome::kRegressed : Outcome::kImproved;
    hc.change = fmt::format("verdict {} -> {}", hc.baseline_verdict, hc.verdict);
  } else if (!hc.compatible) {
    // Toward the claim: in its direction, or for equivalence, closer to zero.
    const bool toward_claim = h.at("kind") == "equivalence"
                                  ? std::abs(hc.estimate) < std::abs(hc.baseline_estimate)
                                  : (diff > 0) == claimed_greater;
    hc.outcome = toward_claim ? Outcome::kImproved : Outcome::kRegressed;
    hc.change =
        fmt::format("estimate {:.6g} -> {:.6g} (z = {:.2f}, incompatible with the baseline)",
                    hc.baseline_estimate, hc.estimate, hc.z);
  } else if (exact_required && !hc.exact) {
    // One deterministic environment (environment.h) must reproduce bit for bit: anything else
    // is a bug in determinism (or a hand-edited baseline), not noise.
    hc.outcome = Outcome::kRegressed;
    hc.change =
        fmt::format("not reproduced exactly in the same environment (estimate {:.9g} -> {:.9g})",
                    hc.baseline_estimate, hc.estimate);
  }
}

// One hypothesis of the analysis against its entry in the baseline, if it has one.
HypothesisComparison compare_hypothesis(const nlohmann::json& h, const nlohmann::json& baseline,
                                        bool exact_required) {
  HypothesisComparison hc;
  hc.id = h.at("id").get<std::string>();
  hc.verdict = h.at("verdict").get<std::string>();
  hc.estimate = h.at("estimate").get<double>();
  const nlohmann::json* b = find_hypothesis(baseline, hc.id);
  if (b == nullptr) {
    hc.outcome = Outcome::kStale;
    hc.change = "not in the baseline";
    return hc;
  }
  // A sequential hypothesis stops where its rule says: another n reached by the same rule is
  // not a different design.
  if (!h.contains("sequential") && h.value("n", 0) != b->value("n", 0)) {
    hc.outcome = Outcome::kStale;
    hc.change = fmt::format(
        "n = {} here, {} in the baseline (was --seeds used?); run with the "
        "profile's seeds to compare",
        h.value("n", 0), b->value("n", 0));
    return hc;
  }
  hc.baseline_verdict = b->at("verdict").get<std::string>();
  hc.baseline_estimate = b->at("estimate").get<double>();
  judge(hc, h, *b, exact_required);
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

Comparison compare_with_baseline(const nlohmann::json& analysis, const nlohmann::json& baseline) {
  if (analysis.at("spec_hash") != baseline.at("spec_hash")) return stale_spec(analysis, baseline);
  Comparison c;
  const Environment runs = analysis_environment(analysis);
  const Environment base = analysis_environment(baseline);
  c.same_environment = same_environment(runs, base);
  c.exact_required = exact_reproduction_required(runs, base);
  c.run_environment = runs.description;
  c.baseline_environment = base.description;
  bool regressed = false;
  bool improved = false;
  for (const auto& h : analysis.at("hypotheses")) {
    const HypothesisComparison hc = compare_hypothesis(h, baseline, c.exact_required);
    if (hc.outcome == Outcome::kStale) c.outcome = Outcome::kStale;
    if (hc.outcome == Outcome::kRegressed) regressed = true;
    if (hc.outcome == Outcome::kImproved) improved = true;
    if (!hc.change.empty()) c.messages.push_back(hc.id + ": " + hc.change);
    c.hypotheses.push_back(hc);
  }
  for (const auto& b : baseline.at("hypotheses")) {
    if (find_hypothesis(analysis, b.at("id").get<std::string>()) == nullptr) {
      c.messages.push_back(b.at("id").get<std::string>() +
                           ": in the baseline but no longer in the spec");
      c.outcome = Outcome::kStale;
    }
  }
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
         {"compatible", h.compatible},
         {"exact", h.exact},
         {"outcome", to_string(h.outcome)},
         {"change", h.change}});
  }
  return {{"outcome", to_string(c.outcome)},
          {"same_environment", c.same_environment},
          {"exact_required", c.exact_required},
          {"environments", {{"baseline", c.baseline_environment}, {"runs", c.run_environment}}},
          {"hypotheses", hyps},
          {"messages", c.messages}};
}

}  // namespace claimcheck::claims
