#include "harness/pipeline/train_profile.h"

#include <fmt/format.h>

#include <ostream>
#include <stdexcept>
#include <string>

#include "harness/claims/sequential_design.h"
#include "harness/train/task.h"

namespace claimcheck::pipeline {

void mark_unusable_records(const std::vector<claims::RunSpec>& runs, const claims::RunStore& store,
                           const PredictionLoader& load, ExecuteOptions& exec, std::ostream& err) {
  for (const auto& run : runs) {
    if (!store.contains(run.key())) continue;
    const nlohmann::json& metrics = store.at(run.key()).at("metrics");
    for (const auto& metric : train::task(run.run.task.type).metrics()) {
      if (!metrics.contains(metric.name)) {
        err << fmt::format(
            "warning: {}: no metric '{}' (a record from another version?); training "
            "it again\n",
            store.location(run.key()), metric.name);
        exec.retrain.insert(run.key());
        break;
      }
    }
    if (run.run.training.predictions == 0 || exec.retrain.count(run.key()) != 0) continue;
    try {
      load(run, store.at(run.key()));
    } catch (const claims::ArtifactError& e) {
      err << "warning: " << e.what() << "; training it again\n";
      exec.retrain.insert(run.key());
    }
  }
}

namespace {

void add_round(ExecuteSummary& total, const ExecuteSummary& round) {
  total.trained += round.trained;
  total.diverged += round.diverged;
  total.wall_seconds += round.wall_seconds;
  total.interrupted = round.interrupted;
}

}  // namespace

TrainedPlan train_plan(const claims::ProfilePlan& plan, claims::RunStore& store,
                       const PredictionLoader& load, ExecuteOptions exec, std::ostream& err) {
  const claims::ClaimSpec& spec = plan.claim();
  // A sequential profile trains in rounds until its stopping rule is done; a shard of one
  // trains the whole budget (max_seeds), and the merged report applies the rule.
  const bool rounds = plan.sequential() && plan.shard.count == 1;
  TrainedPlan out;
  out.runs = rounds ? claims::sequential_state(plan, store.by_key()).runs : plan.runs;
  err << fmt::format("{} ({}): {} runs on {}{}, store {}\n", spec.id, plan.profile, out.runs.size(),
                     plan.device_type, rounds ? " in the first round" : "", store.file().string());
  mark_unusable_records(out.runs, store, load, exec, err);
  out.summary = execute_runs(out.runs, store, exec);
  while (rounds && !out.summary.interrupted) {
    const claims::SequentialState state = claims::sequential_state(plan, store.by_key());
    out.runs = state.runs;
    if (state.complete) break;
    err << fmt::format("{} ({}): sequential round at {} seeds ({} runs in all so far)\n", spec.id,
                       plan.profile, state.round_seeds, out.runs.size());
    const ExecuteSummary round = execute_runs(out.runs, store, exec);
    if (round.trained == 0 && !round.interrupted) {
      throw std::logic_error("sequential design made no progress at " +
                             std::to_string(state.round_seeds) + " seeds");
    }
    add_round(out.summary, round);
  }
  out.summary.total = out.runs.size();
  if (rounds) out.summary.cached = out.runs.size() - out.summary.trained;
  return out;
}

}  // namespace claimcheck::pipeline
