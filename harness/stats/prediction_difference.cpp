#include "harness/stats/prediction_difference.h"

#include <cmath>

#include "harness/stats/check.h"

namespace claimcheck::stats {
namespace {

void check_matrix(const ProbMatrix& m, const char* fn, const std::string& arg) {
  if (m.rows == 0 || m.cols == 0) detail::fail(fn, "argument '" + arg + "' is empty");
  if (m.rows > m.p.size() / m.cols) {  // rows * cols would overflow, or exceeds p.size()
    detail::fail(fn, "argument '" + arg + "' has " + std::to_string(m.rows) + " x " +
                         std::to_string(m.cols) + " entries but only " +
                         std::to_string(m.p.size()) + " probabilities");
  }
  if (m.p.size() != m.rows * m.cols) {
    detail::fail(fn,
                 "argument '" + arg + "' has " + std::to_string(m.p.size()) +
                     " probabilities, expected rows * cols = " + std::to_string(m.rows * m.cols));
  }
  for (std::size_t i = 0; i < m.p.size(); ++i) {
    if (!(m.p[i] >= 0.0 && m.p[i] <= 1.0)) {
      detail::fail(fn, "argument '" + arg + "' has a value outside [0, 1] or NaN (" +
                           std::to_string(m.p[i]) + ") at flat index " + std::to_string(i));
    }
  }
}

void check_pair(const ProbMatrix& p1, const ProbMatrix& p2, PdMeasure measure,
                const std::vector<std::int64_t>& labels, const char* fn) {
  check_matrix(p1, fn, "p1");
  check_matrix(p2, fn, "p2");
  if (p1.rows != p2.rows || p1.cols != p2.cols) {
    detail::fail(fn, "arguments 'p1' and 'p2' have mismatched shapes (" + std::to_string(p1.rows) +
                         "x" + std::to_string(p1.cols) + " vs " + std::to_string(p2.rows) + "x" +
                         std::to_string(p2.cols) + ")");
  }
  if (measure != PdMeasure::kTrueLabel) return;
  if (labels.size() != p1.rows) {
    detail::fail(fn, "argument 'labels' has " + std::to_string(labels.size()) +
                         " entries, expected one per row (" + std::to_string(p1.rows) + ")");
  }
  for (std::size_t k = 0; k < labels.size(); ++k) {
    if (labels[k] < 0 || static_cast<std::size_t>(labels[k]) >= p1.cols) {
      detail::fail(fn, "argument 'labels' has label " + std::to_string(labels[k]) +
                           " outside [0, cols) at index " + std::to_string(k));
    }
  }
}

std::size_t argmax_row(const ProbMatrix& m, std::size_t row) {
  std::size_t best = 0;  // first maximum, as numpy.argmax / torch.argmax
  for (std::size_t l = 1; l < m.cols; ++l) {
    if (m.at(row, l) > m.at(row, best)) best = l;
  }
  return best;
}

double pd_unchecked(const ProbMatrix& p1, const ProbMatrix& p2, PdMeasure measure,
                    const std::vector<std::int64_t>& labels) {
  double sum = 0.0;
  for (std::size_t k = 0; k < p1.rows; ++k) {
    switch (measure) {
      case PdMeasure::kTotalVariation: {
        double tv = 0.0;
        for (std::size_t l = 0; l < p1.cols; ++l)
          tv += std::abs(p1.at(k, l) - p2.at(k, l));
        sum += 0.5 * tv;
        break;
      }
      case PdMeasure::kTrueLabel: {
        const auto y = static_cast<std::size_t>(labels[k]);
        sum += std::abs(p1.at(k, y) - p2.at(k, y));
        break;
      }
      case PdMeasure::kTopOne:
        sum += argmax_row(p1, k) != argmax_row(p2, k) ? 1.0 : 0.0;
        break;
    }
  }
  return sum / static_cast<double>(p1.rows);
}

}  // namespace

std::string to_string(PdMeasure measure) {
  switch (measure) {
    case PdMeasure::kTotalVariation:
      return "total-variation";
    case PdMeasure::kTrueLabel:
      return "true-label";
    case PdMeasure::kTopOne:
      return "top-1";
  }
  detail::fail("to_string", "argument 'measure' is not a PdMeasure");
}

PdMeasure pd_measure_from_string(const std::string& name) {
  for (PdMeasure m : {PdMeasure::kTotalVariation, PdMeasure::kTrueLabel, PdMeasure::kTopOne}) {
    if (to_string(m) == name) return m;
  }
  detail::fail("pd_measure_from_string",
               "unknown PD measure '" + name + "' (valid: total-variation, true-label, top-1)");
}

double prediction_difference(const ProbMatrix& p1, const ProbMatrix& p2, PdMeasure measure,
                             const std::vector<std::int64_t>& labels) {
  check_pair(p1, p2, measure, labels, "prediction_difference");
  return pd_unchecked(p1, p2, measure, labels);
}

double relative_prediction_difference(const std::vector<double>& p1,
                                      const std::vector<double>& p2) {
  constexpr const char* kFn = "relative_prediction_difference";
  detail::require_sample(p1, kFn, "p1");
  detail::require_sample(p2, kFn, "p2");
  if (p1.size() != p2.size()) {
    detail::fail(kFn, "arguments 'p1' and 'p2' have mismatched lengths (" +
                          std::to_string(p1.size()) + " vs " + std::to_string(p2.size()) + ")");
  }
  double sum = 0.0;
  for (std::size_t k = 0; k < p1.size(); ++k) {
    if (p1[k] < 0.0 || p1[k] > 1.0 || p2[k] < 0.0 || p2[k] > 1.0) {
      detail::fail(kFn, "probabilities must lie in [0, 1]; index " + std::to_string(k) + " has " +
                            std::to_string(p1[k]) + ", " + std::to_string(p2[k]));
    }
    const double mid = (p1[k] + p2[k]) / 2.0;
    if (mid > 0.0) sum += std::abs(p1[k] - p2[k]) / mid;  // both 0: identical, contributes 0
  }
  return sum / static_cast<double>(p1.size());
}

PairwiseDifferences pairwise_prediction_differences(const std::vector<ProbMatrix>& models,
                                                    PdMeasure measure,
                                                    const std::vector<std::int64_t>& labels) {
  constexpr const char* kFn = "pairwise_prediction_differences";
  if (models.size() < 2) detail::fail(kFn, "argument 'models' needs at least 2 models");
  const std::size_t m = models.size();
  PairwiseDifferences out{m, std::vector<double>(m * m, 0.0)};
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = i + 1; j < m; ++j) {
      check_pair(models[i], models[j], measure, labels, kFn);
      out.d[i * m + j] = out.d[j * m + i] = pd_unchecked(models[i], models[j], measure, labels);
    }
  }
  return out;
}

PairwiseDifferences pairwise_relative_differences(const std::vector<std::vector<double>>& probs) {
  if (probs.size() < 2) {
    detail::fail("pairwise_relative_differences", "argument 'probs' needs at least 2 models");
  }
  const std::size_t m = probs.size();
  PairwiseDifferences out{m, std::vector<double>(m * m, 0.0)};
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = i + 1; j < m; ++j) {
      out.d[i * m + j] = out.d[j * m + i] = relative_prediction_difference(probs[i], probs[j]);
    }
  }
  return out;
}

double mean_over_pairs(const PairwiseDifferences& pd) {
  constexpr const char* kFn = "mean_over_pairs";
  const std::size_t m = pd.models;
  if (m < 2) detail::fail(kFn, "argument 'pd' needs at least 2 models");
  if (m > pd.d.size() / m || pd.d.size() != m * m) {  // the first test guards m * m overflow
    detail::fail(kFn, "argument 'pd' is not an M x M matrix");
  }
  double sum = 0.0;
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = i + 1; j < m; ++j) {
      if (!std::isfinite(pd.at(i, j)) || pd.at(i, j) != pd.at(j, i)) {
        detail::fail(kFn, "argument 'pd' is not finite and symmetric at (" + std::to_string(i) +
                              ", " + std::to_string(j) + ")");
      }
      sum += pd.at(i, j);
    }
  }
  detail::require_finite_result(sum, kFn, "the sum over pairs of argument 'pd'");
  return sum / (static_cast<double>(m) * static_cast<double>(m - 1) / 2.0);
}

}  // namespace claimcheck::stats
