#include "models/registry.h"

#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "models/charlm/family.h"
#include "models/ffn.h"
#include "models/gpt.h"
#include "models/gpt2.h"

namespace claimcheck::models {
namespace {

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

// Every model family contributes its types here (one line per family). Entries are never
// removed, so references into the map stay valid.
std::map<std::string, ModelType>& registry() {
  static std::map<std::string, ModelType> kRegistry = [] {
    std::map<std::string, ModelType> all;
    for (const auto& family :
         {ffn_model_types(), charlm_family_model_types(), gpt_model_types(), gpt2_model_types()}) {
      for (const auto& type : family) {
        if (!all.emplace(type.name, type).second) {
          throw std::logic_error("model type '" + type.name + "' is registered twice");
        }
      }
    }
    return all;
  }();
  return kRegistry;
}

}  // namespace

std::string to_string(ModelFamily family) {
  return family == ModelFamily::kClassifier ? "classifier" : "language-model";
}

void register_model_type(const ModelType& type) {
  std::lock_guard<std::mutex> guard(registry_mutex());
  if (!registry().emplace(type.name, type).second) {
    throw std::invalid_argument("model type '" + type.name + "' is already registered");
  }
}

std::vector<std::string> model_types() {
  std::lock_guard<std::mutex> guard(registry_mutex());
  std::vector<std::string> names;
  for (const auto& entry : registry())
    names.push_back(entry.first);
  return names;
}

const ModelType& model_type(const std::string& name) {
  std::unique_lock<std::mutex> guard(registry_mutex());
  const auto it = registry().find(name);
  if (it == registry().end()) {
    guard.unlock();
    std::string valid;
    for (const auto& n : model_types())
      valid += (valid.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown model type '" + name + "' (valid: " + valid + ")");
  }
  return it->second;
}

void validate_model_options(const std::string& type, const nlohmann::json& options) {
  model_type(type).validate(options);
}

ParameterCount count_parameters(const std::string& type, const nlohmann::json& options,
                                const ModelDims& dims) {
  const ModelType& t = model_type(type);
  t.validate(options);
  return t.count(options, dims);
}

std::shared_ptr<Model> make_model(const std::string& type, const nlohmann::json& options,
                                  const ModelDims& dims, at::Generator& init) {
  const ModelType& t = model_type(type);
  t.validate(options);
  return t.build(options, dims, init);
}

}  // namespace claimcheck::models
