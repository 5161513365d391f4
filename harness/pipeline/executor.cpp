#include "harness/pipeline/executor.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <thread>

#include "harness/claims/artifacts.h"
#include "harness/claims/run_record.h"
#include "harness/env/device.h"
#include "harness/env/fingerprint.h"
#include "harness/env/generator.h"
#include "harness/pipeline/progress.h"
#include "harness/pipeline/run_groups.h"
#include "harness/train/task.h"

namespace claimcheck::pipeline {
using namespace claimcheck::train;  // the tasks, run configs and predictions the pipeline drives
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
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
  store.append(claims::make_run_record(run, out, wall_seconds, fingerprint, artifacts));
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

// The runs to train among `runs`: plan order, each key once, all of one device.
std::vector<claims::RunSpec> runs_to_train(const std::vector<claims::RunSpec>& runs,
                                           const std::function<bool(const std::string&)>& stored) {
  std::vector<claims::RunSpec> missing;
  std::set<std::string> keys;
  for (const auto& run : runs) {
    if (!stored(run.key()) && keys.insert(run.key()).second) missing.push_back(run);
  }
  for (const auto& run : missing) {
    if (run.device_type != missing.front().device_type) {
      throw std::invalid_argument("execute_runs: runs of " + missing.front().device_type + " and " +
                                  run.device_type +
                                  " in one call; a call executes one plan, on one device");
    }
  }
  return missing;
}

// The progress line of the `done`-th of `total` stored runs.
std::string progress_line(const claims::RunSpec& run, const RunOutput& out, std::size_t done,
                          std::size_t total, double wall, std::optional<double> eta) {
  const std::string headline = task(run.run.task.type).metrics().front().name;
  const auto it = out.metrics.find(headline);
  return fmt::format(
      "[{:>4}/{}] {:<12} {} {:>3} (batch {}, lr {:g}): {} {:.4f}{} {:6.2f} s  ETA {}\n", done,
      total, run.arm, claims::to_string(run.role), run.index, run.run.training.batch,
      run.run.training.lr, headline, it == out.metrics.end() ? NAN : it->second,
      out.diverged ? " DIVERGED" : "", wall, eta ? duration_text(*eta) : "?");
}

// What a group is, for the "still training" line: "gpt-swiglu replicate 3" (+ "and 7 more").
std::string group_label(const RunGroup& group) {
  const claims::RunSpec& first = *group.runs.front();
  std::string label =
      fmt::format("{} {} {}", first.arm, claims::to_string(first.role), first.index);
  if (group.runs.size() > 1) label += fmt::format(" and {} more", group.runs.size() - 1);
  return label;
}

// Calls job(i) for every i < n on `workers` threads, each with one intra-op thread (the thread
// rule, executor.h), until `stopped()`. A job that throws Interrupted ends its thread; the first
// other exception ends every thread and is rethrown. Meanwhile the calling thread calls
// `heartbeat()` every `period` seconds.
void run_parallel(std::size_t n, int workers, const std::function<bool()>& stopped,
                  const std::function<void(std::size_t)>& job, double period,
                  const std::function<void()>& heartbeat) {
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::condition_variable finished;
  int running = workers;
  std::exception_ptr failure;
  auto work = [&] {
    torch::set_num_threads(1);
    while (true) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n || stopped()) return;
      {
        std::lock_guard<std::mutex> guard(mutex);
        if (failure) return;
      }
      try {
        job(i);
      } catch (const Interrupted&) {
        return;  // abandoned mid-training: nothing stored for its group
      } catch (...) {
        std::lock_guard<std::mutex> guard(mutex);
        if (!failure) failure = std::current_exception();
        return;
      }
    }
  };
  auto worker = [&] {
    work();
    std::lock_guard<std::mutex> guard(mutex);
    --running;
    finished.notify_all();
  };
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w)
    pool.emplace_back(worker);
  {
    std::unique_lock<std::mutex> lock(mutex);
    const auto every = std::chrono::duration<double>(std::max(period, 0.01));
    while (!finished.wait_for(lock, every, [&] { return running == 0; })) {
      lock.unlock();
      heartbeat();
      lock.lock();
    }
  }
  for (auto& t : pool)
    t.join();
  if (failure) std::rethrow_exception(failure);
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
  // The runs to train, grouped among themselves. A run's numbers do not depend on its group
  // (run_groups.h), so resuming or adding sequential rounds trains only what is missing.
  const std::vector<claims::RunSpec> missing = runs_to_train(runs, stored);
  if (missing.empty()) return summary;
  const torch::Device device = env::device_of_type(missing.front().device_type);
  std::vector<RunGroup> todo = group_runs(missing, device, options.max_group);
  // Wave by wave (replicate-major, so an interruption leaves complete replicates: run_groups.h),
  // longest first within a wave (LPT: the last group to finish is a short one).
  std::stable_sort(todo.begin(), todo.end(), [](const RunGroup& a, const RunGroup& b) {
    return a.wave != b.wave ? a.wave < b.wave : a.cost > b.cost;
  });

  // Once per batch, after the plan set up its device (a CUDA plan: env/determinism.h).
  const nlohmann::json fingerprint = env::fingerprint(device);
  // Data sets load once per process: a sequential design calls this once per round.
  static DataCache cache;
  int workers = options.workers > 0
                    ? options.workers
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (device.is_cuda()) workers = 1;
  workers = std::min<int>(workers, static_cast<int>(todo.size()));
  auto stopped = [&] { return options.stop != nullptr && options.stop->load(); };
  std::vector<double> costs;
  for (const auto& g : todo)
    costs.push_back(std::max(g.cost, 1e-9));
  Eta eta(std::move(costs), workers);
  double last_line = 0.0;  // when progress last printed a line (seconds since start)
  if (options.progress != nullptr) {
    *options.progress << fmt::format("training {} runs in {} group(s) on {} worker(s) ({})\n",
                                     missing.size(), todo.size(), workers, device.str());
    options.progress->flush();
  }
  std::mutex summary_mutex;
  auto heartbeat = [&] {
    std::lock_guard<std::mutex> guard(summary_mutex);
    const double now = seconds_since(start);
    if (options.progress == nullptr || now - last_line < options.heartbeat_seconds) return;
    const std::vector<std::size_t> flying = eta.in_flight();
    if (flying.empty()) return;
    const std::optional<double> left = eta.seconds_left(now);
    *options.progress << fmt::format(
        "[{:>4}/{}] still training {} group(s), the oldest {} for {}; {} elapsed, ETA {}\n",
        summary.trained, missing.size(), flying.size(), group_label(todo[flying.front()]),
        duration_text(now - eta.started_at(flying.front())), duration_text(now),
        left ? duration_text(*left) : "? (no run finished yet)");
    options.progress->flush();
    last_line = now;
  };
  run_parallel(
      todo.size(), workers, stopped,
      [&](std::size_t i) {
        const RunGroup& group = todo[i];
        {
          std::lock_guard<std::mutex> guard(summary_mutex);
          eta.start(i, seconds_since(start));
        }
        const Clock::time_point t0 = Clock::now();
        const std::vector<RunOutput> outs = train_group(group, cache, device, options.stop);
        // A member's wall time is its share of its group's.
        const double wall = seconds_since(t0) / static_cast<double>(group.runs.size());
        std::lock_guard<std::mutex> guard(summary_mutex);
        eta.finish(i, seconds_since(start));
        for (std::size_t m = 0; m < group.runs.size(); ++m) {
          const claims::RunSpec& run = *group.runs[m];
          if (stored(run.key())) continue;  // stored before an interruption
          store_result(store, run, outs[m], wall, fingerprint);
          ++summary.trained;
          if (outs[m].diverged) ++summary.diverged;
          if (options.progress == nullptr) continue;
          const double now = seconds_since(start);
          *options.progress << progress_line(run, outs[m], summary.trained, missing.size(), wall,
                                             eta.seconds_left(now));
          options.progress->flush();
          last_line = now;
        }
      },
      options.heartbeat_seconds, heartbeat);
  summary.wall_seconds = seconds_since(start);
  summary.interrupted = stopped() && summary.cached + summary.trained < summary.total;
  return summary;
}

}  // namespace claimcheck::pipeline
