// Replication probability of a verdict (STATISTICS.md, "Replication probability of a verdict"):
// the chance that an independent replication of the same design reaches the same verdict.
// Flat-prior normal approximation (Goodman 1992, "A comment on replication, p-values and
// evidence", Stat Med 11:875-879; Killeen 2005's p_rep is the same model): given the estimate d̂
// with standard error s, a replication's estimate is d̂' ~ N(d̂, 2 s²), and since it has the same
// design its interval is the original one shifted by Δ = d̂' − d̂ ~ N(0, 2 s²). Its verdict is
// decide() of the shifted interval; the probability of each verdict is the Gaussian mass of the
// Δ-set that gives it (decide() is piecewise constant in Δ, with breaks where an end crosses ±m).
//
// A supported/refuted verdict whose deciding bound lies k·s past its threshold replicates with
// probability Φ(k/√2) (0.76 at k = 1, 0.95 at k ≈ 2.33); an inconclusive one with the mass that
// keeps the shifted interval straddling.
//
// Assumptions (stated in every report): the effect's sampling distribution is normal with the
// spread implied by the interval; the true effect is a priori flat (no shrinkage toward zero),
// so for designs whose true effects cluster near a threshold the probability is optimistic;
// the replication draws fresh seeds (same-seed reruns in another environment are far more
// correlated, so the probability is conservative for them).
//
// Degenerate input throws std::invalid_argument naming the function and argument: a NaN end,
// lo > hi, s < 0 or not finite, and the margin rules of decide().
#pragma once

#include "harness/stats/verdict.h"

namespace claimcheck::stats {

/// Probabilities of a replication's three verdicts (they sum to 1).
struct VerdictProbabilities {
  double supported = 0.0;
  double refuted = 0.0;
  double inconclusive = 0.0;

  /// The probability of `verdict`.
  double of(Verdict verdict) const;
};

/// The second condition a decided verdict needs (claims/analysis.cpp): its Holm-adjusted p below
/// alpha. Modelled as a normal test of the replication's estimate d̂': two-sided against
/// `boundary` (superiority, non-inferiority: it passes when |d̂' − boundary| > half_width), or
/// TOST against ±margin (equivalence: it passes when |d̂'| < margin − half_width).
struct PCondition {
  bool tost = false;
  double boundary = 0.0;
  double s_p = 0.0;         // the test's own standard error (from its p, else the interval's)
  double half_width = 0.0;  // z_h · s_p; +inf: never passes

  /// Whether an estimate passes.
  bool passes(double estimate, double margin) const;
};

/// The p condition of a hypothesis whose test gave `p` (Holm-adjusted `holm_p`) at `estimate`:
/// the test's own standard error s_p = |d̂ − boundary| / Φ⁻¹(1 − p/2) (TOST: (m − |d̂|) /
/// Φ⁻¹(1 − p)), read off its p so that a test less sharp than the interval (a permutation or
/// bootstrap p) keeps its bluntness; `se` where p says nothing (p = 0, the estimate on the
/// boundary or outside the equivalence margins). A two-sided p of 1 never passes (half_width
/// +inf). Holm's multiplier c = holm_p / p (>= 1)
/// sets the critical value z_h = Φ⁻¹(1 − alpha/(2c)) (TOST: Φ⁻¹(1 − alpha/c)): multiplicity
/// enters through z.
PCondition p_condition(double estimate, double p, double holm_p, double alpha, HypothesisKind kind,
                       double boundary, double margin, double se);

/// The verdict of the design's interval and estimate shifted by `shift`: decide() of
/// [lo + shift, hi + shift], made inconclusive where estimate + shift fails `p_condition` (none:
/// the interval alone decides).
Verdict shifted_verdict(const Interval& ci, double estimate, HypothesisKind kind,
                        Direction direction, double margin, const PCondition* p_condition,
                        double shift);

/// The verdict probabilities of a replication of a design whose interval is `ci` around
/// `estimate` with standard error `se` (0: the replication gives the same interval, so its
/// verdict has probability 1): decide() of the shifted interval, made inconclusive where the
/// shifted estimate fails `p_condition` (none: the interval alone decides, as a sequential
/// design's confidence sequence does).
VerdictProbabilities replication_verdicts(const Interval& ci, double estimate, double se,
                                          HypothesisKind kind, Direction direction, double margin,
                                          const PCondition* p_condition = nullptr);

/// The standard error implied by a two-sided interval at `confidence` (normal approximation):
/// (hi − lo) / (2 z), z = Φ⁻¹((1 + confidence)/2). Infinite ends give +inf.
double implied_se(const Interval& interval, double confidence);

}  // namespace claimcheck::stats
