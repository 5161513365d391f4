#include "harness/claims/planner.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "harness/base/hash.h"
#include "harness/env/seed.h"
#include "harness/stats/rng.h"

namespace claimcheck::claims {

std::string to_string(RunRole role) {
  return role == RunRole::kReplicate ? "replicate" : "trial";
}

nlohmann::json RunSpec::config() const {
  nlohmann::json c = {{"model", train::to_json(run.model)},
                      {"task", train::to_json(run.task)},
                      {"training", train::to_json(run.training)},
                      {"data_seed", run.data_seed},
                      {"init_seed", run.init_seed},
                      {"noise_seed", run.noise_seed},
                      {"device", device_type}};
  // Absent at offset 0, so the profile's own runs keep the keys they were stored under.
  if (seed_offset > 0) c["seed_offset"] = seed_offset;
  return c;
}

const std::string& RunSpec::key() const {
  if (key_.empty()) {
    throw std::logic_error("run " + claim + " " + arm + " " + to_string(role) + " " +
                           std::to_string(index) + ": key() of a run never sealed");
  }
  return key_;
}

void RunSpec::seal() {
  key_ = base::hash_hex(config().dump());
}

std::string Shard::text() const {
  return std::to_string(index + 1) + "/" + std::to_string(count);
}

Shard parse_shard(const std::string& text) {
  int number = 0;
  int count = 0;
  char slash = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%d%c%d%c", &number, &slash, &count, &extra) != 3 || slash != '/' ||
      count < 1 || number < 0 || number > count) {
    throw std::invalid_argument("--shard '" + text +
                                "': expected I/N with 1 <= I <= N (shards are numbered from 1), "
                                "e.g. 1/4 ... 4/4");
  }
  if (number == 0) {
    throw std::invalid_argument("--shard '" + text + "': shards are numbered from 1: write 1/" +
                                std::to_string(count) + " ... " + std::to_string(count) + "/" +
                                std::to_string(count) + " (1 <= I <= N)");
  }
  return {number - 1, count};
}

// The hash domain of a seed stream at `seed_offset`: "" for the profile's own seeds.
std::string offset_domain(int seed_offset) {
  return seed_offset > 0 ? "offset-" + std::to_string(seed_offset) + ":" : "";
}

TrialDraw draw_trial(const ClaimSpec& spec, int trial, int seed_offset) {
  if (!spec.search) throw std::invalid_argument(spec.file + ": no search space");
  // One generator per trial index, seeded from the claim: trial j's draw never depends on how
  // many trials a profile has, so smoke's trials are the first of nightly's.
  stats::Rng rng(env::derive_seed(spec.id, offset_domain(seed_offset) + "search-draw", trial));
  const auto& s = *spec.search;
  const std::int64_t batch = s.batch[rng.uniform_int(s.batch.size())];
  const double lr = s.lr[rng.uniform_int(s.lr.size())];
  return {batch, lr};
}

namespace {

std::atomic<std::size_t> plan_calls{0};

// The arms a profile trains, in first-use order: paired arms, then random-search arms (incl.
// the source's statistic).
struct ArmsUsed {
  std::vector<std::string> paired;
  std::vector<std::string> search;
};

ArmsUsed arms_used(const ClaimSpec& spec, const std::vector<HypothesisSpec>& hypotheses) {
  ArmsUsed used;
  auto note = [](std::vector<std::string>& list, const std::string& arm) {
    if (std::find(list.begin(), list.end(), arm) == list.end()) list.push_back(arm);
  };
  for (const auto& h : hypotheses) {
    for (const auto& arm : h.arms_used())
      note(h.design == Design::kRandomSearch ? used.search : used.paired, arm);
  }
  if (spec.source_bootstrap_of_max) {
    for (const auto& arm : spec.source_bootstrap_of_max->arms)
      note(used.search, arm);
  }
  return used;
}

// Replicate i (or trial j) of `arm`, sealed.
RunSpec make_run(const ClaimSpec& spec, const ProfileSpec& profile, const std::string& arm,
                 RunRole role, int index, const std::string& device_type, int seed_offset) {
  RunSpec r;
  r.claim = spec.id;
  r.arm = arm;
  r.role = role;
  r.index = index;
  const ArmSpec& a = profile.arm(arm);
  r.run.model = a.model;
  r.run.task = spec.task;
  r.run.training = a.training;
  if (role == RunRole::kTrial) {
    const TrialDraw d = draw_trial(spec, index, seed_offset);
    r.run.training.batch = d.batch;
    r.run.training.lr = d.lr;
  }
  // Common random numbers: every arm's replicate i (or trial j) gets the same seeds, unless
  // the arm has a seed stream of its own.
  const std::string stream = offset_domain(seed_offset) +
                             (a.seed_stream.empty() ? "" : a.seed_stream + ":") +
                             (role == RunRole::kReplicate ? "" : "trial-");
  r.run.data_seed = env::derive_seed(spec.id, stream + "data", index);
  r.run.init_seed = env::derive_seed(spec.id, stream + "init", index);
  r.run.noise_seed = env::derive_seed(spec.id, stream + "noise", index);
  r.device_type = device_type;
  r.seed_offset = seed_offset;
  r.seal();
  return r;
}

// Every `shard.count`-th run from `shard.index` on.
std::vector<RunSpec> runs_of_shard(std::vector<RunSpec> runs, Shard shard) {
  if (shard.count == 1) return runs;
  std::vector<RunSpec> out;
  for (std::size_t i = static_cast<std::size_t>(shard.index); i < runs.size();
       i += static_cast<std::size_t>(shard.count)) {
    out.push_back(std::move(runs[i]));
  }
  return out;
}

}  // namespace

std::size_t plans_made() {
  return plan_calls.load();
}

ProfilePlan plan_profile(const ClaimSpec& spec, const std::string& profile_name,
                         const std::string& device_type, int replicates_override, Shard shard,
                         int seed_offset) {
  ++plan_calls;
  if (seed_offset < 0) {
    throw std::invalid_argument(spec.id + " (" + profile_name + "): seed offset " +
                                std::to_string(seed_offset) +
                                ": expected 0 (the profile's seeds) or K >= 1 (fresh set K)");
  }
  const ProfileSpec& profile = spec.profile(profile_name);
  if (device_type != "cpu" && device_type != "cuda") {
    throw std::invalid_argument(spec.id + " (" + profile_name + "): device '" + device_type +
                                "': a plan is on cpu or cuda");
  }
  ProfilePlan out;
  out.spec = &spec;
  out.profile = profile_name;
  out.settings = &profile;
  out.device_type = device_type;
  out.shard = shard;
  out.seed_offset = seed_offset;
  if (replicates_override > 0 && !profile.sequential && replicates_override != profile.replicates) {
    out.seeds_override = replicates_override;
  }
  out.hypotheses = spec.hypotheses_in(profile_name);
  const int replicates = replicates_override > 0 ? replicates_override
                         : profile.sequential    ? profile.sequential->max_seeds
                                                 : profile.replicates;
  const ArmsUsed arms = arms_used(spec, out.hypotheses);
  std::vector<RunSpec> runs;
  std::set<std::string> seen;
  auto add = [&](const std::string& arm, RunRole role, int index) {
    RunSpec r = make_run(spec, profile, arm, role, index, device_type, seed_offset);
    if (seen.insert(r.key() + arm).second) runs.push_back(std::move(r));
  };
  const int trials = arms.search.empty() ? 0 : profile.search_trials;
  for (int i = 0; i < std::max(replicates, trials); ++i) {
    if (i < replicates) {
      for (const auto& arm : arms.paired)
        add(arm, RunRole::kReplicate, i);
    }
    if (i < trials) {
      for (const auto& arm : arms.search)
        add(arm, RunRole::kTrial, i);
    }
  }
  out.runs = runs_of_shard(std::move(runs), shard);
  return out;
}

std::vector<RunSpec> plan(const ClaimSpec& spec, const std::string& profile,
                          const std::string& device_type, int replicates_override, Shard shard,
                          int seed_offset) {
  return plan_profile(spec, profile, device_type, replicates_override, shard, seed_offset).runs;
}

}  // namespace claimcheck::claims
