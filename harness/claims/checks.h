// Checks a claim asserts about its own design before anything trains, e.g. that two arms really
// are parameter-matched. A failing check is a spec error (exit 2): a claim whose "matched" arms
// are not matched should not produce a verdict. Results are printed by `list` and every report.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "models/registry.h"

namespace claimcheck::claims {

class ObjectReader;

/// {"type": "parameter-ratio", "numerator": arm, "denominator": arm, "part": "total",
///  "expected": 1.0, "tolerance": 0.0}: |count(numerator)/count(denominator) − expected| <=
/// tolerance, counting the whole model ("total") or one part of the registry's breakdown.
struct CheckSpec {
  std::string type = "parameter-ratio";
  std::string numerator;
  std::string denominator;
  std::string part = "total";
  double expected = 1.0;
  double tolerance = 0.0;
};

/// A check's outcome.
struct CheckResult {
  CheckSpec spec;
  std::int64_t numerator_count = 0;
  std::int64_t denominator_count = 0;
  double ratio = 0.0;
  bool passed = false;
  std::string text;  // one line: "parameter ratio a/b (mlp) = 1.0000 (expected 1 ± 0): ok"
};

/// Parses one entry of "checks" (arm names are checked against `arms`).
CheckSpec parse_check(ObjectReader reader, const std::vector<std::string>& arms);

/// Evaluates a check against the arms' parameter counts.
CheckResult evaluate_check(const CheckSpec& check,
                           const std::map<std::string, models::ParameterCount>& counts);

/// JSON forms.
nlohmann::json to_json(const CheckSpec& check);
nlohmann::json to_json(const CheckResult& result);

}  // namespace claimcheck::claims
