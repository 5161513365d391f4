// Reads one JSON object of a spec with an explicit unknown-key check (nlohmann's
// _WITH_DEFAULT macros silently ignore typos). Every error says `file: key: what, how to fix`.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace claimcheck::claims {

/// A spec error: the message names the file, the key path and the fix. Exit code 2.
class SpecError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Wraps one JSON object; every key asked for (present or not) is valid, finish() rejects the rest.
class ObjectReader {
 public:
  /// `path` is the key path shown in errors, e.g. "arms[2].model"; `file` the spec file.
  ObjectReader(const nlohmann::json& object, std::string file, std::string path);

  /// The value of a required key, converted to T; SpecError when absent or of the wrong type.
  template <typename T>
  T get(const std::string& key) {
    known_.insert(key);
    if (!object_.contains(key)) fail(key, "is required but missing");
    return convert<T>(key);
  }
  /// The value of an optional key, or `fallback` when absent.
  template <typename T>
  T optional(const std::string& key, T fallback) {
    known_.insert(key);
    return object_.contains(key) ? convert<T>(key) : fallback;
  }
  /// Whether the key is present (marks it as known).
  bool has(const std::string& key);
  /// The raw JSON of a key (marks it as known); SpecError when absent.
  const nlohmann::json& raw(const std::string& key);
  /// A reader for a nested object.
  ObjectReader child(const std::string& key);
  /// Throws SpecError naming the first key that was never read (a typo or an unsupported key).
  void finish() const;
  /// Throws SpecError for `key` with `what` (e.g. "must be >= 1").
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  /// "file: path.key" as used in messages.
  std::string where(const std::string& key) const;
  /// "path.key" (the key path without the file), e.g. for a reader over derived JSON.
  std::string key_path(const std::string& key) const;

 private:
  template <typename T>
  T convert(const std::string& key) {
    known_.insert(key);
    const nlohmann::json& value = object_.at(key);
    try {
      if (!fits<T>(value)) throw std::runtime_error("");
      return value.get<T>();
    } catch (const std::exception&) {
      fail(key, "has the wrong type (" + std::string(value.type_name()) + ": " + value.dump() +
                    "); expected " + type_name<T>());
    }
  }
  template <typename T>
  struct IsVector : std::false_type {};
  template <typename E, typename A>
  struct IsVector<std::vector<E, A>> : std::true_type {};

  // Whether `value` converts to T exactly: the right JSON type, integers within T's range, and
  // so for every element of a list. nlohmann's get<T>() alone narrows 4294967301 to an int 5 and
  // casts 8e20 to int64 (undefined behaviour; found by fuzz/spec_fuzz, fuzz/crashes/spec/).
  template <typename T>
  static bool fits(const nlohmann::json& value) {
    if constexpr (std::is_same_v<T, bool>) {
      return value.is_boolean();
    } else if constexpr (std::is_integral_v<T>) {
      if (value.is_number_unsigned())
        return value.get<std::uint64_t>() <=
               static_cast<std::uint64_t>(std::numeric_limits<T>::max());
      if (!value.is_number_integer()) return false;
      const auto v = value.get<std::int64_t>();
      if constexpr (std::is_signed_v<T>) {
        return v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max();
      } else {
        return v >= 0 && static_cast<std::uint64_t>(v) <= std::numeric_limits<T>::max();
      }
    } else if constexpr (std::is_same_v<T, double>) {
      return value.is_number();
    } else if constexpr (std::is_same_v<T, std::string>) {
      return value.is_string();
    } else if constexpr (IsVector<T>::value) {
      return value.is_array() &&
             std::all_of(value.begin(), value.end(),
                         [](const nlohmann::json& e) { return fits<typename T::value_type>(e); });
    } else {
      return true;  // e.g. nlohmann::json itself: get<T>() checks (and throws) on its own
    }
  }

  template <typename T>
  static std::string type_name() {
    if constexpr (std::is_same_v<T, double>) return "a number";
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      return "an integer in [" + std::to_string(std::numeric_limits<T>::min()) + ", " +
             std::to_string(std::numeric_limits<T>::max()) + "]";
    }
    if constexpr (std::is_same_v<T, bool>) return "true or false";
    if constexpr (std::is_same_v<T, std::string>) return "a string";
    return "an array of the right element type";
  }

  const nlohmann::json& object_;
  std::string file_;
  std::string path_;
  std::set<std::string> known_;
};

/// Parses JSON text as nlohmann::json::parse does, but strictly for files people edit by hand:
/// a key repeated within one object (which JSON parsers resolve silently, the last one winning)
/// and nesting deeper than kMaxJsonDepth are errors. Throws nlohmann's exceptions for malformed
/// text and std::invalid_argument naming the key path (e.g. "arms[1].training: duplicate key
/// 'lr'") for the rest; callers add the file name.
constexpr std::size_t kMaxJsonDepth = 256;
nlohmann::json parse_json_strict(const std::string& text);

}  // namespace claimcheck::claims
