// Registry entries of the activation-reproducibility model family (CLAIMS.md §4): the six
// character-level language models of pankajtakawale/llm-reproducibility-activations (model.py,
// model_nanotransformer.py, model_minigpt.py, model_convlm.py, model_hybridlm.py,
// model_tinylstm.py), each taking an "activation" that really reaches it, ConvLM made causal.
// Types: charlm, nano-transformer, minigpt, convlm, hybridlm, tinylstm; options and defaults in
// models/charlm/options.h; vocab and context from ModelDims. Parameter counts by an exact formula
// whose parts (embedding, attention, ffn, conv, lstm, norm, head) sum to the total.
#pragma once

#include <vector>

#include "models/charlm/options.h"
#include "models/registry.h"

namespace claimcheck::models {

/// The registry entries of the six architectures.
std::vector<ModelType> charlm_family_model_types();

namespace charlm {

/// Parameter count of `o` at vocab V and context T, by formula.
ParameterCount family_parameter_count(const FamilyOptions& o, const ModelDims& dims);

}  // namespace charlm
}  // namespace claimcheck::models
