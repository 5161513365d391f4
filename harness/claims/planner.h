// The planner: a claim spec and a profile become the list of training runs, each with a stable
// RunKey. Paired arms share seeds (common random numbers); random-search trials share draws.
// The plan is replicate-major (every arm's replicate 0, then replicate 1, ...), so a run that
// stops early always leaves complete paired groups behind.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/claims/spec.h"
#include "harness/train/run_config.h"

namespace claimcheck::claims {

/// Which kind of unit a run is in its design.
enum class RunRole { kReplicate, kTrial };

/// One training run: everything that determines its result, plus where it belongs.
struct RunSpec {
  std::string claim;
  std::string arm;
  RunRole role = RunRole::kReplicate;
  int index = 0;            // replicate or trial number, from 0
  train::RunConfig run;     // model, task, training (with a trial's draw applied), seeds
  std::string device_type;  // "cpu" or "cuda": part of the key (results differ by device)
  int seed_offset = 0;      // the plan's; in config() (and so the key) when > 0

  /// What determines the result, as canonical JSON (the RunKey is its hash).
  nlohmann::json config() const;
  /// A 16-hex-digit hash of config(): the run's identity in the store. Computed once, by
  /// seal() (the planner seals every run it makes); throws std::logic_error on a run never
  /// sealed, so a key is never silently that of another config.
  const std::string& key() const;
  /// Computes the key from config(). Whoever edits a planned run's config seals it again.
  void seal();

 private:
  std::string key_;
};

/// Which subset of the runs to take: every `count`-th run starting at run `index` (0-based
/// inside; users number shards from 1, see parse_shard).
struct Shard {
  int index = 0;
  int count = 1;

  /// "I/N" as the user wrote it (I = index + 1).
  std::string text() const;
};

/// Parses "I/N" with shards numbered from 1 (1 <= I <= N, as a CI matrix or a Slurm array
/// 1-N writes them): "1/2" and "2/2" are the two halves. "0/N" is an error that says shards are
/// numbered from 1, so a 0-based habit cannot silently shift every shard by one. Throws
/// std::invalid_argument with the expected form.
Shard parse_shard(const std::string& text);

/// A claim × profile resolved once, on one device: everything the stages after the planner
/// need (the executor, the sequential design, the analysis, the report) without looking a name
/// up again. `spec` is not owned: the plan is valid while the spec it was made from lives.
struct ProfilePlan {
  const ClaimSpec* spec = nullptr;
  std::string profile;                     // its name
  const ProfileSpec* settings = nullptr;   // spec->profile(profile)
  std::string device_type;                 // "cpu" or "cuda": every run's key includes it
  Shard shard;                             // the share of the runs this plan holds
  int seed_offset = 0;                     // 0: the profile's seeds; K > 0: fresh set K
  int seeds_override = 0;                  // --seeds N other than the profile's; 0: its own
  std::vector<HypothesisSpec> hypotheses;  // the profile's, in spec order
  std::vector<RunSpec> runs;               // sealed (keys computed), replicate-major

  const ClaimSpec& claim() const { return *spec; }
  bool sequential() const { return settings->sequential.has_value(); }
};

/// All runs of `profile` on `device_type` (deduplicated by key, replicate-major), then the
/// shard's share. `replicates_override` > 0 replaces the profile's replicates (the --seeds
/// option; recorded as seeds_override when it differs from them, a design change that analyses
/// and comparisons carry: claims/baseline.h); a sequential profile plans its whole budget
/// (max_seeds), of which the design (sequential_design.h) trains what its stopping rule needs.
/// `seed_offset` K > 0 (the
/// --seed-offset option) draws every seed and every random-search trial from the K-th fresh
/// stream (hash domain "offset-K:"), disjoint from the profile's own (offset 0, which blessed
/// baselines use) and from every other K: a replication of the whole design. K is in each
/// run's config, so such runs never share a key with the profile's own. Negative K throws.
ProfilePlan plan_profile(const ClaimSpec& spec, const std::string& profile,
                         const std::string& device_type, int replicates_override = 0,
                         Shard shard = {}, int seed_offset = 0);

/// plan_profile(...).runs.
std::vector<RunSpec> plan(const ClaimSpec& spec, const std::string& profile,
                          const std::string& device_type, int replicates_override = 0,
                          Shard shard = {}, int seed_offset = 0);

/// How many times a profile has been planned in this process (a test counts that `report`
/// plans each claim × profile once).
std::size_t plans_made();

/// The (batch, lr) of random-search trial `trial`, the same draw for every arm.
struct TrialDraw {
  std::int64_t batch;
  double lr;
};
/// At `seed_offset` K > 0 the draw comes from the K-th fresh stream (see plan_profile).
TrialDraw draw_trial(const ClaimSpec& spec, int trial, int seed_offset = 0);

/// "replicate" / "trial".
std::string to_string(RunRole role);

}  // namespace claimcheck::claims
