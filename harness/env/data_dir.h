// Where the data sets live. One variable, CLAIMCHECK_DATA, read the same way by every program
// (CLI, tests, benchmarks) and by ci/setup.sh, which fetches and verifies the files there.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace claimcheck::env {

/// $CLAIMCHECK_DATA, else ${XDG_CACHE_HOME:-$HOME/.cache}/claimcheck/data (shared by all clones).
std::filesystem::path data_dir();

/// Whether one data set is present, and where it was looked for.
struct DatasetStatus {
  std::string name;            // "mnist", "fashion-mnist", "tinyshakespeare"
  std::filesystem::path path;  // the directory (or file) looked at
  bool found = false;          // all of its files are there
  std::string detail;          // what is missing, or what was found
};

/// The names of the data sets claimcheck knows, in a stable order.
const std::vector<std::string>& known_datasets();

/// Checks one known data set by name (throws std::invalid_argument for an unknown name).
DatasetStatus dataset_status(const std::string& name);

/// The path of a data set (directory for IDX sets, the file for text corpora); throws
/// std::runtime_error naming the data directory and the setup command when it is missing.
std::filesystem::path require_dataset(const std::string& name);

}  // namespace claimcheck::env
