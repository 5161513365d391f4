// Probability of improvement P(A > B) with a bootstrap CI, in two forms (STATISTICS.md):
// paired win rate (1/n) sum S(a_i, b_i) with ties 1/2 (Bouthillier et al. 2021, "Accounting for
// variance in machine learning benchmarks", MLSys) and the Mann-Whitney form (1/(n_a n_b)) sum_i
// sum_j S(a_i, b_j), S = 1, 1/2, 0 for >, =, < (U / (n_a n_b); rliable, Agarwal et al. 2021).
//
// Degenerate input: empty or non-finite samples (or mismatched paired lengths) throw
// std::invalid_argument naming the function and argument. Identical arms give exactly 1/2 (every
// pair a tie); constant data gives the degenerate point CI (bootstrap.h), never "meaningful".
#pragma once

#include <vector>

#include "harness/stats/bootstrap.h"

namespace claimcheck::stats {

/// Probability of improvement and its bootstrap interval.
struct ImprovementResult {
  double probability;  ///< the point estimate of P(A > B), in [0, 1]
  BootstrapCi ci;      ///< bootstrap CI of the same statistic
  bool meaningful;     ///< Bouthillier et al.: probability >= 0.75 and ci.lo > 0.5
};

/// Paired win rate (1/n) sum S(a_i, b_i), S = 1, 1/2, 0 for >, =, < (ties count 1/2); identical
/// arms give 1/2; empty, non-finite or unequal-length input throws.
double paired_win_rate(const std::vector<double>& a, const std::vector<double>& b);

/// Mann-Whitney probability U / (n_a n_b) with ties counted 1/2; empty or non-finite throws.
double mann_whitney_probability(const std::vector<double>& a, const std::vector<double>& b);

/// Paired win rate with a paired bootstrap CI (indices resampled jointly); constant arms give a
/// degenerate point CI, never meaningful.
ImprovementResult paired_probability_of_improvement(const std::vector<double>& a,
                                                    const std::vector<double>& b,
                                                    const BootstrapOptions& opt = {});

/// Mann-Whitney P(A > B) with a two-sample bootstrap CI (arms resampled independently); BCa
/// needs >= 2 values per arm.
ImprovementResult probability_of_improvement(const std::vector<double>& a,
                                             const std::vector<double>& b,
                                             const BootstrapOptions& opt = {});

}  // namespace claimcheck::stats
