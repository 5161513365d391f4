#include "models/model.h"

#include <torch/torch.h>

#include <stdexcept>

namespace claimcheck::models {

ParameterGroups Model::parameter_groups() {
  ParameterGroups groups;
  for (const auto& p : parameters()) {
    (p.dim() == 2 ? groups.matrices : groups.vectors).push_back(p);
  }
  return groups;
}

at::Generator& Model::generator() {
  if (!generator_) {
    throw std::logic_error(name() +
                           ": forward() needs a random generator in training mode and none was set "
                           "(call set_generator with the run's generator)");
  }
  return *generator_;
}

torch::Tensor dropout(const torch::Tensor& x, double p, bool training, at::Generator& generator) {
  if (!training || p == 0.0) return x;
  if (!(p > 0.0 && p < 1.0)) throw std::invalid_argument("dropout: p must be in [0, 1)");
  // keep ~ Bernoulli(1 - p), drawn from the run's generator on x's device.
  const torch::Tensor keep = torch::empty_like(x).bernoulli_(1.0 - p, generator);
  return x * keep / (1.0 - p);
}

std::int64_t parameter_count(const torch::nn::Module& module) {
  std::int64_t count = 0;
  for (const auto& p : module.parameters())
    count += p.numel();
  return count;
}

}  // namespace claimcheck::models
