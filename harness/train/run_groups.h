// How the executor groups a plan's runs into ensembles (runs trained as one batched model,
// task.h: Task::group_key): runs whose task gives them the same non-empty key, taken in plan
// order and split into contiguous groups of near-equal size, at most group_cap(batch) each. The
// groups are a function of the plan alone, never of what the store already holds, so a resumed
// execution retrains whole groups (and appends only the missing runs) exactly as an uninterrupted
// one trained them. A run's numbers do not depend on its group anyway (the tasks guarantee it bit
// for bit); fixing the groups keeps even the work done reproducible.
#pragma once

#include <torch/types.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "harness/claims/planner.h"

namespace claimcheck::train {

/// The largest group. Per-member step time falls with E at batch 8 and is flat from E ≈ 30
/// (GeGLU(8): 65 µs at E = 1, 35 at 8, 30 at 30 and 64; bench/ensemble_bench.cpp).
constexpr std::size_t kMaxGroupMembers = 32;
/// The most training rows (members × batch) one group step gathers. At batch 64 the per-member
/// step time is flat in E (GeGLU(8): 89-94 µs for E = 4..64, the gemms dominate), so groups of 8
/// cost nothing, keep a step's gathered inputs (512 × 784 floats, 1.6 MB) within one core's L2
/// and leave the scheduler more groups to balance over the workers.
constexpr std::int64_t kMaxGroupRows = 512;

/// The cap for runs of batch size `batch`: min(kMaxGroupMembers, kMaxGroupRows / batch), at least
/// 1 (batch 8: 32, batch 64: 8, batch >= 512: alone).
std::size_t group_cap(std::int64_t batch);

/// Runs trained together, in plan order.
struct RunGroup {
  std::vector<const claims::RunSpec*> runs;
  double cost = 0.0;  ///< estimated relative CPU time, for scheduling only
};

/// The distinct runs of `runs` (the first of equal keys) as groups, listed in the order of their
/// first run; runs with an empty group key (or max_members == 1) form groups of one. A group holds
/// at most min(max_members, group_cap(batch)) runs; max_members 0 means no cap but group_cap.
std::vector<RunGroup> group_runs(const std::vector<claims::RunSpec>& runs, torch::Device device,
                                 std::size_t max_members = 0);

}  // namespace claimcheck::train
