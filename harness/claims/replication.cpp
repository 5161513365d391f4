#include "harness/claims/replication.h"

#include <fmt/format.h>

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>

namespace claimcheck::claims {

namespace {

// The null of the test behind a hypothesis's p_value, on its (CV form: bound-subtracted) scale:
// the margin boundary for paired designs (decision.cpp), 0 for the permutation tests of
// random-search and prediction-difference designs (pd_analysis.cpp) and for a CV bound.
double test_null(const nlohmann::json& h) {
  if (h.value("design", "paired") != "paired" || h.contains("bound")) return 0.0;
  const double m = h.at("margin").get<double>();
  const double sign = h.at("direction") == "greater" ? 1.0 : -1.0;
  return h.at("kind") == "superiority" ? sign * m : -sign * m;
}

}  // namespace

stats::Verdict ReplicationModel::verdict_at(double shift) const {
  return stats::shifted_verdict(ci, estimate, kind, direction, margin, p ? &*p : nullptr, shift);
}

stats::VerdictProbabilities ReplicationModel::replication() const {
  return stats::replication_verdicts(ci, estimate, se, kind, direction, margin, p ? &*p : nullptr);
}

std::optional<ReplicationModel> replication_model(const nlohmann::json& h, double alpha) {
  const nlohmann::json& ci = h.at("ci");
  ReplicationModel m;
  m.ci = {ci.at("lo").get<double>(), ci.at("hi").get<double>()};
  if (!std::isfinite(m.ci.lo) || !std::isfinite(m.ci.hi)) return std::nullopt;
  m.kind = stats::hypothesis_kind_from_string(h.at("kind").get<std::string>());
  m.direction = stats::direction_from_string(h.at("direction").get<std::string>());
  m.margin = h.at("margin").get<double>();
  m.estimate = h.at("estimate").get<double>();
  if (h.contains("bound") && h["bound"].is_number()) {
    // CV of PD below a bound (pd_analysis.cpp): supported when hi < bound, refuted when
    // lo > bound, i.e. a "less" superiority of CV − bound at margin 0.
    const double bound = h["bound"].get<double>();
    m.ci = {m.ci.lo - bound, m.ci.hi - bound};
    m.estimate -= bound;
    m.kind = stats::HypothesisKind::kSuperiority;
    m.direction = stats::Direction::kLess;
    m.margin = 0.0;
  }
  m.se = stats::implied_se(m.ci, ci.at("confidence").get<double>());
  // A sequential hypothesis is decided by its confidence sequence alone (its Holm p is the
  // Bonferroni the sequence's level already paid for); a fixed design also needs its Holm p,
  // against the null of the test behind p_value.
  if (!h.contains("sequential")) {
    m.p =
        stats::p_condition(m.estimate, h.at("p_value").get<double>(), h.at("holm_p").get<double>(),
                           alpha, m.kind, test_null(h), m.margin, m.se);
  }
  return m;
}

std::optional<Replication> replication_of(const nlohmann::json& h, double alpha) {
  const std::optional<ReplicationModel> m = replication_model(h, alpha);
  if (!m) return std::nullopt;
  Replication r;
  r.se = m->se;
  r.verdicts = m->replication();
  r.probability = r.verdicts.of(stats::verdict_from_string(h.at("verdict").get<std::string>()));
  return r;
}

std::optional<int> units_for_decisive(const nlohmann::json& h, double alpha,
                                      std::optional<double> effect) {
  if (h.contains("sequential")) return std::nullopt;
  const std::optional<ReplicationModel> m = replication_model(h, alpha);
  if (!m || m->se == 0.0) return std::nullopt;
  const int n = h.at("n").get<int>();
  const double bound = h.contains("bound") && h["bound"].is_number() ? h["bound"].get<double>() : 0;
  const double estimate = h.at("estimate").get<double>();
  const double e = effect.value_or(estimate);
  const double lo = h.at("ci").at("lo").get<double>(), hi = h.at("ci").at("hi").get<double>();
  const double p = h.at("p_value").get<double>();
  const double c = p > 0.0 ? std::max(1.0, h.at("holm_p").get<double>() / p) : 1.0;
  const bool tost = m->kind == stats::HypothesisKind::kEquivalence;
  const double null = test_null(h) + bound;  // on the hypothesis's own scale
  const boost::math::normal_distribution<double> normal;
  // The test's z at n: at the observed effect the one its own p implies (stats::p_condition's
  // s_p), at a stated effect the normal model's at the interval's se.
  const double distance = tost ? m->margin - std::abs(e) : std::abs(e - null);
  const double z_n = distance / (effect ? m->se : m->p->s_p);
  for (int units = n + 1; units <= 40 * n; ++units) {
    const double r = std::sqrt(static_cast<double>(units) / n);
    nlohmann::json g = h;
    g["n"] = units;
    g["estimate"] = e;
    g["ci"]["lo"] = e - (estimate - lo) / r;
    g["ci"]["hi"] = e + (hi - estimate) / r;
    const double tail = boost::math::cdf(boost::math::complement(normal, z_n * r));
    const double p_units = z_n <= 0.0 ? 1.0 : std::min(1.0, tost ? tail : 2.0 * tail);
    g["p_value"] = p_units;
    g["holm_p"] = std::min(1.0, c * p_units);
    const std::optional<ReplicationModel> at = replication_model(g, alpha);
    const stats::Verdict v = at->verdict_at(0.0);
    if (v == stats::Verdict::kInconclusive) continue;
    if (at->replication().of(v) >= kDecisive) return units;
  }
  return std::nullopt;
}

nlohmann::json to_json(const std::optional<Replication>& r) {
  if (!r) return nullptr;
  return {{"probability", r->probability},
          {"supported", r->verdicts.supported},
          {"refuted", r->verdicts.refuted},
          {"inconclusive", r->verdicts.inconclusive},
          {"decisive", r->decisive()}};
}

std::string replication_rule() {
  return fmt::format(
      "Replication probability: the chance that an independent replication of the design (fresh "
      "seeds) reaches the same verdict, under a flat-prior normal model (Goodman 1992): its "
      "estimate ~ N(estimate, 2·se²), se from the interval, Holm in the threshold. A verdict is "
      "decisive at ≥ {:g}.",
      kDecisive);
}

}  // namespace claimcheck::claims
