#include "harness/train/optim/option_reader.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace claimcheck::train::optim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string format(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return nlohmann::json(x).dump();
}

}  // namespace

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
  return std::string(lo_open ? "(" : "[") + format(lo) + ", " + format(hi) + (hi_open ? ")" : "]");
}

OptionReader::OptionReader(std::string type, const nlohmann::json& options)
    : type_(std::move(type)), options_(options) {
  if (!options_.is_object()) {
    throw std::invalid_argument("optimizer '" + type_ + "': options must be a JSON object, got " +
                                options_.dump());
  }
}

void OptionReader::fail(const std::string& key, const std::string& what) const {
  throw std::invalid_argument("optimizer '" + type_ + "': option '" + key + "' " + what);
}

double OptionReader::number(const std::string& key, double fallback, const Interval& range) {
  known_.insert(key);
  if (!options_.contains(key)) return fallback;
  const auto& value = options_.at(key);
  if (!value.is_number() || !range.contains(value.get<double>())) {
    fail(key, "must be a number in " + range.describe() + ", got " + value.dump());
  }
  return value.get<double>();
}

std::int64_t OptionReader::integer(const std::string& key, std::int64_t fallback, std::int64_t lo,
                                   std::int64_t hi) {
  known_.insert(key);
  if (!options_.contains(key)) return fallback;
  const auto& value = options_.at(key);
  if (!value.is_number_integer() || value.get<std::int64_t>() < lo ||
      value.get<std::int64_t>() > hi) {
    fail(key, "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                  "], got " + value.dump());
  }
  return value.get<std::int64_t>();
}

bool OptionReader::flag(const std::string& key, bool fallback) {
  known_.insert(key);
  if (!options_.contains(key)) return fallback;
  if (!options_.at(key).is_boolean()) {
    fail(key, "must be true or false, got " + options_.at(key).dump());
  }
  return options_.at(key).get<bool>();
}

Betas OptionReader::betas(const std::string& key, Betas fallback) {
  known_.insert(key);
  if (!options_.contains(key)) return fallback;
  const auto& value = options_.at(key);
  const Interval unit = Interval::closed_open(0.0, 1.0);
  const auto in_unit = [&](const nlohmann::json& b) {
    return b.is_number() && unit.contains(b.get<double>());
  };
  if (!value.is_array() || value.size() != 2 || !in_unit(value[0]) || !in_unit(value[1])) {
    fail(key, "must be [b1, b2] with each in [0, 1), got " + value.dump());
  }
  return {value[0].get<double>(), value[1].get<double>()};
}

void OptionReader::finish() const {
  for (const auto& item : options_.items()) {
    if (known_.count(item.key()) == 0) {
      std::string valid;
      for (const auto& k : known_)
        valid += (valid.empty() ? "" : ", ") + k;
      throw std::invalid_argument("optimizer '" + type_ + "': unknown option '" + item.key() +
                                  "' (valid: " + valid + ")");
    }
  }
}

void check_learning_rate(const std::string& type, double lr) {
  if (!Interval::positive().contains(lr)) {
    throw std::invalid_argument("optimizer '" + type +
                                "': lr must be a finite positive number, got " + format(lr));
  }
}

}  // namespace claimcheck::train::optim
