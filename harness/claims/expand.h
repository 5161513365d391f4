// Arm grids and hypothesis templates: a compact way to write a claim whose arms are a product of
// axes (architecture × activation), expanded into plain "arms" and "hypotheses" before the spec
// is validated, so the planner, analysis and reports never see a grid.
//
//   "arm_grid": {
//     "name": "{architecture}-{activation}",            arm name pattern over the axes
//     "axes": [                                         in order; arms are the product
//       {"axis": "architecture", "values": [
//          {"value": "charlm", "model": {"type": "charlm", "options": {...}}}, ...]},
//       {"axis": "activation", "values": [
//          {"value": "relu", "model_options": {"activation": "relu"}}, ...]}],
//     "exclude": [{"architecture": "convlm", "activation": "swiglu-matched"}],
//     "source_values": {"charlm-relu": 1.0739}        by expanded arm name
//   }
// A value may give "model" (its type replaces an earlier axis's, its options merge),
// "model_options" (merged into the options) and "training" (merged into the arm's training),
// applied axis by axis in order.
//
//   "hypothesis_templates": [
//     {"for_each": "architecture",                      or {"architecture": ["charlm", ...]}
//      "hypothesis": {"id": "gelu-below-relu-{architecture}", "treatment": "{architecture}-gelu",
//                     ...}}]
// Every "{axis}" in a template's strings is replaced by each value in turn.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace claimcheck::claims {

/// The spec with its grid and templates expanded into plain arms (appended after any written
/// ones) and hypotheses; unchanged when it has neither. Throws SpecError naming file and key.
nlohmann::json expand_spec(const nlohmann::json& spec, const std::string& file);

}  // namespace claimcheck::claims
