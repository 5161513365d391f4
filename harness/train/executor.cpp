#include "harness/train/executor.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <ostream>
#include <set>
#include <thread>

#include "harness/claims/run_record.h"
#include "harness/env/fingerprint.h"
#include "harness/env/generator.h"
#include "harness/train/task.h"

namespace claimcheck::train {
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

RunOutput train_one(const claims::RunSpec& run, DataCache& cache, torch::Device device,
                    const std::atomic<bool>* stop) {
  RunContext context;
  context.device = device;
  context.cache = &cache;
  context.stop = stop;
  // Initial weights are drawn on the CPU, then moved: the same init on every device.
  context.init = env::cpu_generator(run.run.init_seed);
  context.noise = env::device_generator(device, run.run.noise_seed);
  return task(run.run.task.type).run(run.run, context);
}

}  // namespace

ExecuteSummary execute_runs(const std::vector<claims::RunSpec>& runs, claims::RunStore& store,
                            const ExecuteOptions& options) {
  const Clock::time_point start = Clock::now();
  ExecuteSummary summary;
  summary.total = runs.size();
  std::vector<const claims::RunSpec*> todo;
  std::set<std::string> scheduled;
  for (const auto& run : runs) {
    const std::string key = run.key();
    if (store.contains(key)) {
      ++summary.cached;
    } else if (scheduled.insert(key).second) {
      todo.push_back(&run);
    }
  }
  if (options.progress != nullptr && summary.cached > 0) {
    *options.progress << fmt::format("{} of {} runs already in {}: not retrained\n", summary.cached,
                                     summary.total, store.file().string());
  }
  if (todo.empty()) return summary;

  const nlohmann::json fingerprint = env::fingerprint();
  DataCache cache;
  int workers = options.workers > 0
                    ? options.workers
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (options.device.is_cuda()) workers = 1;
  workers = std::min<int>(workers, static_cast<int>(todo.size()));

  std::atomic<std::size_t> next{0};
  auto stopped = [&] { return options.stop != nullptr && options.stop->load(); };
  std::mutex report_mutex;
  std::exception_ptr failure;
  auto worker = [&] {
    // Small models: per-op overhead dominates, so parallelism is across runs, one intra-op
    // thread each (OpenMP's thread count is per calling thread).
    torch::set_num_threads(1);
    while (true) {
      const std::size_t i = next.fetch_add(1);
      if (i >= todo.size() || stopped()) return;
      {
        std::lock_guard<std::mutex> guard(report_mutex);
        if (failure) return;
      }
      const claims::RunSpec& run = *todo[i];
      try {
        const Clock::time_point t0 = Clock::now();
        const RunOutput out = train_one(run, cache, options.device, options.stop);
        const double wall = seconds_since(t0);
        const nlohmann::json record = {{"format", claims::kRunRecordFormat},
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
                                       {"wall_seconds", wall},
                                       {"fingerprint", fingerprint}};
        store.append(record);
        std::lock_guard<std::mutex> guard(report_mutex);
        ++summary.trained;
        if (out.diverged) ++summary.diverged;
        if (options.progress != nullptr) {
          const double elapsed = seconds_since(start);
          const double eta = elapsed / static_cast<double>(summary.trained) *
                             static_cast<double>(todo.size() - summary.trained);
          const std::string headline = task(run.run.task.type).metrics().front().name;
          const auto it = out.metrics.find(headline);
          *options.progress << fmt::format(
              "[{:>4}/{}] {:<12} {} {:>3} (batch {}, lr {:g}): {} {:.4f}{} {:6.2f} s  ETA {:.0f} "
              "s\n",
              summary.trained, todo.size(), run.arm, claims::to_string(run.role), run.index,
              run.run.training.batch, run.run.training.lr, headline,
              it == out.metrics.end() ? NAN : it->second, out.diverged ? " DIVERGED" : "", wall,
              eta);
          options.progress->flush();
        }
      } catch (const Interrupted&) {
        return;  // abandoned mid-training: nothing stored for it
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

}  // namespace claimcheck::train
