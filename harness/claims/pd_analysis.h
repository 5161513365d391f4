// Deciding prediction-difference hypotheses (CLAIMS.md §4; STATISTICS.md "Prediction
// difference"): each arm's PD is the mean over all pairs of its seeds' predictions on the fixed
// evaluation set; arms are compared at the seed level, never treating the M(M−1)/2 pairs as
// independent.
//   pair     PD(A) − PD(B): the seeds are paired across arms (replicate i of both shares data
//            order and init), so the CI is the self-pair-free bootstrap over seeds of the
//            elementwise difference of the two PD matrices (BCa with the leave-one-seed-out
//            jackknife); p is a paired swap permutation test (seed i's two models swap arms).
//   extreme  A has the lowest (highest) PD of a set: the intersection of the pairwise tests
//            of A against each other arm (an intersection-union test: each at alpha, p = the
//            largest pairwise p). The estimate is the least favourable pairwise difference.
//   cv       the coefficient of variation (population sd / mean) of the arms' PDs is below a
//            bound: percentile CI from a joint, self-pair-free bootstrap over seeds.
// The statistics themselves live in harness/stats/pd_comparison.h (plain matrices in, tested
// there); this file loads the arms' PD matrices from runs, dispatches per form and fills
// HypothesisResult, verdicts included.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "harness/claims/analysis.h"
#include "harness/claims/artifacts.h"
#include "harness/claims/decision.h"

namespace claimcheck::claims {

/// Loads one run's predictions (from its artifact; tests load them from memory).
using PredictionLoader =
    std::function<LoadedPredictions(const RunSpec& run, const nlohmann::json& record)>;

/// The PD matrices of arms, computed once per (arm, measure) from their replicates' predictions.
class PdTables {
 public:
  /// `runs` and `records` as analyze() gets them; predictions are loaded on first use.
  PdTables(const std::vector<RunSpec>& runs, const std::map<std::string, nlohmann::json>& records,
           PredictionLoader loader);
  /// The M x M matrix of an arm's replicates (index order) under `measure`.
  const stats::PairwiseDifferences& matrix(const std::string& arm, stats::PdMeasure measure);
  /// Mean PD over the arm's seed pairs.
  double mean(const std::string& arm, stats::PdMeasure measure);
  /// The (2M x 2M) matrix of arm a's models followed by arm b's, cross pairs included.
  stats::PairwiseDifferences pooled(const std::string& a, const std::string& b,
                                    stats::PdMeasure measure);
  /// Replicates per arm (the same M for every arm a hypothesis compares).
  std::size_t seeds(const std::string& arm);

 private:
  const std::vector<stats::ProbMatrix>& models(const std::string& arm);

  std::map<std::string, std::vector<const RunSpec*>> replicates_;  // by arm, index order
  const std::map<std::string, nlohmann::json>& records_;
  PredictionLoader loader_;
  std::map<std::string, std::vector<stats::ProbMatrix>> models_;
  std::vector<std::int64_t> labels_;
  std::string eval_hash_;
  std::map<std::pair<std::string, stats::PdMeasure>, stats::PairwiseDifferences> matrices_;
};

/// Decides a prediction-difference hypothesis (all of HypothesisResult but holm_p and verdict).
HypothesisResult test_pd_hypothesis(const HypothesisSpec& spec, PdTables& tables,
                                    const TestSettings& settings);

}  // namespace claimcheck::claims
