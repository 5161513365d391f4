// The executor: trains the planned runs that are not yet in the store and appends each result
// as it finishes. The only place that knows how runs are scheduled. Runs that their task can
// train as one batched model (Task::group_key; today the claim-1 FFNs on the CPU) are grouped
// into ensembles of up to group_cap(batch) runs (run_groups.h); only runs missing from the store
// are trained, grouped among themselves. Every other run is a group of one. What a run does is
// its task's business (harness/train/task.h); every run gets its own generators seeded from the
// plan, and a group member's numbers are bit for bit those of training it alone, so no number
// depends on the workers or the group beside it.
//
// Thread rule (CPU): `workers` groups train at once (default: one per hardware thread), each
// with one LibTorch intra-op thread, wave by wave (run_groups.h), the largest estimated cost
// first within a wave. Measured on the 2-core machine (bench/ensemble_bench.cpp BM_TwoGroups: two
// groups of 8 GeGLU(8) at batch 8, 400 steps): side by side with one thread each 0.075 s, one
// after the other with one thread 0.148 s (so 2x the throughput), one after the other with two
// intra-op threads 0.185 s; claim 1's nightly protocol 13.5 s with 2 workers, 26.2 s with 1
// (bench/protocol_bench.cpp). Groups must stay small for this: two groups of 30 side by side
// (0.70 s) were no faster than one after the other (0.57 s), their Adam moments and inputs
// overflowing L2 and both cores waiting on memory. Two intra-op threads per group lose because a
// member's tiny ops do not split and OpenMP's barriers stall whenever the other core is busy. Small
// groups are not split across threads
// either: results would not change (EnsembleAdam splits members, never elements), time would.
// On CUDA: one run at a time.
#pragma once

#include <atomic>
#include <cstddef>
#include <iosfwd>
#include <set>
#include <string>
#include <vector>

#include "harness/claims/planner.h"
#include "harness/claims/run_store.h"

namespace claimcheck::pipeline {

/// How to execute. The device is the runs' own (RunSpec::device_type, from their plan): there
/// is no second place to name it that could disagree.
struct ExecuteOptions {
  int workers = 0;                          // parallel groups on CPU; 0 = one per hardware thread
  std::ostream* progress = nullptr;         // one line per finished run (runs done/total, ETA)
  double heartbeat_seconds = 30.0;          // a "still training" line after this long without one
  const std::atomic<bool>* stop = nullptr;  // set (e.g. by Ctrl-C): abandon runs, keep results
  std::size_t max_group = 0;                // largest ensemble; 0 = group_cap(batch), 1 = alone
  std::set<std::string> retrain;  // keys in the store to train again (their artifact is damaged)
  bool any_build = false;  // reuse stored runs of other builds (train_profile.h); `run --any-build`
};

/// What happened.
struct ExecuteSummary {
  std::size_t total = 0;     // runs planned
  std::size_t cached = 0;    // already in the store, not retrained
  std::size_t trained = 0;   // trained now
  std::size_t diverged = 0;  // of those trained, flagged diverged
  double wall_seconds = 0.0;
  bool interrupted = false;  // `stop` was set: some planned runs were not trained
};

/// Trains every run whose key is not in `store`, appending one record per run:
/// {format, key, claim, arm, role, index, config, metrics, diverged, steps, parameters,
///  wall_seconds, fingerprint} (claims/run_record.h). Runs with equal keys (identical arms) are
/// trained once.
ExecuteSummary execute_runs(const std::vector<claims::RunSpec>& runs, claims::RunStore& store,
                            const ExecuteOptions& options);

}  // namespace claimcheck::pipeline
