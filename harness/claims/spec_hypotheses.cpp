#include "harness/claims/spec_hypotheses.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "harness/train/task.h"

namespace claimcheck::claims {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items)
    out += (out.empty() ? "" : ", ") + s;
  return out;
}

void require_arm(ObjectReader& r, const std::string& key, const std::string& arm,
                 const ClaimSpec& spec) {
  const bool found = std::any_of(spec.arms.begin(), spec.arms.end(),
                                 [&](const ArmSpec& a) { return a.name == arm; });
  if (!found) {
    std::vector<std::string> names;
    for (const auto& a : spec.arms)
      names.push_back(a.name);
    r.fail(key, "arm '" + arm + "' is not defined (arms: " + join(names) + ")");
  }
}

Design parse_design(ObjectReader& r) {
  const std::string name = r.optional<std::string>("design", "paired");
  if (name == "paired") return Design::kPaired;
  if (name == "random-search") return Design::kRandomSearch;
  r.fail("design", "'" + name + "' is not valid (valid: paired, random-search)");
}

template <typename Enum, typename Parse>
Enum parse_enum(ObjectReader& r, const std::string& key, const std::string& fallback, Parse parse) {
  const std::string name = r.optional<std::string>(key, fallback);
  try {
    return parse(name);
  } catch (const std::invalid_argument& e) {
    r.fail(key, e.what());
  }
}

// "contrast": [{"arm": a, "weight": w}, ...]: at least two distinct arms, non-zero weights that
// sum to zero (a contrast compares arms; it has no level of its own).
std::vector<ContrastTerm> parse_contrast(ObjectReader& r, const ClaimSpec& spec) {
  const nlohmann::json& raw = r.raw("contrast");
  if (!raw.is_array() || raw.size() < 2) {
    r.fail("contrast", "must be an array of at least two {\"arm\", \"weight\"} terms");
  }
  std::vector<ContrastTerm> terms;
  std::set<std::string> seen;
  double sum = 0.0;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string key = "contrast[" + std::to_string(i) + "]";
    if (!raw[i].is_object() || !raw[i].contains("arm") || !raw[i]["arm"].is_string() ||
        !raw[i].contains("weight") || !raw[i]["weight"].is_number() || raw[i].size() != 2) {
      r.fail(key, "must be {\"arm\": <name>, \"weight\": <number>}, got " + raw[i].dump());
    }
    ContrastTerm c{raw[i]["arm"].get<std::string>(), raw[i]["weight"].get<double>()};
    require_arm(r, key + ".arm", c.arm, spec);
    if (!seen.insert(c.arm).second) r.fail(key + ".arm", "arm '" + c.arm + "' appears twice");
    if (!std::isfinite(c.weight) || c.weight == 0.0) {
      r.fail(key + ".weight", "must be a finite non-zero number");
    }
    sum += c.weight;
    terms.push_back(c);
  }
  if (std::abs(sum) > 1e-12) {
    r.fail("contrast", fmt::format("weights sum to {:g}; a contrast's weights must sum to 0", sum));
  }
  return terms;
}

}  // namespace

std::string HypothesisSpec::formula() const {
  std::string out;
  for (const auto& t : contrast) {
    const double w = std::abs(t.weight);
    const std::string factor = w == 1.0 ? "" : fmt::format("{:g}·", w);
    if (out.empty()) {
      out = (t.weight < 0 ? "−" : "") + factor + t.arm;
    } else {
      out += (t.weight < 0 ? " − " : " + ") + factor + t.arm;
    }
  }
  return out;
}

std::optional<double> HypothesisSpec::effect_of_interest() const {
  if (min_effect) return min_effect;
  if (margin > 0) return margin;
  return std::nullopt;
}

HypothesisSpec parse_hypothesis(ObjectReader r, const ClaimSpec& spec) {
  HypothesisSpec h;
  h.id = r.get<std::string>("id");
  h.statement = r.optional<std::string>("statement", "");
  h.design = parse_design(r);
  const bool has_pair = r.has("treatment") || r.has("control");
  if (has_pair == r.has("contrast")) {
    r.fail("treatment", "give either treatment and control, or a contrast (not both)");
  }
  if (has_pair) {
    const std::string treatment = r.get<std::string>("treatment");
    const std::string control = r.get<std::string>("control");
    require_arm(r, "treatment", treatment, spec);
    require_arm(r, "control", control, spec);
    if (treatment == control) r.fail("control", "is the same arm as treatment");
    h.contrast = {{treatment, 1.0}, {control, -1.0}};
    h.two_arm = true;
  } else {
    h.contrast = parse_contrast(r, spec);
    h.two_arm = false;
    if (h.design != Design::kPaired) {
      r.fail("contrast", "random-search hypotheses compare two arms (treatment, control)");
    }
  }
  const train::Task& task = train::task(spec.task.type);
  const std::vector<std::string> metrics = train::metric_names(task);
  h.metric = r.optional<std::string>("metric", metrics.front());
  if (std::find(metrics.begin(), metrics.end(), h.metric) == metrics.end()) {
    r.fail("metric", "'" + h.metric + "' is not a metric of " + task.name() +
                         " (valid: " + join(metrics) + ")");
  }
  h.kind = parse_enum<stats::HypothesisKind>(r, "kind", "superiority",
                                             stats::hypothesis_kind_from_string);
  h.direction =
      parse_enum<stats::Direction>(r, "direction", "greater", stats::direction_from_string);
  h.margin = r.optional<double>("margin", 0.0);
  if (!std::isfinite(h.margin) || h.margin < 0) r.fail("margin", "must be a finite number >= 0");
  if (h.kind != stats::HypothesisKind::kSuperiority && h.margin <= 0) {
    r.fail("margin", "must be > 0 for " + stats::to_string(h.kind) + " (the tolerated difference)");
  }
  h.k = r.optional<int>("k", 0);
  if (h.design == Design::kRandomSearch) {
    if (h.k < 1) r.fail("k", "random-search hypotheses need k >= 1 (trials in the budget)");
    if (!spec.search) r.fail("design", "random-search needs a top-level \"search\" space");
  } else if (h.k != 0) {
    r.fail("k", "only random-search hypotheses take k");
  }
  if (r.has("source_effect")) h.source_effect = r.get<double>("source_effect");
  if (r.has("min_effect")) {
    h.min_effect = r.get<double>("min_effect");
    if (!(*h.min_effect > 0) || !std::isfinite(*h.min_effect)) {
      r.fail("min_effect", "must be a finite number > 0 (the smallest effect worth detecting)");
    }
  }
  r.finish();
  return h;
}

}  // namespace claimcheck::claims
