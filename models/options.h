// Reads one model's "options" object with defaults at the read site and an explicit unknown-key
// check (tiny-cuda-nn style). Parsing options into a plain struct is the whole validation: it
// builds nothing, so `claimcheck list` and spec validation never construct a module.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace claimcheck::models {

/// Wraps a model type's options; every error is std::invalid_argument "model '<type>': ...".
class OptionReader {
 public:
  /// Throws when `options` is not a JSON object.
  OptionReader(std::string type, const nlohmann::json& options);

  /// The largest integer option (a width, depth, head count or kernel size): 2^15. Larger is surely
  /// a typo, and with every dimension at most 2^15 no parameter count formula (products of at most
  /// four dimensions and small constants) overflows 64 bits.
  static constexpr std::int64_t kMaxDimension = std::int64_t{1} << 15;

  /// A positive integer option, at most kMaxDimension (required when `fallback` is 0).
  std::int64_t positive_int(const std::string& key, std::int64_t fallback = 0);
  /// A number option, checked to lie in [lo, hi].
  double number(const std::string& key, double fallback, double lo, double hi);
  /// A boolean option.
  bool flag(const std::string& key, bool fallback);
  /// A string option that must be one of `valid` (the first is the default when absent).
  std::string choice(const std::string& key, const std::vector<std::string>& valid);
  /// Throws naming the first key that was never read, listing the valid keys.
  void finish() const;
  /// Throws std::invalid_argument "model '<type>': option '<key>' <what>".
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

 private:
  std::string type_;
  const nlohmann::json& options_;
  std::set<std::string> known_;
};

}  // namespace claimcheck::models
