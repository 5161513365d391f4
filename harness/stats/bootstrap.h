// Bootstrap resampling for any statistic: one sample, paired arms (indices resampled jointly),
// and two independent arms. Intervals (percentile, basic, BCa) come from bootstrap_interval.h.
// Defaults follow scipy.stats.bootstrap (B = 9,999, 95%, BCa); see STATISTICS.md.
//
// Resample order (so results reproduce bit-for-bit from the seed): for b = 0..B-1, draw the n
// indices of resample b in order with Rng::uniform_int(n) (two arms: all of arm a's, then b's).
//
// Degenerate input, every function: an empty sample, a non-finite value, an empty `stat`, a
// statistic returning NaN or inf, resamples < 1 or confidence outside (0, 1) throw
// std::invalid_argument naming the function and argument. Zero spread is a result, not an
// error: constant data (or n = 1 with percentile/basic) gives the point interval with
// degenerate = true and a note; BCa's own degenerate cases are described at
// interval_from_distribution().
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "harness/stats/bootstrap_interval.h"

namespace claimcheck::stats {

/// Resampling settings; the defaults are the harness's (DESIGN.md "Statistics").
struct BootstrapOptions {
  int resamples = 9999;              ///< bootstrap replicates B, >= 1
  double confidence = 0.95;          ///< two-sided level in (0, 1)
  CiMethod method = CiMethod::kBca;  ///< interval method
  std::uint64_t seed = 0;            ///< Rng seed; the same seed reproduces the same interval
};

/// A statistic of one sample.
using Statistic = std::function<double(const std::vector<double>&)>;
/// A statistic of two samples (paired arms a, b, or two independent arms).
using PairedStatistic =
    std::function<double(const std::vector<double>&, const std::vector<double>&)>;
/// Explicit resample indices: row b holds the n indices of resample b.
using ResampleIndices = std::vector<std::vector<std::size_t>>;

/// One-sample bootstrap CI of stat(x); BCa needs >= 2 values (jackknife), else throws.
BootstrapCi bootstrap_ci(const std::vector<double>& x, const Statistic& stat,
                         const BootstrapOptions& opt = {});

/// Paired bootstrap CI of stat(a, b): replicate i of both arms is kept together (indices
/// resampled jointly), the jackknife leaves out one pair; lengths must match (else throws).
BootstrapCi paired_bootstrap_ci(const std::vector<double>& a, const std::vector<double>& b,
                                const PairedStatistic& stat, const BootstrapOptions& opt = {});

/// Two independent arms: a and b are resampled separately; the BCa jackknife leaves out one
/// value of each arm in turn (scipy's multi-sample BCa), so BCa needs >= 2 values per arm.
BootstrapCi two_sample_bootstrap_ci(const std::vector<double>& a, const std::vector<double>& b,
                                    const PairedStatistic& stat, const BootstrapOptions& opt = {});

/// bootstrap_ci() on caller-supplied resample indices (e.g. scipy's); an empty table, a row of
/// the wrong length or an index >= n throws.
BootstrapCi bootstrap_ci_from_indices(const std::vector<double>& x, const Statistic& stat,
                                      const ResampleIndices& indices, CiMethod method,
                                      double confidence);

/// paired_bootstrap_ci() on caller-supplied joint resample indices, for exact checks.
BootstrapCi paired_bootstrap_ci_from_indices(const std::vector<double>& a,
                                             const std::vector<double>& b,
                                             const PairedStatistic& stat,
                                             const ResampleIndices& indices, CiMethod method,
                                             double confidence);

/// two_sample_bootstrap_ci() on caller-supplied per-arm resample indices, for exact checks.
BootstrapCi two_sample_bootstrap_ci_from_indices(const std::vector<double>& a,
                                                 const std::vector<double>& b,
                                                 const PairedStatistic& stat,
                                                 const ResampleIndices& indices_a,
                                                 const ResampleIndices& indices_b, CiMethod method,
                                                 double confidence);

}  // namespace claimcheck::stats
