#include "harness/train/executor.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <ostream>
#include <thread>

#include "harness/data/idx.h"
#include "harness/env/data_dir.h"
#include "harness/env/fingerprint.h"
#include "harness/train/classifier_trainer.h"

namespace claimcheck::train {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Loads each IDX data set once, flattened to (N, 784), on the training device.
class ClassifierDataCache {
 public:
  explicit ClassifierDataCache(torch::Device device) : device_(device) {}
  const ClassifierData& get(const std::string& dataset) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto it = cache_.find(dataset);
    if (it != cache_.end()) return it->second;
    const auto dir = env::require_dataset(dataset);
    const data::MnistSplit train = data::load_mnist(dir, data::MnistPart::kTrain);
    const data::MnistSplit test = data::load_mnist(dir, data::MnistPart::kTest);
    auto flat = [&](const torch::Tensor& images) {
      return images.reshape({images.size(0), -1}).to(device_);
    };
    ClassifierData d{flat(train.images), train.labels.to(device_), flat(test.images),
                     test.labels.to(device_)};
    return cache_.emplace(dataset, d).first->second;
  }

 private:
  torch::Device device_;
  std::mutex mutex_;
  std::map<std::string, ClassifierData> cache_;
};

std::mutex& init_mutex() {
  static std::mutex m;  // torch::manual_seed and model construction use the global generator
  return m;
}

nlohmann::json train_one(const claims::RunSpec& run, ClassifierDataCache& cache,
                         torch::Device device) {
  if (run.task.type != "image-classification") {
    throw std::invalid_argument("task type '" + run.task.type + "' has no trainer yet");
  }
  const ClassifierData& data = cache.get(run.task.dataset);
  std::shared_ptr<models::ClassifierImpl> model;
  {
    std::lock_guard<std::mutex> guard(init_mutex());
    torch::manual_seed(
        run.init_seed);  // weights are drawn on the CPU, then moved: same init on every device
    model = models::make_classifier(run.model.type, run.model.options);
  }
  model->to(device);
  const ClassifierMetrics m = train_classifier(
      *model, data, {run.task.optimizer, run.lr, run.batch, run.task.epochs}, run.data_seed);
  return {{"test_accuracy", m.test_accuracy},
          {"test_loss", m.test_loss},
          {"final_train_loss", m.final_train_loss},
          {"steps", m.steps},
          {"diverged", m.diverged}};
}

}  // namespace

ExecuteSummary execute_runs(const std::vector<claims::RunSpec>& runs, claims::RunStore& store,
                            const ExecuteOptions& options) {
  const Clock::time_point start = Clock::now();
  ExecuteSummary summary;
  summary.total = runs.size();
  std::vector<const claims::RunSpec*> todo;
  for (const auto& run : runs) {
    if (store.contains(run.key())) {
      ++summary.cached;
    } else {
      todo.push_back(&run);
    }
  }
  if (options.progress != nullptr && summary.cached > 0) {
    *options.progress << fmt::format("{} of {} runs already in {}: not retrained\n", summary.cached,
                                     summary.total, store.file().string());
  }
  if (todo.empty()) return summary;

  const nlohmann::json fingerprint = env::fingerprint();
  ClassifierDataCache cache(options.device);
  int workers = options.workers > 0
                    ? options.workers
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (options.device.is_cuda()) workers = 1;
  workers = std::min<int>(workers, static_cast<int>(todo.size()));

  std::atomic<std::size_t> next{0};
  std::mutex report_mutex;
  std::exception_ptr failure;
  auto worker = [&] {
    torch::set_num_threads(
        1);  // small models: per-op overhead dominates; parallelism is across runs
    while (true) {
      const std::size_t i = next.fetch_add(1);
      if (i >= todo.size()) return;
      {
        std::lock_guard<std::mutex> guard(report_mutex);
        if (failure) return;
      }
      const claims::RunSpec& run = *todo[i];
      try {
        const Clock::time_point t0 = Clock::now();
        const nlohmann::json metrics = train_one(run, cache, options.device);
        const double wall = seconds_since(t0);
        nlohmann::json record = {{"key", run.key()},     {"claim", run.claim},
                                 {"arm", run.arm},       {"role", claims::to_string(run.role)},
                                 {"index", run.index},   {"config", run.config()},
                                 {"metrics", metrics},   {"diverged", metrics.at("diverged")},
                                 {"wall_seconds", wall}, {"fingerprint", fingerprint}};
        store.append(record);
        std::lock_guard<std::mutex> guard(report_mutex);
        ++summary.trained;
        if (metrics.at("diverged").get<bool>()) ++summary.diverged;
        if (options.progress != nullptr) {
          const double elapsed = seconds_since(start);
          const double eta = elapsed / static_cast<double>(summary.trained) *
                             static_cast<double>(todo.size() - summary.trained);
          *options.progress << fmt::format(
              "[{:>4}/{}] {:<10} {} {:>3} (batch {}, lr {:g}): test_accuracy {:.4f}{} {:5.2f} s  "
              "ETA {:.0f} s\n",
              summary.trained, todo.size(), run.arm, claims::to_string(run.role), run.index,
              run.batch, run.lr, metrics.at("test_accuracy").get<double>(),
              metrics.at("diverged").get<bool>() ? " DIVERGED" : "", wall, eta);
          options.progress->flush();
        }
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
  return summary;
}

}  // namespace claimcheck::train
