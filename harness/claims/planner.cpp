#include "harness/claims/planner.h"

#include <cstdio>
#include <set>
#include <stdexcept>

#include "harness/env/seed.h"
#include "harness/stats/rng.h"

namespace claimcheck::claims {

std::string to_string(RunRole role) {
  return role == RunRole::kReplicate ? "replicate" : "trial";
}

nlohmann::json RunSpec::config() const {
  return {{"model", {{"type", model.type}, {"options", model.options}}},
          {"task",
           {{"type", task.type},
            {"dataset", task.dataset},
            {"optimizer", task.optimizer},
            {"epochs", task.epochs}}},
          {"batch", batch},
          {"lr", lr},
          {"data_seed", data_seed},
          {"init_seed", init_seed},
          {"device", device_type}};
}

std::string RunSpec::key() const {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(env::hash_seed(config().dump())));
  return hex;
}

Shard parse_shard(const std::string& text) {
  Shard shard;
  char slash = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &shard.index, &slash, &shard.count, &extra) != 3 ||
      slash != '/' || shard.count < 1 || shard.index < 0 || shard.index >= shard.count) {
    throw std::invalid_argument("--shard '" + text + "': expected I/N with 0 <= I < N, e.g. 0/4");
  }
  return shard;
}

TrialDraw draw_trial(const ClaimSpec& spec, int trial) {
  if (!spec.search) throw std::invalid_argument(spec.file + ": no search space");
  // One generator per trial index, seeded from the claim: trial j's draw never depends on how
  // many trials a profile has, so smoke's trials are the first of nightly's.
  stats::Rng rng(env::derive_seed(spec.id, "search-draw", trial));
  const auto& s = *spec.search;
  const std::int64_t batch = s.batch[rng.uniform_int(s.batch.size())];
  const double lr = s.lr[rng.uniform_int(s.lr.size())];
  return {batch, lr};
}

std::vector<RunSpec> plan(const ClaimSpec& spec, const std::string& profile_name,
                          const std::string& device_type, int replicates_override, Shard shard) {
  const ProfileSpec& profile = spec.profile(profile_name);
  const int replicates = replicates_override > 0 ? replicates_override : profile.replicates;
  std::vector<RunSpec> runs;
  std::set<std::string> seen;
  auto add = [&](const std::string& arm, RunRole role, int index, std::int64_t batch, double lr) {
    RunSpec run;
    run.claim = spec.id;
    run.arm = arm;
    run.role = role;
    run.index = index;
    run.model = spec.arm(arm).model;
    run.task = spec.task;
    run.batch = batch;
    run.lr = lr;
    // Common random numbers: every arm's replicate i (or trial j) gets the same seeds.
    const std::string stream = role == RunRole::kReplicate ? "" : "trial-";
    run.data_seed = env::derive_seed(spec.id, stream + "data", index);
    run.init_seed = env::derive_seed(spec.id, stream + "init", index);
    run.device_type = device_type;
    if (seen.insert(run.key() + arm).second) runs.push_back(run);
  };
  for (const auto& h : spec.hypotheses) {
    for (const auto& arm : {h.treatment, h.control}) {
      if (h.design == Design::kPaired) {
        for (int i = 0; i < replicates; ++i)
          add(arm, RunRole::kReplicate, i, spec.defaults.batch, spec.defaults.lr);
      } else {
        for (int j = 0; j < profile.search_trials; ++j) {
          const TrialDraw d = draw_trial(spec, j);
          add(arm, RunRole::kTrial, j, d.batch, d.lr);
        }
      }
    }
  }
  if (spec.source_bootstrap_of_max) {
    for (const auto& arm : spec.source_bootstrap_of_max->arms) {
      for (int j = 0; j < profile.search_trials; ++j) {
        const TrialDraw d = draw_trial(spec, j);
        add(arm, RunRole::kTrial, j, d.batch, d.lr);
      }
    }
  }
  if (shard.count == 1) return runs;
  std::vector<RunSpec> mine;
  for (std::size_t i = static_cast<std::size_t>(shard.index); i < runs.size();
       i += static_cast<std::size_t>(shard.count)) {
    mine.push_back(runs[i]);
  }
  return mine;
}

}  // namespace claimcheck::claims
