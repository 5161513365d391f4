#include "harness/train/run_config.h"

namespace claimcheck::train {

nlohmann::json to_json(const ModelSpec& model) {
  return {{"type", model.type}, {"options", model.options}};
}

nlohmann::json to_json(const TaskSpec& task) {
  // The spec's flat block: {"type": ..., <options>}.
  nlohmann::json j = task.options.is_object() ? task.options : nlohmann::json::object();
  j["type"] = task.type;
  return j;
}

nlohmann::json to_json(const TrainingSpec& t) {
  nlohmann::json j = {{"optimizer", {{"type", t.optimizer.type}, {"options", t.optimizer.options}}},
                      {"batch", t.batch},
                      {"lr", t.lr}};
  if (t.epochs > 0) j["epochs"] = t.epochs;
  if (t.steps > 0) j["steps"] = t.steps;
  if (t.context > 0) j["context"] = t.context;
  if (t.eval_windows > 0) j["eval_windows"] = t.eval_windows;
  if (t.predictions > 0) j["predictions"] = t.predictions;
  return j;
}

}  // namespace claimcheck::train
