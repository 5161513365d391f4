#include "harness/claims/checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "harness/claims/json_reader.h"

namespace claimcheck::claims {

CheckSpec parse_check(ObjectReader r, const std::vector<std::string>& arms) {
  CheckSpec c;
  c.type = r.get<std::string>("type");
  if (c.type != "parameter-ratio") {
    r.fail("type", "'" + c.type + "' is not a known check (valid: parameter-ratio)");
  }
  for (const char* key : {"numerator", "denominator"}) {
    std::string& arm = std::string(key) == "numerator" ? c.numerator : c.denominator;
    arm = r.get<std::string>(key);
    if (std::find(arms.begin(), arms.end(), arm) == arms.end()) {
      r.fail(key, "arm '" + arm + "' is not defined");
    }
  }
  c.part = r.optional<std::string>("part", c.part);
  c.expected = r.optional<double>("expected", c.expected);
  if (!(c.expected > 0) || !std::isfinite(c.expected)) r.fail("expected", "must be > 0");
  c.tolerance = r.optional<double>("tolerance", c.tolerance);
  if (!(c.tolerance >= 0) || !std::isfinite(c.tolerance)) r.fail("tolerance", "must be >= 0");
  r.finish();
  return c;
}

CheckResult evaluate_check(const CheckSpec& check,
                           const std::map<std::string, models::ParameterCount>& counts) {
  CheckResult r;
  r.spec = check;
  auto count_of = [&](const std::string& arm) -> std::int64_t {
    const models::ParameterCount& c = counts.at(arm);
    if (check.part == "total") return c.total;
    const auto it = c.parts.find(check.part);
    if (it == c.parts.end()) {
      std::string valid = "total";
      for (const auto& [name, n] : c.parts)
        valid += ", " + name;
      throw std::invalid_argument("part: arm '" + arm + "' has no parameter part '" + check.part +
                                  "' (valid: " + valid + ")");
    }
    return it->second;
  };
  r.numerator_count = count_of(check.numerator);
  r.denominator_count = count_of(check.denominator);
  r.ratio = r.denominator_count > 0
                ? static_cast<double>(r.numerator_count) / static_cast<double>(r.denominator_count)
                : INFINITY;
  // A relative slack of 1e-12 absorbs the division's rounding, so "exactly 1 ± 0" passes for
  // equal counts and fails for any real difference (counts are integers).
  r.passed = std::abs(r.ratio - check.expected) <= check.tolerance + 1e-12 * check.expected;
  r.text = fmt::format("parameter ratio {}/{} ({}) = {}/{} = {:.6g} (expected {:g} ± {:g}): {}",
                       check.numerator, check.denominator, check.part, r.numerator_count,
                       r.denominator_count, r.ratio, check.expected, check.tolerance,
                       r.passed ? "ok" : "FAILED");
  return r;
}

nlohmann::json to_json(const CheckSpec& c) {
  return {{"type", c.type}, {"numerator", c.numerator}, {"denominator", c.denominator},
          {"part", c.part}, {"expected", c.expected},   {"tolerance", c.tolerance}};
}

nlohmann::json to_json(const CheckResult& r) {
  nlohmann::json j = to_json(r.spec);
  j.update({{"numerator_count", r.numerator_count},
            {"denominator_count", r.denominator_count},
            {"ratio", r.ratio},
            {"passed", r.passed},
            {"text", r.text}});
  return j;
}

}  // namespace claimcheck::claims
