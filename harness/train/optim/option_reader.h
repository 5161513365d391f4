// Reads one optimizer's "options" object: base::OptionReader (defaults at the read site, an
// explicit unknown-key check, half-open intervals) worded for optimizers, plus [b1, b2] pairs.
// Parsing the options into a plain struct is the whole validation: it builds nothing.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "harness/base/option_reader.h"

namespace claimcheck::train::optim {

using base::Interval;

/// Adam-style (beta1, beta2), written [b1, b2] in a spec.
struct Betas {
  double b1 = 0.9;
  double b2 = 0.999;
};

/// Wraps an optimizer type's options; every error is std::invalid_argument
/// "optimizer '<type>': option '<key>' ...".
class OptionReader : public base::OptionReader {
 public:
  /// Throws when `options` is not a JSON object.
  OptionReader(const std::string& type, const nlohmann::json& options);

  /// A two-element array [b1, b2], each in [0, 1).
  Betas betas(const std::string& key, Betas fallback);
};

/// Throws std::invalid_argument unless `lr` is a finite positive number.
void check_learning_rate(const std::string& type, double lr);

}  // namespace claimcheck::train::optim
