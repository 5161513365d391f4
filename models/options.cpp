#include "models/options.h"

namespace claimcheck::models {

OptionReader::OptionReader(const std::string& type, const nlohmann::json& options)
    : base::OptionReader("model '" + type + "'", options) {}

std::int64_t OptionReader::positive_int(const std::string& key, std::int64_t fallback) {
  if (fallback == 0 && find(key) == nullptr) {
    const std::string given = given_keys();
    fail(key, "is required (a positive integer)" +
                  (given.empty() ? std::string() : "; the options given were: " + given));
  }
  return integer(key, fallback, 1, kMaxDimension);
}

double OptionReader::number(const std::string& key, double fallback, double lo, double hi) {
  return base::OptionReader::number(key, fallback, base::Interval::closed(lo, hi));
}

}  // namespace claimcheck::models
