// The run store: an append-only JSONL file, one line per finished run. Lines are written whole
// under an exclusive file lock and fsync'd, so concurrent writers (shards, ctest -j) never
// interleave and a crash loses at most the run in progress. A torn last line (the crash
// happened mid-write) is reported and skipped; a later append starts on a fresh line, so no
// complete line is ever lost or altered. Every line is checked (run_record.h): an invalid one
// is skipped with a warning naming file, line and key (its run is trained again); a record of
// another format version stops the reader. One `run` at a time writes a store: it holds the
// store's writer lock for its whole duration.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

namespace claimcheck::claims {

/// Another process holds a store's writer lock; the message names its PID.
class StoreBusy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An exclusive lock on a store file for one writer process (flock on <file>.lock, which holds
/// the holder's PID and start time). Released when destroyed (or when the process dies).
class StoreWriterLock {
 public:
  /// Takes the lock without waiting; throws StoreBusy naming the holder when it is taken.
  explicit StoreWriterLock(const std::filesystem::path& store_file);
  ~StoreWriterLock();
  StoreWriterLock(const StoreWriterLock&) = delete;
  StoreWriterLock& operator=(const StoreWriterLock&) = delete;

 private:
  int fd_ = -1;
};

/// An append-only store of run records, each a JSON object with a "key" field.
class RunStore {
 public:
  /// Loads `file`; a missing file is an empty store. Creates nothing on disk.
  explicit RunStore(std::filesystem::path file);

  /// Whether a run with this key is in the store.
  bool contains(const std::string& key) const;
  /// The record of a key (the last one written: a run trained again supersedes its earlier
  /// record); throws std::out_of_range when absent.
  const nlohmann::json& at(const std::string& key) const;
  /// "file:line" of a key's record (for messages); "file" when the record was appended here.
  std::string location(const std::string& key) const;
  /// All distinct records, in the file order of each key's first line.
  const std::vector<nlohmann::json>& records() const { return records_; }
  /// The records by key (what the planner's keys look up).
  std::map<std::string, nlohmann::json> by_key() const;
  /// Lines skipped while loading (torn, not JSON, invalid), each "file:line: why".
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// Appends one record as a line (creating the directory and file as needed): lock, write,
  /// fsync, unlock. Thread-safe; throws std::runtime_error naming the file when the write fails.
  void append(const nlohmann::json& record);
  /// Re-reads the file (e.g. to see runs other processes appended).
  void reload();
  /// The file path.
  const std::filesystem::path& file() const { return file_; }

 private:
  void add_record(const nlohmann::json& record, int line);

  std::filesystem::path file_;
  std::vector<nlohmann::json> records_;
  std::map<std::string, std::size_t> index_;
  std::map<std::string, int> lines_;
  std::vector<std::string> warnings_;
  mutable std::mutex mutex_;
};

/// Concatenates the records of several stores (shards), first record per key wins.
std::vector<nlohmann::json> merge_stores(const std::vector<std::filesystem::path>& files);

}  // namespace claimcheck::claims
