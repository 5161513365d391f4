#include "harness/pipeline/train_profile.h"

#include <fmt/format.h>

#include <ostream>
#include <set>
#include <stdexcept>
#include <string>

#include "harness/claims/sequential_design.h"
#include "harness/env/fingerprint.h"
#include "harness/train/task.h"

namespace claimcheck::pipeline {

namespace {

// The build_id in a stored record's fingerprint ("" for records from before build IDs).
std::string build_of(const nlohmann::json& record) {
  const nlohmann::json& fp = record.at("fingerprint");
  return fp.contains("build_id") && fp["build_id"].is_string() ? fp["build_id"].get<std::string>()
                                                               : "";
}

}  // namespace

void mark_unusable_records(const std::vector<claims::RunSpec>& runs, const claims::RunStore& store,
                           const PredictionLoader& load, ExecuteOptions& exec, std::ostream& err,
                           const std::string& build) {
  std::set<std::string> other_builds;
  std::size_t stored = 0;
  std::size_t of_other_builds = 0;
  for (const auto& run : runs) {
    if (!store.contains(run.key())) continue;
    ++stored;
    if (const std::string b = build_of(store.at(run.key())); !exec.any_build && b != build) {
      other_builds.insert(b.empty() ? "none recorded" : b);
      ++of_other_builds;
      exec.retrain.insert(run.key());
      continue;
    }
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
  if (of_other_builds == 0) return;
  std::string names;
  for (const auto& b : other_builds)
    names += (names.empty() ? "" : ", ") + b.substr(0, 12);
  err << fmt::format(
      "{} of {} stored runs in {} were trained by another build of claimcheck (build {}; this "
      "one is {}): training them again, since a code change can change their numbers (`run "
      "--any-build` reuses them)\n",
      of_other_builds, stored, store.file().string(), names, build.substr(0, 12));
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
  // Each round checks the stored runs it needs (a round's own retrained runs then pass).
  auto execute = [&](const std::vector<claims::RunSpec>& runs) {
    ExecuteOptions round = exec;
    mark_unusable_records(runs, store, load, round, err, env::build_id());
    return execute_runs(runs, store, round);
  };
  out.summary = execute(out.runs);
  while (rounds && !out.summary.interrupted) {
    const claims::SequentialState state = claims::sequential_state(plan, store.by_key());
    out.runs = state.runs;
    if (state.complete) break;
    err << fmt::format("{} ({}): sequential round at {} seeds ({} runs in all so far)\n", spec.id,
                       plan.profile, state.round_seeds, out.runs.size());
    const ExecuteSummary round = execute(out.runs);
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
