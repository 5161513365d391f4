// Prediction difference between models trained with different seeds on the same fixed
// evaluation inputs (Shamir, Lin & Coviello 2020, "Anti-distillation: improving reproducibility
// of deep networks", arXiv 2010.09931): per model pair, and averaged over all M(M-1)/2 pairs.
// Torch-free: predictions are row-major probability matrices. Inference over models
// (jackknife, bootstrap, permutation) lives in pd_inference.h.
//
// Degenerate input throws std::invalid_argument naming the function and argument: an empty
// matrix, rows * cols overflowing or not matching p.size(), a probability outside [0, 1] or NaN,
// mismatched shapes, labels missing or out of range (true-label only), fewer than 2 models, a
// pairwise matrix that is not M x M, finite and symmetric. Identical models are a result: PD 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace claimcheck::stats {

/// Class probabilities of one model: one row per evaluation input, one column per class.
struct ProbMatrix {
  std::size_t rows = 0;   ///< evaluation inputs N
  std::size_t cols = 0;   ///< classes L
  std::vector<double> p;  ///< row-major, p[k * cols + l] = P(l | x_k), each in [0, 1]
  /// P(col | x_row).
  double at(std::size_t row, std::size_t col) const { return p[row * cols + col]; }
};

/// Which prediction difference.
enum class PdMeasure {
  kTotalVariation,  ///< Delta_1 = (1/N) sum_k 1/2 sum_l |P1(l|x_k) - P2(l|x_k)|, in [0, 1]
  kTrueLabel,       ///< Delta_1^L = (1/N) sum_k |P1(y_k|x_k) - P2(y_k|x_k)|
  kTopOne,          ///< Delta_H = fraction of inputs whose top-1 classes differ (first max wins)
};

/// "total-variation", "true-label" or "top-1".
std::string to_string(PdMeasure measure);
/// Inverse of to_string(PdMeasure); throws std::invalid_argument listing the valid names.
PdMeasure pd_measure_from_string(const std::string& name);

/// PD of one model pair; `labels` (one per row, in [0, cols)) is needed for kTrueLabel only;
/// identical models give 0; bad shapes, NaN or out-of-range probabilities throw.
double prediction_difference(const ProbMatrix& p1, const ProbMatrix& p2, PdMeasure measure,
                             const std::vector<std::int64_t>& labels = {});

/// Relative PD of scalar probabilities: (1/N) sum_k |p1 - p2| / ((p1 + p2) / 2), a term with
/// p1 = p2 = 0 counting 0 (so identical inputs give 0); NaN or values outside [0, 1] throw.
double relative_prediction_difference(const std::vector<double>& p1, const std::vector<double>& p2);

/// Symmetric M x M matrix of a PD between every pair of models (zero diagonal).
struct PairwiseDifferences {
  std::size_t models = 0;  ///< M
  std::vector<double> d;   ///< row-major M x M
  /// PD between models i and j.
  double at(std::size_t i, std::size_t j) const { return d[i * models + j]; }
};

/// All pairwise PDs between `models` (>= 2, same shape); `labels` for kTrueLabel.
PairwiseDifferences pairwise_prediction_differences(const std::vector<ProbMatrix>& models,
                                                    PdMeasure measure,
                                                    const std::vector<std::int64_t>& labels = {});

/// All pairwise relative PDs between models' scalar probabilities (>= 2 models, same length).
PairwiseDifferences pairwise_relative_differences(const std::vector<std::vector<double>>& probs);

/// Mean PD over all M(M-1)/2 model pairs (checks the matrix: M >= 2, M x M without size_t
/// overflow, symmetric, finite, a finite sum; else throws).
double mean_over_pairs(const PairwiseDifferences& pd);

}  // namespace claimcheck::stats
