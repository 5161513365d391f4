// Inference for the mean prediction difference over model pairs (STATISTICS.md "Prediction
// difference"). The M(M-1)/2 pairs share models and are not independent, so every method here
// resamples or leaves out whole models: a leave-one-model-out jackknife CI, a bootstrap over
// models that never pairs a model with itself, and a seed-level permutation test between the PDs
// of two groups of models.
//
// Degenerate input throws std::invalid_argument naming the function and argument: a matrix that
// mean_over_pairs() rejects, too few models (M >= 3 for the jackknife and bootstrap, >= 2 per
// group for the permutation test), confidence outside (0, 1), resamples < 1. Identical models
// (every PD 0) are a result: the jackknife interval is the point 0 with standard error 0, the
// bootstrap interval is degenerate (bootstrap.h), the permutation p is 1 (all splits tie).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "harness/stats/bootstrap.h"
#include "harness/stats/permutation.h"
#include "harness/stats/prediction_difference.h"

namespace claimcheck::stats {

/// Leave-one-model-out jackknife interval for the mean PD.
struct PdJackknifeCi {
  double estimate;        ///< mean PD over all pairs
  double lo;              ///< estimate - t_{M-1, 1-alpha/2} * standard_error
  double hi;              ///< estimate + t_{M-1, 1-alpha/2} * standard_error
  double standard_error;  ///< jackknife SE, sqrt((M-1)/M sum_i (theta_(-i) - theta_bar)^2)
  double confidence;      ///< two-sided level
  std::size_t models;     ///< M
};

/// Jackknife CI (Efron & Tibshirani 1993, eq. 11.5) leaving out one model, and with it its
/// M - 1 pairs, at a time; needs M >= 3; identical models give the point 0 with SE 0.
PdJackknifeCi pd_jackknife_ci(const PairwiseDifferences& pd, double confidence = 0.95);

/// Bootstrap CI of the mean PD: resample M models with replacement and average the pairs of
/// resampled positions that hold distinct models (a model is never paired with itself; a
/// resample of one model only is redrawn). BCa uses the leave-one-model-out jackknife; M >= 3;
/// identical models give a degenerate point interval.
BootstrapCi pd_bootstrap_ci(const PairwiseDifferences& pd, const BootstrapOptions& opt = {});

/// Seed-level permutation test of mean PD(group A) - mean PD(group B) on the pooled matrix whose
/// first `models_a` models form group A (each group >= 2 models): model labels are permuted
/// between groups; exact over all C(M, models_a) splits when that is <= max(8192, resamples).
/// Identical models: every split ties, p = 1.
PermutationResult pd_permutation_test(const PairwiseDifferences& pooled, std::size_t models_a,
                                      const PermutationOptions& opt = {});

/// pd_permutation_test() on two groups of models' predictions, pooled as A then B.
PermutationResult pd_permutation_test(const std::vector<ProbMatrix>& group_a,
                                      const std::vector<ProbMatrix>& group_b, PdMeasure measure,
                                      const std::vector<std::int64_t>& labels = {},
                                      const PermutationOptions& opt = {});

}  // namespace claimcheck::stats
