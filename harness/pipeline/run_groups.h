// How the executor groups the runs it has to train into ensembles (runs trained as one batched
// model, task.h: Task::group_key): runs whose task gives them the same non-empty key, taken in
// plan order and split into contiguous groups of near-equal size, at most group_cap(batch) each.
// A function of the runs given alone. A group's `wave` is its position within its key's runs
// (0 for the first replicates); the executor trains wave 0 of every arm before wave 1, so an
// interrupted execution leaves complete replicates (all arms) up to the groups in flight, as the
// replicate-major plan does for runs trained alone. The executor groups only the runs missing from
// the store: a member's numbers are bit for bit those of training it alone (the tasks guarantee it,
// and refuse to group where a probe finds otherwise), so which runs share a group changes no stored
// number, and a resumed execution or a sequential round trains only what is missing. (Issue 11
// suggested groups fixed by the whole plan, retrained whole on resume; with issue 13's rounds of
// two seeds that retrained up to 8 stored runs per new pair, for no change in any number.)
#pragma once

#include <torch/types.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "harness/claims/planner.h"

namespace claimcheck::pipeline {

/// The largest group. With the per-call costs gone (models/ensemble/member_gemm.h, reused buffers)
/// and Adam free of subnormal assists (adam_kernel.cpp), small groups whose weights and Adam
/// moments stay in L2 win at batch 8 too: per member-step GeGLU(8) 36 µs at E = 1, 22.2 at 8, 22.8
/// at 30, 23.9 at 64; ReLU(8) 16.6, 11.6, 13.0, 13.5 (bench/ensemble_bench.cpp); claim 1's nightly
/// protocol 13.5 s with at most 8 members against 13.8-14.1 s with 16 and 14.0-14.8 s with 32.
constexpr std::size_t kMaxGroupMembers = 8;
/// The most training rows (members × batch) one group step gathers. At batch 64 a group's working
/// set (each member's 64 input rows, weights, gradients and Adam moments) should stay in one
/// core's L2: claim 1's nightly protocol took 14.0 s with 256 rows (batch 64: groups of 4) against
/// 14.8-15.1 s with 512 (groups of 8); with the earlier Adam kernel 17.5 s with 256, 17.6-17.8 s
/// with groups of 2 and 18.6 s with 512 (bench/protocol_bench.cpp, 2 workers; at most 32 members
/// then).
constexpr std::int64_t kMaxGroupRows = 256;

/// The cap for runs of batch size `batch`: min(kMaxGroupMembers, kMaxGroupRows / batch), at least
/// 1 (batch 8: 8, batch 64: 4, batch >= 256: alone).
std::size_t group_cap(std::int64_t batch);

/// Runs trained together, in plan order.
struct RunGroup {
  std::vector<const claims::RunSpec*> runs;
  double cost = 0.0;     ///< estimated relative CPU time, for scheduling only
  std::size_t wave = 0;  ///< index of this group among its key's groups (plan order)
};

/// The distinct runs of `runs` (the first of equal keys) as groups, listed by wave and then in
/// the order of their first run; runs with an empty group key (or max_members == 1) form groups of
/// one. A group holds at most min(max_members, group_cap(batch)) runs; max_members 0 means no cap
/// but group_cap.
std::vector<RunGroup> group_runs(const std::vector<claims::RunSpec>& runs, torch::Device device,
                                 std::size_t max_members = 0);

}  // namespace claimcheck::pipeline
