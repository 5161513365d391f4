// Reads one optimizer's "options" object with the default at the read site and an explicit
// unknown-key check (tiny-cuda-nn style, like models/options.h but worded for optimizers and
// with the ranges optimizers need: half-open intervals and [b1, b2] pairs). Parsing the options
// into a plain struct is the whole validation: it builds nothing.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>

namespace claimcheck::train::optim {

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

  bool contains(double x) const;
  /// "[0, 1)", "(0, inf)".
  std::string describe() const;
};

/// Adam-style (beta1, beta2), written [b1, b2] in a spec.
struct Betas {
  double b1 = 0.9;
  double b2 = 0.999;
};

/// Wraps an optimizer type's options; every error is std::invalid_argument
/// "optimizer '<type>': option '<key>' ...".
class OptionReader {
 public:
  /// Throws when `options` is not a JSON object.
  OptionReader(std::string type, const nlohmann::json& options);

  /// A finite number in `range`.
  double number(const std::string& key, double fallback, const Interval& range);
  /// An integer in [lo, hi].
  std::int64_t integer(const std::string& key, std::int64_t fallback, std::int64_t lo,
                       std::int64_t hi);
  /// A boolean.
  bool flag(const std::string& key, bool fallback);
  /// A two-element array [b1, b2], each in [0, 1).
  Betas betas(const std::string& key, Betas fallback);
  /// Throws naming the first key that was never read, listing the valid keys.
  void finish() const;
  /// Throws std::invalid_argument "optimizer '<type>': option '<key>' <what>".
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

 private:
  std::string type_;
  const nlohmann::json& options_;
  std::set<std::string> known_;
};

/// Throws std::invalid_argument unless `lr` is a finite positive number.
void check_learning_rate(const std::string& type, double lr);

}  // namespace claimcheck::train::optim
