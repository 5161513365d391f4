#include "models/options.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace claimcheck::models {

OptionReader::OptionReader(std::string type, const nlohmann::json& options)
    : type_(std::move(type)), options_(options) {
  if (!options_.is_object()) {
    throw std::invalid_argument("model '" + type_ + "': options must be a JSON object, got " +
                                options_.dump());
  }
}

void OptionReader::fail(const std::string& key, const std::string& what) const {
  throw std::invalid_argument("model '" + type_ + "': option '" + key + "' " + what);
}

std::int64_t OptionReader::positive_int(const std::string& key, std::int64_t fallback) {
  known_.insert(key);
  if (!options_.contains(key)) {
    if (fallback == 0) {
      std::string given;
      for (const auto& item : options_.items())
        given += (given.empty() ? "" : ", ") + item.key();
      fail(key, "is required (a positive integer)" +
                    (given.empty() ? std::string() : "; the options given were: " + given));
    }
    return fallback;
  }
  const auto& value = options_.at(key);
  if (!value.is_number_integer() ||
      (value.is_number_unsigned() && value.get<std::uint64_t>() > kMaxDimension) ||
      value.get<std::int64_t>() < 1 || value.get<std::int64_t>() > kMaxDimension) {
    fail(key,
         "must be an integer in [1, " + std::to_string(kMaxDimension) + "], got " + value.dump());
  }
  return value.get<std::int64_t>();
}

double OptionReader::number(const std::string& key, double fallback, double lo, double hi) {
  known_.insert(key);
  if (!options_.contains(key)) return fallback;
  const auto& value = options_.at(key);
  if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < lo ||
      value.get<double>() > hi) {
    fail(key, "must be a number in [" + nlohmann::json(lo).dump() + ", " +
                  nlohmann::json(hi).dump() + "], got " + value.dump());
  }
  return value.get<double>();
}

bool OptionReader::flag(const std::string& key, bool fallback) {
  known_.insert(key);
  if (!options_.contains(key)) return fallback;
  if (!options_.at(key).is_boolean()) {
    fail(key, "must be true or false, got " + options_.at(key).dump());
  }
  return options_.at(key).get<bool>();
}

std::string OptionReader::choice(const std::string& key, const std::vector<std::string>& valid) {
  known_.insert(key);
  if (!options_.contains(key)) return valid.front();
  const auto& value = options_.at(key);
  std::string list;
  for (const auto& v : valid)
    list += (list.empty() ? "" : ", ") + v;
  if (!value.is_string() ||
      std::find(valid.begin(), valid.end(), value.get<std::string>()) == valid.end()) {
    fail(key, "must be one of " + list + ", got " + value.dump());
  }
  return value.get<std::string>();
}

void OptionReader::finish() const {
  for (const auto& item : options_.items()) {
    if (known_.count(item.key()) == 0) {
      std::string valid;
      for (const auto& k : known_)
        valid += (valid.empty() ? "" : ", ") + k;
      throw std::invalid_argument("model '" + type_ + "': unknown option '" + item.key() +
                                  "' (valid: " + valid + ")");
    }
  }
}

}  // namespace claimcheck::models
