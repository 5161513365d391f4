// Analysis: runs in the store -> one result per hypothesis (estimate, CI, p, Holm, verdict),
// plus per-arm summaries and the source's own bootstrap-of-max, never decided. Never trains.
// A hypothesis is read as one generic list of per-unit values: each term of its contrast has one
// value per replicate (or trial), and the effect is Σ weight · statistic(term).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/claims/artifacts.h"
#include "harness/claims/planner.h"
#include "harness/claims/spec.h"
#include "harness/stats/bootstrap.h"
#include "harness/stats/verdict.h"

namespace claimcheck::claims {

/// One term of a hypothesis's contrast with its data.
struct TermUnits {
  std::string arm;
  double weight = 0.0;
  std::vector<double> values;  // per replicate (paired) or per trial (random search), by index
  double value = 0.0;          // mean (paired) or unbiased expected best of k (random search)
};

/// The decided result of one hypothesis.
struct HypothesisResult {
  HypothesisSpec spec;
  int n = 0;  // replicates (paired) or trials (random search)
  std::vector<TermUnits> terms;
  std::vector<double> units;  // paired: per-replicate contrast Σ w·x_i; empty for random search
  stats::BootstrapCi ci{};    // BCa CI of the effect
  double t_lo = 0.0, t_hi = 0.0;  // t interval of the mean contrast (paired; small-n check)
  double p_value = 1.0;           // two-sided, against the margin boundary (see .cpp)
  double holm_p = 1.0;            // Holm-adjusted across the claim's hypotheses
  double win_rate = 0.0;          // paired: P(contrast > 0) per unit, ties 1/2; search: per trial
  stats::Verdict ci_verdict = stats::Verdict::kInconclusive;  // from the CI alone
  stats::Verdict verdict = stats::Verdict::kInconclusive;     // after Holm
  // Paired, with a smallest effect of interest: the design's power to detect it (paired t
  // approximation with the observed sd of the contrast).
  std::optional<double> power;
  std::optional<int> seeds_needed;  // for 80% power at the effect of interest
  /// Sequential designs: the confidence sequence's method ("anytime-t", "empirical-bernstein"),
  /// the seeds the hypothesis stopped at (n), the budget, and the fixed design's seeds.
  struct Sequential {
    std::string method;
    int max_seeds = 0;
    int fixed_seeds = 0;
  };
  std::optional<Sequential> sequential;
  std::string note;         // why the verdict is what it is, when not obvious
  std::string report_only;  // the profile's reason not to gate it; empty: it gates
};

/// Per-arm summary of its paired replicates (and its search trials, where it has them).
struct ArmSummary {
  std::string name;
  std::string metric;
  int replicates = 0;
  double mean = 0.0;
  double sd = 0.0;
  int diverged = 0;
  std::optional<double> source_value;
  int trials = 0;
  double best_trial = 0.0;
  std::int64_t parameters = 0;                 // by formula (the spec's count)
  std::map<std::string, double> metric_means;  // every task metric, over the replicates
  std::map<std::string, double> pd;  // measure -> mean PD over seed pairs (PD claims only)
};

/// The source's own statistic: percentile bootstrap CI of max of a resample of k trial values.
struct SourceMaxResult {
  std::string arm;
  int k = 0;
  double observed_max = 0.0;
  stats::BootstrapCi ci{};
};

/// A tally over the hypotheses of this profile: how many came out supported / refuted /
/// inconclusive.
struct TallyResult {
  TallySpec spec;
  int supported = 0;
  int refuted = 0;
  int inconclusive = 0;
};

/// Everything decided about one claim under one profile.
struct ClaimAnalysis {
  std::string claim;
  std::string title;
  std::string profile;
  std::string spec_hash;
  nlohmann::json source;  // the spec's provenance (shown in reports; not part of the hash)
  double alpha = 0.05;
  int seed_offset = 0;     // the plan's (planner.h): 0 for the profile's own seeds
  int seeds_override = 0;  // the plan's (planner.h): 0 for the profile's own number of seeds
  int profile_seeds = 0;   // the profile's replicates (0 for a sequential profile)
  std::vector<HypothesisResult> hypotheses;
  std::vector<ArmSummary> arms;
  std::vector<SourceMaxResult> source_max;
  std::vector<CheckResult> checks;
  std::vector<TallyResult> tallies;
  std::map<std::string, nlohmann::json> runs;  // key -> {arm, role, index, config, metrics}
  double train_seconds = 0.0;  // sum of the runs' wall times (report only: not a result)
  nlohmann::json fingerprint;  // of the runs (the first run's)
  // The distinct environments of the runs (EnvironmentTally::to_json): more than one when shards
  // ran on different machines or devices, and the analysis is then not one environment's.
  nlohmann::json environments = nlohmann::json::array();
};

/// Runs an analysis needs that the store lacks. Judging commands exit 1 naming them and the
/// command that trains them.
class MissingRuns : public std::runtime_error {
 public:
  MissingRuns(std::string claim, std::string profile, std::vector<std::string> missing,
              std::size_t planned);
  std::string claim;
  std::string profile;
  std::vector<std::string> missing;  // "arm role index", in plan order
  std::size_t planned = 0;
};

/// A stored run's record cannot serve the analysis. `key` identifies the run so the caller can
/// name its store file and line.
class BadRecord : public std::runtime_error {
 public:
  BadRecord(const std::string& message, std::string run_key)
      : std::runtime_error(message), key(std::move(run_key)) {}
  std::string key;
};

/// A decided hypothesis's metric is not finite in a stored run (it diverged): the hypothesis
/// cannot be decided on that metric.
class NonFiniteMetric : public BadRecord {
 public:
  using BadRecord::BadRecord;
};

/// A stored run's record lacks a metric the analysis needs (a record written by another version
/// of claimcheck): `run` trains such records again (train::missing_task_metric).
class MissingMetric : public BadRecord {
 public:
  using BadRecord::BadRecord;
};

/// Analyzes the runs `plan`'s design needs (all of its runs; for a sequential profile those its
/// stopping rule needed given the store) using their records in `records_by_key`. Throws
/// MissingRuns when the store lacks any, NonFiniteMetric when a decided metric is null
/// (diverged), MissingMetric when a record lacks the metric altogether.
/// `load_predictions` reads a run's predictions for prediction-difference hypotheses (the CLI
/// reads artifacts; tests pass them from memory); unused by claims without such hypotheses.
ClaimAnalysis analyze(const ProfilePlan& plan,
                      const std::map<std::string, nlohmann::json>& records_by_key,
                      const std::function<LoadedPredictions(const RunSpec&, const nlohmann::json&)>&
                          load_predictions = {});

/// The analysis JSON format written by this version.
inline constexpr int kAnalysisFormat = 2;

/// As JSON (the report's and the baseline's body): a function of the runs' results alone, so
/// a resumed or re-analyzed claim gives byte-identical JSON (wall time is not in it).
nlohmann::json to_json(const ClaimAnalysis& analysis);

}  // namespace claimcheck::claims
