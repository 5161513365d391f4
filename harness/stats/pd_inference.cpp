#include "harness/stats/pd_inference.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include <boost/math/distributions/students_t.hpp>

#include "harness/stats/check.h"
#include "harness/stats/rng.h"

namespace claimcheck::stats {
namespace {

// Leave-one-model-out means: theta_(-i) = (S - R_i) / C(M - 1, 2), S the sum over pairs and R_i
// model i's row sum.
std::vector<double> leave_one_model_out(const PairwiseDifferences& pd) {
  const std::size_t m = pd.models;
  double total = 0.0;
  std::vector<double> row(m, 0.0);
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = 0; j < m; ++j) {
      if (i != j) row[i] += pd.at(i, j);
    }
    total += row[i];
  }
  total /= 2.0;
  const double pairs_left = static_cast<double>(m - 1) * static_cast<double>(m - 2) / 2.0;
  std::vector<double> out(m);
  for (std::size_t i = 0; i < m; ++i)
    out[i] = (total - row[i]) / pairs_left;
  return out;
}

// Mean PD within the models flagged `in_group` (membership as 0/1), over its distinct pairs.
double group_mean(const PairwiseDifferences& pd, const std::vector<char>& in_group, char flag) {
  double sum = 0.0;
  double pairs = 0.0;
  for (std::size_t i = 0; i < pd.models; ++i) {
    if (in_group[i] != flag) continue;
    for (std::size_t j = i + 1; j < pd.models; ++j) {
      if (in_group[j] != flag) continue;
      sum += pd.at(i, j);
      pairs += 1.0;
    }
  }
  return sum / pairs;
}

// C(n, k), saturating at `cap` + 1 so that huge counts never overflow.
long long choose_capped(std::size_t n, std::size_t k, long long cap) {
  k = std::min(k, n - k);
  long double c = 1.0L;
  for (std::size_t i = 1; i <= k; ++i) {
    c = c * static_cast<long double>(n - k + i) / static_cast<long double>(i);
    if (c > static_cast<long double>(cap)) return cap + 1;
  }
  return std::llround(static_cast<double>(c));
}

}  // namespace

PdJackknifeCi pd_jackknife_ci(const PairwiseDifferences& pd, double confidence) {
  constexpr const char* kFn = "pd_jackknife_ci";
  detail::require_confidence(confidence, kFn);
  const double estimate = mean_over_pairs(pd);  // validates the matrix
  if (pd.models < 3) detail::fail(kFn, "the jackknife needs at least 3 models");
  const std::vector<double> loo = leave_one_model_out(pd);
  const double m = static_cast<double>(pd.models);
  const double bar = std::accumulate(loo.begin(), loo.end(), 0.0) / m;
  double ss = 0.0;
  for (double v : loo)
    ss += (v - bar) * (v - bar);
  const double se = std::sqrt((m - 1.0) / m * ss);
  // Student t with M - 1 df rather than z: M is small (a handful of seeds).
  const double q = detail::guarded(kFn, [&] {
    return boost::math::quantile(boost::math::students_t(m - 1.0), 1.0 - (1.0 - confidence) / 2.0);
  });
  const PdJackknifeCi ci{estimate, estimate - q * se, estimate + q * se, se, confidence, pd.models};
  detail::require_finite_result(ci.hi - ci.lo, kFn, "the interval");
  return ci;
}

BootstrapCi pd_bootstrap_ci(const PairwiseDifferences& pd, const BootstrapOptions& opt) {
  constexpr const char* kFn = "pd_bootstrap_ci";
  detail::require_resamples(opt.resamples, kFn);
  detail::require_confidence(opt.confidence, kFn);
  BootstrapDistribution dist;
  dist.estimate = mean_over_pairs(pd);
  if (pd.models < 3) detail::fail(kFn, "the bootstrap over models needs at least 3 models");
  const std::size_t m = pd.models;
  Rng rng(opt.seed);
  std::vector<std::size_t> idx(m);
  dist.replicates.reserve(static_cast<std::size_t>(opt.resamples));
  while (dist.replicates.size() < static_cast<std::size_t>(opt.resamples)) {
    for (auto& i : idx)
      i = static_cast<std::size_t>(rng.uniform_int(m));
    double sum = 0.0;
    double pairs = 0.0;
    for (std::size_t u = 0; u < m; ++u) {
      for (std::size_t v = u + 1; v < m; ++v) {
        if (idx[u] == idx[v]) continue;  // the same model twice: not a pair of distinct seeds
        sum += pd.at(idx[u], idx[v]);
        pairs += 1.0;
      }
    }
    if (pairs > 0.0) dist.replicates.push_back(sum / pairs);  // else redraw (one model only)
  }
  if (opt.method == CiMethod::kBca) dist.jackknife.push_back(leave_one_model_out(pd));
  return interval_from_distribution(dist, opt.method, opt.confidence);
}

PermutationResult pd_permutation_test(const PairwiseDifferences& pooled, std::size_t models_a,
                                      const PermutationOptions& opt) {
  constexpr const char* kFn = "pd_permutation_test";
  detail::require_resamples(opt.resamples, kFn);
  mean_over_pairs(pooled);  // validates the matrix
  const std::size_t m = pooled.models;
  if (models_a < 2 || m < models_a + 2) {
    detail::fail(kFn, "each group needs at least 2 models; got models_a = " +
                          std::to_string(models_a) + " of " + std::to_string(m));
  }
  std::vector<char> in_a(m, 0);
  std::fill(in_a.begin(), in_a.begin() + static_cast<std::ptrdiff_t>(models_a), 1);
  const auto statistic = [&]() {
    return group_mean(pooled, in_a, 1) - group_mean(pooled, in_a, 0);
  };
  const double observed = statistic();
  PermutationTally tally(observed);
  const long long limit = std::max<long long>(kExactArrangements, opt.resamples);
  const long long total = choose_capped(m, models_a, limit);
  if (total <= limit) {
    // Every split, in std::prev_permutation order of the membership flags (observed first).
    do {
      tally.add(statistic());
    } while (std::prev_permutation(in_a.begin(), in_a.end()));
    return {observed, tally.p(total, /*exact=*/true, opt.alternative),
            /*exact=*/true, total};
  }
  Rng rng(opt.seed);
  std::vector<std::size_t> order(m);
  for (int r = 0; r < opt.resamples; ++r) {
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = m - 1; i > 0; --i) {  // Fisher-Yates with Rng::uniform_int
      std::swap(order[i], order[static_cast<std::size_t>(rng.uniform_int(i + 1))]);
    }
    std::fill(in_a.begin(), in_a.end(), 0);
    for (std::size_t i = 0; i < models_a; ++i)
      in_a[order[i]] = 1;
    tally.add(statistic());
  }
  return {observed, tally.p(opt.resamples, /*exact=*/false, opt.alternative),
          /*exact=*/false, opt.resamples};
}

PermutationResult pd_permutation_test(const std::vector<ProbMatrix>& group_a,
                                      const std::vector<ProbMatrix>& group_b, PdMeasure measure,
                                      const std::vector<std::int64_t>& labels,
                                      const PermutationOptions& opt) {
  std::vector<ProbMatrix> pooled = group_a;
  pooled.insert(pooled.end(), group_b.begin(), group_b.end());
  if (group_a.size() < 2 || group_b.size() < 2) {
    detail::fail("pd_permutation_test", "each group needs at least 2 models ('group_a' has " +
                                            std::to_string(group_a.size()) + ", 'group_b' " +
                                            std::to_string(group_b.size()) + ")");
  }
  return pd_permutation_test(pairwise_prediction_differences(pooled, measure, labels),
                             group_a.size(), opt);
}

}  // namespace claimcheck::stats
