// What determines one training run, as plain structs shared by the spec parser, the planner and
// the tasks: the model, the task (data and metrics), the training block (optimizer, budget,
// batch, lr, task keys) and the seeds. A claim spec is made of these; a planned run is one of
// each plus its seeds.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "harness/train/optim/optimizer.h"

namespace claimcheck::train {

/// A model by registry type, with its options (models/registry.h).
struct ModelSpec {
  std::string type;
  nlohmann::json options = nlohmann::json::object();
};

/// What is trained and measured: a task type (harness/train/task.h) and its options, the task
/// block's other keys (a data set name, a text file), which the task reads and checks itself
/// (Task::option_keys, Task::validate_task).
struct TaskSpec {
  std::string type = "image-classification";
  nlohmann::json options = nlohmann::json::object();
};

/// How a run trains. Claim-level, with per-arm overrides of any key.
struct TrainingSpec {
  optim::OptimizerSpec optimizer;  // {"type": "adam", "options": {}}
  std::int64_t epochs = 0;         // budget in passes over the training set, or
  std::int64_t steps = 0;          // in optimizer steps (exactly one of the two is > 0)
  std::int64_t batch = 64;
  double lr = 1e-3;
  std::int64_t context = 0;       // char-lm: characters per training window (T)
  std::int64_t eval_windows = 0;  // char-lm: fixed validation windows evaluated after training
  std::int64_t predictions = 0;  // evaluation inputs whose predicted distribution is kept (0: none)
};

/// One run's inputs: everything that determines its result.
struct RunConfig {
  ModelSpec model;
  TaskSpec task;
  TrainingSpec training;
  std::uint64_t data_seed = 0;   // data order (stats::Rng)
  std::uint64_t init_seed = 0;   // the CPU generator every initial weight is drawn from
  std::uint64_t noise_seed = 0;  // the device generator of dropout and random biases
};

/// JSON forms (round-trip with the spec parser; every key written, so hashes are canonical).
nlohmann::json to_json(const ModelSpec& model);
nlohmann::json to_json(const TaskSpec& task);
nlohmann::json to_json(const TrainingSpec& training);

}  // namespace claimcheck::train
