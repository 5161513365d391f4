#include "harness/pipeline/executor.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <ostream>
#include <set>
#include <thread>

#include "harness/claims/artifacts.h"
#include "harness/claims/run_record.h"
#include "harness/env/device.h"
#include "harness/env/fingerprint.h"
#include "harness/env/generator.h"
#include "harness/pipeline/run_groups.h"
#include "harness/train/task.h"

namespace claimcheck::pipeline {
using namespace claimcheck::train;  // the tasks, run configs and predictions the pipeline drives
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

nlohmann::json metrics_json(const RunOutput& out) {
  nlohmann::json m = nlohmann::json::object();
  for (const auto& [name, value] : out.metrics) {
    // JSON has no NaN/inf: a non-finite metric (a diverged run) is stored as null.
    m[name] = std::isfinite(value) ? nlohmann::json(value) : nlohmann::json();
  }
  return m;
}

// The one place a finished run becomes a store line. Its artifacts are written (atomically)
// first, so a store line never refers to a file that is not there.
void store_result(claims::RunStore& store, const claims::RunSpec& run, const RunOutput& out,
                  double wall_seconds, const nlohmann::json& fingerprint) {
  nlohmann::json artifacts = nlohmann::json::object();
  if (out.predictions) {
    const claims::ArtifactRef ref = claims::write_predictions(store.file().parent_path(), run.claim,
                                                              run.key(), *out.predictions);
    artifacts["predictions"] = {{"file", ref.file}, {"checksum", ref.checksum}};
  }
  nlohmann::json record = {{"format", claims::kRunRecordFormat},
                           {"key", run.key()},
                           {"claim", run.claim},
                           {"arm", run.arm},
                           {"role", claims::to_string(run.role)},
                           {"index", run.index},
                           {"config", run.config()},
                           {"metrics", metrics_json(out)},
                           {"diverged", out.diverged},
                           {"steps", out.steps},
                           {"parameters", out.parameters},
                           {"wall_seconds", wall_seconds},
                           {"fingerprint", fingerprint}};
  if (!artifacts.empty()) record["artifacts"] = artifacts;
  store.append(record);
}

RunContext context_for(const claims::RunSpec& run, DataCache& cache, torch::Device device,
                       const std::atomic<bool>* stop) {
  RunContext context;
  context.device = device;
  context.cache = &cache;
  context.stop = stop;
  // Initial weights are drawn on the CPU, then moved: the same init on every device.
  context.init = env::cpu_generator(run.run.init_seed);
  context.noise = env::device_generator(device, run.run.noise_seed);
  return context;
}

// Trains a group: one run alone through Task::run, several through Task::run_group.
std::vector<RunOutput> train_group(const RunGroup& group, DataCache& cache, torch::Device device,
                                   const std::atomic<bool>* stop) {
  const Task& t = task(group.runs.front()->run.task.type);
  std::vector<RunContext> contexts;
  std::vector<RunConfig> configs;
  for (const auto* run : group.runs) {
    contexts.push_back(context_for(*run, cache, device, stop));
    configs.push_back(run->run);
  }
  if (group.runs.size() == 1) return {t.run(configs.front(), contexts.front())};
  return t.run_group(configs, contexts);
}

}  // namespace

ExecuteSummary execute_runs(const std::vector<claims::RunSpec>& runs, claims::RunStore& store,
                            const ExecuteOptions& options) {
  const Clock::time_point start = Clock::now();
  ExecuteSummary summary;
  summary.total = runs.size();
  // Stored and usable: a run whose artifact was found damaged is trained again.
  auto stored = [&](const std::string& key) {
    return store.contains(key) && options.retrain.count(key) == 0;
  };
  for (const auto& run : runs)
    summary.cached += stored(run.key()) ? 1 : 0;
  if (options.progress != nullptr && summary.cached > 0) {
    *options.progress << fmt::format("{} of {} runs already in {}: not retrained\n", summary.cached,
                                     summary.total, store.file().string());
  }
  // The runs to train (plan order, each key once), grouped among themselves. A run's numbers do
  // not depend on its group (run_groups.h), so resuming or adding sequential rounds trains only
  // what is missing.
  std::vector<claims::RunSpec> missing;
  std::set<std::string> keys;
  for (const auto& run : runs) {
    if (!stored(run.key()) && keys.insert(run.key()).second) missing.push_back(run);
  }
  if (missing.empty()) return summary;
  const torch::Device device = env::device_of_type(missing.front().device_type);
  for (const auto& run : missing) {
    if (run.device_type != missing.front().device_type) {
      throw std::invalid_argument("execute_runs: runs of " + missing.front().device_type + " and " +
                                  run.device_type +
                                  " in one call; a call executes one plan, on one device");
    }
  }
  std::vector<RunGroup> todo = group_runs(missing, device, options.max_group);
  const std::size_t to_store = missing.size();
  // Wave by wave (replicate-major, so an interruption leaves complete replicates: run_groups.h),
  // longest first within a wave (LPT: the last group to finish is a short one).
  std::stable_sort(todo.begin(), todo.end(), [](const RunGroup& a, const RunGroup& b) {
    return a.wave != b.wave ? a.wave < b.wave : a.cost > b.cost;
  });

  const nlohmann::json fingerprint = env::fingerprint();
  // Data sets load once per process: a sequential design calls this once per round.
  static DataCache cache;
  int workers = options.workers > 0
                    ? options.workers
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (device.is_cuda()) workers = 1;
  workers = std::min<int>(workers, static_cast<int>(todo.size()));

  std::atomic<std::size_t> next{0};
  auto stopped = [&] { return options.stop != nullptr && options.stop->load(); };
  std::mutex report_mutex;
  std::exception_ptr failure;
  auto worker = [&] {
    // The thread rule (executor.h): one intra-op thread per worker, parallelism across groups.
    torch::set_num_threads(1);
    while (true) {
      const std::size_t i = next.fetch_add(1);
      if (i >= todo.size() || stopped()) return;
      {
        std::lock_guard<std::mutex> guard(report_mutex);
        if (failure) return;
      }
      const RunGroup& group = todo[i];
      try {
        const Clock::time_point t0 = Clock::now();
        const std::vector<RunOutput> outs = train_group(group, cache, device, options.stop);
        // A member's wall time is its share of its group's.
        const double wall = seconds_since(t0) / static_cast<double>(group.runs.size());
        for (std::size_t m = 0; m < group.runs.size(); ++m) {
          const claims::RunSpec& run = *group.runs[m];
          const RunOutput& out = outs[m];
          if (stored(run.key())) continue;  // stored before an interruption
          store_result(store, run, out, wall, fingerprint);
          std::lock_guard<std::mutex> guard(report_mutex);
          ++summary.trained;
          if (out.diverged) ++summary.diverged;
          if (options.progress == nullptr) continue;
          const double elapsed = seconds_since(start);
          const double eta = elapsed / static_cast<double>(summary.trained) *
                             static_cast<double>(to_store - summary.trained);
          const std::string headline = task(run.run.task.type).metrics().front().name;
          const auto it = out.metrics.find(headline);
          *options.progress << fmt::format(
              "[{:>4}/{}] {:<12} {} {:>3} (batch {}, lr {:g}): {} {:.4f}{} {:6.2f} s  ETA {:.0f} "
              "s\n",
              summary.trained, to_store, run.arm, claims::to_string(run.role), run.index,
              run.run.training.batch, run.run.training.lr, headline,
              it == out.metrics.end() ? NAN : it->second, out.diverged ? " DIVERGED" : "", wall,
              eta);
          options.progress->flush();
        }
      } catch (const Interrupted&) {
        return;  // abandoned mid-training: nothing stored for its group
      } catch (...) {
        std::lock_guard<std::mutex> guard(report_mutex);
        if (!failure) failure = std::current_exception();
        return;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w)
    pool.emplace_back(worker);
  for (auto& t : pool)
    t.join();
  if (failure) std::rethrow_exception(failure);
  summary.wall_seconds = seconds_since(start);
  summary.interrupted = stopped() && summary.cached + summary.trained < summary.total;
  return summary;
}

}  // namespace claimcheck::pipeline
