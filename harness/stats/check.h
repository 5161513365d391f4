// Input validation shared by the statistics functions: every check throws std::invalid_argument
// with a message naming the function, the argument and what is wrong. Internal (namespace
// detail); not part of the public API.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace claimcheck::stats::detail {

/// Throws std::invalid_argument("claimcheck::stats::<fn>: <what>").
[[noreturn]] void fail(const char* fn, const std::string& what);

/// Requires `x` to hold at least `min_size` values, all finite (no NaN or inf).
void require_sample(const std::vector<double>& x, const char* fn, const char* arg,
                    std::size_t min_size = 1);

/// Requires `a` and `b` to have the same length (paired data).
void require_same_length(const std::vector<double>& a, const std::vector<double>& b,
                         const char* fn);

/// Requires 0 < confidence < 1.
void require_confidence(double confidence, const char* fn, const char* arg = "confidence");

/// Requires resamples >= 1.
void require_resamples(int resamples, const char* fn);

/// Requires a finite value (no NaN or inf).
void require_finite(double value, const char* fn, const char* arg);

/// Requires a finite intermediate or result: `what` (e.g. "the difference a - b at index 3")
/// overflowed double range or became NaN because an argument is too extreme.
void require_finite_result(double value, const char* fn, const std::string& what);

/// Runs `f` (a computation of `fn`): an std::invalid_argument from a statistics function inside
/// it is rethrown naming `fn` too, and a Boost.Math error at an extreme argument (domain error,
/// overflow; std::domain_error or std::runtime_error) becomes std::invalid_argument naming `fn`.
template <typename F>
auto guarded(const char* fn, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::invalid_argument& e) {
    fail(fn, e.what());
  } catch (const std::domain_error& e) {
    fail(fn, std::string("numerical error at an extreme argument: ") + e.what());
  } catch (const std::runtime_error& e) {
    fail(fn, std::string("numerical error at an extreme argument: ") + e.what());
  }
}

}  // namespace claimcheck::stats::detail
