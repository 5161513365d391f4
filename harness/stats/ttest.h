// Paired t and Welch t tests: estimate, confidence interval, t, df and p, one- or two-sided,
// built on boost::math::students_t (Boost 1.74 ships only the one-sample test). Formulas:
// STATISTICS.md "Paired and two-sample tests"; they match scipy.stats.ttest_rel and
// ttest_ind(equal_var=False).
//
// Degenerate input throws std::invalid_argument naming the function and argument: n < 2 per
// sample, a non-finite value, zero spread (sd(a - b) = 0 paired; both arms constant for Welch:
// the t statistic is undefined, there is no interval to report), confidence outside (0, 1) or
// so close to it that the t quantile overflows, and any value or result overflowing double.
// Every returned number is finite except the open end of a one-sided interval.
#pragma once

#include <string>
#include <vector>

namespace claimcheck::stats {

/// The alternative hypothesis about the effect (a - b): two-sided, greater than 0, less than 0.
enum class Alternative { kTwoSided, kGreater, kLess };

/// "two-sided", "greater" or "less" (scipy's names).
std::string to_string(Alternative alternative);
/// Inverse of to_string(Alternative); throws std::invalid_argument listing the valid names.
Alternative alternative_from_string(const std::string& name);

/// Result of a t test. One-sided intervals have an infinite end (kGreater: hi = +inf).
struct TTestResult {
  double estimate;          ///< mean(a - b) (paired) or mean(a) - mean(b) (Welch)
  double lo;                ///< lower end of the confidence interval for the effect
  double hi;                ///< upper end of the confidence interval for the effect
  double t;                 ///< t statistic
  double df;                ///< degrees of freedom (Welch-Satterthwaite for Welch)
  double p;                 ///< p-value for `alternative`
  Alternative alternative;  ///< the alternative tested
  double confidence;        ///< confidence level of [lo, hi]
};

/// Paired t test on d = a - b: t = mean(d) / (sd(d)/sqrt(n)), df = n - 1; n >= 2, equal
/// lengths, sd(d) > 0 (constant differences throw), a - b finite.
TTestResult paired_t(const std::vector<double>& a, const std::vector<double>& b,
                     Alternative alt = Alternative::kTwoSided, double confidence = 0.95);

/// Welch's unequal-variance t test of mean(a) - mean(b); each arm >= 2 values, not both
/// constant (one constant arm is fine: df = n - 1 of the other).
TTestResult welch_t(const std::vector<double>& a, const std::vector<double>& b,
                    Alternative alt = Alternative::kTwoSided, double confidence = 0.95);

/// mean(a) − mean(b), its Welch standard error and Welch-Satterthwaite df (shared by Welch's t
/// and TOST); `fn` names the caller in errors (each arm >= 2 values, not both constant).
struct WelchParts {
  double estimate;        ///< mean(a) − mean(b)
  double standard_error;  ///< sqrt(s1²/n1 + s2²/n2)
  double df;              ///< (v1 + v2)² / (v1²/(n1−1) + v2²/(n2−1)), v = s²/n
};
/// Computes WelchParts of a and b; throws std::invalid_argument naming `fn` on bad input.
WelchParts welch_parts(const std::vector<double>& a, const std::vector<double>& b, const char* fn);

/// d_i = a_i - b_i for equal-length a, b; throws naming `fn` when a difference overflows.
std::vector<double> paired_differences(const std::vector<double>& a, const std::vector<double>& b,
                                       const char* fn);

/// The t test shared by both: estimate, standard error and df in, CI and p out; throws unless
/// estimate finite, 0 < se < inf, 0 < df < inf and estimate / se finite.
TTestResult t_from_estimate(double estimate, double standard_error, double df, Alternative alt,
                            double confidence);

}  // namespace claimcheck::stats
