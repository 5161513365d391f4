// Expected best score of k random-search trials, from N trials already run (STATISTICS.md):
// Dodge et al. 2019 ("Show your work", EMNLP; ECDF, with replacement, biased) and Tang et al.
// 2020 ("Showing your work doesn't always work", ACL; unbiased, without replacement), with
// bootstrap CIs over trials and the paired difference of two arms that share hyperparameter draws.
//
// Degenerate input: empty or non-finite values, k outside [1, N] or mismatched arm lengths throw
// std::invalid_argument naming the function and argument. Constant trials give that value
// (CIs: the degenerate point interval, bootstrap.h); N = 1 with k = 1 gives the one value; BCa at
// k = N falls back to percentile with a note.
#pragma once

#include <vector>

#include "harness/stats/bootstrap.h"

namespace claimcheck::stats {

/// Which estimator of E[max of k trials].
enum class ExpectedMaxEstimator { kDodge, kTang };

/// Dodge et al. (2019): sum_i v_(i) [(i/N)^k - ((i-1)/N)^k] over sorted values; 1 <= k <= N
/// (else throws); constant values give that value.
double expected_max_dodge(const std::vector<double>& values, int k);

/// Tang et al. (2020), unbiased: sum_{j=k..N} v_(j) C(j-1, k-1) / C(N, k); 1 <= k <= N (else
/// throws); constant values give that value.
double expected_max_tang(const std::vector<double>& values, int k);

/// Bootstrap CI (over trials) of the chosen estimator. BCa's jackknife needs k < N; at k == N
/// the percentile interval is used and said so in the note.
BootstrapCi expected_max_ci(const std::vector<double>& values, int k,
                            ExpectedMaxEstimator estimator = ExpectedMaxEstimator::kTang,
                            const BootstrapOptions& opt = {});

/// tang(a, k) - tang(b, k) with a paired bootstrap CI: trial i of both arms used the same
/// hyperparameter draw, so trial indices are resampled jointly. k == N falls back as above.
BootstrapCi paired_expected_max_difference(const std::vector<double>& a,
                                           const std::vector<double>& b, int k,
                                           const BootstrapOptions& opt = {});

}  // namespace claimcheck::stats
