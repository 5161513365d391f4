// Models by "type" name (tiny-cuda-nn style): a spec names a type and its options. For each type
// the registry can validate the options and count the parameters by formula without building
// anything, and build the module with every weight drawn from a given generator. Unknown types or
// options are errors that list the valid ones.
#pragma once

#include <ATen/core/Generator.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "models/model.h"

namespace claimcheck::models {

/// What a model's forward() consumes, which decides the tasks it can serve.
enum class ModelFamily {
  kClassifier,     ///< (B, inputs) float -> (B, classes)
  kLanguageModel,  ///< (B, T) int64 -> (B, T, vocab)
};

/// "classifier" / "language-model".
std::string to_string(ModelFamily family);

/// A parameter count by formula: the total and a breakdown by part ("mlp", "attention",
/// "embedding", "head", "norm", ...; the parts sum to the total).
struct ParameterCount {
  std::int64_t total = 0;
  std::map<std::string, std::int64_t> parts;
};

/// One registered model type.
struct ModelType {
  std::string name;
  ModelFamily family = ModelFamily::kClassifier;
  /// Parses the options; throws std::invalid_argument naming the bad option. Builds nothing.
  std::function<void(const nlohmann::json& options)> validate;
  /// Parameter count by formula (validates first).
  std::function<ParameterCount(const nlohmann::json& options, const ModelDims& dims)> count;
  /// Builds the module on the CPU, every initial weight drawn from `init` (a CPU generator).
  std::function<std::shared_ptr<Model>(const nlohmann::json& options, const ModelDims& dims,
                                       at::Generator& init)>
      build;
};

/// Adds a model type (an extension, or a test double); throws std::invalid_argument when the
/// name is taken. Thread-safe; call before any run starts.
void register_model_type(const ModelType& type);

/// The registered type names, sorted.
std::vector<std::string> model_types();

/// The type called `name`; throws std::invalid_argument listing the valid names.
const ModelType& model_type(const std::string& name);

/// Validates options without building (throws std::invalid_argument).
void validate_model_options(const std::string& type, const nlohmann::json& options);

/// Parameter count by formula, without building.
ParameterCount count_parameters(const std::string& type, const nlohmann::json& options,
                                const ModelDims& dims);

/// Builds a model on the CPU with weights drawn from `init`.
std::shared_ptr<Model> make_model(const std::string& type, const nlohmann::json& options,
                                  const ModelDims& dims, at::Generator& init);

}  // namespace claimcheck::models
