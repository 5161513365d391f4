#include "harness/stats/verdict.h"

#include <cmath>

#include "harness/stats/check.h"

namespace claimcheck::stats {

Verdict decide(const Interval& ci, HypothesisKind kind, Direction direction, double margin) {
  if (std::isnan(ci.lo) || std::isnan(ci.hi)) detail::fail("decide", "argument 'ci' has a NaN end");
  if (ci.lo > ci.hi) {
    detail::fail("decide", "argument 'ci' has lo > hi (" + std::to_string(ci.lo) + " > " +
                               std::to_string(ci.hi) + ")");
  }
  if (!std::isfinite(margin) || margin < 0.0) {
    detail::fail("decide",
                 "argument 'margin' must be finite and >= 0, got " + std::to_string(margin));
  }
  if (kind == HypothesisKind::kEquivalence && margin == 0.0) {
    detail::fail("decide", "argument 'margin' must be > 0 for an equivalence hypothesis");
  }
  // Mirror a claimed decrease so that every rule below reads "effect in the claimed direction".
  const double lo = direction == Direction::kGreater ? ci.lo : -ci.hi;
  const double hi = direction == Direction::kGreater ? ci.hi : -ci.lo;
  switch (kind) {
    case HypothesisKind::kSuperiority:  // claim: effect > margin
      if (lo > margin) return Verdict::kSupported;
      if (hi < margin) return Verdict::kRefuted;
      return Verdict::kInconclusive;
    case HypothesisKind::kNonInferiority:  // claim: effect > -margin
      if (lo > -margin) return Verdict::kSupported;
      if (hi < -margin) return Verdict::kRefuted;
      return Verdict::kInconclusive;
    case HypothesisKind::kEquivalence:  // claim: |effect| < margin (symmetric: mirroring is moot)
      if (-margin < lo && hi < margin) return Verdict::kSupported;
      if (lo > margin || hi < -margin) return Verdict::kRefuted;
      return Verdict::kInconclusive;
  }
  detail::fail("decide", "argument 'kind' is not a HypothesisKind");
}

std::string to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::kSupported:
      return "supported";
    case Verdict::kRefuted:
      return "refuted";
    case Verdict::kInconclusive:
      return "inconclusive";
  }
  detail::fail("to_string", "argument 'verdict' is not a Verdict");
}

std::string to_string(HypothesisKind kind) {
  switch (kind) {
    case HypothesisKind::kSuperiority:
      return "superiority";
    case HypothesisKind::kNonInferiority:
      return "non-inferiority";
    case HypothesisKind::kEquivalence:
      return "equivalence";
  }
  detail::fail("to_string", "argument 'kind' is not a HypothesisKind");
}

std::string to_string(Direction direction) {
  switch (direction) {
    case Direction::kGreater:
      return "greater";
    case Direction::kLess:
      return "less";
  }
  detail::fail("to_string", "argument 'direction' is not a Direction");
}

Verdict verdict_from_string(const std::string& name) {
  for (Verdict v : {Verdict::kSupported, Verdict::kRefuted, Verdict::kInconclusive}) {
    if (to_string(v) == name) return v;
  }
  detail::fail("verdict_from_string",
               "unknown verdict '" + name + "' (valid: supported, refuted, inconclusive)");
}

HypothesisKind hypothesis_kind_from_string(const std::string& name) {
  for (HypothesisKind k : {HypothesisKind::kSuperiority, HypothesisKind::kNonInferiority,
                           HypothesisKind::kEquivalence}) {
    if (to_string(k) == name) return k;
  }
  detail::fail(
      "hypothesis_kind_from_string",
      "unknown hypothesis kind '" + name + "' (valid: superiority, non-inferiority, equivalence)");
}

Direction direction_from_string(const std::string& name) {
  for (Direction d : {Direction::kGreater, Direction::kLess}) {
    if (to_string(d) == name) return d;
  }
  detail::fail("direction_from_string", "unknown direction '" + name + "' (valid: greater, less)");
}

}  // namespace claimcheck::stats
