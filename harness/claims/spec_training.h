// Parsing of a spec's task and training blocks (claim level, and each arm's overrides merged
// over the claim's), delegating what is task-specific to the task registry and the optimizer
// registry. Internal to spec.cpp; separate so each file has one concern.
#pragma once

#include <nlohmann/json.hpp>

#include "harness/claims/json_reader.h"
#include "harness/train/run_config.h"

namespace claimcheck::claims {

/// Reads the "task" block; checks the type against the task registry.
train::TaskSpec parse_task(ObjectReader reader);

/// Reads a training block (the claim's, with an arm's overrides already merged in) and lets the
/// task and the optimizer registry validate it. `reader` points at the block for messages.
train::TrainingSpec parse_training(ObjectReader reader, const train::TaskSpec& task);

/// The claim's training block with an arm's override applied key by key (an override of
/// "optimizer" replaces it whole).
nlohmann::json merge_training(const nlohmann::json& claim_level, const nlohmann::json& override);

}  // namespace claimcheck::claims
