#include "harness/base/option_reader.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "harness/base/text.h"

namespace claimcheck::base {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

}  // namespace

std::string format_number(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return nlohmann::json(x).dump();
}

Interval Interval::positive() {
  return {0.0, kInf, true, true};
}
Interval Interval::non_negative() {
  return {0.0, kInf, false, true};
}

bool Interval::contains(double x) const {
  const bool above = lo_open ? x > lo : x >= lo;
  const bool below = hi_open ? x < hi : x <= hi;
  return std::isfinite(x) && above && below;
}

std::string Interval::describe() const {
  return std::string(lo_open ? "(" : "[") + format_number(lo) + ", " + format_number(hi) +
         (hi_open ? ")" : "]");
}

OptionReader::OptionReader(std::string subject, const nlohmann::json& options)
    : subject_(std::move(subject)), options_(options) {
  if (!options_.is_object()) {
    throw std::invalid_argument(subject_ + ": options must be a JSON object, got " +
                                options_.dump());
  }
}

void OptionReader::fail(const std::string& key, const std::string& what) const {
  throw std::invalid_argument(subject_ + ": option '" + key + "' " + what);
}

const nlohmann::json* OptionReader::find(const std::string& key) {
  known_.insert(key);
  const auto it = options_.find(key);
  return it == options_.end() ? nullptr : &*it;
}

std::string OptionReader::given_keys() const {
  std::vector<std::string> keys;
  for (const auto& item : options_.items())
    keys.push_back(item.key());
  return join(keys);
}

double OptionReader::number(const std::string& key, double fallback, const Interval& range) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) return fallback;
  if (!value->is_number() || !range.contains(value->get<double>())) {
    fail(key, "must be a number in " + range.describe() + ", got " + value->dump());
  }
  return value->get<double>();
}

std::int64_t OptionReader::integer(const std::string& key, std::int64_t fallback, std::int64_t lo,
                                   std::int64_t hi) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) return fallback;
  // An unsigned value above int64's range would wrap to a negative one: it is out of range too.
  if (!value->is_number_integer() ||
      (value->is_number_unsigned() &&
       value->get<std::uint64_t>() > static_cast<std::uint64_t>(std::max<std::int64_t>(hi, 0))) ||
      value->get<std::int64_t>() < lo || value->get<std::int64_t>() > hi) {
    fail(key, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                  "], got " + value->dump());
  }
  return value->get<std::int64_t>();
}

bool OptionReader::flag(const std::string& key, bool fallback) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) return fallback;
  if (!value->is_boolean()) fail(key, "must be true or false, got " + value->dump());
  return value->get<bool>();
}

std::string OptionReader::choice(const std::string& key, const std::vector<std::string>& valid) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) return valid.front();
  if (!value->is_string() ||
      std::find(valid.begin(), valid.end(), value->get<std::string>()) == valid.end()) {
    fail(key, "must be one of " + join(valid) + ", got " + value->dump());
  }
  return value->get<std::string>();
}

void OptionReader::finish() const {
  for (const auto& item : options_.items()) {
    if (known_.count(item.key()) == 0) {
      throw std::invalid_argument(subject_ + ": unknown option '" + item.key() +
                                  "' (valid: " + join(known_) + ")");
    }
  }
}

}  // namespace claimcheck::base
