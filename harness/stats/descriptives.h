// Descriptive statistics: mean, sample standard deviation and quantiles with numpy's default
// ('linear', Hyndman & Fan 1996 type 7) interpolation, so bootstrap percentiles match scipy.
#pragma once

#include <vector>

namespace claimcheck::stats {

/// Arithmetic mean; `x` non-empty and finite.
double mean(const std::vector<double>& x);

/// Sample standard deviation with n - 1 in the denominator (two-pass); needs >= 2 values.
double sd(const std::vector<double>& x);

/// Sample variance with n - 1 in the denominator (two-pass); needs >= 2 values.
double variance(const std::vector<double>& x);

/// The q-quantile, q in [0, 1], as numpy.quantile(x, q) with method='linear'.
double quantile(std::vector<double> x, double q);

/// quantile() of an already ascending-sorted sample (checked), without copying or sorting.
double quantile_sorted(const std::vector<double>& sorted, double q);

}  // namespace claimcheck::stats
