// Where a judging command reads and writes: the claims, the baselines, the run store, the report
// directory, and the commands printed as hints (with the same --claims-dir, --baselines-dir and
// --store the user gave, so a copied hint works).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace claimcheck::pipeline {

/// Where things live; defaults are the checkout's claims/ and baselines/ (the one the working
/// directory is in, else the one holding the binary, else the tree it was built from), and ./runs.
struct Paths {
  std::filesystem::path claims;
  std::filesystem::path baselines;
  std::filesystem::path store = "runs";
  std::filesystem::path report_dir;  // empty: <store>/reports/<claim>/<profile>
  /// More store directories whose artifacts the analysis may read (report over shards).
  std::vector<std::filesystem::path> artifact_dirs;

  /// The defaults: see above.
  static Paths defaults();
};

/// <store>/<claim>.jsonl.
std::filesystem::path store_file(const Paths& paths, const std::string& claim);

/// Where a claim's report files go: --report-dir, else <store>/reports/<claim>/<profile>.
std::filesystem::path report_dir(const Paths& paths, const std::string& claim,
                                 const std::string& profile);

/// The baseline a plan on one device compares with (baselines/README.md): its device class's
/// own, else, for CUDA runs, the CPU baseline as a fallback (another environment, so the
/// comparison is statistical).
struct ChosenBaseline {
  std::filesystem::path file;  // the one to read (may not exist: no baseline)
  std::filesystem::path own;   // the device class's own, which bless writes
  bool fallback = false;       // `file` is the CPU baseline standing in for a CUDA one
};

/// The baseline of `claim` × `profile` for runs on `device_type` ("cpu" or "cuda").
ChosenBaseline choose_baseline(const Paths& paths, const std::string& claim,
                               const std::string& profile, const std::string& device_type);

/// The claims of the suite in --claims-dir that define `profile` (at least 1): the family the
/// gate splits its alpha over (claims/baseline.h, GateSettings). A spec that does not parse
/// counts, so a broken neighbour never makes the gate less strict.
int suite_claims(const Paths& paths, const std::string& profile);

/// "claimcheck <args>" with the user's --claims-dir / --baselines-dir (when not the defaults)
/// and --store appended when `with_store`.
std::string command_hint(const Paths& paths, const std::string& args, bool with_store = true);

}  // namespace claimcheck::pipeline
