// error_of(f): the message of the std::invalid_argument that f throws, for tests that compare a
// whole error message (the option readers, the registries). Header only, below every layer.
#pragma once

#include <stdexcept>
#include <string>

namespace claimcheck::test {

/// The message of the std::invalid_argument `f` throws ("" when it throws none).
template <typename F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace claimcheck::test
