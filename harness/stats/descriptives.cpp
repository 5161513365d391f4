#include "harness/stats/descriptives.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/stats/check.h"

namespace claimcheck::stats {

double mean(const std::vector<double>& x) {
  detail::require_sample(x, "mean", "x");
  double sum = 0.0;
  for (double v : x)
    sum += v;
  const auto n = static_cast<double>(x.size());
  if (std::isfinite(sum)) return sum / n;
  // The sum overflowed (values near the double range's end): sum x_i / n instead, which stays
  // within [min x, max x]. Only reached where the plain formula would return inf or NaN.
  double scaled = 0.0;
  for (double v : x)
    scaled += v / n;
  return scaled;
}

double variance(const std::vector<double>& x) {
  detail::require_sample(x, "variance", "x", 2);
  // Constant data has variance 0 exactly; the two-pass formula can leave a rounding residue
  // (mean({0.7} x 7) != 0.7 in double: variance 1.4e-32), which would make a t test on
  // constant differences report t ~ 1e16 instead of refusing (sd = 0).
  if (std::all_of(x.begin(), x.end(), [&](double v) { return v == x.front(); })) return 0.0;
  const double m = mean(x);
  double ss = 0.0;
  for (double v : x)
    ss += (v - m) * (v - m);
  detail::require_finite_result(ss, "variance", "the sum of squared deviations of argument 'x'");
  return ss / static_cast<double>(x.size() - 1);
}

double sd(const std::vector<double>& x) {
  detail::require_sample(x, "sd", "x", 2);
  return std::sqrt(variance(x));
}

double quantile_sorted(const std::vector<double>& sorted, double q) {
  detail::require_sample(sorted, "quantile_sorted", "sorted");
  if (!(q >= 0.0 && q <= 1.0)) {
    detail::fail("quantile_sorted", "argument 'q' must lie in [0, 1], got " + std::to_string(q));
  }
  if (!std::is_sorted(sorted.begin(), sorted.end())) {
    detail::fail("quantile_sorted", "argument 'sorted' is not in ascending order");
  }
  // numpy (lib/function_base.py, _quantile with method 'linear'): virtual index h = (n - 1) q,
  // value = lerp(x[floor h], x[floor h + 1], h - floor h), with numpy's _lerp that interpolates
  // from the upper neighbour when the weight is >= 0.5.
  const std::size_t n = sorted.size();
  const double h = static_cast<double>(n - 1) * q;
  const double below = std::floor(h);
  const auto i = static_cast<std::size_t>(below);
  if (i + 1 >= n) return sorted[n - 1];
  const double t = h - below;
  const double a = sorted[i];
  const double b = sorted[i + 1];
  const double diff = b - a;
  // b - a overflows only for neighbours of opposite sign near the range's ends, where numpy's
  // lerp returns inf or NaN; the weighted mean of a and b is finite there.
  if (!std::isfinite(diff)) return a * (1.0 - t) + b * t;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

double quantile(std::vector<double> x, double q) {
  detail::require_sample(x, "quantile", "x");
  if (!(q >= 0.0 && q <= 1.0)) {
    detail::fail("quantile", "argument 'q' must lie in [0, 1], got " + std::to_string(q));
  }
  std::sort(x.begin(), x.end());
  return quantile_sorted(x, q);
}

}  // namespace claimcheck::stats
