#include "harness/stats/check.h"

#include <cmath>
#include <stdexcept>

namespace claimcheck::stats::detail {

void fail(const char* fn, const std::string& what) {
  throw std::invalid_argument(std::string("claimcheck::stats::") + fn + ": " + what);
}

void require_sample(const std::vector<double>& x, const char* fn, const char* arg,
                    std::size_t min_size) {
  if (x.empty()) fail(fn, std::string("argument '") + arg + "' is empty");
  if (x.size() < min_size) {
    fail(fn, std::string("argument '") + arg + "' has " + std::to_string(x.size()) +
                 " values, needs at least " + std::to_string(min_size));
  }
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i])) {
      fail(fn, std::string("argument '") + arg + "' has a non-finite value (" +
                   std::to_string(x[i]) + ") at index " + std::to_string(i));
    }
  }
}

void require_same_length(const std::vector<double>& a, const std::vector<double>& b,
                         const char* fn) {
  if (a.size() != b.size()) {
    fail(fn, "paired arguments 'a' and 'b' have mismatched lengths (" + std::to_string(a.size()) +
                 " vs " + std::to_string(b.size()) + ")");
  }
}

void require_confidence(double confidence, const char* fn, const char* arg) {
  if (!(confidence > 0.0 && confidence < 1.0)) {
    fail(fn, std::string("argument '") + arg + "' must lie in (0, 1), got " +
                 std::to_string(confidence));
  }
}

void require_resamples(int resamples, const char* fn) {
  if (resamples < 1) {
    fail(fn, "argument 'resamples' must be >= 1, got " + std::to_string(resamples));
  }
}

void require_finite(double value, const char* fn, const char* arg) {
  if (!std::isfinite(value)) {
    fail(fn, std::string("argument '") + arg + "' must be finite, got " + std::to_string(value));
  }
}

void require_finite_result(double value, const char* fn, const std::string& what) {
  if (!std::isfinite(value)) {
    fail(fn, what + " is not finite (" + std::to_string(value) +
                 "): an argument is too extreme for double precision (values beyond ~1e150, or "
                 "levels and probabilities within ~1e-16 of 0 or 1)");
  }
}

}  // namespace claimcheck::stats::detail
