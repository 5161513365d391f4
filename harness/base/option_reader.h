// Reads one "options" object (a model's, an optimizer's, a task's) with the default at the read
// site and an explicit unknown-key check (tiny-cuda-nn style). Parsing the options into a plain
// struct is the whole validation: it builds nothing. Each registry's reader derives from this one
// and adds only what its kind needs (models: dimensions; optimizers: [b1, b2] pairs).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace claimcheck::base {

/// A range of valid values; each end open or closed (infinite ends are always open).
struct Interval {
  double lo = 0.0;
  double hi = 0.0;
  bool lo_open = false;
  bool hi_open = false;

  /// [lo, hi]
  static Interval closed(double lo, double hi) { return {lo, hi, false, false}; }
  /// [lo, hi)
  static Interval closed_open(double lo, double hi) { return {lo, hi, false, true}; }
  /// (0, inf)
  static Interval positive();
  /// [0, inf)
  static Interval non_negative();

  /// Whether `x` is finite and inside.
  bool contains(double x) const;
  /// "[0, 1)", "(0, inf)".
  std::string describe() const;
};

/// A number as messages write it: JSON's form, "inf" and "-inf" for the infinities.
std::string format_number(double x);

/// Wraps one options object; every error is std::invalid_argument "<subject>: ...".
class OptionReader {
 public:
  /// `subject` opens every message, e.g. "model 'ffn'". Throws when `options` is not an object.
  OptionReader(std::string subject, const nlohmann::json& options);

  /// A finite number in `range`.
  double number(const std::string& key, double fallback, const Interval& range);
  /// An integer in [lo, hi].
  std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t lo,
                       std::int64_t hi);
  /// A boolean.
  bool flag(const std::string& key, bool fallback);
  /// A string that must be one of `valid` (the first is the default when absent).
  std::string choice(const std::string& key, const std::vector<std::string>& valid);
  /// The value of `key`, marked as read; nullptr when absent.
  const nlohmann::json* find(const std::string& key);
  /// The keys given, comma-separated (for "is required" messages).
  std::string given_keys() const;
  /// Throws naming the first key that was never read, listing the valid keys.
  void finish() const;
  /// Throws std::invalid_argument "<subject>: option '<key>' <what>".
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

 private:
  std::string subject_;
  const nlohmann::json& options_;
  std::set<std::string> known_;
};

}  // namespace claimcheck::base
