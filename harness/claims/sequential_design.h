// The sequential design of a profile (spec.h SequentialSpec): which seeds to train next, and
// when each paired hypothesis stops. Rounds are n = min_seeds, min_seeds + round, ...,
// max_seeds; at each round every still-open paired hypothesis gets its confidence sequence over
// replicates 0..n−1 (anytime-valid t CS, or empirical Bernstein), at alpha/m for the m paired
// hypotheses of the profile (Bonferroni: each CS holds at every n, so the family does too). A
// hypothesis whose CS decides stops at that n; the rest go on until max_seeds. Everything is a
// function of the stored runs: `run`, `analyze` and a resumed run reach the same stops.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "harness/claims/planner.h"
#include "harness/claims/spec.h"
#include "harness/stats/verdict.h"

namespace claimcheck::claims {

/// Where a sequential design stands given the stored runs.
struct SequentialState {
  bool complete = false;            // every paired hypothesis has stopped
  int round_seeds = 0;              // the round the design is at (n of the next runs to train)
  std::vector<RunSpec> runs;        // every run the design needs so far, in plan order
  std::map<std::string, int> stop;  // hypothesis id -> seeds at which it stopped (when stopped)
};

/// The state of a sequential profile's design given `records` (by key): `plan` is its whole
/// budget (plan_profile of a sequential profile, one shard), of which the state keeps the runs
/// the stopping rule needs so far. Runs of random-search hypotheses are needed in full from the
/// first round. Plans nothing: every key comes from `plan`.
SequentialState sequential_state(const ProfilePlan& plan,
                                 const std::map<std::string, nlohmann::json>& records);

/// What `plan`'s design needs given `records`, for any profile: a sequential one's state (above);
/// a fixed one needs every run of the plan (complete when all are stored; no stops).
SequentialState design_state(const ProfilePlan& plan,
                             const std::map<std::string, nlohmann::json>& records);

/// The confidence sequence of a paired hypothesis's contrast units at `alpha` (the design's
/// method; for eb the bound is Σ|w|·(hi − lo)/2 of the task's metric range).
stats::Interval sequential_interval(const ClaimSpec& spec, const SequentialSpec& design,
                                    const HypothesisSpec& h, const std::vector<double>& units,
                                    double alpha);

/// The alpha each hypothesis's CS gets: the profile's alpha over its paired hypotheses.
double sequential_alpha(const ProfilePlan& plan);

}  // namespace claimcheck::claims
