// The run store: an append-only JSONL file, one line per finished run. Lines are written whole
// under an exclusive file lock and fsync'd, so concurrent writers (ctest -j, shards) never
// interleave and a crash loses at most the run in progress. A torn last line (the crash
// happened mid-write) is reported and skipped; a later append starts on a fresh line, so no
// complete line is ever lost or altered.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace claimcheck::claims {

/// An append-only store of run records, each a JSON object with a "key" field.
class RunStore {
 public:
  /// Opens (creating directories as needed) and loads `file`; a missing file is an empty store.
  explicit RunStore(std::filesystem::path file);

  /// Whether a run with this key is in the store.
  bool contains(const std::string& key) const;
  /// The record of a key (the first one written); throws std::out_of_range when absent.
  const nlohmann::json& at(const std::string& key) const;
  /// All distinct records in file order.
  const std::vector<nlohmann::json>& records() const { return records_; }
  /// Lines skipped while loading (torn, not JSON, no key), each "file:line: why".
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// Appends one record as a line: lock, write, fsync, unlock. Thread-safe; throws
  /// std::runtime_error naming the file when the write fails.
  void append(const nlohmann::json& record);
  /// Re-reads the file (e.g. to see runs other processes appended).
  void reload();
  /// The file path.
  const std::filesystem::path& file() const { return file_; }

 private:
  void add_record(const nlohmann::json& record);

  std::filesystem::path file_;
  std::vector<nlohmann::json> records_;
  std::map<std::string, std::size_t> index_;
  std::vector<std::string> warnings_;
  mutable std::mutex mutex_;
};

/// Concatenates the records of several stores (shards), first record per key wins.
std::vector<nlohmann::json> merge_stores(const std::vector<std::filesystem::path>& files);

}  // namespace claimcheck::claims
