#include "harness/pipeline/run_groups.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "harness/train/task.h"

namespace claimcheck::pipeline {
using namespace claimcheck::train;  // the tasks, run configs and predictions the pipeline drives
namespace {

// Relative CPU time of one run, for ordering work only: steps × (a per-step cost of ~30 µs per
// member plus ~1 µs per sample; bench/ensemble_bench.cpp at h = 8). An epoch is taken as 60,000
// samples (MNIST): only runs of one claim are compared, which share their data set.
double estimated_cost(const claims::RunSpec& run) {
  const auto& t = run.run.training;
  const double batch = static_cast<double>(std::max<std::int64_t>(t.batch, 1));
  const double steps = t.steps > 0 ? static_cast<double>(t.steps)
                                   : static_cast<double>(t.epochs) * std::ceil(60000.0 / batch);
  return steps * (30.0 + batch);
}

}  // namespace

std::size_t group_cap(std::int64_t batch) {
  const std::int64_t by_rows = kMaxGroupRows / std::max<std::int64_t>(batch, 1);
  return static_cast<std::size_t>(
      std::clamp<std::int64_t>(by_rows, 1, static_cast<std::int64_t>(kMaxGroupMembers)));
}

std::vector<RunGroup> group_runs(const std::vector<claims::RunSpec>& runs, torch::Device device,
                                 std::size_t max_members) {
  // Buckets by (task type, key) in order of first appearance; keyless runs are buckets of one.
  std::vector<std::vector<const claims::RunSpec*>> buckets;
  std::map<std::string, std::size_t> bucket_of;
  std::set<std::string> seen;
  for (const auto& run : runs) {
    if (!seen.insert(run.key()).second) continue;
    const std::string key =
        max_members != 1 ? task(run.run.task.type).group_key(run.run, device) : std::string();
    if (key.empty()) {
      buckets.push_back({&run});
      continue;
    }
    const auto [it, fresh] = bucket_of.emplace(run.run.task.type + "\n" + key, buckets.size());
    if (fresh) buckets.emplace_back();
    buckets[it->second].push_back(&run);
  }
  // ceil(n / cap) contiguous groups whose sizes differ by at most one.
  std::vector<RunGroup> groups;
  for (const auto& bucket : buckets) {
    const std::size_t n = bucket.size();
    std::size_t cap = group_cap(bucket.front()->run.training.batch);
    if (max_members > 0) cap = std::min(cap, max_members);
    const std::size_t parts = (n + cap - 1) / cap;
    std::size_t begin = 0;
    for (std::size_t p = 0; p < parts; ++p) {
      const std::size_t size = n / parts + (p < n % parts ? 1 : 0);
      RunGroup g;
      g.runs.assign(bucket.begin() + static_cast<std::ptrdiff_t>(begin),
                    bucket.begin() + static_cast<std::ptrdiff_t>(begin + size));
      for (const auto* r : g.runs)
        g.cost += estimated_cost(*r);
      g.wave = p;
      groups.push_back(std::move(g));
      begin += size;
    }
  }
  // Buckets were appended in the order of their first run and each bucket's groups in plan
  // order, so a stable sort by wave lists groups by wave, then by first run.
  std::stable_sort(groups.begin(), groups.end(),
                   [](const RunGroup& a, const RunGroup& b) { return a.wave < b.wave; });
  return groups;
}

}  // namespace claimcheck::pipeline
