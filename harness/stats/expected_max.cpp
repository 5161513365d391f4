#include "harness/stats/expected_max.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/stats/check.h"

namespace claimcheck::stats {
namespace {

void check_k(std::size_t n, int k, const char* fn) {
  if (k < 1) detail::fail(fn, "argument 'k' must be >= 1, got " + std::to_string(k));
  if (static_cast<std::size_t>(k) > n) {
    detail::fail(fn, "argument 'k' (" + std::to_string(k) +
                         ") exceeds the number of trials N = " + std::to_string(n) + " (k > N)");
  }
}

double dodge_unchecked(std::vector<double> v, int k) {
  std::sort(v.begin(), v.end());
  const double n = static_cast<double>(v.size());
  double e = 0.0;
  double prev = 0.0;  // ((i-1)/N)^k
  for (std::size_t i = 1; i <= v.size(); ++i) {
    const double cur = std::pow(static_cast<double>(i) / n, k);
    e += v[i - 1] * (cur - prev);
    prev = cur;
  }
  return e;
}

double tang_unchecked(std::vector<double> v, int k) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  const auto kk = static_cast<std::size_t>(k);
  // Weights w_j = C(j-1, k-1) / C(N, k) by the exact recurrence from the top, avoiding huge
  // binomials: w_N = k / N and w_{j-1} = w_j (j - k) / (j - 1).
  double w = static_cast<double>(k) / static_cast<double>(n);
  double e = 0.0;
  for (std::size_t j = n; j >= kk; --j) {
    e += v[j - 1] * w;
    if (j == kk) break;
    w *= static_cast<double>(j - kk) / static_cast<double>(j - 1);
  }
  return e;
}

// BCa needs leave-one-out values with N - 1 >= k trials.
BootstrapOptions usable_options(const BootstrapOptions& opt, std::size_t n, int k, bool& changed) {
  BootstrapOptions out = opt;
  changed = opt.method == CiMethod::kBca && static_cast<std::size_t>(k) >= n;
  if (changed) out.method = CiMethod::kPercentile;
  return out;
}

BootstrapCi note_fallback(BootstrapCi ci) {
  const std::string why = "BCa needs k < N for its jackknife; percentile interval reported";
  ci.note = ci.note.empty() ? why : why + "; " + ci.note;
  return ci;
}

}  // namespace

double expected_max_dodge(const std::vector<double>& values, int k) {
  detail::require_sample(values, "expected_max_dodge", "values");
  check_k(values.size(), k, "expected_max_dodge");
  const double e = dodge_unchecked(values, k);
  detail::require_finite_result(e, "expected_max_dodge", "the weighted sum of 'values'");
  return e;
}

double expected_max_tang(const std::vector<double>& values, int k) {
  detail::require_sample(values, "expected_max_tang", "values");
  check_k(values.size(), k, "expected_max_tang");
  const double e = tang_unchecked(values, k);
  detail::require_finite_result(e, "expected_max_tang", "the weighted sum of 'values'");
  return e;
}

BootstrapCi expected_max_ci(const std::vector<double>& values, int k,
                            ExpectedMaxEstimator estimator, const BootstrapOptions& opt) {
  detail::require_sample(values, "expected_max_ci", "values");
  check_k(values.size(), k, "expected_max_ci");
  bool changed = false;
  const BootstrapOptions use = usable_options(opt, values.size(), k, changed);
  const Statistic stat = [k, estimator](const std::vector<double>& v) {
    return estimator == ExpectedMaxEstimator::kDodge ? dodge_unchecked(v, k) : tang_unchecked(v, k);
  };
  BootstrapCi ci = bootstrap_ci(values, stat, use);
  return changed ? note_fallback(std::move(ci)) : ci;
}

BootstrapCi paired_expected_max_difference(const std::vector<double>& a,
                                           const std::vector<double>& b, int k,
                                           const BootstrapOptions& opt) {
  constexpr const char* kFn = "paired_expected_max_difference";
  detail::require_sample(a, kFn, "a");
  detail::require_sample(b, kFn, "b");
  detail::require_same_length(a, b, kFn);
  check_k(a.size(), k, kFn);
  bool changed = false;
  const BootstrapOptions use = usable_options(opt, a.size(), k, changed);
  const PairedStatistic stat = [k](const std::vector<double>& x, const std::vector<double>& y) {
    return tang_unchecked(x, k) - tang_unchecked(y, k);
  };
  BootstrapCi ci = paired_bootstrap_ci(a, b, stat, use);
  return changed ? note_fallback(std::move(ci)) : ci;
}

}  // namespace claimcheck::stats
