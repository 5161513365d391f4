// Paired sign-flip permutation test of the mean difference (Fisher 1935; the 'samples'
// permutation type of scipy.stats.permutation_test): under H0 each difference a_i - b_i is
// symmetric about 0, so flipping its sign leaves the distribution unchanged.
//
// Degenerate input: empty or non-finite samples, mismatched lengths, resamples < 1, an empty
// `stat`, a statistic or sum that is NaN or overflows throw std::invalid_argument naming the
// function and argument. Zero spread is a result: if every arrangement gives the observed
// statistic (all differences 0, or a constant `stat`), every one is a tie and p = 1. n = 1 is
// exact over its 2 arrangements (smallest two-sided p = 1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "harness/stats/bootstrap.h"
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
/// sign vectors (bits of Rng::next_u64, lowest first, one word per 64 differences). All
/// differences 0: p = 1; NaN, overflow (sum |a - b| beyond double) or unequal lengths throw.
PermutationResult paired_permutation_test(const std::vector<double>& a,
                                          const std::vector<double>& b,
                                          const PermutationOptions& opt = {});

/// Paired swap test of any statistic stat(a, b): under H0 the two values of each pair are
/// exchangeable, so each pair is swapped or not. Exact over all 2^n swap patterns when
/// 2^n <= max(8192, resamples); else B random patterns (one Rng::uniform_int(2) per pair, in
/// order). For stat = mean(a) − mean(b) this is the sign-flip test above. A constant statistic
/// gives p = 1; a NaN or infinite statistic on any arrangement throws.
PermutationResult paired_swap_permutation_test(const std::vector<double>& a,
                                               const std::vector<double>& b,
                                               const PairedStatistic& stat,
                                               const PermutationOptions& opt = {});

/// Which pairs one arrangement of a paired swap test swaps: bit i of the words, lowest first.
class SwapPattern {
 public:
  /// The pattern of `pairs` pairs with none swapped.
  explicit SwapPattern(std::size_t pairs) : words_((pairs + 63) / 64, 0) {}
  /// Whether pair i is swapped.
  bool swapped(std::size_t i) const { return ((words_[i / 64] >> (i % 64)) & 1U) != 0; }
  /// The words themselves, to fill in place.
  std::vector<std::uint64_t>& words() { return words_; }

 private:
  std::vector<std::uint64_t> words_;
};

/// How random swap patterns are drawn when they are not all enumerated.
enum class SwapDraw {
  kWords,    ///< one Rng::next_u64 per 64 pairs, its bits lowest first (the sign-flip test)
  kPerPair,  ///< one Rng::uniform_int(2) per pair, in pair order (the swap tests)
};

/// A statistic of one swap pattern.
using SwapStatistic = std::function<double(const SwapPattern&)>;

/// The swap-pattern loop every paired swap / sign-flip test shares: tallies stat(pattern)
/// against `observed` over all 2^pairs patterns (mask 0, 1, ... in order) when
/// 2^pairs <= max(8192, resamples), else over B = resamples random patterns drawn with
/// Rng(opt.seed) as `draw` says. resamples < 1 or a non-finite statistic throws.
PermutationResult swap_pattern_test(std::size_t pairs, double observed, const SwapStatistic& stat,
                                    const PermutationOptions& opt, SwapDraw draw);

/// Counts arrangements whose statistic is <= / >= the observed one, within scipy's tie
/// tolerance, and turns the counts into a p-value: the one tally every permutation test uses.
class PermutationTally {
 public:
  /// Starts counting against `observed` (finite, else throws).
  explicit PermutationTally(double observed);
  /// Counts one arrangement's statistic (finite, else throws: a NaN would count nowhere).
  void add(double statistic);
  /// The p-value after `total` arrangements (exact: observed included; else Phipson & Smyth).
  double p(long long total, bool exact, Alternative alternative) const;

 private:
  double observed_;
  double tolerance_ = 0.0;
  long long less_ = 0;
  long long greater_ = 0;
};

/// Tail counts to p (shared with other permutation tests): counts of arrangements with a
/// statistic <= / >= the observed one (tolerance applied by the caller) out of `total` >= 1;
/// counts outside [0, total] throw.
double permutation_p(long long count_less, long long count_greater, long long total, bool exact,
                     Alternative alternative);

/// scipy 1.10 permutation_test's tie tolerance: max(1e-14, |1e-14 * observed|); finite observed.
double permutation_tolerance(double observed);

}  // namespace claimcheck::stats
