// Models by "type" name (tiny-cuda-nn style): a spec names a type and its options; the registry
// builds the module and rejects unknown types or options, listing the valid ones.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace claimcheck::models {

/// A classifier: inputs (B, ...) -> logits (B, classes).
struct ClassifierImpl : torch::nn::Module {
  virtual torch::Tensor forward(const torch::Tensor& x) = 0;
};

/// The type names the registry knows, sorted.
std::vector<std::string> classifier_types();

/// Builds a classifier of `type` from its options (e.g. {"hidden": 8}); parameters are drawn from
/// LibTorch's current default generator. Throws std::invalid_argument on an unknown type, an
/// unknown option key or a bad value, naming it and the valid choices.
std::shared_ptr<ClassifierImpl> make_classifier(const std::string& type,
                                                const nlohmann::json& options);

/// The number of trainable scalars in a module.
std::int64_t parameter_count(const torch::nn::Module& module);

}  // namespace claimcheck::models
