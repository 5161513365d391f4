#include "harness/stats/replication.h"

#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "harness/stats/check.h"

namespace claimcheck::stats {
namespace {

const boost::math::normal_distribution<double> kStdNormal;

// Gaussian mass of (a, b) under N(0, sigma²), sigma > 0; either end may be infinite. Taken from
// the upper tail when the segment lies above 0 so that small masses keep their digits.
double mass(double a, double b, double sigma) {
  auto cdf = [&](double x) {
    if (x == -INFINITY) return 0.0;
    if (x == INFINITY) return 1.0;
    return boost::math::cdf(kStdNormal, x / sigma);
  };
  auto upper = [&](double x) {
    if (x == -INFINITY) return 1.0;
    if (x == INFINITY) return 0.0;
    return boost::math::cdf(boost::math::complement(kStdNormal, x / sigma));
  };
  return a >= 0.0 ? upper(a) - upper(b) : cdf(b) - cdf(a);
}

void add(VerdictProbabilities& p, Verdict v, double m) {
  (v == Verdict::kSupported ? p.supported
   : v == Verdict::kRefuted ? p.refuted
                            : p.inconclusive) += m;
}

}  // namespace

double VerdictProbabilities::of(Verdict verdict) const {
  switch (verdict) {
    case Verdict::kSupported:
      return supported;
    case Verdict::kRefuted:
      return refuted;
    case Verdict::kInconclusive:
      return inconclusive;
  }
  detail::fail("VerdictProbabilities::of", "argument 'verdict' is not a Verdict");
}

bool PCondition::passes(double estimate, double margin) const {
  if (std::isinf(half_width)) return false;
  return tost ? std::abs(estimate) < margin - half_width
              : std::abs(estimate - boundary) > half_width;
}

PCondition p_condition(double estimate, double p, double holm_p, double alpha, HypothesisKind kind,
                       double boundary, double margin, double se) {
  if (!(alpha > 0.0 && alpha < 1.0)) {
    detail::fail("p_condition", "argument 'alpha' must be in (0, 1), got " + std::to_string(alpha));
  }
  if (std::isnan(p) || std::isnan(holm_p) || p < 0.0 || p > 1.0) {
    detail::fail("p_condition", "argument 'p' must be in [0, 1], got " + std::to_string(p));
  }
  PCondition c;
  c.tost = kind == HypothesisKind::kEquivalence;
  c.boundary = boundary;
  const double multiplier = p > 0.0 ? std::max(1.0, holm_p / p) : 1.0;
  const double tail = c.tost ? alpha / multiplier : alpha / (2.0 * multiplier);
  const double z_h = boost::math::quantile(boost::math::complement(kStdNormal, tail));
  // The test's standard error, from its own p where that p carries it.
  const double distance = c.tost ? margin - std::abs(estimate) : std::abs(estimate - boundary);
  double s_p = se;
  if (p > 0.0 && p < (c.tost ? 0.5 : 1.0) && distance > 0.0) {
    const double z_obs =
        boost::math::quantile(boost::math::complement(kStdNormal, c.tost ? p : p / 2.0));
    if (z_obs > 0.0) s_p = distance / z_obs;
  }
  // A two-sided p of 1 (the test sees nothing: a least favourable comparison, a permutation p
  // at its ceiling) never passes, and its replication is as blunt.
  c.s_p = s_p;
  c.half_width = !c.tost && p >= 1.0 ? INFINITY : z_h * s_p;
  return c;
}

Verdict shifted_verdict(const Interval& ci, double estimate, HypothesisKind kind,
                        Direction direction, double margin, const PCondition* p_condition,
                        double shift) {
  const Verdict v = decide({ci.lo + shift, ci.hi + shift}, kind, direction, margin);
  if (v != Verdict::kInconclusive && p_condition != nullptr &&
      !p_condition->passes(estimate + shift, margin)) {
    return Verdict::kInconclusive;
  }
  return v;
}

VerdictProbabilities replication_verdicts(const Interval& ci, double estimate, double se,
                                          HypothesisKind kind, Direction direction, double margin,
                                          const PCondition* p_condition) {
  if (!std::isfinite(se) || se < 0.0) {
    detail::fail("replication_verdicts",
                 "argument 'se' must be finite and >= 0, got " + std::to_string(se));
  }
  auto verdict_at = [&](double x) {
    return shifted_verdict(ci, estimate, kind, direction, margin, p_condition, x);
  };
  VerdictProbabilities p;
  if (se == 0.0) {
    add(p, verdict_at(0.0), 1.0);
    return p;
  }
  // verdict_at(Δ) changes only where an interval end crosses ±margin (both directions: the
  // mirrored interval's thresholds are the original's negated) or the estimate crosses an edge
  // of the p condition.
  std::vector<double> breaks;
  for (const double t : {margin, -margin}) {
    for (const double end : {ci.lo, ci.hi}) {
      if (std::isfinite(end)) breaks.push_back(t - end);
    }
  }
  if (p_condition != nullptr && std::isfinite(p_condition->half_width)) {
    const double w = p_condition->half_width;
    const std::vector<double> edges =
        p_condition->tost
            ? std::vector<double>{-margin + w, margin - w}
            : std::vector<double>{p_condition->boundary - w, p_condition->boundary + w};
    for (const double e : edges)
      breaks.push_back(e - estimate);
  }
  std::sort(breaks.begin(), breaks.end());
  breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());
  const double sigma = std::sqrt(2.0) * se;
  auto segment = [&](double a, double b) {
    const double x = std::isinf(a)   ? b - 1.0 - std::abs(b)
                     : std::isinf(b) ? a + 1.0 + std::abs(a)
                                     : a + (b - a) / 2.0;
    add(p, verdict_at(x), mass(a, b, sigma));
  };
  if (breaks.empty()) {
    add(p, verdict_at(0.0), 1.0);
    return p;
  }
  segment(-INFINITY, breaks.front());
  for (std::size_t i = 0; i + 1 < breaks.size(); ++i)
    segment(breaks[i], breaks[i + 1]);
  segment(breaks.back(), INFINITY);
  return p;
}

double implied_se(const Interval& interval, double confidence) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    detail::fail("implied_se",
                 "argument 'confidence' must be in (0, 1), got " + std::to_string(confidence));
  }
  if (std::isnan(interval.lo) || std::isnan(interval.hi)) {
    detail::fail("implied_se", "argument 'interval' has a NaN end");
  }
  const double z = boost::math::quantile(kStdNormal, 0.5 + confidence / 2.0);
  return std::max(0.0, interval.hi - interval.lo) / (2.0 * z);
}

}  // namespace claimcheck::stats
