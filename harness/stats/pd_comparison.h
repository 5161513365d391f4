// Comparing the prediction differences (PD) of arms whose replicates share seeds (STATISTICS.md
// "Prediction difference"; CLAIMS.md §4): replicate i of every arm has the same data order and
// init, so arms are compared at the seed level, on plain PD matrices, never treating the
// M(M−1)/2 pairs as independent. What the hypotheses of claims/pd_analysis decide with:
//   pair  PD(A) − PD(B): BCa CI of the elementwise difference of the two M x M matrices
//         (pd_bootstrap_ci) and a paired swap permutation test on the pooled 2M x 2M matrix.
//   cv    the coefficient of variation of several arms' PDs: percentile CI from a joint,
//         self-pair-free bootstrap over seeds, and a two-sided bootstrap p against a bound.
// Not here: loading predictions, the verdicts, the per-design dispatch (claims/pd_analysis).
//
// Degenerate input throws std::invalid_argument naming the function and argument: matrices
// that mean_over_pairs() rejects, arms with different seed counts, fewer than 2 seeds
// (3 for the BCa interval), resamples < 1, alpha outside (0, 1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "harness/stats/bootstrap.h"
#include "harness/stats/permutation.h"
#include "harness/stats/prediction_difference.h"

namespace claimcheck::stats {

/// The upper triangle (i < j) of a PD matrix, row-major: the per-pair values.
std::vector<double> pd_upper_triangle(const PairwiseDifferences& pd);

/// The elementwise difference a − b of two arms' PD matrices (same seed count, else throws).
PairwiseDifferences pd_matrix_difference(const PairwiseDifferences& a,
                                         const PairwiseDifferences& b);

/// Paired swap permutation test of PD(A) − PD(B) on the pooled (2M x 2M) matrix of A's M models
/// then B's: under H0 A_i and B_i (they share seed i) are exchangeable, so each seed's pair is
/// swapped or not (permuting across seeds would pair models that share a seed with ones that do
/// not, and break the null). Statistic: mean over seed pairs i < j of A's PD minus B's. Exact
/// over all 2^M patterns when 2^M <= max(8192, resamples), else random (SwapDraw::kPerPair).
PermutationResult pd_paired_swap_test(const PairwiseDifferences& pooled, std::size_t seeds,
                                      const PermutationOptions& opt = {});

/// Settings of compare_pd_pair().
struct PdPairOptions {
  int resamples = 9999;                ///< bootstrap replicates and random swap patterns
  double confidence = 0.95;            ///< two-sided level of the BCa interval
  std::uint64_t bootstrap_seed = 0;    ///< Rng seed of the bootstrap over seeds
  std::uint64_t permutation_seed = 0;  ///< Rng seed of the random swap patterns
};

/// One comparison PD(A) − PD(B) of arms with paired seeds.
struct PdPairComparison {
  BootstrapCi ci;          ///< BCa over seeds of the difference matrix (pd_bootstrap_ci)
  PermutationResult test;  ///< two-sided paired swap test (pd_paired_swap_test)
};

/// CI and p of PD(A) − PD(B) from A's and B's M x M matrices and their pooled 2M x 2M one.
PdPairComparison compare_pd_pair(const PairwiseDifferences& a, const PairwiseDifferences& b,
                                 const PairwiseDifferences& pooled, const PdPairOptions& opt = {});

/// Coefficient of variation (population sd / mean) of `values` (non-empty).
double coefficient_of_variation(const std::vector<double>& values);

/// Settings of pd_cv_bootstrap().
struct PdCvOptions {
  int resamples = 9999;    ///< bootstrap replicates B
  double alpha = 0.05;     ///< the interval is the (alpha/2, 1 − alpha/2) percentile one
  std::uint64_t seed = 0;  ///< Rng seed
};

/// The CV of arms' PDs and its bootstrap.
struct PdCvResult {
  BootstrapCi ci;  ///< estimate: CV of the arms' mean PDs; percentile interval
  double p;        ///< two-sided: min(1, 2 (min(#{cv* >= bound}, #{cv* < bound}) + 1) / (B + 1))
};

/// Joint self-pair-free bootstrap over seeds of the CV of the arms' mean PDs (arms share seeds,
/// so one index draw serves all arms): M seeds drawn with replacement (Rng::uniform_int), a draw
/// of one seed only redrawn; each arm's replicate is the mean over pairs of distinct seeds.
PdCvResult pd_cv_bootstrap(const std::vector<PairwiseDifferences>& arms, double bound,
                           const PdCvOptions& opt = {});

}  // namespace claimcheck::stats
