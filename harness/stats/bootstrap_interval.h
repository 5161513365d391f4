// Bootstrap confidence intervals from a bootstrap distribution: percentile, basic and BCa
// (Efron 1987; Efron & Tibshirani 1993, ch. 13-14), computed as scipy.stats.bootstrap 1.10 does
// (scipy/stats/_resampling.py: _bca_interval, _percentile_of_score, np.percentile 'linear').
// Resampling itself lives in bootstrap.h; this file only turns replicates into an interval.
#pragma once

#include <string>
#include <vector>

namespace claimcheck::stats {

/// How the interval is read off the bootstrap distribution.
enum class CiMethod { kPercentile, kBasic, kBca };

/// "percentile", "basic" or "bca".
std::string to_string(CiMethod method);
/// Inverse of to_string(CiMethod); throws std::invalid_argument listing the valid names.
CiMethod ci_method_from_string(const std::string& name);

/// A bootstrap confidence interval and how it was obtained.
struct BootstrapCi {
  double estimate;    ///< the statistic on the original data
  double lo;          ///< lower end
  double hi;          ///< upper end
  CiMethod method;    ///< the method actually used (BCa falls back to percentile, see note)
  int resamples;      ///< number of bootstrap replicates B
  double confidence;  ///< two-sided confidence level, e.g. 0.95
  bool degenerate;    ///< the replicates could not support the requested interval (see note)
  std::string note;   ///< why the interval is degenerate or was changed; empty when all is well
};

/// The ingredients of an interval: estimate, replicates and (BCa only) jackknife values.
struct BootstrapDistribution {
  double estimate = 0.0;           ///< theta-hat, the statistic on the original data
  std::vector<double> replicates;  ///< theta*_b, b = 1..B
  /// Leave-one-out values, one vector per independently resampled sample (one for one-sample
  /// and paired designs, one per arm for two independent arms); needed for BCa only.
  std::vector<std::vector<double>> jackknife;
};

/// Reads a `confidence` two-sided interval off `dist` with `method`. Degenerate cases are
/// reported (degenerate = true, note), not thrown: all replicates equal, n = 1 included (point
/// interval at that value), BCa's z0, acceleration or adjusted levels undefined (falls back to
/// percentile); a constant jackknife sets a = 0. Values within 1e-12 (relative) count as equal,
/// so rounding cannot flip z0's tie counts or make a constant jackknife's a arbitrary. Throws
/// std::invalid_argument: no or non-finite replicates, non-finite estimate, confidence outside
/// (0, 1), BCa without a jackknife group of >= 2 finite values, or an end overflowing double.
BootstrapCi interval_from_distribution(const BootstrapDistribution& dist, CiMethod method,
                                       double confidence);

}  // namespace claimcheck::stats
