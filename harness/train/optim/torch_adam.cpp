#include "harness/train/optim/torch_adam.h"

#include <torch/optim/adam.h>
#include <torch/optim/adamw.h>

#include <tuple>
#include <utility>

#include "harness/train/optim/parameters.h"

namespace claimcheck::train::optim {
namespace {

AdamOptions read(const std::string& type, const nlohmann::json& options,
                 double default_weight_decay) {
  OptionReader reader(type, options);
  AdamOptions out;
  out.betas = reader.betas("betas", out.betas);
  out.eps = reader.number("eps", out.eps, Interval::non_negative());
  out.weight_decay = reader.number("weight_decay", default_weight_decay, Interval::non_negative());
  reader.finish();
  return out;
}

// The LibTorch optimizer itself does the work; step() ignores the loss (a closure-less step, so
// no host sync either).
template <class TorchOptimizer>
class TorchWrapped final : public Optimizer {
 public:
  template <class TorchOptions>
  TorchWrapped(std::vector<torch::Tensor> params, TorchOptions options)
      : inner_(std::move(params), std::move(options)) {}
  void zero_grad() override { inner_.zero_grad(); }
  void step(const torch::Tensor& /*loss*/) override { inner_.step(); }

 private:
  TorchOptimizer inner_;
};

}  // namespace

AdamOptions read_adam_options(const nlohmann::json& options) {
  return read("adam", options, /*default_weight_decay=*/0.0);
}

AdamOptions read_adamw_options(const nlohmann::json& options) {
  return read("adamw", options, /*default_weight_decay=*/0.01);
}

std::unique_ptr<Optimizer> make_adam(const AdamOptions& options, double lr,
                                     const models::ParameterGroups& groups) {
  check_learning_rate("adam", lr);
  torch::optim::AdamOptions torch_options(lr);
  torch_options.betas(std::make_tuple(options.betas.b1, options.betas.b2))
      .eps(options.eps)
      .weight_decay(options.weight_decay);
  return std::make_unique<TorchWrapped<torch::optim::Adam>>(all_parameters(groups), torch_options);
}

std::unique_ptr<Optimizer> make_adamw(const AdamOptions& options, double lr,
                                      const models::ParameterGroups& groups) {
  check_learning_rate("adamw", lr);
  torch::optim::AdamWOptions torch_options(lr);
  torch_options.betas(std::make_tuple(options.betas.b1, options.betas.b2))
      .eps(options.eps)
      .weight_decay(options.weight_decay);
  return std::make_unique<TorchWrapped<torch::optim::AdamW>>(all_parameters(groups), torch_options);
}

}  // namespace claimcheck::train::optim
