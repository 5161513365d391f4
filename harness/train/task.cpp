#include "harness/train/task.h"

#include <map>
#include <memory>
#include <stdexcept>

#include "harness/train/char_lm.h"
#include "harness/train/image_classification.h"

namespace claimcheck::train {
namespace {

const std::map<std::string, std::unique_ptr<Task>>& registry() {
  static const std::map<std::string, std::unique_ptr<Task>> kTasks = [] {
    std::map<std::string, std::unique_ptr<Task>> tasks;
    for (auto* t : {make_image_classification_task().release(), make_char_lm_task().release()}) {
      tasks.emplace(t->name(), std::unique_ptr<Task>(t));
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
  std::vector<std::string> names;
  for (const auto& entry : registry())
    names.push_back(entry.first);
  return names;
}

const Task& task(const std::string& type) {
  const auto it = registry().find(type);
  if (it == registry().end()) {
    std::string valid;
    for (const auto& name : task_types())
      valid += (valid.empty() ? "" : ", ") + name;
    throw std::invalid_argument("unknown task type '" + type + "' (valid: " + valid + ")");
  }
  return *it->second;
}

std::vector<std::string> metric_names(const Task& task) {
  std::vector<std::string> names;
  for (const auto& m : task.metrics())
    names.push_back(m.name);
  return names;
}

}  // namespace claimcheck::train
