#include "harness/stats/power.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <boost/math/distributions/normal.hpp>

#include "harness/stats/check.h"

namespace claimcheck::stats {
namespace {

struct Quantiles {
  double z_alpha;  // z_{1 - alpha/s}
  double z_beta;   // z_{1 - beta}
};

Quantiles quantiles(const PowerOptions& opt, const char* fn) {
  detail::require_confidence(opt.alpha, fn, "opt.alpha");
  detail::require_confidence(opt.power, fn, "opt.power");
  to_string(opt.alternative);  // validates the enum
  const boost::math::normal_distribution<> norm;
  const double sides = opt.alternative == Alternative::kTwoSided ? 2.0 : 1.0;
  // alpha below ~1e-16 rounds 1 - alpha/s to 1, whose quantile overflows: a typed error.
  return detail::guarded(fn, [&] {
    return Quantiles{boost::math::quantile(norm, 1.0 - opt.alpha / sides),
                     boost::math::quantile(norm, opt.power)};
  });
}

double effect_size(double effect, double sd, const char* fn, const char* effect_name) {
  detail::require_finite(effect, fn, effect_name);
  detail::require_finite(sd, fn, "sd");
  if (effect == 0.0) detail::fail(fn, std::string("argument '") + effect_name + "' must be != 0");
  if (!(sd > 0.0)) detail::fail(fn, "argument 'sd' must be > 0, got " + std::to_string(sd));
  const double dz = std::abs(effect) / sd;
  detail::require_finite_result(dz, fn, std::string("the effect size |") + effect_name + "| / sd");
  return dz;
}

double guenther_n(double dz, const Quantiles& q) {
  const double z = (q.z_alpha + q.z_beta) / dz;
  return z * z + q.z_alpha * q.z_alpha / 2.0;
}

}  // namespace

SeedsNeeded seeds_needed(double effect, double sd, const PowerOptions& opt) {
  constexpr const char* kFn = "seeds_needed";
  const double dz = effect_size(effect, sd, kFn, "effect");
  const Quantiles q = quantiles(opt, kFn);
  const double n = guenther_n(dz, q);
  if (!(n < 1e9)) detail::fail(kFn, "effect is too small relative to sd: over 1e9 seeds needed");
  // Round up; a paired t test needs at least 2 seeds.
  return {std::max(2, static_cast<int>(std::ceil(n))), n, dz};
}

BudgetCheck check_budget(int seeds, double margin, double sd, const PowerOptions& opt) {
  constexpr const char* kFn = "check_budget";
  if (seeds < 2) detail::fail(kFn, "argument 'seeds' must be >= 2, got " + std::to_string(seeds));
  const double dz = effect_size(margin, sd, kFn, "margin");
  const Quantiles q = quantiles(opt, kFn);
  // Guenther's n solved for z_{1-beta}: z_beta = d_z sqrt(n - z_alpha^2/2) - z_alpha
  // (n >= 2 > z_alpha^2 / 2 for any alpha >= 1e-4 two-sided; clamp at 0 otherwise).
  const double n_eff = std::max(0.0, static_cast<double>(seeds) - q.z_alpha * q.z_alpha / 2.0);
  const double power =
      boost::math::cdf(boost::math::normal_distribution<>(), dz * std::sqrt(n_eff) - q.z_alpha);
  const double mde = n_eff > 0.0 ? (q.z_alpha + q.z_beta) / std::sqrt(n_eff) * sd
                                 : std::numeric_limits<double>::infinity();
  const SeedsNeeded need = seeds_needed(margin, sd, opt);
  return {seeds, need.seeds, power, mde, power < opt.power};
}

}  // namespace claimcheck::stats
