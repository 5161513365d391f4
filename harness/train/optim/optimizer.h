// The optimizer interface and registry (tiny-cuda-nn style: a spec names a "type" and its
// "options"). An optimizer gets the model's parameters split by role (models::ParameterGroups),
// so Muon can orthogonalise the block matrices and run AdamW on the rest, and gets the step's
// loss as a 0-d tensor on the device, so ECD can use it without a host sync and without the
// trainer special-casing one optimizer.
#pragma once

#include <ATen/core/Generator.h>
#include <torch/types.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "models/model.h"

namespace claimcheck::train::optim {

/// An optimizer as a spec writes it: {"type": "adamw", "options": {...}}.
struct OptimizerSpec {
  std::string type = "adam";
  nlohmann::json options = nlohmann::json::object();
};

/// One optimizer instance over one model's parameters.
class Optimizer {
 public:
  virtual ~Optimizer() = default;
  /// Sets every parameter's gradient to zero (or undefined).
  virtual void zero_grad() = 0;
  /// One update from the gradients now stored in the parameters. `loss` is this step's scalar
  /// training loss (a 0-d tensor on the parameters' device, already backpropagated); optimizers
  /// that do not need it ignore it. Must not synchronise with the host.
  virtual void step(const torch::Tensor& loss) = 0;
};

/// The registered optimizer types, sorted.
std::vector<std::string> optimizer_types();

/// Validates a spec's options without building anything; throws std::invalid_argument naming the
/// option, the bad value and the valid range (or listing the valid types).
void validate_optimizer(const OptimizerSpec& spec);

/// Builds the optimizer over `groups` with base learning rate `lr`. `init` is the run's CPU
/// generator, for optimizers whose state starts random (SGDM's initial velocity).
std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec, double lr,
                                          const models::ParameterGroups& groups,
                                          at::Generator& init);

}  // namespace claimcheck::train::optim
