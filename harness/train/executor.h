// The executor: trains the planned runs that are not yet in the store and appends each result
// as it finishes. The only place that knows how runs are scheduled: independent runs on a small
// pool of CPU workers (one LibTorch thread each) or one at a time on CUDA. What a run does is
// its task's business (harness/train/task.h); every run gets its own generators seeded from the
// plan, so its numbers do not depend on the workers beside it.
#pragma once

#include <torch/types.h>

#include <atomic>
#include <cstddef>
#include <iosfwd>
#include <vector>

#include "harness/claims/planner.h"
#include "harness/claims/run_store.h"

namespace claimcheck::train {

/// How to execute.
struct ExecuteOptions {
  torch::Device device = torch::kCPU;
  int workers = 0;                          // parallel runs on CPU; 0 = one per hardware thread
  std::ostream* progress = nullptr;         // one line per finished run (runs done/total, ETA)
  const std::atomic<bool>* stop = nullptr;  // set (e.g. by Ctrl-C): abandon runs, keep results
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

}  // namespace claimcheck::train
