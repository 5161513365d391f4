// Descriptive statistics: mean, sample standard deviation and quantiles with numpy's default
// ('linear', Hyndman & Fan 1996 type 7) interpolation, so bootstrap percentiles match scipy.
//
// Degenerate input, every function: empty or non-finite x -> std::invalid_argument naming the
// function and the argument; results are always finite (never NaN or inf).
#pragma once

#include <vector>

namespace claimcheck::stats {

/// Arithmetic mean; `x` non-empty and finite; n = 1 gives x[0]; finite even when the sum would
/// overflow (then summed as x_i / n).
double mean(const std::vector<double>& x);

/// Sample standard deviation with n - 1 in the denominator (two-pass); n >= 2 (else throws);
/// exactly 0 for constant x; throws when the squared deviations overflow (|x| >~ 1e154).
double sd(const std::vector<double>& x);

/// Sample variance with n - 1 in the denominator (two-pass); n >= 2 (else throws); exactly 0
/// for constant x (no rounding residue); throws when the squared deviations overflow.
double variance(const std::vector<double>& x);

/// The q-quantile, q in [0, 1] (else, or NaN, throws), as numpy.quantile(x, q) with
/// method='linear'; x non-empty and finite; n = 1 gives x[0]; finite where numpy's lerp overflows.
double quantile(std::vector<double> x, double q);

/// quantile() of an already ascending-sorted sample (checked, else throws), without copying.
double quantile_sorted(const std::vector<double>& sorted, double q);

}  // namespace claimcheck::stats
