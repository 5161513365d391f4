// A process-wide cache of loaded data sets, shared by every run (and worker thread) of an
// execution: each data set is read from disk and moved to the device once. Thread-safe; a value
// is loaded at most once even when two workers ask for it at the same time.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace claimcheck::train {

/// Values of any type by key, loaded on first use.
class DataCache {
 public:
  /// The value under `key`, calling `load` (under the cache's lock) the first time.
  template <typename T>
  std::shared_ptr<const T> get(const std::string& key, const std::function<T()>& load) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto it = values_.find(key);
    if (it == values_.end()) {
      it = values_.emplace(key, std::make_shared<const T>(load())).first;
    }
    return std::static_pointer_cast<const T>(it->second);
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const void>> values_;
};

}  // namespace claimcheck::train
