// Registry<T>: entries by name (models, activations, optimizers, tasks), each registry written
// the same way. Lookup of an unknown name throws std::invalid_argument listing the valid names;
// registering a taken name throws. Entries are never removed, so references stay valid;
// thread-safe (register extensions before any run starts).
#pragma once

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "harness/base/text.h"

namespace claimcheck::base {

template <typename T>
class Registry {
 public:
  /// `kind` words the errors: "unknown <kind> 'x' (valid: a, b)".
  explicit Registry(std::string kind) : kind_(std::move(kind)) {}
  Registry(Registry&& other) noexcept
      : kind_(std::move(other.kind_)), entries_(std::move(other.entries_)) {}

  /// Adds `entry` under `name`; throws std::invalid_argument when the name is taken.
  T& add(const std::string& name, T entry) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto [it, inserted] = entries_.emplace(name, std::move(entry));
    if (!inserted) throw std::invalid_argument(kind_ + " '" + name + "' is already registered");
    return it->second;
  }

  /// The entry called `name`; throws std::invalid_argument listing the valid names.
  const T& at(const std::string& name) const {
    {
      std::lock_guard<std::mutex> guard(mutex_);
      const auto it = entries_.find(name);
      if (it != entries_.end()) return it->second;
    }
    throw std::invalid_argument("unknown " + kind_ + " '" + name + "' (valid: " + join(names()) +
                                ")");
  }

  bool contains(const std::string& name) const {
    std::lock_guard<std::mutex> guard(mutex_);
    return entries_.count(name) != 0;
  }

  /// The names, sorted.
  std::vector<std::string> names() const {
    std::lock_guard<std::mutex> guard(mutex_);
    std::vector<std::string> out;
    for (const auto& entry : entries_)
      out.push_back(entry.first);
    return out;
  }

 private:
  std::string kind_;
  mutable std::mutex mutex_;
  std::map<std::string, T> entries_;
};

}  // namespace claimcheck::base
