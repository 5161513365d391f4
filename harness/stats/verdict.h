// The verdict rule: supported / refuted / inconclusive from a confidence interval on the effect
// (treatment - control) and a margin, for superiority, non-inferiority and equivalence hypotheses
// (DESIGN.md "Statistics": supported iff the CI lies wholly on the claimed side of the margin).
//
// Degenerate input: a point interval (lo == hi, e.g. zero variance) and infinite ends are
// decided by the same rule; a NaN end, lo > hi, a margin that is negative, not finite, or 0 for
// equivalence, and an enum value out of range throw std::invalid_argument naming the argument.
#pragma once

#include <string>

namespace claimcheck::stats {

/// Outcome of checking a claim.
enum class Verdict { kSupported, kRefuted, kInconclusive };

/// What the claim asserts about the effect relative to the margin.
enum class HypothesisKind { kSuperiority, kNonInferiority, kEquivalence };

/// The claimed sign of the effect (treatment - control); kLess mirrors every rule.
enum class Direction { kGreater, kLess };

/// A closed interval [lo, hi]; lo <= hi, endpoints may be infinite (one-sided intervals).
struct Interval {
  double lo;  ///< lower end
  double hi;  ///< upper end
};

/// Applies the verdict rule to `ci` (effect = treatment - control) for a margin >= 0
/// (equivalence: > 0). With d = kGreater (kLess mirrors the interval to [-hi, -lo]):
/// superiority: supported lo > m, refuted hi < m; non-inferiority: supported lo > -m, refuted
/// hi < -m; equivalence: supported -m < lo and hi < m, refuted lo > m or hi < -m;
/// otherwise inconclusive. A point interval (lo == hi) is decided by the same rule; a NaN end,
/// lo > hi or a bad margin throws.
Verdict decide(const Interval& ci, HypothesisKind kind, Direction direction, double margin);

/// "supported", "refuted" or "inconclusive".
std::string to_string(Verdict verdict);
/// "superiority", "non-inferiority" or "equivalence".
std::string to_string(HypothesisKind kind);
/// "greater" or "less".
std::string to_string(Direction direction);

/// Inverse of to_string(Verdict); throws std::invalid_argument listing the valid names.
Verdict verdict_from_string(const std::string& name);
/// Inverse of to_string(HypothesisKind); throws std::invalid_argument listing the valid names.
HypothesisKind hypothesis_kind_from_string(const std::string& name);
/// Inverse of to_string(Direction); throws std::invalid_argument listing the valid names.
Direction direction_from_string(const std::string& name);

}  // namespace claimcheck::stats
