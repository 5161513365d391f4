// Shared helpers for the claimcheck::stats tests: the reference values written by
// tests/stats/reference/generate_reference.py (scipy 1.10.1, statsmodels 0.13.5, numpy 1.24,
// Debian 12), tolerance comparators that print what differs, and binomial acceptance bounds for
// seeded statistical tests.
#pragma once

#include <cstddef>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace claimcheck::stats::testing {

/// tests/stats/reference/reference.json, parsed once.
const nlohmann::json& reference();

/// A JSON number, or the strings "inf" / "-inf" the generator writes for infinities.
double number(const nlohmann::json& value);

/// A JSON array of numbers as a vector.
std::vector<double> numbers(const nlohmann::json& array);

/// |actual - expected| <= atol + rtol * |expected| (infinities must match exactly).
::testing::AssertionResult Near(double actual, double expected, double atol, double rtol);

/// Element-wise Near(); reports the length mismatch or the first few mismatching indices.
::testing::AssertionResult AllNear(const std::vector<double>& actual,
                                   const std::vector<double>& expected, double atol, double rtol);

/// Acceptance bounds for a count of successes out of `trials` with probability `p`: each tail
/// outside [lo, hi] has probability <= tail / 2 (Boost binomial quantiles).
struct BinomialBounds {
  long long lo;  ///< smallest accepted count
  long long hi;  ///< largest accepted count
};

/// Two-sided acceptance bounds whose total false-alarm probability is <= `tail`.
BinomialBounds binomial_bounds(long long trials, double p, double tail);

/// A number as a string with 4 significant decimals, for RecordProperty (no double overload).
std::string format(double value);

/// Whether `f()` throws std::invalid_argument whose message names the function
/// ("claimcheck::stats::<fn>:") and contains `fragment` (the argument, or what is wrong); the
/// failure says what was thrown instead (another type, another message, nothing).
template <typename F>
::testing::AssertionResult ThrowsNaming(F&& f, const std::string& fn, const std::string& fragment) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    if (what.find("claimcheck::stats::" + fn + ":") != std::string::npos &&
        what.find(fragment) != std::string::npos) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "message lacks '" << fn << "' or '" << fragment << "': " << what;
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw another type: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

}  // namespace claimcheck::stats::testing
