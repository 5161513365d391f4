#include "harness/stats/bootstrap_interval.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/normal.hpp>

#include "harness/stats/check.h"
#include "harness/stats/descriptives.h"

namespace claimcheck::stats {
namespace {

constexpr const char* kFn = "interval_from_distribution";

// Relative tolerance under which two statistic values count as tied (see below).
constexpr double kTieTolerance = 1e-12;

double phi(double z) {
  return boost::math::cdf(boost::math::normal_distribution<>(), z);
}
double phi_inv(double p) {
  return boost::math::quantile(boost::math::normal_distribution<>(), p);
}

// Acceleration a from the jackknife, scipy 1.10 _bca_interval (Efron & Tibshirani 1993, eq.
// 14.15, generalised to several independent samples): U_ji = (n_j - 1)(mean_j - theta_ji),
// a = (1/6) sum_j sum_i U_ji^3 / n_j^3 / (sum_j sum_i U_ji^2 / n_j^2)^(3/2). For one sample
// this is STATISTICS.md's sum (mean - theta_i)^3 / (6 [sum (mean - theta_i)^2]^(3/2)).
enum class Acceleration { kComputed, kConstantJackknife, kNotFinite };

Acceleration acceleration(const std::vector<std::vector<double>>& jackknife, double tie,
                          double& a) {
  // Leave-one-out values equal up to rounding (within the tie tolerance) are a constant
  // jackknife: the ratio of their ~1e-17 residues would be an arbitrary a of order 1.
  const bool constant =
      std::all_of(jackknife.begin(), jackknife.end(), [tie](const std::vector<double>& g) {
        const auto [lo, hi] = std::minmax_element(g.begin(), g.end());
        return *hi - *lo <= tie;
      });
  if (constant) return Acceleration::kConstantJackknife;
  double num = 0.0;
  double den = 0.0;
  for (const auto& group : jackknife) {
    const double n = static_cast<double>(group.size());
    double dot = 0.0;
    for (double t : group)
      dot += t;
    dot /= n;
    for (double t : group) {
      const double u = (n - 1.0) * (dot - t);
      num += u * u * u / (n * n * n);
      den += u * u / (n * n);
    }
  }
  if (!(den > 0.0)) return Acceleration::kConstantJackknife;
  a = num / (6.0 * std::pow(den, 1.5));
  return std::isfinite(a) ? Acceleration::kComputed : Acceleration::kNotFinite;
}

// Every reported end must be finite: the basic interval's 2 theta - Q* can overflow.
BootstrapCi finite_ends(BootstrapCi ci) {
  detail::require_finite_result(ci.lo, kFn, "the interval's lower end");
  detail::require_finite_result(ci.hi, kFn, "the interval's upper end");
  return ci;
}

// `ci` with the ends [Q*(p_lo), Q*(p_hi)] of the sorted replicates.
BootstrapCi percentile(BootstrapCi ci, const std::vector<double>& sorted, double p_lo,
                       double p_hi) {
  ci.lo = quantile_sorted(sorted, p_lo);
  ci.hi = quantile_sorted(sorted, p_hi);
  return ci;
}

// Every resample gives the same value `v` (e.g. constant data, or a max over few tied values):
// the bootstrap says nothing about spread. STATISTICS.md: report it, use exact methods.
BootstrapCi point_interval(BootstrapCi ci, double v, std::size_t resamples) {
  ci.lo = ci.hi = ci.method == CiMethod::kBasic ? 2.0 * ci.estimate - v : v;
  ci.degenerate = true;
  ci.note = "all " + std::to_string(resamples) + " bootstrap replicates are equal (" +
            std::to_string(v) +
            "): the bootstrap distribution is a point; use an exact test (t interval or "
            "sign-flip permutation p) instead";
  return finite_ends(ci);
}

// BCa is undefined (`why`): the percentile interval, marked degenerate.
BootstrapCi bca_fall_back(BootstrapCi ci, const std::vector<double>& sorted, double alpha,
                          const std::string& why) {
  ci = percentile(std::move(ci), sorted, alpha, 1.0 - alpha);
  ci.method = CiMethod::kPercentile;
  ci.degenerate = true;
  ci.note = "BCa undefined (" + why + "); percentile interval reported instead";
  return ci;
}

// Bias correction's level, tie-robust (scipy _percentile_of_score, 'mean' kind):
// z0 = Phi^-1(p0), p0 = (#{theta* < theta} + #{theta* <= theta}) / (2B).
// Ties are counted within `tie` (scipy compares exactly; identical unless a replicate lies
// within 1e-12 relative of theta-hat).
double bias_correction_level(const std::vector<double>& sorted, double theta, double tie) {
  const auto less = std::lower_bound(sorted.begin(), sorted.end(), theta - tie) - sorted.begin();
  const auto less_equal =
      std::upper_bound(sorted.begin(), sorted.end(), theta + tie) - sorted.begin();
  return static_cast<double>(less + less_equal) / (2.0 * static_cast<double>(sorted.size()));
}

// The tie tolerance of the jackknife values: kTieTolerance times the largest |value| among them
// and theta-hat.
double jackknife_tie(const std::vector<std::vector<double>>& jackknife, double theta) {
  const double jack_scale = std::accumulate(
      jackknife.begin(), jackknife.end(), std::abs(theta),
      [](double m, const std::vector<double>& g) {
        return std::max(m, std::abs(*std::max_element(g.begin(), g.end(), [](double x, double y) {
                          return std::abs(x) < std::abs(y);
                        })));
      });
  return kTieTolerance * jack_scale;
}

// The BCa interval (Efron 1987) of the sorted replicates; `tie` as in interval_from_distribution.
BootstrapCi bca_interval(BootstrapCi ci, const BootstrapDistribution& dist,
                         const std::vector<double>& sorted, double alpha, double tie) {
  if (dist.jackknife.empty()) detail::fail(kFn, "BCa needs 'dist.jackknife' (it is empty)");
  for (const auto& group : dist.jackknife)
    detail::require_sample(group, kFn, "dist.jackknife", 2);
  const double theta = dist.estimate;
  const double p0 = bias_correction_level(sorted, theta, tie);
  if (!(p0 > 0.0 && p0 < 1.0)) {
    return bca_fall_back(std::move(ci), sorted, alpha,
                         "every replicate lies on one side of the estimate, so z0 is infinite");
  }
  const double z0 = phi_inv(p0);
  double a = 0.0;
  switch (acceleration(dist.jackknife, jackknife_tie(dist.jackknife, theta), a)) {
    case Acceleration::kComputed:
      break;
    case Acceleration::kConstantJackknife:
      a = 0.0;
      ci.note = "jackknife values are constant: acceleration set to 0";
      break;
    case Acceleration::kNotFinite:
      return bca_fall_back(std::move(ci), sorted, alpha, "the jackknife acceleration overflows");
  }
  // Efron (1987) eq. 2.3: alpha_k = Phi(z0 + (z0 + z_k) / (1 - a (z0 + z_k))).
  const double z_lo = phi_inv(alpha);
  const double z_hi = -z_lo;
  const double den_lo = 1.0 - a * (z0 + z_lo);
  const double den_hi = 1.0 - a * (z0 + z_hi);
  if (!(den_lo > 0.0 && den_hi > 0.0)) {
    // Beyond |a (z0 + z)| >= 1 the adjusted level folds back on itself (Efron 1987, sec. 2).
    return bca_fall_back(std::move(ci), sorted, alpha,
                         "acceleration too large: 1 - a (z0 + z) <= 0");
  }
  const double alpha1 = phi(z0 + (z0 + z_lo) / den_lo);
  const double alpha2 = phi(z0 + (z0 + z_hi) / den_hi);
  if (!(alpha1 >= 0.0 && alpha2 <= 1.0 && alpha1 <= alpha2)) {
    return bca_fall_back(std::move(ci), sorted, alpha, "adjusted levels outside [0, 1]");
  }
  return percentile(std::move(ci), sorted, alpha1, alpha2);
}

}  // namespace

std::string to_string(CiMethod method) {
  switch (method) {
    case CiMethod::kPercentile:
      return "percentile";
    case CiMethod::kBasic:
      return "basic";
    case CiMethod::kBca:
      return "bca";
  }
  detail::fail("to_string", "argument 'method' is not a CiMethod");
}

CiMethod ci_method_from_string(const std::string& name) {
  for (CiMethod m : {CiMethod::kPercentile, CiMethod::kBasic, CiMethod::kBca}) {
    if (to_string(m) == name) return m;
  }
  detail::fail("ci_method_from_string",
               "unknown CI method '" + name + "' (valid: percentile, basic, bca)");
}

BootstrapCi interval_from_distribution(const BootstrapDistribution& dist, CiMethod method,
                                       double confidence) {
  detail::require_finite(dist.estimate, kFn, "dist.estimate");
  detail::require_sample(dist.replicates, kFn, "dist.replicates");
  detail::require_confidence(confidence, kFn);
  std::vector<double> sorted = dist.replicates;
  std::sort(sorted.begin(), sorted.end());
  const double theta = dist.estimate;
  const double alpha = (1.0 - confidence) / 2.0;
  BootstrapCi ci{
      theta, 0.0, 0.0, method, static_cast<int>(sorted.size()), confidence, /*degenerate=*/false,
      ""};

  // Replicates within kTieTolerance (relative) of each other or of theta-hat are ties: the same
  // value in exact arithmetic, apart only by summation order or FMA contraction. Comparing them
  // exactly would let rounding flip z0 (and the verdict) between compilers and platforms.
  const double scale =
      std::max({std::abs(theta), std::abs(sorted.front()), std::abs(sorted.back())});
  const double tie = kTieTolerance * scale;
  if (sorted.back() - sorted.front() <= tie) {
    return point_interval(std::move(ci), sorted.front(), sorted.size());
  }
  switch (method) {
    case CiMethod::kPercentile:  // [Q*(alpha), Q*(1 - alpha)]
      return percentile(std::move(ci), sorted, alpha, 1.0 - alpha);
    case CiMethod::kBasic: {  // [2 theta - Q*(1 - alpha), 2 theta - Q*(alpha)]
      const double q_lo = quantile_sorted(sorted, alpha);
      const double q_hi = quantile_sorted(sorted, 1.0 - alpha);
      ci.lo = 2.0 * theta - q_hi;
      ci.hi = 2.0 * theta - q_lo;
      return finite_ends(ci);
    }
    case CiMethod::kBca:
      break;
  }
  return bca_interval(std::move(ci), dist, sorted, alpha, tie);
}

}  // namespace claimcheck::stats
