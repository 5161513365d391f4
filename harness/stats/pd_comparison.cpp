#include "harness/stats/pd_comparison.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/stats/check.h"
#include "harness/stats/descriptives.h"
#include "harness/stats/pd_inference.h"
#include "harness/stats/rng.h"

namespace claimcheck::stats {
namespace {

// Mean over the pairs (k < l) of resampled seeds that hold distinct seeds.
double resampled_mean(const PairwiseDifferences& m, const std::vector<std::size_t>& s) {
  double sum = 0.0;
  std::size_t pairs = 0;
  for (std::size_t k = 0; k < s.size(); ++k)
    for (std::size_t l = k + 1; l < s.size(); ++l) {
      if (s[k] == s[l]) continue;
      sum += m.at(s[k], s[l]);
      ++pairs;
    }
  return sum / static_cast<double>(pairs);
}

// The arms of pd_cv_bootstrap(): at least one, valid matrices, the same M >= 2 seeds each.
void check_cv_arms(const std::vector<PairwiseDifferences>& arms, const char* fn) {
  if (arms.empty()) detail::fail(fn, "argument 'arms' is empty");
  for (const auto& arm : arms) {
    mean_over_pairs(arm);  // validates the matrix (M >= 2, symmetric, finite)
    if (arm.models != arms.front().models) {
      detail::fail(fn, "the arms have different seed counts (" + std::to_string(arm.models) + ", " +
                           std::to_string(arms.front().models) + ")");
    }
  }
}

}  // namespace

std::vector<double> pd_upper_triangle(const PairwiseDifferences& pd) {
  std::vector<double> out;
  for (std::size_t i = 0; i < pd.models; ++i)
    for (std::size_t j = i + 1; j < pd.models; ++j)
      out.push_back(pd.at(i, j));
  return out;
}

PairwiseDifferences pd_matrix_difference(const PairwiseDifferences& a,
                                         const PairwiseDifferences& b) {
  if (a.models != b.models || a.d.size() != b.d.size()) {
    detail::fail("pd_matrix_difference", "the two arms have different seed counts (" +
                                             std::to_string(a.models) + ", " +
                                             std::to_string(b.models) + ")");
  }
  PairwiseDifferences d{a.models, std::vector<double>(a.d.size())};
  for (std::size_t i = 0; i < a.d.size(); ++i)
    d.d[i] = a.d[i] - b.d[i];
  return d;
}

PermutationResult pd_paired_swap_test(const PairwiseDifferences& pooled, std::size_t seeds,
                                      const PermutationOptions& opt) {
  constexpr const char* kFn = "pd_paired_swap_test";
  mean_over_pairs(pooled);  // validates the matrix
  const std::size_t m = seeds;
  if (m < 2 || pooled.models != 2 * m) {
    detail::fail(kFn, "the pooled matrix must hold 2 x 'seeds' >= 4 models; got " +
                          std::to_string(pooled.models) + " for seeds = " + std::to_string(m));
  }
  const double pairs = static_cast<double>(m * (m - 1) / 2);
  // Seed i's models sit at i (A) and m + i (B); a swapped seed trades them.
  const auto statistic = [&](const SwapPattern& swap) {
    double a = 0.0;
    double b = 0.0;
    for (std::size_t i = 0; i < m; ++i) {
      const bool si = swap.swapped(i);
      for (std::size_t j = i + 1; j < m; ++j) {
        const bool sj = swap.swapped(j);
        a += pooled.at(si ? m + i : i, sj ? m + j : j);
        b += pooled.at(si ? i : m + i, sj ? j : m + j);
      }
    }
    return (a - b) / pairs;
  };
  const double observed = statistic(SwapPattern(m));
  return swap_pattern_test(m, observed, statistic, opt, SwapDraw::kPerPair);
}

PdPairComparison compare_pd_pair(const PairwiseDifferences& a, const PairwiseDifferences& b,
                                 const PairwiseDifferences& pooled, const PdPairOptions& opt) {
  const PairwiseDifferences d = pd_matrix_difference(a, b);
  BootstrapOptions boot;
  boot.resamples = opt.resamples;
  boot.confidence = opt.confidence;
  boot.seed = opt.bootstrap_seed;
  PermutationOptions perm;
  perm.alternative = Alternative::kTwoSided;
  perm.resamples = opt.resamples;
  perm.seed = opt.permutation_seed;
  PdPairComparison out{pd_bootstrap_ci(d, boot), {}};
  out.test = pd_paired_swap_test(pooled, a.models, perm);
  return out;
}

double coefficient_of_variation(const std::vector<double>& values) {
  const double m = mean(values);  // throws when empty
  double ss = 0.0;
  for (double x : values)
    ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(values.size())) / m;
}

PdCvResult pd_cv_bootstrap(const std::vector<PairwiseDifferences>& arms, double bound,
                           const PdCvOptions& opt) {
  constexpr const char* kFn = "pd_cv_bootstrap";
  detail::require_resamples(opt.resamples, kFn);
  detail::require_finite(bound, kFn, "bound");
  if (!(opt.alpha > 0.0 && opt.alpha < 1.0)) {
    detail::fail(kFn, "argument 'alpha' must lie in (0, 1), got " + std::to_string(opt.alpha));
  }
  check_cv_arms(arms, kFn);
  std::vector<double> means;
  for (const auto& arm : arms)
    means.push_back(mean_over_pairs(arm));
  const double observed = coefficient_of_variation(means);
  const std::size_t m = arms.front().models;
  Rng rng(opt.seed);
  std::vector<double> replicates;
  std::vector<std::size_t> seeds(m);
  for (int b = 0; b < opt.resamples; ++b) {
    // Joint resample of seed indices (the arms share seeds); a draw of one seed only has no
    // pair and is redrawn, as pd_bootstrap_ci's self-pair-free bootstrap does.
    do {
      for (auto& x : seeds)
        x = static_cast<std::size_t>(rng.uniform_int(m));
    } while (std::all_of(seeds.begin(), seeds.end(), [&](std::size_t x) { return x == seeds[0]; }));
    std::vector<double> boot;
    for (const auto& arm : arms)
      boot.push_back(resampled_mean(arm, seeds));
    replicates.push_back(coefficient_of_variation(boot));
  }
  std::sort(replicates.begin(), replicates.end());
  const double lo = quantile_sorted(replicates, opt.alpha / 2.0);
  const double hi = quantile_sorted(replicates, 1.0 - opt.alpha / 2.0);
  PdCvResult out{{observed, lo, hi, CiMethod::kPercentile, opt.resamples, 1.0 - opt.alpha,
                  /*degenerate=*/false, ""},
                 1.0};
  // Two-sided bootstrap p of CV = bound, counted like a permutation p ((b + 1) / (B + 1)).
  const double at_or_above = static_cast<double>(
      std::count_if(replicates.begin(), replicates.end(), [&](double x) { return x >= bound; }));
  const double below = static_cast<double>(replicates.size()) - at_or_above;
  out.p = std::min(1.0, 2.0 * (std::min(at_or_above, below) + 1.0) /
                            (static_cast<double>(replicates.size()) + 1.0));
  return out;
}

}  // namespace claimcheck::stats
