#include "harness/stats/tost.h"

#include <algorithm>
#include <cmath>
#include <string>

#include <boost/math/distributions/students_t.hpp>

#include "harness/stats/check.h"
#include "harness/stats/descriptives.h"
#include "harness/stats/ttest.h"

namespace claimcheck::stats {
namespace {

void check_args(double margin, double alpha, const char* fn) {
  if (!std::isfinite(margin) || !(margin > 0.0)) {
    detail::fail(fn, "argument 'margin' must be finite and > 0, got " + std::to_string(margin));
  }
  if (!(alpha > 0.0 && alpha < 0.5)) {
    detail::fail(fn, "argument 'alpha' must lie in (0, 0.5), got " + std::to_string(alpha));
  }
}

// Both one-sided t tests (Schuirmann 1987) from the estimate, its standard error and df.
TostResult tost_unguarded(double estimate, double se, double df, double margin, double alpha) {
  const boost::math::students_t dist(df);
  TostResult r{};
  r.estimate = estimate;
  r.df = df;
  r.alpha = alpha;
  r.t_lower = (estimate + margin) / se;
  r.p_lower = boost::math::cdf(boost::math::complement(dist, r.t_lower));
  r.t_upper = (estimate - margin) / se;
  r.p_upper = boost::math::cdf(dist, r.t_upper);
  r.p = std::max(r.p_lower, r.p_upper);
  const double q = boost::math::quantile(dist, 1.0 - alpha);
  r.lo = estimate - q * se;
  r.hi = estimate + q * se;
  return r;
}

// tost_unguarded() with every result checked finite and Boost errors as invalid_argument.
TostResult tost_from(double estimate, double se, double df, double margin, double alpha,
                     const char* fn) {
  const TostResult r =
      detail::guarded(fn, [&] { return tost_unguarded(estimate, se, df, margin, alpha); });
  for (const double v : {r.t_lower, r.t_upper, r.lo, r.hi})
    detail::require_finite_result(v, fn, "a t statistic or interval end");
  return r;
}

}  // namespace

TostResult paired_tost(const std::vector<double>& a, const std::vector<double>& b, double margin,
                       double alpha) {
  constexpr const char* kFn = "paired_tost";
  detail::require_sample(a, kFn, "a", 2);
  detail::require_sample(b, kFn, "b", 2);
  detail::require_same_length(a, b, kFn);
  check_args(margin, alpha, kFn);
  const std::vector<double> d = paired_differences(a, b, kFn);
  const double n = static_cast<double>(d.size());
  const double se = detail::guarded(kFn, [&] { return sd(d); }) / std::sqrt(n);
  if (!(se > 0.0)) detail::fail(kFn, "the paired differences a - b are all equal (sd = 0)");
  return tost_from(mean(d), se, n - 1.0, margin, alpha, kFn);
}

TostResult welch_tost(const std::vector<double>& a, const std::vector<double>& b, double margin,
                      double alpha) {
  constexpr const char* kFn = "welch_tost";
  const WelchParts w = welch_parts(a, b, kFn);
  check_args(margin, alpha, kFn);
  return tost_from(w.estimate, w.standard_error, w.df, margin, alpha, kFn);
}

}  // namespace claimcheck::stats
