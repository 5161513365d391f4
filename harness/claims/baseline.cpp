#include "harness/claims/baseline.h"
#include "harness/base/files.h"

#include <fmt/format.h>

#include <boost/math/distributions/normal.hpp>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "harness/claims/analysis.h"
#include "harness/claims/json_reader.h"
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

nlohmann::json environment_of(const nlohmann::json& fingerprint) {
  if (!fingerprint.is_object()) return nullptr;
  return {{"libtorch", fingerprint.value("libtorch", "")},
          {"cuda", fingerprint.contains("cuda") && fingerprint["cuda"].is_object()
                       ? fingerprint["cuda"].value("device_name", "none")
                       : "none"},
          {"cpu", fingerprint.value("cpu", "")},
          {"blas", fingerprint.contains("blas") && fingerprint["blas"].is_object()
                       ? fingerprint["blas"].value("loaded", "")
                       : ""}};
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

// A strict reader's error: file, key path, what, and how to fix it.
[[noreturn]] void bad(const std::string& file, const std::string& path, const std::string& what) {
  // baselines/<claim>/<profile>.json: the bless command can name both.
  const fs::path f(file.substr(0, file.find(" (new)")));
  const std::string claim = f.parent_path().filename().string();
  const std::string profile = f.stem().string();
  throw std::runtime_error(file + ": " + path + ": " + what +
                           ". Restore the file with git, or re-bless it (`claimcheck bless " +
                           (claim.empty() ? "<claim>" : claim) + " --profile " +
                           (profile.empty() ? "<profile>" : profile) + "`)");
}

const nlohmann::json& member(const nlohmann::json& object, const std::string& key,
                             const std::string& file, const std::string& path) {
  if (!object.is_object() || !object.contains(key)) bad(file, path + key, "missing");
  return object.at(key);
}

double finite_number(const nlohmann::json& object, const std::string& key, const std::string& file,
                     const std::string& path) {
  const nlohmann::json& v = member(object, key, file, path);
  if (!v.is_number() || !std::isfinite(v.get<double>())) {
    bad(file, path + key, "must be a finite number, got " + v.dump());
  }
  return v.get<double>();
}

std::string string_member(const nlohmann::json& object, const std::string& key,
                          const std::string& file, const std::string& path) {
  const nlohmann::json& v = member(object, key, file, path);
  if (!v.is_string()) bad(file, path + key, "must be a string, got " + v.dump());
  return v.get<std::string>();
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

void check_baseline_json(const nlohmann::json& b, const std::string& file) {
  if (!b.is_object())
    bad(file, "the baseline", "must be a JSON object, got " + b.dump().substr(0, 40));
  const nlohmann::json& format = member(b, "format", file, "");
  // Compared as JSON, not through get<int>(): 4294967298 would narrow to 2 and pass.
  if (!format.is_number_integer() || format != kAnalysisFormat) {
    bad(file, "format",
        "is " + format.dump() + ", this claimcheck reads format " +
            std::to_string(kAnalysisFormat) + " (the file was written by another version)");
  }
  string_member(b, "claim", file, "");
  string_member(b, "profile", file, "");
  string_member(b, "spec_hash", file, "");
  const double alpha = finite_number(b, "alpha", file, "");
  if (!(alpha > 0 && alpha < 0.5)) bad(file, "alpha", "must be in (0, 0.5)");
  const nlohmann::json& hyps = member(b, "hypotheses", file, "");
  if (!hyps.is_array()) bad(file, "hypotheses", "must be an array");
  std::map<std::string, std::size_t> ids;
  for (std::size_t i = 0; i < hyps.size(); ++i) {
    const std::string p = "hypotheses[" + std::to_string(i) + "].";
    const nlohmann::json& h = hyps[i];
    const std::string id = string_member(h, "id", file, p);
    // Two entries for one hypothesis: which one is compared would be an accident of order.
    if (const auto [it, fresh] = ids.emplace(id, i); !fresh) {
      bad(file, p + "id",
          "duplicate id '" + id + "' (also hypotheses[" + std::to_string(it->second) + "])");
    }
    for (const char* key : {"verdict", "ci_verdict"}) {
      const std::string v = string_member(h, key, file, p);
      if (v != "supported" && v != "refuted" && v != "inconclusive") {
        bad(file, p + key, "unknown verdict '" + v + "' (valid: supported, refuted, inconclusive)");
      }
    }
    for (const char* key : {"estimate", "p_value", "holm_p"})
      finite_number(h, key, file, p);
    const nlohmann::json& ci = member(h, "ci", file, p);
    const double lo = finite_number(ci, "lo", file, p + "ci.");
    const double hi = finite_number(ci, "hi", file, p + "ci.");
    if (lo > hi) bad(file, p + "ci", "lo > hi");
    const double confidence = finite_number(ci, "confidence", file, p + "ci.");
    if (!(confidence > 0 && confidence < 1)) bad(file, p + "ci.confidence", "must be in (0, 1)");
    const nlohmann::json& n = member(h, "n", file, p);
    if (!n.is_number_integer() || n.get<int>() < 2) bad(file, p + "n", "must be an integer >= 2");
    const nlohmann::json& terms = member(h, "terms", file, p);
    if (!terms.is_array() || terms.size() < 2) bad(file, p + "terms", "must list >= 2 terms");
    for (std::size_t t = 0; t < terms.size(); ++t) {
      const std::string tp = p + "terms[" + std::to_string(t) + "].";
      string_member(terms[t], "arm", file, tp);
      const nlohmann::json& u = member(terms[t], "units", file, tp);
      if (!u.is_array()) bad(file, tp + "units", "must be an array of numbers");
      for (const auto& x : u) {
        if (!x.is_number() || !std::isfinite(x.get<double>())) {
          bad(file, tp + "units", "holds a non-number " + x.dump());
        }
      }
    }
  }
}

nlohmann::json read_baseline(const fs::path& file) {
  if (fs::is_directory(file)) {
    bad(file.string(), "the baseline", "is a directory, not a file; remove it (rm -r)");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error(file.string() + ": cannot open baseline (" + std::strerror(errno) +
                             "); check that it exists and is readable, or restore it with git");
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json b;
  try {
    b = parse_json_strict(text.str());
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range 406: 1e999
    bad(file.string(), "the baseline", std::string("is not valid JSON (") + e.what() + ")");
  } catch (const std::invalid_argument& e) {  // a duplicate key, or absurd nesting
    bad(file.string(), "the baseline", e.what());
  }
  check_baseline_json(b, file.string());
  return b;
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
    // A sequential hypothesis stops where its rule says: another n reached by the same rule is
    // not a different design.
    if (!h.contains("sequential") && h.value("n", 0) != b->value("n", 0)) {
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
    hc.exact = same_units(h, *b) && diff == 0.0;
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

void write_baseline(const fs::path& file, const nlohmann::json& analysis) {
  const char* ci = std::getenv("CI");
  if (ci != nullptr && *ci != '\0') {
    throw std::runtime_error(
        "refusing to bless: the CI environment variable is set (CI never writes baselines); "
        "run `claimcheck bless` on a developer machine and commit the result");
  }
  check_baseline_json(analysis, file.string() + " (new)");
  if (fs::is_directory(file)) {
    throw std::runtime_error(file.string() +
                             ": is a directory, not a baseline file: nothing was written; remove "
                             "it (rm -r) and bless again");
  }
  fs::create_directories(file.parent_path());
  base::write_file_atomically(file, analysis.dump(1) + "\n", "baseline");
}

}  // namespace claimcheck::claims
