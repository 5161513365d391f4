#include "harness/stats/ttest.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/students_t.hpp>

#include "harness/stats/check.h"
#include "harness/stats/descriptives.h"

namespace claimcheck::stats {

std::string to_string(Alternative alternative) {
  switch (alternative) {
    case Alternative::kTwoSided:
      return "two-sided";
    case Alternative::kGreater:
      return "greater";
    case Alternative::kLess:
      return "less";
  }
  detail::fail("to_string", "argument 'alternative' is not an Alternative");
}

Alternative alternative_from_string(const std::string& name) {
  for (Alternative a : {Alternative::kTwoSided, Alternative::kGreater, Alternative::kLess}) {
    if (to_string(a) == name) return a;
  }
  detail::fail("alternative_from_string",
               "unknown alternative '" + name + "' (valid: two-sided, greater, less)");
}

std::vector<double> paired_differences(const std::vector<double>& a, const std::vector<double>& b,
                                       const char* fn) {
  std::vector<double> d(a.size());
  for (std::size_t i = 0; i < d.size(); ++i) {
    d[i] = a[i] - b[i];
    detail::require_finite_result(d[i], fn, "the difference a - b at index " + std::to_string(i));
  }
  return d;
}

TTestResult t_from_estimate(double estimate, double standard_error, double df, Alternative alt,
                            double confidence) {
  constexpr const char* kFn = "t_from_estimate";
  detail::require_finite(estimate, kFn, "estimate");
  detail::require_confidence(confidence, kFn);
  if (!(standard_error > 0.0) || !std::isfinite(standard_error)) {
    detail::fail(kFn,
                 "standard error must be finite and > 0 (are the differences constant?), got " +
                     std::to_string(standard_error));
  }
  if (!(df > 0.0) || !std::isfinite(df)) {
    detail::fail(kFn, "argument 'df' must be finite and > 0, got " + std::to_string(df));
  }
  to_string(alt);  // validates the enum
  const double t = estimate / standard_error;
  detail::require_finite_result(t, kFn, "t = estimate / standard_error");
  const TTestResult r = detail::guarded(kFn, [&] {
    const boost::math::students_t dist(df);
    const double upper_tail = boost::math::cdf(boost::math::complement(dist, t));  // P(T >= t)
    const double lower_tail = boost::math::cdf(dist, t);                           // P(T <= t)
    constexpr double kInf = std::numeric_limits<double>::infinity();
    TTestResult out{estimate, -kInf, kInf, t, df, 1.0, alt, confidence};
    switch (alt) {
      case Alternative::kTwoSided: {
        out.p = std::min(1.0, 2.0 * std::min(upper_tail, lower_tail));
        const double q = boost::math::quantile(dist, 1.0 - (1.0 - confidence) / 2.0);
        out.lo = estimate - q * standard_error;
        out.hi = estimate + q * standard_error;
        break;
      }
      case Alternative::kGreater:
        out.p = upper_tail;
        out.lo = estimate - boost::math::quantile(dist, confidence) * standard_error;
        break;
      case Alternative::kLess:
        out.p = lower_tail;
        out.hi = estimate + boost::math::quantile(dist, confidence) * standard_error;
        break;
    }
    return out;
  });
  // The open end of a one-sided interval is infinite by design; a computed end must not be.
  if (alt != Alternative::kLess) detail::require_finite_result(r.lo, kFn, "the interval's lo");
  if (alt != Alternative::kGreater) detail::require_finite_result(r.hi, kFn, "the interval's hi");
  return r;
}

TTestResult paired_t(const std::vector<double>& a, const std::vector<double>& b, Alternative alt,
                     double confidence) {
  constexpr const char* kFn = "paired_t";
  detail::require_sample(a, kFn, "a", 2);
  detail::require_sample(b, kFn, "b", 2);
  detail::require_same_length(a, b, kFn);
  const std::vector<double> d = paired_differences(a, b, kFn);
  const double n = static_cast<double>(d.size());
  const double s = detail::guarded(kFn, [&] { return sd(d); });
  if (!(s > 0.0)) detail::fail(kFn, "the paired differences a - b are all equal (sd = 0)");
  return detail::guarded(
      kFn, [&] { return t_from_estimate(mean(d), s / std::sqrt(n), n - 1.0, alt, confidence); });
}

WelchParts welch_parts(const std::vector<double>& a, const std::vector<double>& b, const char* fn) {
  detail::require_sample(a, fn, "a", 2);
  detail::require_sample(b, fn, "b", 2);
  const double n1 = static_cast<double>(a.size());
  const double n2 = static_cast<double>(b.size());
  const double v1 = detail::guarded(fn, [&] { return variance(a); }) / n1;
  const double v2 = detail::guarded(fn, [&] { return variance(b); }) / n2;
  if (!(v1 + v2 > 0.0)) detail::fail(fn, "both arms 'a' and 'b' are constant (zero variance)");
  // Welch-Satterthwaite: df = (v1 + v2)^2 / (v1^2/(n1-1) + v2^2/(n2-1)).
  const double df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (n1 - 1.0) + v2 * v2 / (n2 - 1.0));
  const double estimate = mean(a) - mean(b);
  detail::require_finite_result(estimate, fn, "mean(a) - mean(b)");
  // v1 + v2 > 0 but tiny (~1e-320) squares to 0: df = 0/0. Such an arm is constant for every
  // purpose; the caller sees a typed error instead of NaN.
  if (!(df > 0.0) || !std::isfinite(df)) {
    detail::fail(fn, "the Welch-Satterthwaite df is undefined (variances " + std::to_string(v1) +
                         ", " + std::to_string(v2) + " underflow)");
  }
  return {estimate, std::sqrt(v1 + v2), df};
}

TTestResult welch_t(const std::vector<double>& a, const std::vector<double>& b, Alternative alt,
                    double confidence) {
  const WelchParts w = welch_parts(a, b, "welch_t");
  return t_from_estimate(w.estimate, w.standard_error, w.df, alt, confidence);
}

}  // namespace claimcheck::stats
