// The optimizer registry behind optimizer.h: one entry per type, each a pair of "read the options
// (validates, builds nothing)" and "build over the parameter groups".
#include "harness/train/optim/optimizer.h"

#include <functional>
#include <stdexcept>

#include "harness/base/registry.h"
#include "harness/train/optim/ecd.h"
#include "harness/train/optim/muon.h"
#include "harness/train/optim/option_reader.h"
#include "harness/train/optim/parameters.h"
#include "harness/train/optim/sgdm.h"
#include "harness/train/optim/soap.h"
#include "harness/train/optim/torch_adam.h"

namespace claimcheck::train::optim {
namespace {

struct OptimizerType {
  std::function<void(const nlohmann::json& options)> validate;
  std::function<std::unique_ptr<Optimizer>(const nlohmann::json& options, double lr,
                                           const models::ParameterGroups& groups,
                                           at::Generator& init)>
      make;
};

// The registered types. A new optimizer adds one line here and its own files.
base::Registry<OptimizerType> make_registry() {
  base::Registry<OptimizerType> r("optimizer type");
  r.add("adam", {[](const nlohmann::json& o) { read_adam_options(o); },
                 [](const nlohmann::json& o, double lr, const models::ParameterGroups& g,
                    at::Generator&) { return make_adam(read_adam_options(o), lr, g); }});
  r.add("adamw", {[](const nlohmann::json& o) { read_adamw_options(o); },
                  [](const nlohmann::json& o, double lr, const models::ParameterGroups& g,
                     at::Generator&) { return make_adamw(read_adamw_options(o), lr, g); }});
  r.add("ecd", {[](const nlohmann::json& o) { read_ecd_options(o); },
                [](const nlohmann::json& o, double lr, const models::ParameterGroups& g,
                   at::Generator&) -> std::unique_ptr<Optimizer> {
                  return std::make_unique<Ecd>(all_parameters(g), lr, read_ecd_options(o));
                }});
  r.add("muon", {[](const nlohmann::json& o) { read_muon_options(o); },
                 [](const nlohmann::json& o, double lr, const models::ParameterGroups& g,
                    at::Generator&) -> std::unique_ptr<Optimizer> {
                   return std::make_unique<Muon>(g, lr, read_muon_options(o));
                 }});
  r.add("sgdm", {[](const nlohmann::json& o) { read_sgdm_options(o); },
                 [](const nlohmann::json& o, double lr, const models::ParameterGroups& g,
                    at::Generator& init) -> std::unique_ptr<Optimizer> {
                   const SgdmOptions options = read_sgdm_options(o);
                   check_learning_rate("sgdm", lr);  // before drawing, so a bad lr costs no draw
                   std::vector<torch::Tensor> params = all_parameters(g);
                   auto velocity = draw_initial_velocity(params, options.init_velocity_std, init);
                   return std::make_unique<Sgdm>(std::move(params), lr, options,
                                                 std::move(velocity));
                 }});
  r.add("soap", {[](const nlohmann::json& o) { read_soap_options(o); },
                 [](const nlohmann::json& o, double lr, const models::ParameterGroups& g,
                    at::Generator&) -> std::unique_ptr<Optimizer> {
                   return std::make_unique<Soap>(all_parameters(g), lr, read_soap_options(o));
                 }});
  return r;
}

const base::Registry<OptimizerType>& registry() {
  static const base::Registry<OptimizerType> kRegistry = make_registry();
  return kRegistry;
}

}  // namespace

std::vector<std::string> optimizer_types() {
  return registry().names();
}

void validate_optimizer(const OptimizerSpec& spec) {
  registry().at(spec.type).validate(spec.options);
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec, double lr,
                                          const models::ParameterGroups& groups,
                                          at::Generator& init) {
  return registry().at(spec.type).make(spec.options, lr, groups, init);
}

}  // namespace claimcheck::train::optim
