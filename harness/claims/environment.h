// What "the same environment" means when runs are compared with their baseline (DESIGN.md, GPU
// rules): LibTorch, the device type the runs used, CPU, BLAS, the CUDA runtime LibTorch was
// built with, and on CUDA the cuDNN version, the GPU model and compute capability and the
// determinism settings. Exact reproduction is required only when both sides ran
// deterministically in one environment; otherwise the comparison is statistical. Read from
// stored fingerprints, old ones included: a field a fingerprint lacks is "unknown", which equals
// only another "unknown" (two old CPU fingerprints of one machine stay one environment).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace claimcheck::claims {

/// The environment of runs, as the baseline comparison reads it.
struct Environment {
  nlohmann::json key;          // the fields that must be equal (see the file comment)
  bool deterministic = false;  // CPU: by construction; CUDA: the recorded settings say so
  bool mixed = false;          // runs from several environments (e.g. shards on two machines)
  std::string description;     // one line, e.g. "LibTorch 2.13.0, cpu (Intel Xeon), MKL"
};

/// The environment of runs with this fingerprint; `device_type` ("cpu" or "cuda", the runs'
/// config) stands in where the fingerprint predates its "device" field.
Environment environment_of(const nlohmann::json& fingerprint, const std::string& device_type);

/// The distinct environments of runs, in first-seen order: add each run, then to_json().
class EnvironmentTally {
 public:
  /// Counts one run with this fingerprint on `device_type`.
  void add(const nlohmann::json& fingerprint, const std::string& device_type);
  /// [{description, key, deterministic, runs}], as analysis JSON's "environments".
  nlohmann::json to_json() const;

 private:
  std::vector<Environment> seen_;
  std::vector<int> runs_;
};

/// The environment of an analysis or baseline JSON: mixed when its "environments" lists several,
/// else its fingerprint's on the device its runs' configs name.
Environment analysis_environment(const nlohmann::json& analysis);

/// Whether two sides ran in one environment: equal keys, neither mixed.
bool same_environment(const Environment& a, const Environment& b);

/// Whether the runs must reproduce the baseline bit for bit: one environment, both sides
/// deterministic.
bool exact_reproduction_required(const Environment& runs, const Environment& baseline);

}  // namespace claimcheck::claims
