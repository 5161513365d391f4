// Paired sign-flip permutation test of the mean difference (Fisher 1935; the 'samples'
// permutation type of scipy.stats.permutation_test): under H0 each difference a_i - b_i is
// symmetric about 0, so flipping its sign leaves the distribution unchanged.
#pragma once

#include <cstdint>
#include <vector>

#include "harness/stats/ttest.h"

namespace claimcheck::stats {

/// Sign-flip settings; exact enumeration when 2^n <= max(8192, resamples).
struct PermutationOptions {
  Alternative alternative = Alternative::kTwoSided;  ///< H1 for mean(a - b)
  int resamples = 9999;                              ///< random arrangements B when not exact
  std::uint64_t seed = 0;                            ///< Rng seed for the random arrangements
};

/// Result of a permutation test.
struct PermutationResult {
  double statistic;  ///< observed statistic (here mean(a - b))
  double p;          ///< exact: share of arrangements at least as extreme (observed included);
                     ///< sampled: (b + 1)/(B + 1) (Phipson & Smyth 2010); two-sided:
                     ///< min(1, 2 min(p_less, p_greater))
  bool exact;        ///< true when every arrangement was enumerated
  long long arrangements;  ///< 2^n when exact, else B
};

/// Largest number of arrangements always enumerated exactly (2^13).
inline constexpr long long kExactArrangements = 8192;

/// Paired sign-flip test of mean(a - b): exact when 2^n <= max(8192, resamples), else B random
/// sign vectors (bits of Rng::next_u64, lowest first, one word per 64 differences).
PermutationResult paired_permutation_test(const std::vector<double>& a,
                                          const std::vector<double>& b,
                                          const PermutationOptions& opt = {});

/// Tail counts to p (shared with other permutation tests): counts of arrangements with a
/// statistic <= / >= the observed one (tolerance applied by the caller) out of `total`.
double permutation_p(long long count_less, long long count_greater, long long total, bool exact,
                     Alternative alternative);

/// scipy 1.10 permutation_test's tie tolerance: max(1e-14, |1e-14 * observed|).
double permutation_tolerance(double observed);

}  // namespace claimcheck::stats
