#include "models/registry.h"

#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>

#include "models/ffn.h"

namespace claimcheck::models {
namespace {

// Reads a positive integer option with a default; `allowed` collects the keys this type reads.
std::int64_t positive_option(const nlohmann::json& options, const std::string& key,
                             std::int64_t fallback) {
  if (!options.contains(key)) return fallback;
  const auto& value = options.at(key);
  if (!value.is_number_integer() || value.get<std::int64_t>() < 1) {
    throw std::invalid_argument("model option '" + key + "' must be a positive integer, got " +
                                value.dump());
  }
  return value.get<std::int64_t>();
}

void reject_unknown(const std::string& type, const nlohmann::json& options,
                    const std::vector<std::string>& allowed) {
  if (!options.is_object()) {
    throw std::invalid_argument("model '" + type + "': options must be a JSON object, got " +
                                options.dump());
  }
  for (const auto& item : options.items()) {
    if (std::find(allowed.begin(), allowed.end(), item.key()) == allowed.end()) {
      std::string valid;
      for (const auto& key : allowed)
        valid += (valid.empty() ? "" : ", ") + key;
      throw std::invalid_argument("model '" + type + "': unknown option '" + item.key() +
                                  "' (valid: " + valid + ")");
    }
  }
}

using Factory = std::function<std::shared_ptr<ClassifierImpl>(const nlohmann::json&)>;

template <typename Ffn>
Factory ffn_factory(const std::string& type) {
  return [type](const nlohmann::json& options) -> std::shared_ptr<ClassifierImpl> {
    reject_unknown(type, options, {"hidden", "inputs", "classes"});
    if (!options.contains("hidden")) {
      throw std::invalid_argument("model '" + type + "': option 'hidden' is required");
    }
    return std::make_shared<Ffn>(positive_option(options, "inputs", 784),
                                 positive_option(options, "hidden", 0),
                                 positive_option(options, "classes", 10));
  };
}

const std::map<std::string, Factory>& factories() {
  static const std::map<std::string, Factory> kFactories = {
      {"ffn-relu", ffn_factory<FfnReluImpl>("ffn-relu")},
      {"ffn-geglu", ffn_factory<FfnGegluImpl>("ffn-geglu")},
  };
  return kFactories;
}

}  // namespace

std::vector<std::string> classifier_types() {
  std::vector<std::string> names;
  for (const auto& entry : factories())
    names.push_back(entry.first);
  return names;
}

std::shared_ptr<ClassifierImpl> make_classifier(const std::string& type,
                                                const nlohmann::json& options) {
  const auto it = factories().find(type);
  if (it == factories().end()) {
    std::string valid;
    for (const auto& name : classifier_types())
      valid += (valid.empty() ? "" : ", ") + name;
    throw std::invalid_argument("unknown model type '" + type + "' (valid: " + valid + ")");
  }
  return it->second(options);
}

std::int64_t parameter_count(const torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& p : module.parameters())
    count += p.numel();
  return count;
}

}  // namespace claimcheck::models
