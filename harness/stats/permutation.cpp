#include "harness/stats/permutation.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "harness/stats/check.h"
#include "harness/stats/rng.h"

namespace claimcheck::stats {

double permutation_tolerance(double observed) {
  detail::require_finite(observed, "permutation_tolerance", "observed");
  // scipy/stats/_resampling.py (1.10) permutation_test: statistics within gamma of the observed
  // one count as ties, so rounding in a relabelled sum cannot flip a comparison.
  return std::max(1e-14, std::abs(1e-14 * observed));
}

double permutation_p(long long count_less, long long count_greater, long long total, bool exact,
                     Alternative alternative) {
  // Exact: the observed arrangement is one of the enumerated ones, p = count / total. Sampled:
  // Phipson & Smyth (2010) p = (b + 1) / (B + 1), never 0.
  constexpr const char* kFn = "permutation_p";
  if (total < 1) detail::fail(kFn, "argument 'total' must be >= 1, got " + std::to_string(total));
  if (count_less < 0 || count_less > total || count_greater < 0 || count_greater > total) {
    detail::fail(kFn, "counts must lie in [0, total]; got " + std::to_string(count_less) + " and " +
                          std::to_string(count_greater) + " of " + std::to_string(total));
  }
  const long long add = exact ? 0 : 1;
  const double denom = static_cast<double>(total + add);
  const double p_less = static_cast<double>(count_less + add) / denom;
  const double p_greater = static_cast<double>(count_greater + add) / denom;
  switch (alternative) {
    case Alternative::kLess:
      return p_less;
    case Alternative::kGreater:
      return p_greater;
    case Alternative::kTwoSided:
      return std::min(1.0, 2.0 * std::min(p_less, p_greater));
  }
  detail::fail("permutation_p", "argument 'alternative' is not an Alternative");
}

namespace {

// The input contract of both paired tests: two equal-length finite samples, resamples >= 1.
void check_paired(const std::vector<double>& a, const std::vector<double>& b,
                  const PermutationOptions& opt, const char* fn) {
  detail::require_sample(a, fn, "a");
  detail::require_sample(b, fn, "b");
  detail::require_same_length(a, b, fn);
  detail::require_resamples(opt.resamples, fn);
}

}  // namespace

PermutationTally::PermutationTally(double observed) : observed_(observed) {
  // A NaN would compare false with everything: no arrangement counted, p = 0, silently.
  detail::require_finite_result(observed, "PermutationTally", "the observed statistic");
  tolerance_ = permutation_tolerance(observed);
}

void PermutationTally::add(double statistic) {
  detail::require_finite_result(statistic, "PermutationTally::add", "an arrangement's statistic");
  if (statistic <= observed_ + tolerance_) ++less_;
  if (statistic >= observed_ - tolerance_) ++greater_;
}

double PermutationTally::p(long long total, bool exact, Alternative alternative) const {
  return permutation_p(less_, greater_, total, exact, alternative);
}

PermutationResult swap_pattern_test(std::size_t pairs, double observed, const SwapStatistic& stat,
                                    const PermutationOptions& opt, SwapDraw draw) {
  constexpr const char* kFn = "swap_pattern_test";
  detail::require_resamples(opt.resamples, kFn);
  if (!stat) detail::fail(kFn, "argument 'stat' is empty");
  PermutationTally tally(observed);
  SwapPattern pattern(pairs);
  const long long limit = std::max<long long>(kExactArrangements, opt.resamples);
  if (pairs < 62 && (1LL << pairs) <= limit) {
    const long long total = 1LL << pairs;
    for (long long mask = 0; mask < total; ++mask) {
      pattern.words()[0] = static_cast<std::uint64_t>(mask);  // pairs < 62: one word
      tally.add(stat(pattern));
    }
    return {observed, tally.p(total, /*exact=*/true, opt.alternative), /*exact=*/true, total};
  }
  Rng rng(opt.seed);
  for (int r = 0; r < opt.resamples; ++r) {
    if (draw == SwapDraw::kWords) {
      for (auto& w : pattern.words())
        w = rng.next_u64();
    } else {
      std::fill(pattern.words().begin(), pattern.words().end(), 0);
      for (std::size_t i = 0; i < pairs; ++i)
        pattern.words()[i / 64] |= rng.uniform_int(2) << (i % 64);
    }
    tally.add(stat(pattern));
  }
  return {observed, tally.p(opt.resamples, /*exact=*/false, opt.alternative), /*exact=*/false,
          opt.resamples};
}

PermutationResult paired_permutation_test(const std::vector<double>& a,
                                          const std::vector<double>& b,
                                          const PermutationOptions& opt) {
  constexpr const char* kFn = "paired_permutation_test";
  check_paired(a, b, opt, kFn);
  const std::size_t n = a.size();
  const std::vector<double> d = paired_differences(a, b, kFn);
  const double inv_n = 1.0 / static_cast<double>(n);
  const auto statistic = [&](const SwapPattern& flip) {  // mean of the signed differences
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i)
      s += flip.swapped(i) ? -d[i] : d[i];
    return s * inv_n;
  };
  // Every arrangement's sum is bounded by sum |d_i|: if that is finite, none can overflow.
  double abs_sum = 0.0;
  for (const double v : d)
    abs_sum += std::abs(v);
  detail::require_finite_result(abs_sum, kFn, "the sum of |a - b|");
  const double observed = statistic(SwapPattern(n));
  return swap_pattern_test(n, observed, statistic, opt, SwapDraw::kWords);
}

PermutationResult paired_swap_permutation_test(const std::vector<double>& a,
                                               const std::vector<double>& b,
                                               const PairedStatistic& stat,
                                               const PermutationOptions& opt) {
  constexpr const char* kFn = "paired_swap_permutation_test";
  check_paired(a, b, opt, kFn);
  const std::size_t n = a.size();
  std::vector<double> x(n);
  std::vector<double> y(n);
  const auto statistic = [&](const SwapPattern& swap) {
    for (std::size_t i = 0; i < n; ++i) {
      x[i] = swap.swapped(i) ? b[i] : a[i];
      y[i] = swap.swapped(i) ? a[i] : b[i];
    }
    const double v = stat(x, y);
    detail::require_finite_result(v, kFn, "the statistic on a swapped arrangement");
    return v;
  };
  if (!stat) detail::fail(kFn, "argument 'stat' is empty");
  const double observed = stat(a, b);
  detail::require_finite_result(observed, kFn, "the statistic on the observed pairs");
  return swap_pattern_test(n, observed, statistic, opt, SwapDraw::kPerPair);
}

}  // namespace claimcheck::stats
