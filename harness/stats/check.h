// Input validation shared by the statistics functions: every check throws std::invalid_argument
// with a message naming the function, the argument and what is wrong. Internal (namespace
// detail); not part of the public API.
#pragma once

#include <cstddef>
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

}  // namespace claimcheck::stats::detail
