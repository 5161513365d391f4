#include "models/registry.h"

#include "harness/base/registry.h"
#include "models/charlm/family.h"
#include "models/ffn.h"
#include "models/gpt.h"
#include "models/gpt2.h"

namespace claimcheck::models {
namespace {

// Every model family contributes its types here (one line per family). base::Registry words the
// errors ("unknown model type 'x' (valid: a, b)", "model type 'x' is already registered"), keeps
// references valid (entries are never removed) and locks; it is header-only, so the models
// library still links without the harness.
base::Registry<ModelType>& registry() {
  static base::Registry<ModelType> kRegistry = [] {
    base::Registry<ModelType> all("model type");
    for (const auto& family :
         {ffn_model_types(), charlm_family_model_types(), gpt_model_types(), gpt2_model_types()}) {
      for (const auto& type : family)
        all.add(type.name, type);
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
  registry().add(type.name, type);
}

std::vector<std::string> model_types() {
  return registry().names();
}

const ModelType& model_type(const std::string& name) {
  return registry().at(name);
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
