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
  if (name == "prediction-difference") return Design::kPredictionDifference;
  r.fail("design",
         "'" + name + "' is not valid (valid: paired, random-search, prediction-difference)");
}

// An arm of a prediction-difference hypothesis must keep its predictions.
void require_predictions(ObjectReader& r, const std::string& key, const std::string& arm,
                         const ClaimSpec& spec) {
  require_arm(r, key, arm, spec);
  if (spec.arm(arm).training.predictions < 2) {
    r.fail(key, "arm '" + arm +
                    "' keeps no predictions: set \"predictions\" (evaluation inputs to keep, "
                    ">= 2) in its training block");
  }
}

// The prediction-difference forms: a pair (treatment, control), an extreme ("lowest"/"highest"
// arm among others) or a coefficient-of-variation bound over a set of arms.
void parse_prediction_difference(ObjectReader& r, const ClaimSpec& spec, HypothesisSpec& h) {
  PdSpec pd;
  const std::string measure = r.optional<std::string>("measure", "total-variation");
  try {
    pd.measure = stats::pd_measure_from_string(measure);
  } catch (const std::invalid_argument& e) {
    r.fail("measure", e.what());
  }
  const int forms =
      (r.has("treatment") ? 1 : 0) + (r.has("extreme") ? 1 : 0) + (r.has("cv_of") ? 1 : 0);
  if (forms != 1) {
    r.fail("design",
           "a prediction-difference hypothesis takes exactly one of: treatment and control; "
           "extreme, arm and among; cv_of and bound");
  }
  if (r.has("treatment")) {
    pd.form = PdForm::kPair;
    const std::string treatment = r.get<std::string>("treatment");
    const std::string control = r.get<std::string>("control");
    require_predictions(r, "treatment", treatment, spec);
    require_predictions(r, "control", control, spec);
    if (treatment == control) r.fail("control", "is the same arm as treatment");
    h.contrast = {{treatment, 1.0}, {control, -1.0}};
  } else if (r.has("extreme")) {
    pd.form = PdForm::kExtreme;
    const std::string extreme = r.get<std::string>("extreme");
    if (extreme != "lowest" && extreme != "highest") {
      r.fail("extreme", "'" + extreme + "' is not valid (valid: lowest, highest)");
    }
    h.direction = extreme == "lowest" ? stats::Direction::kLess : stats::Direction::kGreater;
    pd.focus = r.get<std::string>("arm");
    require_predictions(r, "arm", pd.focus, spec);
    pd.others = r.get<std::vector<std::string>>("among");
    if (pd.others.empty()) r.fail("among", "must list at least one other arm");
    for (const auto& a : pd.others) {
      require_predictions(r, "among", a, spec);
      if (a == pd.focus) r.fail("among", "must not contain the arm itself ('" + a + "')");
    }
  } else {
    pd.form = PdForm::kCv;
    pd.others = r.get<std::vector<std::string>>("cv_of");
    if (pd.others.size() < 2) r.fail("cv_of", "needs at least two arms");
    for (const auto& a : pd.others)
      require_predictions(r, "cv_of", a, spec);
    pd.bound = r.get<double>("bound");
    if (!(pd.bound > 0) || !std::isfinite(pd.bound)) r.fail("bound", "must be a number > 0");
    h.direction = stats::Direction::kLess;  // the claim: CV < bound
  }
  h.metric = "pd:" + stats::to_string(pd.measure);
  h.pd = pd;
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

std::string HypothesisSpec::claimed() const {
  const std::string f = formula();
  if (pd && pd->form == PdForm::kCv) return fmt::format("{} < {:g}", f, pd->bound);
  const bool greater = direction == stats::Direction::kGreater;
  const double minus_margin = margin == 0.0 ? 0.0 : -margin;  // "> 0", never "> -0"
  switch (kind) {
    case stats::HypothesisKind::kEquivalence:
      return fmt::format("|{}| < {:g}", f, margin);
    case stats::HypothesisKind::kNonInferiority:
      return greater ? fmt::format("{} > {:g}", f, minus_margin)
                     : fmt::format("{} < {:g}", f, margin);
    case stats::HypothesisKind::kSuperiority:
      break;
  }
  return greater ? fmt::format("{} > {:g}", f, margin) : fmt::format("{} < {:g}", f, minus_margin);
}

std::string HypothesisSpec::formula() const {
  if (pd && pd->form == PdForm::kExtreme) {
    std::string others;
    for (const auto& o : pd->others)
      others += (others.empty() ? "" : ", ") + o;
    return "PD(" + pd->focus + ") − max PD(" + others + ")";
  }
  if (pd && pd->form == PdForm::kCv) {
    std::string arms;
    for (const auto& o : pd->others)
      arms += (arms.empty() ? "" : ", ") + o;
    return "CV of PD(" + arms + ")";
  }
  if (pd) return "PD(" + treatment() + ") − PD(" + control() + ")";
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

std::vector<std::string> HypothesisSpec::arms_used() const {
  std::vector<std::string> arms;
  if (pd && pd->form != PdForm::kPair) {
    if (!pd->focus.empty()) arms.push_back(pd->focus);
    arms.insert(arms.end(), pd->others.begin(), pd->others.end());
  } else {
    for (const auto& t : contrast)
      arms.push_back(t.arm);
  }
  return arms;
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
  if (h.design == Design::kPredictionDifference) {
    parse_prediction_difference(r, spec, h);
    h.two_arm = h.pd->form == PdForm::kPair;
    if (h.pd->form != PdForm::kExtreme) {
      h.direction = parse_enum<stats::Direction>(r, "direction",
                                                 h.pd->form == PdForm::kCv ? "less" : "greater",
                                                 stats::direction_from_string);
      if (h.pd->form == PdForm::kCv && h.direction != stats::Direction::kLess) {
        r.fail("direction", "a CV hypothesis claims CV < bound: direction must be less");
      }
    }
    h.margin = r.optional<double>("margin", 0.0);
    if (!std::isfinite(h.margin) || h.margin < 0) r.fail("margin", "must be a finite number >= 0");
    if (r.has("source_effect")) h.source_effect = r.get<double>("source_effect");
    r.finish();
    return h;
  }
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
