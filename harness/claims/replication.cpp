#include "harness/claims/replication.h"

#include <fmt/format.h>

#include <cmath>

namespace claimcheck::claims {

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
  // against the null of the test behind p_value (decision.cpp, pd_analysis.cpp).
  if (!h.contains("sequential")) {
    const double sign = m.direction == stats::Direction::kGreater ? 1.0 : -1.0;
    const double boundary = h.value("design", "paired") != "paired"         ? 0.0
                            : m.kind == stats::HypothesisKind::kSuperiority ? sign * m.margin
                                                                            : -sign * m.margin;
    m.p = stats::p_condition(m.estimate, h.at("p_value").get<double>(),
                             h.at("holm_p").get<double>(), alpha, m.kind, boundary, m.margin, m.se);
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
