#include "harness/claims/spec.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "harness/base/text.h"
#include "harness/claims/expand.h"
#include "harness/claims/json_reader.h"
#include "harness/claims/spec_arms.h"
#include "harness/claims/spec_hypotheses.h"
#include "harness/claims/spec_profile.h"
#include "harness/claims/spec_training.h"
#include "harness/train/task.h"

namespace claimcheck::claims {
namespace {

// The arms, each resolved against the claim's training (no profile yet); returns their names.
std::set<std::string> parse_arms(ObjectReader& r, ClaimSpec& spec) {
  const nlohmann::json& arms = r.raw("arms");
  if (!arms.is_array() || arms.empty()) r.fail("arms", "must be a non-empty array of arms");
  std::set<std::string> names;
  for (std::size_t i = 0; i < arms.size(); ++i) {
    const std::string path = "arms[" + std::to_string(i) + "]";
    ArmSpec arm = parse_arm(ObjectReader(arms[i], spec.file, path), spec, names);
    names.insert(arm.name);
    const std::string training = arm.training_override.empty() ? "training" : path + ".training";
    spec.arms.push_back(resolve_arm(std::move(arm), spec, nlohmann::json::object(),
                                    nlohmann::json::object(), {training, path + ".model"}));
  }
  return names;
}

SearchSpace parse_search(ObjectReader s) {
  SearchSpace space{s.get<std::vector<std::int64_t>>("batch"), s.get<std::vector<double>>("lr")};
  if (space.batch.empty()) s.fail("batch", "needs >= 1 value");
  if (space.lr.empty()) s.fail("lr", "needs >= 1 value");
  for (auto b : space.batch)
    if (b < 1) s.fail("batch", "values must be >= 1");
  for (auto lr : space.lr)
    if (!(lr > 0) || !std::isfinite(lr)) s.fail("lr", "values must be finite and > 0");
  s.finish();
  return space;
}

// The hypotheses, ids unique; returns the ids.
std::set<std::string> parse_hypotheses(ObjectReader& r, ClaimSpec& spec) {
  const nlohmann::json& hyps = r.raw("hypotheses");
  if (!hyps.is_array() || hyps.empty()) r.fail("hypotheses", "must be a non-empty array");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < hyps.size(); ++i) {
    const std::string path = "hypotheses[" + std::to_string(i) + "]";
    HypothesisSpec h = parse_hypothesis(ObjectReader(hyps[i], spec.file, path), spec);
    if (!ids.insert(h.id).second) {
      throw SpecError(spec.file + ": " + path + ".id: duplicate id '" + h.id + "'");
    }
    spec.hypotheses.push_back(h);
  }
  return ids;
}

// The checks, each evaluated once on the claim's arms: a part the models lack is a spec error.
void parse_checks(ObjectReader& r, ClaimSpec& spec, const std::set<std::string>& arm_names) {
  const nlohmann::json& checks = r.raw("checks");
  if (!checks.is_array()) r.fail("checks", "must be an array of checks");
  std::map<std::string, models::ParameterCount> counts;
  for (const auto& a : spec.arms)
    counts[a.name] = a.parameters;
  for (std::size_t i = 0; i < checks.size(); ++i) {
    ObjectReader c(checks[i], spec.file, "checks[" + std::to_string(i) + "]");
    spec.checks.push_back(parse_check(c, {arm_names.begin(), arm_names.end()}));
    try {
      evaluate_check(spec.checks.back(), counts);
    } catch (const std::invalid_argument& e) {
      c.fail("part", e.what());
    }
  }
}

TallySpec parse_tally(ObjectReader t, const std::set<std::string>& ids) {
  TallySpec tally;
  tally.id = t.get<std::string>("id");
  tally.statement = t.optional<std::string>("statement", "");
  tally.hypotheses = t.get<std::vector<std::string>>("hypotheses");
  if (tally.hypotheses.empty()) t.fail("hypotheses", "must list at least one id");
  for (const auto& id : tally.hypotheses) {
    if (!ids.count(id)) t.fail("hypotheses", "'" + id + "' is not a hypothesis id");
  }
  tally.source = t.optional<std::string>("source", "");
  t.finish();
  return tally;
}

SourceBootstrapOfMax parse_source_max(ObjectReader s, const ClaimSpec& spec) {
  SourceBootstrapOfMax b;
  b.arms = s.get<std::vector<std::string>>("arms");
  for (const auto& a : b.arms) {
    if (std::none_of(spec.arms.begin(), spec.arms.end(),
                     [&](const ArmSpec& arm) { return arm.name == a; })) {
      s.fail("arms", "arm '" + a + "' is not defined");
    }
  }
  b.k = s.get<std::vector<int>>("k");
  for (int k : b.k)
    if (k < 1) s.fail("k", "values must be >= 1");
  b.metric = s.optional<std::string>("metric", b.metric);
  const auto metrics = train::metric_names(train::task(spec.task.type));
  if (std::find(metrics.begin(), metrics.end(), b.metric) == metrics.end()) {
    s.fail("metric", "'" + b.metric + "' is not valid (valid: " + base::join(metrics) + ")");
  }
  b.resamples = s.optional<int>("resamples", b.resamples);
  b.confidence = s.optional<double>("confidence", b.confidence);
  if (!(b.confidence > 0 && b.confidence < 1)) s.fail("confidence", "must be in (0, 1)");
  s.finish();
  return b;
}

// "profiles": smoke and/or nightly, each read against everything parsed before it.
void parse_profiles(ObjectReader& r, const nlohmann::json& json, ClaimSpec& spec) {
  ObjectReader profiles = r.child("profiles");
  for (const auto& item : json.at("profiles").items()) {
    if (item.key() != "smoke" && item.key() != "nightly") {
      profiles.fail(item.key(), "unknown profile (valid: smoke, nightly)");
    }
    spec.profiles[item.key()] = parse_profile(profiles.child(item.key()), spec, item.key());
  }
  if (spec.profiles.empty()) r.fail("profiles", "must define smoke and/or nightly");
}

}  // namespace

std::string to_string(Design design) {
  switch (design) {
    case Design::kPaired:
      return "paired";
    case Design::kRandomSearch:
      return "random-search";
    case Design::kPredictionDifference:
      return "prediction-difference";
  }
  return "?";
}

const ArmSpec& ClaimSpec::arm(const std::string& name) const {
  for (const auto& a : arms) {
    if (a.name == name) return a;
  }
  throw std::invalid_argument(file + ": no arm '" + name + "'");
}

const ArmSpec& ProfileSpec::arm(const std::string& name) const {
  for (const auto& a : arms) {
    if (a.name == name) return a;
  }
  throw std::invalid_argument("no arm '" + name + "' in the profile");
}

std::vector<HypothesisSpec> ClaimSpec::hypotheses_in(const std::string& name) const {
  const ProfileSpec& p = profile(name);
  std::vector<HypothesisSpec> out;
  for (const auto& h : hypotheses) {
    if (p.hypotheses.empty() ||
        std::find(p.hypotheses.begin(), p.hypotheses.end(), h.id) != p.hypotheses.end()) {
      out.push_back(h);
    }
  }
  return out;
}

const ProfileSpec& ClaimSpec::profile(const std::string& name) const {
  const auto it = profiles.find(name);
  if (it == profiles.end()) {
    std::vector<std::string> names;
    for (const auto& p : profiles)
      names.push_back(p.first);
    throw SpecError(file + ": profiles: no profile '" + name + "' (defined: " + base::join(names) +
                    ")");
  }
  return it->second;
}

ClaimSpec parse_claim(const nlohmann::json& written, const std::string& file) {
  // Grids and templates become plain arms and hypotheses first (expand.h).
  const nlohmann::json json = expand_spec(written, file);
  ObjectReader r(json, file, "");
  // Unknown top-level keys first: a typo ("trainng") explains whatever would fail after it.
  for (const char* key :
       {"id", "title", "source", "task", "training", "arms", "search", "hypotheses", "checks",
        "tallies", "source_bootstrap_of_max", "profiles"}) {
    r.has(key);
  }
  r.finish();
  ClaimSpec spec;
  spec.file = file;
  spec.id = r.get<std::string>("id");
  if (!is_slug(spec.id)) {
    r.fail("id", "'" + spec.id + "' must match [a-z0-9-]+ (ids become file names)");
  }
  spec.title = r.get<std::string>("title");
  spec.source = r.optional<nlohmann::json>("source", nlohmann::json::object());
  spec.task = parse_task(r.child("task"));
  if (r.has("training")) {
    r.child("training");  // must be an object; validated per arm, merged with its overrides
    spec.training = r.raw("training");
  }
  const std::set<std::string> arm_names = parse_arms(r, spec);
  if (r.has("search")) spec.search = parse_search(r.child("search"));
  const std::set<std::string> ids = parse_hypotheses(r, spec);
  if (r.has("checks")) parse_checks(r, spec, arm_names);
  if (r.has("tallies")) {
    const nlohmann::json& tallies = r.raw("tallies");
    if (!tallies.is_array()) r.fail("tallies", "must be an array of tallies");
    for (std::size_t i = 0; i < tallies.size(); ++i) {
      spec.tallies.push_back(
          parse_tally(ObjectReader(tallies[i], file, "tallies[" + std::to_string(i) + "]"), ids));
    }
  }
  if (r.has("source_bootstrap_of_max")) {
    spec.source_bootstrap_of_max = parse_source_max(r.child("source_bootstrap_of_max"), spec);
    if (!spec.search) r.fail("source_bootstrap_of_max", "needs a top-level \"search\" space");
  }
  parse_profiles(r, json, spec);
  r.finish();
  return spec;
}

}  // namespace claimcheck::claims
