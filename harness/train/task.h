// Tasks: what a run trains on and measures. A task owns its data (loaded once per process
// through the DataCache), its metrics and its training loop; the executor only schedules runs
// and stores what a task returns. Registry by type name: "image-classification" (the MNIST
// FFNs of claim 1) and "char-lm" (character-level language models, claims 2-4).
#pragma once

#include <ATen/core/Generator.h>
#include <torch/types.h>

#include <atomic>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/train/data_cache.h"
#include "harness/train/predictions.h"
#include "harness/train/run_config.h"
#include "models/registry.h"

namespace claimcheck::train {

/// One metric a task reports. Bounds are the metric's possible range (accuracy in [0, 1]);
/// infinite when unbounded. Sequential tests need bounded metrics.
struct MetricInfo {
  std::string name;
  std::string unit;  // e.g. "fraction", "nats/char", "bits/byte"
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
};

/// What a run gets besides its config: where to train and its own generators.
struct RunContext {
  torch::Device device = torch::kCPU;
  DataCache* cache = nullptr;  // shared by every run of the process (thread-safe)
  at::Generator init;          // CPU generator seeded with init_seed: initial weights
  at::Generator noise;         // generator on `device` seeded with noise_seed: dropout, biases
  const std::atomic<bool>* stop = nullptr;  // when set, training stops (throws Interrupted)
};

/// Thrown by a task's loop when RunContext::stop is set: the run is abandoned, not stored.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted") {}
};

/// Throws Interrupted when `stop` is set (called once per training step).
inline void check_stop(const std::atomic<bool>* stop) {
  if (stop != nullptr && stop->load(std::memory_order_relaxed)) throw Interrupted();
}

/// What a run measured. A diverged run (non-finite training loss) is a result, not an error.
struct RunOutput {
  std::map<std::string, double> metrics;  // by MetricInfo::name; NaN where not finite
  bool diverged = false;
  std::int64_t steps = 0;       // optimizer steps taken
  std::int64_t parameters = 0;  // trainable scalars of the built model
  /// What the run predicted on the first `training.predictions` evaluation inputs, when asked
  /// (kept beside the store as an artifact, for prediction difference).
  std::optional<Predictions> predictions;
};

/// A task type.
class Task {
 public:
  virtual ~Task() = default;
  /// The registry name.
  virtual std::string name() const = 0;
  /// The metrics every run reports, in a fixed order; the first is shown in progress lines.
  virtual std::vector<MetricInfo> metrics() const = 0;
  /// The keys a task block may hold besides "type" (its options); any other is a spec error.
  virtual std::vector<std::string> option_keys() const = 0;
  /// The model family whose forward() this task feeds.
  virtual models::ModelFamily model_family() const = 0;
  /// Checks the task block; throws std::invalid_argument "<key>: <what, fix>" (the spec parser
  /// prefixes file and key path). Loads no data.
  virtual void validate_task(const TaskSpec& task) const = 0;
  /// Checks a training block for this task, the same way. Builds no model.
  virtual void validate_training(const TrainingSpec& training) const = 0;
  /// The sizes a model takes from the task (inputs/classes, or vocab/context), from data-set
  /// metadata, without loading the data.
  virtual models::ModelDims dims(const TaskSpec& task, const TrainingSpec& training) const = 0;
  /// Trains and evaluates one run.
  virtual RunOutput run(const RunConfig& config, RunContext& context) const = 0;
  /// Runs that can train together as one batched model (an ensemble) share a non-empty key; the
  /// executor decides the groups. "" (the default): this run trains alone.
  virtual std::string group_key(const RunConfig& config, torch::Device device) const;
  /// Trains runs that share a group key together; output i must equal run(configs[i],
  /// contexts[i]) bit for bit. Default: one run after another.
  virtual std::vector<RunOutput> run_group(const std::vector<RunConfig>& configs,
                                           std::vector<RunContext>& contexts) const;
};

/// The registered task type names, sorted.
std::vector<std::string> task_types();

/// The task called `type`; throws std::invalid_argument listing the valid names.
const Task& task(const std::string& type);

/// The string option `key` of a task block; "" when absent. Throws std::invalid_argument
/// "<key>: must be a string ..." for another JSON type.
std::string task_string(const TaskSpec& task, const std::string& key);

/// The names of a task's metrics.
std::vector<std::string> metric_names(const Task& task);

}  // namespace claimcheck::train
