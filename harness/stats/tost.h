// TOST, two one-sided t tests for equivalence (Schuirmann 1987): the effect lies within
// (-margin, margin) when both H0: effect <= -margin and H0: effect >= margin are rejected at
// alpha. Equivalent to the 1 - 2 alpha t interval lying inside (-margin, margin). Matches
// statsmodels.stats.weightstats ttost_paired and ttost_ind(usevar='unequal').
//
// Degenerate input throws std::invalid_argument naming the function and argument, as the t
// tests do (ttest.h): n < 2, non-finite values, zero spread (constant paired differences, or
// both Welch arms constant: equivalence cannot be tested without a standard error), margin not
// finite and > 0, alpha outside (0, 0.5), or a result overflowing double.
#pragma once

#include <vector>

namespace claimcheck::stats {

/// Result of a TOST: both one-sided tests and the 1 - 2 alpha interval.
struct TostResult {
  double estimate;  ///< mean(a - b) (paired) or mean(a) - mean(b) (Welch)
  double lo;        ///< lower end of the 1 - 2 alpha t interval
  double hi;        ///< upper end of the 1 - 2 alpha t interval
  double df;        ///< degrees of freedom
  double t_lower;   ///< t for H0: effect <= -margin, (estimate + margin) / se
  double p_lower;   ///< its p, P(T >= t_lower)
  double t_upper;   ///< t for H0: effect >= margin, (estimate - margin) / se
  double p_upper;   ///< its p, P(T <= t_upper)
  double p;         ///< TOST p = max(p_lower, p_upper); equivalence shown when p < alpha
  double alpha;     ///< level of each one-sided test
};

/// Paired TOST on d = a - b against +-margin (margin > 0, alpha in (0, 0.5)); sd(d) > 0.
TostResult paired_tost(const std::vector<double>& a, const std::vector<double>& b, double margin,
                       double alpha = 0.05);

/// Welch (unequal variance) TOST on mean(a) - mean(b) against +-margin; not both constant.
TostResult welch_tost(const std::vector<double>& a, const std::vector<double>& b, double margin,
                      double alpha = 0.05);

}  // namespace claimcheck::stats
