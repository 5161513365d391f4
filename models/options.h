// Reads one model's "options" object: base::OptionReader (defaults at the read site, an explicit
// unknown-key check) worded for models, plus the dimensions models need. Parsing options into a
// plain struct is the whole validation: it builds nothing, so `claimcheck list` and spec
// validation never construct a module.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

#include "harness/base/option_reader.h"

namespace claimcheck::models {

/// Wraps a model type's options; every error is std::invalid_argument "model '<type>': ...".
class OptionReader : public base::OptionReader {
 public:
  /// Throws when `options` is not a JSON object.
  OptionReader(const std::string& type, const nlohmann::json& options);

  /// The largest integer option (a width, depth, head count or kernel size): 2^15. Larger is surely
  /// a typo, and with every dimension at most 2^15 no parameter count formula (products of at most
  /// four dimensions and small constants) overflows 64 bits.
  static constexpr std::int64_t kMaxDimension = std::int64_t{1} << 15;

  /// A positive integer option, at most kMaxDimension (required when `fallback` is 0).
  std::int64_t positive_int(const std::string& key, std::int64_t fallback = 0);
  using base::OptionReader::number;
  /// A number option, checked to lie in [lo, hi].
  double number(const std::string& key, double fallback, double lo, double hi);
};

}  // namespace claimcheck::models
