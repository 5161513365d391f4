// Training one ProfilePlan into its store: what `run` does between planning and judging. A
// fixed design (or one shard of any design) trains every run of the plan that is not stored; a
// sequential design trains in rounds until its stopping rule is done. Stored runs that cannot
// serve the analysis (a metric missing, an artifact missing or damaged) are trained again, and so
// are the runs another build of claimcheck trained (their fingerprint's build_id, env::build_id):
// a code change can change a run's numbers, and a test that passed on runs of the code before
// it would prove nothing. ExecuteOptions::any_build keeps them (`run --any-build`).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "harness/claims/artifacts.h"
#include "harness/claims/planner.h"
#include "harness/claims/run_store.h"
#include "harness/pipeline/executor.h"

namespace claimcheck::pipeline {

/// Reads a stored run's predictions (throws claims::ArtifactError when missing or damaged).
using PredictionLoader =
    std::function<claims::LoadedPredictions(const claims::RunSpec&, const nlohmann::json&)>;

/// What training a plan did, and the runs its design needs now (the plan's runs, or a
/// sequential design's runs up to where it stopped).
struct TrainedPlan {
  ExecuteSummary summary;
  std::vector<claims::RunSpec> runs;
};

/// Marks in `exec.retrain` the stored runs of `runs` whose record lacks one of its task's
/// metrics (written by another version) or whose predictions `load` cannot read, warning on
/// `err` for each, and (unless exec.any_build) those whose fingerprint names a build_id other
/// than `build` (one line for them all); the new record supersedes the old one.
void mark_unusable_records(const std::vector<claims::RunSpec>& runs, const claims::RunStore& store,
                           const PredictionLoader& load, ExecuteOptions& exec, std::ostream& err,
                           const std::string& build);

/// Trains what `plan` needs into `store` (see the file comment), one progress line per round on
/// `err`. Stops early, with summary.interrupted, when `exec.stop` is set.
TrainedPlan train_plan(const claims::ProfilePlan& plan, claims::RunStore& store,
                       const PredictionLoader& load, ExecuteOptions exec, std::ostream& err);

}  // namespace claimcheck::pipeline
