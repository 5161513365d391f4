// Seeds needed for a paired design, and whether a seed budget can detect a margin
// (STATISTICS.md "Power"): normal approximation with Guenther's (1981) small-sample correction,
// n = ((z_{1-alpha/s} + z_{1-beta}) / d_z)^2 + z_{1-alpha/s}^2 / 2, d_z = delta / sigma_D,
// s = 2 for a two-sided test, 1 for one-sided.
//
// Degenerate input throws std::invalid_argument naming the function and argument: effect (or
// margin) 0 or non-finite (no design detects a zero effect), sd <= 0 or non-finite (power at a
// zero-variance difference is undefined here; a claim with constant differences is decided
// without it), |effect| / sd overflowing, alpha or power outside (0, 1) or so extreme that a
// normal quantile overflows, more than 1e9 seeds needed, or seeds < 2. Results are finite except
// minimum_detectable_effect (+inf when the budget is below z^2/2).
#pragma once

#include "harness/stats/ttest.h"

namespace claimcheck::stats {

/// Test level and target power.
struct PowerOptions {
  double alpha = 0.05;                               ///< type I error, in (0, 1)
  double power = 0.8;                                ///< target power 1 - beta, in (0, 1)
  Alternative alternative = Alternative::kTwoSided;  ///< two-sided uses alpha/2 per side
};

/// Seeds a paired design needs.
struct SeedsNeeded {
  int seeds;           ///< n rounded up (at least 2)
  double exact;        ///< the unrounded Guenther n
  double effect_size;  ///< d_z = |effect| / sd
};

/// Whether a fixed number of seeds can detect `margin`.
struct BudgetCheck {
  int seeds;                         ///< the budget checked
  int seeds_needed;                  ///< seeds_needed() for the margin
  double power;                      ///< power at the budget: Phi(d_z sqrt(n - z^2/2) - z)
  double minimum_detectable_effect;  ///< smallest |effect| detectable at the target power (+inf
                                     ///< when seeds <= z^2/2)
  bool underpowered;                 ///< power < target: report "underpowered", never a pass
};

/// Seeds needed to detect a paired mean difference `effect` (!= 0) with difference sd `sd` > 0;
/// effect 0 or sd 0 throws (no finite design), as do > 1e9 seeds.
SeedsNeeded seeds_needed(double effect, double sd, const PowerOptions& opt = {});

/// Power of a paired design with `seeds` >= 2 to detect `margin` (!= 0) at difference sd `sd`
/// (> 0); margin 0 or sd 0 throws.
BudgetCheck check_budget(int seeds, double margin, double sd, const PowerOptions& opt = {});

}  // namespace claimcheck::stats
