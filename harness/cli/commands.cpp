#include "harness/cli/commands.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <ostream>

#include "harness/claims/analysis.h"
#include "harness/claims/baseline.h"
#include "harness/claims/planner.h"
#include "harness/claims/run_store.h"
#include "harness/claims/sequential_design.h"
#include "harness/claims/spec.h"
#include "harness/cli/claim_outcome.h"
#include "harness/cli/cli.h"
#include "harness/cli/interrupt.h"
#include "harness/env/device.h"
#include "harness/pipeline/executor.h"
#include "harness/report/markdown.h"
#include "harness/stats/verdict.h"
#include "harness/train/task.h"

namespace claimcheck::cli {
namespace fs = std::filesystem;

namespace {

// A stored run whose record lacks one of its task's metrics (written by another version), or
// whose artifact is missing or damaged, is trained again (nothing else is); the new record
// supersedes the old one.
void mark_unusable_records(const Paths& paths, const claims::ClaimSpec& spec,
                           const std::string& profile, const std::vector<claims::RunSpec>& runs,
                           const claims::RunStore& store, pipeline::ExecuteOptions& exec,
                           std::ostream& err) {
  const auto load = prediction_loader(paths, spec.id, profile);
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

}  // namespace

int command_run(const Paths& paths, const RunOptions& options, std::ostream& out,
                std::ostream& err) {
  std::vector<claims::ClaimSpec> specs;
  if (options.all) {
    for (auto& s : claims::load_all_claims(paths.claims)) {
      if (s.profiles.count(options.profile) != 0) specs.push_back(std::move(s));
    }
  } else {
    specs.push_back(claims::load_claim(paths.claims / (options.claim + ".json")));
  }
  const claims::Shard shard =
      options.shard.empty() ? claims::Shard{} : claims::parse_shard(options.shard);
  const InterruptGuard interrupts;
  int worst = kExitOk;
  for (const auto& spec : specs) {
    const claims::ProfileSpec& profile = spec.profile(options.profile);
    const std::string device_name = options.device.empty() ? profile.device : options.device;
    const env::DeviceChoice choice = env::device_choice_from_string(device_name);
    if (choice == env::DeviceChoice::kCuda && !env::cuda_available()) {
      err << fmt::format("{} ({}): skipped: the profile needs CUDA and none is available\n",
                         spec.id, options.profile);
      worst = std::max(worst, static_cast<int>(kExitSkipped));
      continue;
    }
    const torch::Device device = env::select_device(choice);
    const std::string device_type = device.is_cuda() ? "cuda" : "cpu";
    if (profile.sequential && options.seeds > 0) {
      throw std::invalid_argument("--seeds: profile " + options.profile + " of " + spec.id +
                                  " is sequential (its seeds follow from its stopping rule); "
                                  "drop --seeds");
    }
    // One writer per store for the whole run: a second `run` on it stops here, naming us.
    const claims::StoreWriterLock writer(store_file(paths, spec.id));
    claims::RunStore store(store_file(paths, spec.id));
    warn_store(store, err);
    pipeline::ExecuteOptions exec;
    exec.device = device;
    exec.progress = &err;
    exec.stop = interrupt_flag();
    // A sequential profile trains in rounds until its stopping rule is done; a shard of one
    // trains the fixed budget (max_seeds), and the merged report applies the rule.
    const bool rounds = profile.sequential.has_value() && shard.count == 1;
    std::vector<claims::RunSpec> runs =
        rounds
            ? claims::sequential_state(spec, options.profile, device_type, by_key(store.records()))
                  .runs
            : claims::plan(spec, options.profile, device_type,
                           profile.sequential ? profile.sequential->max_seeds : options.seeds,
                           shard);
    err << fmt::format("{} ({}): {} runs on {}{}, store {}\n", spec.id, options.profile,
                       runs.size(), device_type, rounds ? " in the first round" : "",
                       store.file().string());
    mark_unusable_records(paths, spec, options.profile, runs, store, exec, err);
    pipeline::ExecuteSummary summary = pipeline::execute_runs(runs, store, exec);
    while (rounds && !summary.interrupted) {
      const claims::SequentialState state =
          claims::sequential_state(spec, options.profile, device_type, by_key(store.records()));
      runs = state.runs;
      if (state.complete) break;
      err << fmt::format("{} ({}): sequential round at {} seeds ({} runs in all so far)\n", spec.id,
                         options.profile, state.round_seeds, runs.size());
      const pipeline::ExecuteSummary round = pipeline::execute_runs(runs, store, exec);
      if (round.trained == 0 && !round.interrupted) {
        throw std::logic_error("sequential design made no progress at " +
                               std::to_string(state.round_seeds) + " seeds");
      }
      summary.trained += round.trained;
      summary.diverged += round.diverged;
      summary.wall_seconds += round.wall_seconds;
      summary.interrupted = round.interrupted;
    }
    summary.total = runs.size();
    if (rounds) summary.cached = runs.size() - summary.trained;
    if (summary.interrupted) {
      err << fmt::format(
          "interrupted: {} of {} runs of {} ({}) are kept in {} ({} trained now); run the same "
          "command again to train the other {}\n",
          summary.cached + summary.trained, summary.total, spec.id, options.profile,
          store.file().string(), summary.trained, summary.total - summary.cached - summary.trained);
      return kExitInterrupted;
    }
    if (shard.count > 1) {
      err << fmt::format(
          "shard {}: {} runs trained, {} already stored; merge shards with "
          "`claimcheck report`\n",
          shard.text(), summary.trained, summary.cached);
      continue;
    }
    const int code =
        judge_store(paths, spec, options.profile, runs, store, summary, out, err).exit_code;
    worst = code == kExitOk ? worst : std::max(worst, code == kExitSkipped ? worst : code);
  }
  return worst == kExitSkipped && specs.size() > 1 ? kExitOk : worst;
}

int command_analyze(const Paths& paths, const std::string& claim, const std::string& profile,
                    std::ostream& out, std::ostream& err) {
  const claims::ClaimSpec spec = claims::load_claim(paths.claims / (claim + ".json"));
  spec.profile(profile);  // an unknown profile is a spec error (exit 2) before anything else
  claims::RunStore store(store_file(paths, spec.id));
  warn_store(store, err);
  const auto records = by_key(store.records());
  const StoredPlan stored = stored_plan(spec, profile, records);
  try {
    return judge_store(paths, spec, profile, stored.runs, store, all_from_store(stored.runs.size()),
                       out, err)
        .exit_code;
  } catch (const claims::MissingRuns& missing) {
    err << "claimcheck analyze: " << missing_runs_message(paths, missing) << "\n";
    return kExitMismatch;
  }
}

int command_bless(const Paths& paths, const std::string& claim, const std::string& profile,
                  std::ostream& out, std::ostream& err) {
  const char* ci = std::getenv("CI");
  if (ci != nullptr && *ci != '\0') {
    err << "claimcheck bless: refused: the CI environment variable is set (CI never writes "
           "baselines). Bless on a developer machine and commit baselines/.\n";
    return kExitUsage;
  }
  const claims::ClaimSpec spec = claims::load_claim(paths.claims / (claim + ".json"));
  spec.profile(profile);
  claims::RunStore store(store_file(paths, spec.id));
  warn_store(store, err);
  const auto records = by_key(store.records());
  const StoredPlan stored = stored_plan(spec, profile, records);
  nlohmann::json analysis;
  try {
    analysis = claims::to_json(claims::analyze(spec, profile, stored.runs, records,
                                               prediction_loader(paths, spec.id, profile)));
  } catch (const claims::MissingRuns& missing) {
    err << "claimcheck bless: " << missing_runs_message(paths, missing) << "\n";
    return kExitMismatch;
  } catch (const claims::BadRecord& e) {
    throw std::runtime_error(store.location(e.key) + ": " + e.what());
  }
  const fs::path file = claims::baseline_path(paths.baselines, spec.id, profile);
  nlohmann::json old;
  if (fs::exists(file)) {
    try {
      old = claims::read_baseline(file);
    } catch (const std::exception& e) {
      // A corrupt baseline is what bless is for: say what is replaced, then replace it.
      out << fmt::format("the old baseline cannot be read and is replaced:\n  {}\n", e.what());
    }
  }
  if (!old.is_null()) {
    out << fmt::format("old vs new for {} ({}):\n", spec.id, profile);
    out << fmt::format("  spec hash: {} -> {}\n", old.value("spec_hash", "?"),
                       analysis.at("spec_hash").get<std::string>());
    for (const auto& h : analysis.at("hypotheses")) {
      std::string old_text = "(new hypothesis)";
      for (const auto& o : old.value("hypotheses", nlohmann::json::array())) {
        if (o.at("id") == h.at("id")) {
          old_text =
              fmt::format("{} {:+.4f} [{:+.4f}, {:+.4f}]", o.at("verdict").get<std::string>(),
                          o.at("estimate").get<double>(), o.at("ci").at("lo").get<double>(),
                          o.at("ci").at("hi").get<double>());
        }
      }
      out << fmt::format("  {}: {} -> {} {:+.4f} [{:+.4f}, {:+.4f}]\n",
                         h.at("id").get<std::string>(), old_text,
                         h.at("verdict").get<std::string>(), h.at("estimate").get<double>(),
                         h.at("ci").at("lo").get<double>(), h.at("ci").at("hi").get<double>());
    }
  } else {
    out << fmt::format("new verdicts for {} ({}):\n", spec.id, profile);
    for (const auto& h : analysis.at("hypotheses")) {
      out << fmt::format("  {}: {} {:+.4f}\n", h.at("id").get<std::string>(),
                         h.at("verdict").get<std::string>(), h.at("estimate").get<double>());
    }
  }
  claims::write_baseline(file, analysis);
  out << "wrote " << file.string() << "\n";
  return kExitOk;
}

}  // namespace claimcheck::cli
