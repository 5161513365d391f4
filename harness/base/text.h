// Small string helpers shared by every folder.
#pragma once

#include <string>
#include <string_view>

namespace claimcheck::base {

/// The items of `range` (anything iterable whose elements convert to std::string_view, or that
/// `format` maps to a std::string), separated by `separator`: join({"a", "b"}) == "a, b".
template <typename Range>
std::string join(const Range& range, std::string_view separator = ", ") {
  std::string out;
  bool first = true;
  for (const auto& item : range) {
    if (!first) out += separator;
    out += std::string_view(item);
    first = false;
  }
  return out;
}

/// As join, each item mapped by `format` (returning something convertible to std::string_view).
template <typename Range, typename Format>
std::string join(const Range& range, std::string_view separator, Format format) {
  std::string out;
  bool first = true;
  for (const auto& item : range) {
    if (!first) out += separator;
    out += format(item);
    first = false;
  }
  return out;
}

}  // namespace claimcheck::base
