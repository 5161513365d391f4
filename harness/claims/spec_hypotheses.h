// Parsing of a spec's hypotheses: two-arm (treatment, control) or a contrast over several arms,
// paired or random-search design, metric, kind, direction, margin. Internal to spec.cpp.
#pragma once

#include <string>
#include <vector>

#include "harness/claims/json_reader.h"
#include "harness/claims/spec.h"

namespace claimcheck::claims {

/// Reads one hypothesis; `spec` holds the arms, task and search space parsed so far.
HypothesisSpec parse_hypothesis(ObjectReader reader, const ClaimSpec& spec);

}  // namespace claimcheck::claims
