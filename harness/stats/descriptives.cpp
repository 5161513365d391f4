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
  return sum / static_cast<double>(x.size());
}

double variance(const std::vector<double>& x) {
  detail::require_sample(x, "variance", "x", 2);
  const double m = mean(x);
  double ss = 0.0;
  for (double v : x)
    ss += (v - m) * (v - m);
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
