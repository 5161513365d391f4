#include "harness/stats/anytime_t.h"

#include <cmath>
#include <limits>

#include "harness/stats/check.h"
#include "harness/stats/descriptives.h"

namespace claimcheck::stats {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

double log_bf(double t, int n, double g) {
  const double nu = n - 1;
  const double a = 1.0 + n * g;
  return -0.5 * std::log(a) +
         0.5 * (nu + 1.0) * (std::log1p(t * t / nu) - std::log1p(t * t / (a * nu)));
}

void check(const std::vector<double>& x, double alpha, double g, const char* fn) {
  detail::require_sample(x, fn, "x", 2);
  detail::require_confidence(alpha, fn, "alpha");
  if (!(g > 0) || !std::isfinite(g)) detail::fail(fn, "argument 'g' must be a finite number > 0");
}

}  // namespace

double anytime_t_bayes_factor(double t, int n, double g) {
  if (n < 2) detail::fail("anytime_t_bayes_factor", "argument 'n' must be >= 2");
  if (!(g > 0) || !std::isfinite(g)) {
    detail::fail("anytime_t_bayes_factor", "argument 'g' must be a finite number > 0");
  }
  if (std::isinf(t)) return std::pow(1.0 + n * g, 0.5 * (n - 1));  // the limit as |t| -> inf
  detail::require_finite(t, "anytime_t_bayes_factor", "t");
  return std::exp(log_bf(t, n, g));
}

AnytimeTInterval anytime_t_interval(const std::vector<double>& x, double alpha, double g) {
  check(x, alpha, g, "anytime_t_interval");
  const int n = static_cast<int>(x.size());
  const double m = mean(x);
  const double se = sd(x) / std::sqrt(static_cast<double>(n));
  const double target = std::log(1.0 / alpha);
  // BF increases with |t| towards (1 + n g)^((n−1)/2): no finite t* below that bound.
  const double limit = 0.5 * (n - 1) * std::log(1.0 + n * g);
  if (limit <= target) return {m, {-kInf, kInf}, kInf, n};
  double lo = 0.0;
  double hi = 1.0;
  while (log_bf(hi, n, g) < target)
    hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * hi; ++i) {  // bisection: log_bf is increasing
    const double mid = 0.5 * (lo + hi);
    (log_bf(mid, n, g) < target ? lo : hi) = mid;
  }
  const double t_star = 0.5 * (lo + hi);
  return {m, {m - t_star * se, m + t_star * se}, t_star, n};
}

double anytime_t_p(const std::vector<double>& x, double mu0, double g) {
  check(x, 0.5, g, "anytime_t_p");
  detail::require_finite(mu0, "anytime_t_p", "mu0");
  const int n = static_cast<int>(x.size());
  const double m = mean(x);
  const double s = sd(x);
  if (s == 0.0) return m == mu0 ? 1.0 : 0.0;
  const double t = (m - mu0) / (s / std::sqrt(static_cast<double>(n)));
  return std::min(1.0, std::exp(-log_bf(t, n, g)));
}

}  // namespace claimcheck::stats
