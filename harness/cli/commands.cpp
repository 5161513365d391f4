#include "harness/cli/commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <fstream>
#include <ostream>

#include "harness/claims/analysis.h"
#include "harness/claims/baseline.h"
#include "harness/claims/planner.h"
#include "harness/claims/run_store.h"
#include "harness/claims/spec.h"
#include "harness/cli/cli.h"
#include "harness/cli/interrupt.h"
#include "harness/env/determinism.h"
#include "harness/env/device.h"
#include "harness/pipeline/executor.h"
#include "harness/pipeline/judge.h"
#include "harness/pipeline/profile_plan.h"
#include "harness/pipeline/progress.h"
#include "harness/pipeline/train_profile.h"
#include "harness/report/markdown.h"
#include "harness/stats/verdict.h"
#include "harness/train/task.h"

namespace claimcheck::cli {
namespace fs = std::filesystem;
using pipeline::all_from_store;
using pipeline::store_of;
using pipeline::warn_store;

namespace {

// 0 pass, 77 skipped, 1 anything that moved or could not be compared.
int exit_code(claims::Outcome outcome) {
  switch (outcome) {
    case claims::Outcome::kPass:
      return kExitOk;
    case claims::Outcome::kSkipped:
      return kExitSkipped;
    default:
      return kExitMismatch;
  }
}

// Every --store directory's <claim>.jsonl (shards of one claim), read only: the records merged
// (first record per key wins) and, for messages, the file:line of each.
class ClaimStores {
 public:
  ClaimStores(const Paths& paths, const std::vector<fs::path>& dirs, const std::string& claim,
              std::ostream& err) {
    for (const auto& dir : dirs) {
      Paths shard = paths;
      shard.store = dir;
      stores_.emplace_back(store_file(shard, claim));
      warn_store(stores_.back(), err);
      for (auto& [key, record] : stores_.back().by_key()) {
        if (records_.emplace(key, std::move(record)).second) origin_.emplace(key, dir);
      }
    }
  }
  const std::map<std::string, nlohmann::json>& records() const { return records_; }
  std::string location(const std::string& key) const {
    for (const auto& s : stores_)
      if (s.contains(key)) return s.location(key);
    return key;
  }
  // Run key -> the store directory its record was taken from.
  const std::map<std::string, fs::path>& origin() const { return origin_; }

 private:
  std::deque<claims::RunStore> stores_;  // RunStore holds a mutex: never moved
  std::map<std::string, nlohmann::json> records_;
  std::map<std::string, fs::path> origin_;
};

}  // namespace

namespace {

// --seeds N on a sequential profile is an error: its seeds follow from its stopping rule.
void check_seeds_option(const claims::ClaimSpec& spec, const std::string& profile, int seeds) {
  if (seeds > 0 && spec.profile(profile).sequential) {
    throw std::invalid_argument("--seeds: profile " + profile + " of " + spec.id +
                                " is sequential (its seeds follow from its stopping rule); "
                                "drop --seeds");
  }
}

}  // namespace

int command_run(const Paths& paths, const RunOptions& options, std::ostream& out,
                std::ostream& err) {
  std::vector<claims::ClaimSpec> specs;
  if (options.all) {
    for (auto& s : claims::load_all_claims(paths.claims)) {
      if (s.profiles.count(options.profile) != 0) {
        specs.push_back(std::move(s));
      } else {  // named, so that a suite-wide run says what it leaves out
        err << fmt::format("{}: no {} profile, not run\n", s.id, options.profile);
      }
    }
    if (specs.empty()) {  // a typo must not run nothing and exit 0
      throw std::invalid_argument("--profile " + options.profile + ": no claim in " +
                                  paths.claims.string() + " defines this profile");
    }
  } else {
    specs.push_back(claims::load_claim(paths.claims / (options.claim + ".json")));
  }
  const claims::Shard shard =
      options.shard.empty() ? claims::Shard{} : claims::parse_shard(options.shard);
  const InterruptGuard interrupts;
  int worst = kExitOk;
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return pipeline::duration_text(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  };
  std::size_t claim_number = 0;
  for (const auto& spec : specs) {
    // `run --all`: where the suite is, before each claim's own progress.
    if (specs.size() > 1) {
      err << fmt::format("== claim {}/{}: {} ({}), {} elapsed\n", ++claim_number, specs.size(),
                         spec.id, options.profile, elapsed());
    }
    const claims::ProfileSpec& profile = spec.profile(options.profile);
    const std::string device_name = options.device.empty() ? profile.device : options.device;
    const env::DeviceChoice choice = env::device_choice_from_string(device_name);
    // A profile that needs a GPU skips without one (77); an explicit --device cuda that cannot
    // be met is an error (select_device throws, naming the flag and the fix: exit 2).
    if (options.device.empty() && choice == env::DeviceChoice::kCuda && !env::cuda_available()) {
      err << fmt::format("{} ({}): skipped: the profile needs CUDA and none is available ({})\n",
                         spec.id, options.profile, env::no_cuda_reason());
      worst = std::max(worst, static_cast<int>(kExitSkipped));
      continue;
    }
    const torch::Device device = env::select_device(choice);
    // Once per plan, before its first CUDA op: deterministic, full-fp32 CUDA (env/determinism.h).
    if (device.is_cuda()) env::make_cuda_deterministic();
    check_seeds_option(spec, options.profile, options.seeds);
    // The plan, once: on the device chosen here, which every run's key and the executor read.
    const claims::ProfilePlan plan = claims::plan_profile(
        spec, options.profile, env::device_type(device), options.seeds, shard, options.seed_offset);
    // One writer per store for the whole run: a second `run` on it stops here, naming us.
    const claims::StoreWriterLock writer(store_file(paths, spec.id));
    claims::RunStore store(store_file(paths, spec.id));
    warn_store(store, err);
    pipeline::ExecuteOptions exec;
    exec.progress = &err;
    exec.stop = interrupt_flag();
    exec.any_build = options.any_build;
    pipeline::TrainedPlan trained = pipeline::train_plan(
        plan, store, prediction_loader(paths, spec.id, options.profile), exec, err);
    const pipeline::ExecuteSummary& summary = trained.summary;
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
    const int code = exit_code(judge_store(paths, plan, store, summary, out, err).outcome);
    worst = code == kExitOk ? worst : std::max(worst, code == kExitSkipped ? worst : code);
  }
  if (specs.size() > 1) {
    err << fmt::format("== {} claims ({}) in {}\n", specs.size(), options.profile, elapsed());
  }
  return worst == kExitSkipped && specs.size() > 1 ? kExitOk : worst;
}

namespace {

// The plan a judging command (analyze, bless) judges: on --device, else on the device the
// stored runs name. Paths' store becomes the one holding the runs (for hints and reports).
pipeline::StoredPlan judged_plan(const JudgeOptions& options, const claims::ClaimSpec& spec,
                                 const ClaimStores& stores, Paths& paths) {
  check_seeds_option(spec, options.profile, options.seeds);
  pipeline::StoredPlan stored = pipeline::stored_plan(
      spec, options.profile, stores.records(), options.device, options.seed_offset, options.seeds);
  paths.store = store_of(stored.needed, stores.origin(), options.stores.front());
  return stored;
}

}  // namespace

int command_analyze(const Paths& given, const JudgeOptions& options, std::ostream& out,
                    std::ostream& err) {
  const claims::ClaimSpec spec = claims::load_claim(given.claims / (options.claim + ".json"));
  spec.profile(options.profile);  // an unknown profile is a spec error (exit 2) before anything
  const ClaimStores stores(given, options.stores, spec.id, err);
  Paths paths = given;
  const pipeline::StoredPlan stored = judged_plan(options, spec, stores, paths);
  try {
    return exit_code(finish_claim(paths, stored.plan, stores.records(),
                                  all_from_store(stored.needed.size()), out, err)
                         .outcome);
  } catch (const claims::MissingRuns& missing) {
    err << "claimcheck analyze: " << missing_runs_message(paths, missing) << "\n";
    return kExitMismatch;
  } catch (const claims::BadRecord& e) {
    throw std::runtime_error(stores.location(e.key) + ": " + e.what());
  }
}

namespace {

// Whether two analyses hold the same evidence: equal but for the build (git commit, dirty flag,
// build ID) in their fingerprints.
bool same_evidence(nlohmann::json a, nlohmann::json b) {
  for (nlohmann::json* j : {&a, &b}) {
    if (j->contains("fingerprint") && (*j)["fingerprint"].is_object()) {
      (*j)["fingerprint"].erase("git_commit");
      (*j)["fingerprint"].erase("git_dirty");
      (*j)["fingerprint"].erase("build_id");
    }
  }
  return a == b;
}

}  // namespace

int command_bless(const Paths& given, const JudgeOptions& options, std::ostream& out,
                  std::ostream& err) {
  const char* ci = std::getenv("CI");
  if (ci != nullptr && *ci != '\0') {
    err << "claimcheck bless: refused: the CI environment variable is set (CI never writes "
           "baselines). Bless on a developer machine and commit baselines/.\n";
    return kExitUsage;
  }
  const claims::ClaimSpec spec = claims::load_claim(given.claims / (options.claim + ".json"));
  spec.profile(options.profile);
  const std::string& profile = options.profile;
  const ClaimStores stores(given, options.stores, spec.id, err);
  Paths paths = given;
  const pipeline::StoredPlan stored = judged_plan(options, spec, stores, paths);
  nlohmann::json analysis;
  try {
    analysis = claims::to_json(
        claims::analyze(stored.plan, stores.records(), prediction_loader(paths, spec.id, profile)));
  } catch (const claims::MissingRuns& missing) {
    err << "claimcheck bless: " << missing_runs_message(paths, missing) << "\n";
    return kExitMismatch;
  } catch (const claims::BadRecord& e) {
    throw std::runtime_error(stores.location(e.key) + ": " + e.what());
  }
  // The baseline of the runs' device class: CUDA runs bless <profile>.cuda.json.
  const fs::path file =
      claims::baseline_path(paths.baselines, spec.id, profile, stored.plan.device_type);
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
  if (!old.is_null() && same_evidence(old, analysis)) {
    // Only the commit that ran it differs: rewriting would churn the file for nothing.
    out << fmt::format(
        "the evidence is unchanged (every number, verdict and environment equal; only the git "
        "commit differs): {} not rewritten\n",
        file.string());
    return kExitOk;
  }
  claims::write_baseline(file, analysis);
  out << "wrote " << file.string() << "\n";
  return kExitOk;
}

}  // namespace claimcheck::cli
