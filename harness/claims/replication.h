// A hypothesis's replication probability (stats/replication.h), read off its analysis JSON, and
// the gate's rule across environments (baselines/README.md, "The gate"): a verdict is decisive
// when an independent replication of its design reaches the same verdict with probability at
// least kDecisive; a decisive verdict that flips is a regression (or an improvement), a fragile
// one that flips with a compatible estimate has "moved within noise".
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "harness/stats/replication.h"

namespace claimcheck::claims {

/// The replication probability a verdict needs to be decisive (to gate across environments).
inline constexpr double kDecisive = 0.95;

/// A hypothesis's replication model, read off its JSON (see replication_of): its interval and
/// estimate (a CV-of-PD bound subtracted), the rule that decides it and, for a fixed design, its
/// Holm p condition.
struct ReplicationModel {
  stats::Interval ci{};
  double estimate = 0.0;
  double se = 0.0;
  stats::HypothesisKind kind = stats::HypothesisKind::kSuperiority;
  stats::Direction direction = stats::Direction::kGreater;
  double margin = 0.0;
  std::optional<stats::PCondition> p;

  /// The verdict of a design whose estimate came out `shift` away from this one.
  stats::Verdict verdict_at(double shift) const;
  /// The verdict probabilities of an independent replication.
  stats::VerdictProbabilities replication() const;
};

/// The model of a hypothesis (analysis or baseline JSON) decided at `alpha`; nullopt when its
/// interval has an infinite end.
std::optional<ReplicationModel> replication_model(const nlohmann::json& hypothesis, double alpha);

/// A hypothesis's predicted replication.
struct Replication {
  stats::VerdictProbabilities verdicts;  // of an independent replication of the design
  double probability = 0.0;              // of the hypothesis's own verdict
  double se = 0.0;                       // standard error implied by its interval
  bool decisive() const { return probability >= kDecisive; }
};

/// The replication of a hypothesis of an analysis or baseline JSON (claims/analysis.h's
/// to_json: estimate, ci, kind, direction, margin, p_value, holm_p, verdict, design, and
/// sequential or bound where present) decided at `alpha`: decide() of its interval shifted by
/// the replication's Δ, and, for a fixed design, its Holm p condition (stats/replication.h)
/// against the test's null: the margin boundary for paired designs, 0 for the permutation tests
/// of random-search and prediction-difference designs, the bound of a CV-of-PD hypothesis
/// (decided as CV − bound < 0). nullopt when its interval has an infinite end.
std::optional<Replication> replication_of(const nlohmann::json& hypothesis, double alpha);

/// The units (seeds, or trials for random search) a fixed design would need for a decisive
/// verdict if its effect were `effect` (nullopt: the observed estimate), with the spread it
/// showed at its own n: the interval shrinks about the effect by sqrt(n/N) and the test's z grows
/// by sqrt(N/n) (for a stated effect, p comes from the normal model with the interval's se),
/// Holm's multiplier kept. The smallest N in (n, 40 n] at which the verdict is decided and its
/// replication probability >= kDecisive; nullopt when none (or for a sequential design, whose
/// seeds follow from its stopping rule).
std::optional<int> units_for_decisive(const nlohmann::json& hypothesis, double alpha,
                                      std::optional<double> effect = std::nullopt);

/// As JSON: {probability, supported, refuted, inconclusive, decisive}; null for nullopt.
nlohmann::json to_json(const std::optional<Replication>& replication);

/// One line for reports: what the replication probability is and how the gate uses it.
std::string replication_rule();

}  // namespace claimcheck::claims
