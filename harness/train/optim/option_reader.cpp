#include "harness/train/optim/option_reader.h"

#include <stdexcept>

namespace claimcheck::train::optim {

OptionReader::OptionReader(const std::string& type, const nlohmann::json& options)
    : base::OptionReader("optimizer '" + type + "'", options) {}

Betas OptionReader::betas(const std::string& key, Betas fallback) {
  const nlohmann::json* value = find(key);
  if (value == nullptr) return fallback;
  const Interval unit = Interval::closed_open(0.0, 1.0);
  const auto in_unit = [&](const nlohmann::json& b) {
    return b.is_number() && unit.contains(b.get<double>());
  };
  if (!value->is_array() || value->size() != 2 || !in_unit((*value)[0]) || !in_unit((*value)[1])) {
    fail(key, "must be [b1, b2] with each in [0, 1), got " + value->dump());
  }
  return {(*value)[0].get<double>(), (*value)[1].get<double>()};
}

void check_learning_rate(const std::string& type, double lr) {
  if (!Interval::positive().contains(lr)) {
    throw std::invalid_argument("optimizer '" + type +
                                "': lr must be a finite positive number, got " +
                                base::format_number(lr));
  }
}

}  // namespace claimcheck::train::optim
