// Parsing of a spec's profiles (smoke, nightly): size, device, levels, the sequential design, and
// the profile's overrides resolved into its own copy of the arms, on which the claim's checks
// must pass. Internal to spec.cpp; separate so each file has one concern.
#pragma once

#include <string>

#include "harness/claims/json_reader.h"
#include "harness/claims/spec.h"

namespace claimcheck::claims {

/// Reads the profile `name`; `spec` holds everything but the profiles, already validated.
ProfileSpec parse_profile(ObjectReader reader, const ClaimSpec& spec, const std::string& name);

}  // namespace claimcheck::claims
