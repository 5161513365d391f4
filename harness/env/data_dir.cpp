#include "harness/env/data_dir.h"

#include <cstdlib>
#include <stdexcept>

namespace claimcheck::env {
namespace fs = std::filesystem;

namespace {

std::string getenv_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

// The files an IDX data set needs, each either raw or gzip-compressed.
const std::vector<std::string>& idx_files() {
  static const std::vector<std::string> kFiles = {
      "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte"};
  return kFiles;
}

DatasetStatus idx_status(const std::string& name) {
  DatasetStatus status{name, data_dir() / name, true, ""};
  std::string missing;
  for (const auto& file : idx_files()) {
    if (!fs::exists(status.path / file) && !fs::exists(status.path / (file + ".gz"))) {
      missing += (missing.empty() ? "" : ", ") + file;
    }
  }
  status.found = missing.empty();
  status.detail = status.found ? "4 IDX files" : "missing " + missing;
  return status;
}

}  // namespace

fs::path data_dir() {
  const std::string explicit_dir = getenv_or_empty("CLAIMCHECK_DATA");
  if (!explicit_dir.empty()) return fs::path(explicit_dir);
  std::string cache = getenv_or_empty("XDG_CACHE_HOME");
  if (cache.empty()) {
    const std::string home = getenv_or_empty("HOME");
    if (home.empty()) {
      throw std::runtime_error(
          "cannot locate the data directory: neither CLAIMCHECK_DATA nor HOME is set; "
          "set CLAIMCHECK_DATA=<dir> and run `bash ci/setup.sh`");
    }
    cache = home + "/.cache";
  }
  return fs::path(cache) / "claimcheck" / "data";
}

const std::vector<std::string>& known_datasets() {
  static const std::vector<std::string> kNames = {"mnist", "fashion-mnist", "tinyshakespeare"};
  return kNames;
}

DatasetStatus dataset_status(const std::string& name) {
  if (name == "mnist" || name == "fashion-mnist") return idx_status(name);
  if (name == "tinyshakespeare") {
    DatasetStatus status{name, data_dir() / name / "input.txt", false, ""};
    status.found = fs::is_regular_file(status.path);
    status.detail =
        status.found ? std::to_string(fs::file_size(status.path)) + " bytes" : "missing input.txt";
    return status;
  }
  throw std::invalid_argument("unknown data set '" + name +
                              "' (known: mnist, fashion-mnist, tinyshakespeare)");
}

fs::path require_dataset(const std::string& name) {
  const DatasetStatus status = dataset_status(name);
  if (!status.found) {
    throw std::runtime_error("data set '" + name + "' not found at " + status.path.string() + " (" +
                             status.detail +
                             "). Run `bash ci/setup.sh` to fetch and verify it, or set "
                             "CLAIMCHECK_DATA to a directory that holds " +
                             name + "/.");
  }
  return status.path;
}

}  // namespace claimcheck::env
