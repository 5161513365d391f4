// The optimizer registry behind optimizer.h: one entry per type, each a pair of "read the options
// (validates, builds nothing)" and "build over the parameter groups".
#include "harness/train/optim/optimizer.h"

#include <functional>
#include <map>
#include <stdexcept>

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

const std::map<std::string, OptimizerType>& registry() {
  static const std::map<std::string, OptimizerType> kRegistry = {
      {"adam",
       {[](const nlohmann::json& o) { read_adam_options(o); },
        [](const nlohmann::json& o, double lr, const models::ParameterGroups& g, at::Generator&) {
          return make_adam(read_adam_options(o), lr, g);
        }}},
      {"adamw",
       {[](const nlohmann::json& o) { read_adamw_options(o); },
        [](const nlohmann::json& o, double lr, const models::ParameterGroups& g, at::Generator&) {
          return make_adamw(read_adamw_options(o), lr, g);
        }}},
      {"ecd",
       {[](const nlohmann::json& o) { read_ecd_options(o); },
        [](const nlohmann::json& o, double lr, const models::ParameterGroups& g,
           at::Generator&) -> std::unique_ptr<Optimizer> {
          return std::make_unique<Ecd>(all_parameters(g), lr, read_ecd_options(o));
        }}},
      {"muon",
       {[](const nlohmann::json& o) { read_muon_options(o); },
        [](const nlohmann::json& o, double lr, const models::ParameterGroups& g,
           at::Generator&) -> std::unique_ptr<Optimizer> {
          return std::make_unique<Muon>(g, lr, read_muon_options(o));
        }}},
      {"sgdm",
       {[](const nlohmann::json& o) { read_sgdm_options(o); },
        [](const nlohmann::json& o, double lr, const models::ParameterGroups& g,
           at::Generator& init) -> std::unique_ptr<Optimizer> {
          const SgdmOptions options = read_sgdm_options(o);
          check_learning_rate("sgdm", lr);  // before drawing, so a bad lr costs no draw
          std::vector<torch::Tensor> params = all_parameters(g);
          auto velocity = draw_initial_velocity(params, options.init_velocity_std, init);
          return std::make_unique<Sgdm>(std::move(params), lr, options, std::move(velocity));
        }}},
      {"soap",
       {[](const nlohmann::json& o) { read_soap_options(o); },
        [](const nlohmann::json& o, double lr, const models::ParameterGroups& g,
           at::Generator&) -> std::unique_ptr<Optimizer> {
          return std::make_unique<Soap>(all_parameters(g), lr, read_soap_options(o));
        }}},
  };
  return kRegistry;
}

const OptimizerType& optimizer_type(const std::string& name) {
  const auto it = registry().find(name);
  if (it == registry().end()) {
    std::string valid;
    for (const auto& n : optimizer_types())
      valid += (valid.empty() ? "" : ", ") + n;
    throw std::invalid_argument("unknown optimizer type '" + name + "' (valid: " + valid + ")");
  }
  return it->second;
}

}  // namespace

std::vector<std::string> optimizer_types() {
  std::vector<std::string> names;
  for (const auto& entry : registry())
    names.push_back(entry.first);
  return names;
}

void validate_optimizer(const OptimizerSpec& spec) {
  optimizer_type(spec.type).validate(spec.options);
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerSpec& spec, double lr,
                                          const models::ParameterGroups& groups,
                                          at::Generator& init) {
  return optimizer_type(spec.type).make(spec.options, lr, groups, init);
}

}  // namespace claimcheck::train::optim
