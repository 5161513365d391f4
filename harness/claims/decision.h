// Deciding one hypothesis from its per-unit data: the effect, its BCa CI, a p-value against the
// margin boundary, the verdict from the CI, and the design's power at the smallest effect of
// interest. Holm across a claim's hypotheses is applied by the caller (analysis.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "harness/claims/analysis.h"

namespace claimcheck::claims {

/// Level and resampling of one claim's tests.
struct TestSettings {
  double alpha = 0.05;
  int resamples = 9999;
  std::uint64_t bootstrap_seed = 0;
  std::uint64_t permutation_seed = 0;
};

/// Decides `spec` from its terms' per-unit values (every term the same length, >= 2); fills
/// everything of HypothesisResult but holm_p and verdict (set by the caller after Holm).
HypothesisResult test_hypothesis(const HypothesisSpec& spec, std::vector<TermUnits> terms,
                                 const TestSettings& settings);

/// Decides a paired hypothesis of a sequential profile from the units up to its stop: the
/// design's confidence sequence at alpha/m replaces the BCa CI, the anytime-valid p (t method)
/// its p, and holm_p is the Bonferroni m·p the CS's level already paid for.
HypothesisResult test_sequentially(const ProfilePlan& plan, const HypothesisSpec& spec,
                                   std::vector<TermUnits> terms, const TestSettings& settings);

}  // namespace claimcheck::claims
