// Parsing of a spec's arms (name, model, training override, seed stream) and their resolution:
// the claim's training with the arm's and a profile's overrides merged in, validated, with the
// parameter count. Internal to spec.cpp and spec_profile.cpp.
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>

#include "harness/claims/json_reader.h"
#include "harness/claims/spec.h"

namespace claimcheck::claims {

/// Whether `s` matches [a-z0-9-]+ (ids and arm names become file names).
bool is_slug(const std::string& s);

/// Reads one arm as written; `taken` holds the names of the arms before it.
ArmSpec parse_arm(ObjectReader reader, const ClaimSpec& spec, const std::set<std::string>& taken);

/// Where a resolved arm's keys came from, for messages: the training block and the model options
/// whose keys were applied last.
struct ResolveWhere {
  std::string training;
  std::string model;
};

/// The arm's training (claim's, then the arm's own, then the profile's keys) and model options
/// (the profile's merged in), validated, with its parameter count.
ArmSpec resolve_arm(ArmSpec arm, const ClaimSpec& spec, const nlohmann::json& profile_training,
                    const nlohmann::json& profile_model, const ResolveWhere& where);

}  // namespace claimcheck::claims
