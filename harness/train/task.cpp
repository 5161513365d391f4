#include "harness/train/task.h"

#include <memory>
#include <stdexcept>

#include "harness/base/registry.h"
#include "harness/train/char_lm.h"
#include "harness/train/image_classification.h"

namespace claimcheck::train {
namespace {

// The registered tasks. A new task adds one line here and its own files.
const base::Registry<std::unique_ptr<Task>>& registry() {
  static const base::Registry<std::unique_ptr<Task>> kTasks = [] {
    base::Registry<std::unique_ptr<Task>> tasks("task type");
    for (auto* make : {&make_image_classification_task, &make_char_lm_task}) {
      std::unique_ptr<Task> t = make();
      const std::string name = t->name();
      tasks.add(name, std::move(t));
    }
    return tasks;
  }();
  return kTasks;
}

}  // namespace

std::string Task::group_key(const RunConfig& /*config*/, torch::Device /*device*/) const {
  return "";
}

std::vector<RunOutput> Task::run_group(const std::vector<RunConfig>& configs,
                                       std::vector<RunContext>& contexts) const {
  if (configs.size() != contexts.size()) {
    throw std::invalid_argument("run_group: one context per config");
  }
  std::vector<RunOutput> out;
  for (std::size_t i = 0; i < configs.size(); ++i)
    out.push_back(run(configs[i], contexts[i]));
  return out;
}

std::vector<std::string> task_types() {
  return registry().names();
}

const Task& task(const std::string& type) {
  return *registry().at(type);
}

std::string task_string(const TaskSpec& task, const std::string& key) {
  const auto it = task.options.find(key);
  if (it == task.options.end()) return "";
  if (!it->is_string()) throw std::invalid_argument(key + ": must be a string, got " + it->dump());
  return it->get<std::string>();
}

std::vector<std::string> metric_names(const Task& task) {
  std::vector<std::string> names;
  for (const auto& m : task.metrics())
    names.push_back(m.name);
  return names;
}

}  // namespace claimcheck::train
