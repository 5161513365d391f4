#include "harness/claims/baseline.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace claimcheck::claims {
namespace fs = std::filesystem;
namespace {

int verdict_rank(const std::string& v) {
  if (v == "refuted") return 0;
  if (v == "inconclusive") return 1;
  return 2;  // supported
}

// Standard error implied by a two-sided CI at `confidence` (normal approximation).
double implied_se(const nlohmann::json& h) {
  const double lo = h.at("ci").at("lo").get<double>();
  const double hi = h.at("ci").at("hi").get<double>();
  return std::max(0.0, hi - lo) / (2.0 * 1.959964);
}

nlohmann::json environment_of(const nlohmann::json& fingerprint) {
  if (!fingerprint.is_object()) return nullptr;
  return {{"libtorch", fingerprint.value("libtorch", "")},
          {"cuda", fingerprint.contains("cuda") ? fingerprint["cuda"].value("device_name", "none")
                                                : "none"},
          {"cpu", fingerprint.value("cpu", "")},
          {"blas", fingerprint.contains("blas") ? fingerprint["blas"].value("loaded", "") : ""}};
}

const nlohmann::json* find_hypothesis(const nlohmann::json& analysis, const std::string& id) {
  for (const auto& h : analysis.at("hypotheses")) {
    if (h.at("id") == id) return &h;
  }
  return nullptr;
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

fs::path baseline_path(const fs::path& dir, const std::string& claim, const std::string& profile) {
  return dir / claim / (profile + ".json");
}

Comparison compare_with_baseline(const nlohmann::json& analysis, const nlohmann::json& baseline) {
  Comparison c;
  if (analysis.at("spec_hash") != baseline.at("spec_hash")) {
    c.outcome = Outcome::kStale;
    c.messages.push_back(fmt::format("the spec changed since the baseline (spec hash {} -> {})",
                                     baseline.at("spec_hash").get<std::string>(),
                                     analysis.at("spec_hash").get<std::string>()));
    return c;
  }
  const nlohmann::json env_now = environment_of(analysis.value("fingerprint", nlohmann::json()));
  c.same_environment = !env_now.is_null() &&
                       env_now == environment_of(baseline.value("fingerprint", nlohmann::json()));
  bool regressed = false;
  bool improved = false;
  for (const auto& h : analysis.at("hypotheses")) {
    HypothesisComparison hc;
    hc.id = h.at("id").get<std::string>();
    hc.verdict = h.at("verdict").get<std::string>();
    hc.estimate = h.at("estimate").get<double>();
    const nlohmann::json* b = find_hypothesis(baseline, hc.id);
    if (b == nullptr) {
      hc.outcome = Outcome::kStale;
      hc.change = "not in the baseline";
      c.messages.push_back(hc.id + ": not in the baseline");
      c.outcome = Outcome::kStale;
      c.hypotheses.push_back(hc);
      continue;
    }
    if (h.value("n", 0) != b->value("n", 0)) {
      hc.outcome = Outcome::kStale;
      hc.change = fmt::format(
          "n = {} here, {} in the baseline (was --seeds used?); run with the "
          "profile's seeds to compare",
          h.value("n", 0), b->value("n", 0));
      c.messages.push_back(hc.id + ": " + hc.change);
      c.outcome = Outcome::kStale;
      c.hypotheses.push_back(hc);
      continue;
    }
    hc.baseline_verdict = b->at("verdict").get<std::string>();
    hc.baseline_estimate = b->at("estimate").get<double>();
    const double se = std::hypot(implied_se(h), implied_se(*b));
    const double diff = hc.estimate - hc.baseline_estimate;
    hc.z = se > 0 ? diff / se : (diff == 0 ? 0.0 : std::copysign(INFINITY, diff));
    hc.compatible = std::abs(hc.z) <= kCompatibleZ;
    hc.exact = h.at("treatment_units") == b->at("treatment_units") &&
               h.at("control_units") == b->at("control_units") && diff == 0.0;
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
    } else if (c.same_environment && !hc.exact) {
      // Same LibTorch, device, CPU and BLAS must reproduce bit for bit: anything else is a bug
      // in determinism (or a hand-edited baseline), not noise.
      hc.outcome = Outcome::kRegressed;
      hc.change =
          fmt::format("not reproduced exactly in the same environment (estimate {:.9g} -> {:.9g})",
                      hc.baseline_estimate, hc.estimate);
    }
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
          {"hypotheses", hyps},
          {"messages", c.messages}};
}

nlohmann::json read_baseline(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error(file.string() + ": cannot open baseline");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error(file.string() + ": baseline is not valid JSON (" + e.what() +
                             "); restore it with git or re-bless");
  }
}

void write_baseline(const fs::path& file, const nlohmann::json& analysis) {
  const char* ci = std::getenv("CI");
  if (ci != nullptr && *ci != '\0') {
    throw std::runtime_error(
        "refusing to bless: the CI environment variable is set (CI never writes baselines); "
        "run `claimcheck bless` on a developer machine and commit the result");
  }
  fs::create_directories(file.parent_path());
  const fs::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp);
    out << analysis.dump(1) << "\n";
    if (!out) throw std::runtime_error(tmp.string() + ": cannot write baseline");
  }
  fs::rename(tmp, file);
}

}  // namespace claimcheck::claims
