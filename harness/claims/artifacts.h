// Run artifacts: files a run writes beside the store, for metrics of pairs of runs. Today one
// kind, a run's predictions (train/predictions.h), at
// <store>/artifacts/<claim>/<key>.predictions.bin:
//   line 1  "claimcheck-artifact"
//   line 2  JSON header {"format": 1, "kind": "predictions", "dtype": "float32", "rows": N,
//           "cols": C, "labels_dtype": "int64", "eval_hash": "..."}
//   then    N·C float32 probabilities (row-major), then N int64 labels, little-endian.
// Written atomically (temp file, fsync, rename, fsync of the directory) before the run's store
// line, which records the file (relative to the store directory) and a checksum of its bytes.
// A missing or damaged artifact is an ArtifactError naming the run and how to retrain it.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/stats/prediction_difference.h"
#include "harness/train/predictions.h"

namespace claimcheck::claims {

/// The artifact format this version writes and reads.
inline constexpr int kArtifactFormat = 1;

/// A missing or damaged artifact (the message names the file, the run and the fix).
class ArtifactError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Where an artifact is recorded: {"file": relative path, "checksum": 16 hex digits}.
struct ArtifactRef {
  std::string file;
  std::string checksum;
};

/// Writes a run's predictions under `store_dir` atomically; returns what the store line records.
ArtifactRef write_predictions(const std::filesystem::path& store_dir, const std::string& claim,
                              const std::string& key, const train::Predictions& predictions);

/// A run's predictions as the statistics library takes them, with the labels and eval hash.
struct LoadedPredictions {
  stats::ProbMatrix probabilities;
  std::vector<std::int64_t> labels;
  std::string eval_hash;
};

/// Reads the predictions a record refers to, looking for its file under each of `store_dirs`
/// (shards carry their artifacts); verifies header, sizes and checksum. `run` names the run in
/// errors and `retrain` is the command that retrains it.
LoadedPredictions read_predictions(const nlohmann::json& record,
                                   const std::vector<std::filesystem::path>& store_dirs,
                                   const std::string& run, const std::string& retrain);

}  // namespace claimcheck::claims
